"""A programme template's checks: every problem in Chinese, before anything is stored."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from fractions import Fraction

from data.messages import UserError


def share_value(share: object) -> Fraction:
    """A cost share as an exact fraction: 0.4, 1, or a string such as "1/3"."""
    if isinstance(share, bool):
        raise UserError("programme.share_not_number", share=share)
    if isinstance(share, str):
        return Fraction(share.strip())
    return Fraction(share).limit_denominator(1000)


def validate(template: dict) -> list[str]:
    """Every problem of a template, in Chinese; empty when it can be loaded."""
    errors: list[str] = []
    prog = template.get("programme")
    if not isinstance(prog, dict):
        return ["缺少 [programme] 部分"]
    for key, label in (
        ("programme_id", "项目编号"),
        ("name", "项目名称"),
        ("kind", "项目类型"),
        ("district_id", "区县代码"),
        ("starts", "开始日期"),
        ("ends", "结束日期"),
    ):
        if prog.get(key) in (None, ""):
            errors.append(f"[programme] 缺少 {key}（{label}）")
    pid = str(prog.get("programme_id") or "")
    if pid and (len(pid) > 64 or not pid.replace("_", "").replace("-", "").isalnum()):
        errors.append(f"项目编号 {pid!r} 只能含字母、数字、下划线和连字符，最长 64 个字符")
    starts, ends = prog.get("starts"), prog.get("ends")
    for key in ("starts", "ends"):
        if prog.get(key) is not None and not isinstance(prog.get(key), date):
            errors.append(f"[programme] {key} 应为日期（如 2024-03-21），现为 {prog.get(key)!r}")
    dated = isinstance(starts, date) and isinstance(ends, date)
    if dated and starts > ends:
        errors.append(f"项目开始日期 {starts} 晚于结束日期 {ends}")
    target = prog.get("target_households")
    if target is not None and (not isinstance(target, int) or target < 0):
        errors.append(f"目标户数应为不小于 0 的整数，现为 {target!r}")
    for key, label in (("targets_by_gas_type", "按燃气类型"), ("targets_by_town", "按街镇")):
        parts = prog.get(key)
        if isinstance(parts, dict) and target is not None:
            total = sum(v for v in parts.values() if isinstance(v, int))
            if total != target:
                errors.append(f"{label}的目标户数合计 {total} 不等于目标户数 {target}")
    classes = template.get("user_class", [])
    class_targets = [c.get("target_households") for c in classes]
    whole = class_targets and all(isinstance(v, int) for v in class_targets)
    if target is not None and whole and sum(class_targets) != target:
        errors.append(f"各类用户目标户数合计 {sum(class_targets)} 不等于目标户数 {target}")
    for c in classes:
        if c.get("class") not in ("residential", "non_residential"):
            errors.append(
                f"用户类别 {c.get('class')!r} 无效（应为 residential 居民 或 non_residential 非居民）"
            )
    for no, phase in enumerate(template.get("phase", []), start=1):
        label = f"第{no}个阶段「{phase.get('name', '')}」"
        if phase.get("kind") not in ("survey", "install", "archive", "other"):
            errors.append(f"{label}的类型 {phase.get('kind')!r} 应为 survey/install/archive/other")
        a, b = phase.get("starts"), phase.get("ends")
        if not (isinstance(a, date) and isinstance(b, date)):
            errors.append(f"{label}缺少开始或结束日期")
            continue
        if a > b:
            errors.append(f"{label}开始日期 {a} 晚于结束日期 {b}")
        if dated and (a < starts or b > ends):
            errors.append(f"{label}（{a}～{b}）超出项目起止日期（{starts}～{ends}）")
    seen = set()
    for dev in template.get("device", []):
        name = dev.get("device_type")
        if not name or not dev.get("name"):
            errors.append("[[device]] 须有 device_type 和 name")
        if name in seen:
            errors.append(f"设备类型 {name!r} 重复")
        seen.add(name)
        price = dev.get("unit_price_cny")
        if price is not None and (isinstance(price, bool) or not isinstance(price, int | float)):
            errors.append(f"设备「{dev.get('name')}」单价应为数字，现为 {price!r}")
        elif price is not None and price < 0:
            errors.append(f"设备「{dev.get('name')}」单价 {price} 不能小于 0")
        if dev.get("gas_type") not in ("piped", "lpg", "none", "any"):
            errors.append(f"设备「{dev.get('name')}」燃气类型 {dev.get('gas_type')!r} 无效")
    sums: dict[str, Fraction] = defaultdict(Fraction)
    for row in template.get("cost_share", []):
        try:
            value = share_value(row.get("share"))
        except (ValueError, ZeroDivisionError, TypeError):
            errors.append(
                f"费用分担「{row.get('item')} / {row.get('payer')}」比例 {row.get('share')!r} 无效"
            )
            continue
        if not 0 < value <= 1:
            errors.append(f"费用分担「{row.get('item')} / {row.get('payer')}」比例应在 0～1 之间")
        sums[str(row.get("item"))] += value
    for item, total in sums.items():
        if total != 1:
            errors.append(f"费用项「{item}」各方分担比例合计 {float(total):.4g}，应为 1")
    return errors
