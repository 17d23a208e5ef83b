"""A programme template's checks: every problem in Chinese, before anything is stored.

The one validator of programme settings: `parse` bounds a programme file before TOML parsing
(size, nesting), `validate` types every setting and keeps it in the range the pages can use.
`anju programme`, the 项目设置 page (upload and form) and `programmes.save` all go through them,
so a setting that would break a page (逾期, 火灾风险, imports) cannot be saved.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections import defaultdict
from datetime import date, time
from fractions import Fraction

from data.events.service import DEFAULT_STANDARDS
from data.firerisk.risk import FACTOR_KEYS
from data.messages import UserError

MAX_FILE_BYTES = 256 * 1024  # the largest shipped template is ~10 KB
MAX_NESTING = 8  # brackets / braces open at once, and levels of tables in the parsed template
MAX_VALUES = 5_000  # every key, table and list item counted once
MAX_TEXT = 2_000  # characters of any one text value
MAX_KEY = 100

MAX_TARGET = 10_000_000  # households or units of one programme
MAX_PRICE_CNY = 100_000  # one device, yuan
MAX_WARRANTY_YEARS = 30
MAX_DAYS = 3_650
MAX_HOURS = 8_760  # one year
MAX_WEIGHT = 100.0  # as on the 火灾风险 page's weight editor
MAX_PROGRAMME_YEARS = 10
FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_ROWS = {"phase": 50, "device": 50, "cost_share": 200, "user_class": 10, "sector": 50}

PHASE_KINDS = ("survey", "install", "archive", "other")
GAS_TYPES = ("piped", "lpg", "none", "any")
USER_CLASSES = ("residential", "non_residential")
PAYMENT_CYCLES = ("monthly", "quarterly")
_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_DISTRICT = re.compile(r"[0-9]{6}")  # 行政区划代码 of a county-level division
# A share written as text: "1/3", "0.4" — a few digits, no exponent, before any Fraction is made.
_SHARE_TEXT = re.compile(r"(?:[0-9]{1,6}/[0-9]{1,6}|[0-9]{1,6}(?:\.[0-9]{1,6})?)")
MAX_SHARE_CHARS = 12

# [rules] keys the pages compute with: (kind, low, high, Chinese label). Other keys are words.
_RULES: dict[str, tuple[str, float, float, str]] = {
    "spot_check_rate": ("number", 0, 1, "抽查比例"),
    "report_day": ("int", 1, 31, "每月报送日"),
    "roster_day": ("int", 1, 31, "花名册报送日"),
    "gas_cut_overdue_days": ("int", 0, MAX_DAYS, "停气超期天数"),
    "install_after_survey_days": ("int", 0, MAX_DAYS, "排摸后安装天数"),
    "warranty_warning_days": ("int", 0, MAX_DAYS, "质保到期提醒天数"),
    "visit_overdue_days": ("int", 1, MAX_DAYS, "走访超期天数"),
    "restore_within_hours": ("number", 0, MAX_HOURS, "恢复供气时限（小时）"),
    "device_offline_hours": ("number", 1, MAX_HOURS, "设备离线判定（小时）"),
    "hotline_hours_per_day": ("number", 0, 24, "热线每日小时数"),
    "emergency_crew_hours_per_day": ("number", 0, 24, "抢修每日小时数"),
    "inspection_at_install": ("bool", 0, 0, "安装时安检"),
    "install_after_rectification": ("bool", 0, 0, "整改后安装"),
    "online_payment": ("bool", 0, 0, "线上缴费"),
    "opt_out_if_under_warranty": ("bool", 0, 0, "质保期内可不装"),
    "settlement_requires_acceptance": ("bool", 0, 0, "结算须验收"),
}


def share_value(share: object) -> Fraction:
    """A cost share as an exact fraction: 0.4, 1, or a string such as "1/3".

    Bounded before conversion: text is a few digits (no exponent), a number is finite.
    """
    if isinstance(share, bool) or not isinstance(share, str | int | float):
        raise UserError("programme.share_not_number", share=share)
    if isinstance(share, str):
        text = share.strip()
        if len(text) > MAX_SHARE_CHARS or not _SHARE_TEXT.fullmatch(text):
            raise UserError("programme.share_not_number", share=share)
        try:
            return Fraction(text)
        except ZeroDivisionError as exc:
            raise UserError("programme.share_not_number", share=share) from exc
    if isinstance(share, float) and not math.isfinite(share):
        raise UserError("programme.share_not_number", share=share)
    if abs(share) > MAX_TARGET:
        raise UserError("programme.share_not_number", share=share)
    return Fraction(share).limit_denominator(1000)


def parse(data: bytes | str, file: str) -> dict:
    """A programme file (or the rules text) parsed as TOML, bounded first: size and nesting
    are checked before the parser runs, so a hostile file is refused at once, in Chinese."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > MAX_FILE_BYTES:
        raise UserError(
            "programme.too_big", file=file, size=len(raw) // 1024, limit=MAX_FILE_BYTES // 1024
        )
    try:
        text = raw.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError as exc:
        raise UserError("programme.not_utf8", file=file) from exc
    bare = _outside_strings(text)
    depth = _deepest(bare)
    if depth > MAX_NESTING:
        raise UserError("programme.too_deep", file=file, depth=depth, limit=MAX_NESTING)
    long = _LONG_NUMBER.search(bare)
    if long:  # int() of thousands of digits is slow, and tomllib does that before any check
        line_no = bare.count("\n", 0, long.start()) + 1
        line = bare.splitlines()[line_no - 1]
        key = line.split("=", 1)[0].strip() if "=" in line else line.strip()[:40]
        raise UserError("programme.long_number", file=file, line=line_no, setting=key)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError("programme.bad_toml", file=file, detail=str(exc)) from exc
    except (ValueError, RecursionError) as exc:  # guarded above; kept so no traceback escapes
        raise UserError("programme.bad_toml", file=file, detail=str(exc)[:200]) from exc


_LONG_NUMBER = re.compile(r"[0-9_.eE+-]{31,}")


def _outside_strings(text: str) -> str:
    """The TOML text with strings emptied and comments dropped (line breaks kept), so brackets
    and numbers can be counted before the parser runs."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        if ch in "\"'":
            quote = ch * 3 if text.startswith(ch * 3, i) else ch
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                if ch == '"' and text[j] == "\\":
                    j += 1
                elif len(quote) == 1 and text[j] == "\n":
                    break  # an unclosed one-line string: the parser will say so
                j += 1
            out.append('""' + "\n" * text.count("\n", i, j))
            i = j + len(quote)
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _deepest(bare: str) -> int:
    """The most [ and { open at once (tomllib recurses on each)."""
    depth = deepest = 0
    for ch in bare:
        if ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth = max(depth - 1, 0)
    return deepest


def _bounds(template: dict) -> list[str]:
    """Size, depth and value types of the whole template (iterative: no recursion to exhaust)."""
    errors: list[str] = []
    count = 0
    stack: list[tuple[str, object, int]] = [("", template, 0)]
    while stack:
        path, value, depth = stack.pop()
        count += 1
        if count > MAX_VALUES:
            return [f"项目文件的设置项超过 {MAX_VALUES} 个，请精简"]
        where = path or "项目文件"
        if depth > MAX_NESTING:
            return [f"{where} 嵌套超过 {MAX_NESTING} 层"]
        if isinstance(value, dict):
            for key, item in value.items():
                if len(str(key)) > MAX_KEY:
                    errors.append(f"{where} 中的键名超过 {MAX_KEY} 个字符")
                    continue
                stack.append((f"{path}.{key}" if path else str(key), item, depth + 1))
        elif isinstance(value, list):
            stack.extend((f"{path}[{i}]", item, depth + 1) for i, item in enumerate(value))
        elif isinstance(value, bool | date):
            pass
        elif isinstance(value, time):
            errors.append(f'{where} 是时刻 {value}，请加引号写成文字（如 "12:00"）')
        elif isinstance(value, float) and not math.isfinite(value):
            errors.append(f"{where} 应为有限的数，现为 {value!r}")
        elif isinstance(value, int | float) and abs(value) > 10**12:
            errors.append(f"{where} 数值 {value:.3g} 过大")
        elif isinstance(value, str) and len(value) > MAX_TEXT:
            errors.append(f"{where} 文字超过 {MAX_TEXT} 个字符")
    return errors


def _number(
    where: str, value: object, low: float, high: float, *, whole: bool = False
) -> str | None:
    """None when `value` is a (whole) number in [low, high]; else the Chinese problem."""
    kind = "整数" if whole else "数字"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"{where} 应为{kind}，现为 {value!r}"
    if whole and not isinstance(value, int):
        return f"{where} 应为整数，现为 {value!r}"
    if not math.isfinite(value) or not low <= value <= high:
        return f"{where} 应在 {low:g}～{high:g} 之间，现为 {value!r}"
    return None


def _text(where: str, value: object, limit: int = 200, required: bool = True) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        return f"{where} 应为文字，现为 {value!r}"
    if len(value) > limit:
        return f"{where} 超过 {limit} 个字符"
    return None


def _rows(template: dict, section: str, errors: list[str]) -> list[dict]:
    """The tables of `[[section]]`, or [] with a problem when it is not a list of tables."""
    rows = template.get(section, [])
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        errors.append(f"[[{section}]] 应为表格列表（每项以 [[{section}]] 开头）")
        return []
    if len(rows) > MAX_ROWS[section]:
        errors.append(f"[[{section}]] 超过 {MAX_ROWS[section]} 项")
        return []
    return rows


def _date_in_range(where: str, value: object) -> str | None:
    if type(value) is not date:  # a datetime (with a time of day) is not a date here
        return f"{where} 应为日期（如 2024-03-21），现为 {value!r}"
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        return f"{where} {value} 不在 {FIRST_YEAR}～{LAST_YEAR} 年之间"
    return None


def validate(template: object) -> list[str]:
    """Every problem of a template, in Chinese, each naming its section and key; empty when
    it can be loaded."""
    if not isinstance(template, dict):
        return ["项目文件应为 TOML 表格"]
    errors = _bounds(template)
    if errors:
        return errors
    prog = template.get("programme")
    if not isinstance(prog, dict):
        return ["缺少 [programme] 部分"]
    errors += _programme(prog)
    classes = _rows(template, "user_class", errors)
    errors += _classes(prog, classes)
    errors += _phases(prog, _rows(template, "phase", errors))
    errors += _devices(_rows(template, "device", errors))
    errors += _shares(_rows(template, "cost_share", errors))
    _rows(template, "sector", errors)
    errors += _risk_weights(template.get("risk_weights"))
    errors += _rules(template.get("rules", {}))
    return errors


def _programme(prog: dict) -> list[str]:
    errors: list[str] = []
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
    pid = prog.get("programme_id")
    if pid not in (None, "") and not (isinstance(pid, str) and _ID.fullmatch(pid)):
        errors.append(
            f"[programme] programme_id（项目编号）{pid!r} 只能含字母、数字、下划线和连字符，"
            "最长 64 个字符"
        )
    district = prog.get("district_id")
    if district not in (None, "") and not (
        isinstance(district, str) and _DISTRICT.fullmatch(district)
    ):
        errors.append(
            f'[programme] district_id（区县代码）应为 6 位行政区划代码（如 "310105"），'
            f"现为 {district!r}"
        )
    for key, label, limit in (
        ("name", "项目名称", 200),
        ("kind", "项目类型", 64),
        ("district_name", "区县名称", 50),
    ):
        if prog.get(key) not in (None, ""):
            problem = _text(f"[programme] {key}（{label}）", prog.get(key), limit)
            if problem:
                errors.append(problem)
    starts, ends = prog.get("starts"), prog.get("ends")
    for key in ("starts", "ends"):
        if prog.get(key) is not None:
            problem = _date_in_range(f"[programme] {key}", prog[key])
            if problem:
                errors.append(problem)
    if type(starts) is date and type(ends) is date:
        if starts > ends:
            errors.append(f"项目开始日期 {starts} 晚于结束日期 {ends}")
        elif (ends - starts).days > 366 * MAX_PROGRAMME_YEARS:
            errors.append(
                f"[programme] starts～ends 项目周期超过 {MAX_PROGRAMME_YEARS} 年（{starts}～{ends}）"
            )
    target = prog.get("target_households")
    if target is not None:
        problem = _number(
            "[programme] target_households（目标户数）", target, 0, MAX_TARGET, whole=True
        )
        if problem:
            errors.append(problem)
            target = None
    for key, label in (("targets_by_gas_type", "按燃气类型"), ("targets_by_town", "按街镇")):
        parts = prog.get(key)
        if parts is None:
            continue
        if not isinstance(parts, dict):
            errors.append(f"[programme.{key}] 应为表格（名称 = 户数）")
            continue
        bad = [
            p
            for p in (
                _number(f"[programme.{key}] {k}", v, 0, MAX_TARGET, whole=True)
                for k, v in parts.items()
            )
            if p
        ]
        errors += bad
        if not bad and target is not None and sum(parts.values()) != target:
            errors.append(f"{label}的目标户数合计 {sum(parts.values())} 不等于目标户数 {target}")
    return errors


def _classes(prog: dict, classes: list[dict]) -> list[str]:
    errors: list[str] = []
    targets = []
    for no, c in enumerate(classes, start=1):
        where = f"第{no}个 [[user_class]]"
        if c.get("class") not in USER_CLASSES:
            errors.append(
                f"{where} class（用户类别）{c.get('class')!r} 无效"
                "（应为 residential 居民 或 non_residential 非居民）"
            )
        if c.get("name") is not None and (problem := _text(f"{where} name", c["name"])):
            errors.append(problem)
        value = c.get("target_households")
        if value is not None:
            problem = _number(f"{where} target_households", value, 0, MAX_TARGET, whole=True)
            errors += [problem] if problem else []
            targets.append(None if problem else value)
        else:
            targets.append(None)
        for key in ("install_deadline", "ledger_deadline"):
            if c.get(key) is not None and (problem := _date_in_range(f"{where} {key}", c[key])):
                errors.append(problem)
    target = prog.get("target_households")
    whole = targets and all(isinstance(v, int) for v in targets)
    if isinstance(target, int) and whole and sum(targets) != target:
        errors.append(f"各类用户目标户数合计 {sum(targets)} 不等于目标户数 {target}")
    return errors


def _phases(prog: dict, phases: list[dict]) -> list[str]:
    errors: list[str] = []
    starts, ends = prog.get("starts"), prog.get("ends")
    dated = type(starts) is date and type(ends) is date
    for no, phase in enumerate(phases, start=1):
        label = f"第{no}个阶段「{str(phase.get('name', ''))[:50]}」"
        if phase.get("kind") not in PHASE_KINDS:
            errors.append(
                f"{label}的类型 kind {phase.get('kind')!r} 应为 survey/install/archive/other"
            )
        if problem := _text(f"{label} name", phase.get("name")):
            errors.append(problem)
        cls = phase.get("user_class")
        if cls is not None and cls not in USER_CLASSES:
            errors.append(f"{label} user_class {cls!r} 无效（应为 residential 或 non_residential）")
        a, b = phase.get("starts"), phase.get("ends")
        if a is None or b is None:
            errors.append(f"{label}缺少开始或结束日期")
            continue
        bad = [
            p for p in (_date_in_range(f"{label} {k}", phase[k]) for k in ("starts", "ends")) if p
        ]
        if bad:
            errors += bad
            continue
        if a > b:
            errors.append(f"{label}开始日期 {a} 晚于结束日期 {b}")
        if dated and (a < starts or b > ends):
            errors.append(f"{label}（{a}～{b}）超出项目起止日期（{starts}～{ends}）")
    return errors


def _devices(devices: list[dict]) -> list[str]:
    errors: list[str] = []
    seen = set()
    for no, dev in enumerate(devices, start=1):
        name = dev.get("device_type")
        where = f"第{no}个 [[device]]「{str(dev.get('name') or name or '')[:50]}」"
        if not name or not dev.get("name"):
            errors.append("[[device]] 须有 device_type 和 name")
        elif not (isinstance(name, str) and _ID.fullmatch(name)):
            errors.append(f"{where} device_type {name!r} 只能含字母、数字、下划线和连字符")
        elif problem := _text(f"{where} name", dev.get("name")):
            errors.append(problem)
        if isinstance(name, str) and name in seen:
            errors.append(f"设备类型 {name!r} 重复")
        seen.add(name if isinstance(name, str) else repr(name))
        price = dev.get("unit_price_cny")
        if price is not None and (isinstance(price, bool) or not isinstance(price, int | float)):
            errors.append(f"设备「{dev.get('name')}」单价应为数字，现为 {price!r}")
        elif price is not None and price < 0:
            errors.append(f"设备「{dev.get('name')}」单价 {price} 不能小于 0")
        elif price is not None and (
            problem := _number(f"{where} unit_price_cny（单价，元）", price, 0, MAX_PRICE_CNY)
        ):
            errors.append(problem)
        for key, label, high in (
            ("warranty_years", "质保年限", MAX_WARRANTY_YEARS),
            ("planned_units", "计划数量", MAX_TARGET),
        ):
            if dev.get(key) is not None:
                problem = _number(f"{where} {key}（{label}）", dev[key], 0, high, whole=True)
                errors += [problem] if problem else []
        if dev.get("gas_type") not in GAS_TYPES:
            errors.append(
                f"设备「{dev.get('name')}」燃气类型 gas_type {dev.get('gas_type')!r} 无效"
            )
        cls = dev.get("user_class")
        if cls is not None and cls not in USER_CLASSES:
            errors.append(f"{where} user_class {cls!r} 无效（应为 residential 或 non_residential）")
        items = dev.get("items")
        if items is not None and not (
            isinstance(items, list) and len(items) <= 20 and all(isinstance(i, str) for i in items)
        ):
            errors.append(f"{where} items 应为不超过 20 项的文字列表")
    return errors


def _shares(rows: list[dict]) -> list[str]:
    errors: list[str] = []
    sums: dict[str, Fraction] = defaultdict(Fraction)
    for row in rows:
        item, payer = row.get("item"), row.get("payer")
        label = f"费用分担「{str(item)[:50]} / {str(payer)[:50]}」"
        bad = [
            p for p in (_text(f"{label} item", item, 64), _text(f"{label} payer", payer, 100)) if p
        ]
        errors += bad
        try:
            value = share_value(row.get("share"))
        except ValueError:
            errors.append(
                f"{label} share（比例）{row.get('share')!r} 无效："
                f'应为 0～1 的小数或分数（如 0.4、"1/3"），不超过 {MAX_SHARE_CHARS} 个字符'
            )
            continue
        if not 0 < value <= 1:
            errors.append(f"{label}比例 share 应在 0～1 之间")
        if not bad:
            sums[item] += value
    for item, total in sums.items():
        if total != 1:
            errors.append(f"费用项「{item}」各方分担比例合计 {float(total):.4g}，应为 1")
    return errors


def _risk_weights(weights: object) -> list[str]:
    if weights is None:
        return []
    if not isinstance(weights, dict):
        return ["[risk_weights] 应为表格（因素 = 分值）"]
    errors = []
    for key, value in weights.items():
        if key not in FACTOR_KEYS:
            errors.append(
                f"[risk_weights] {key} 不是火灾风险因素（可用：{'、'.join(FACTOR_KEYS)}）"
            )
        elif problem := _number(f"[risk_weights] {key}（分值）", value, 0, MAX_WEIGHT):
            errors.append(problem)
    return errors


def _rules(rules: object) -> list[str]:
    if not isinstance(rules, dict):
        return ["[rules] 应为表格（名称 = 值）"]
    errors = []
    for key, (kind, low, high, label) in _RULES.items():
        if key not in rules:
            continue
        where = f"[rules] {key}（{label}）"
        value = rules[key]
        if kind == "bool":
            if not isinstance(value, bool):
                errors.append(f"{where} 应为 true 或 false，现为 {value!r}")
        elif problem := _number(where, value, low, high, whole=kind == "int"):
            errors.append(problem)
    cycle = rules.get("payment_cycle")
    if cycle is not None and cycle not in PAYMENT_CYCLES:
        errors.append(f"[rules] payment_cycle（拨付周期）应为 monthly 或 quarterly，现为 {cycle!r}")
    standards = rules.get("service_standards")
    if standards is not None:
        if not isinstance(standards, dict):
            return [*errors, "[rules.service_standards] 应为表格"]
        for kind, row in standards.items():
            where = f'[rules.service_standards."{kind}"]'
            if kind not in DEFAULT_STANDARDS:
                errors.append(f"{where} 不是服务事件类别（可用：{'、'.join(DEFAULT_STANDARDS)}）")
                continue
            if not isinstance(row, dict):
                errors.append(f"{where} 应为表格")
                continue
            for key in ("response_hours", "resolution_hours"):
                if key in row and (problem := _number(f"{where} {key}", row[key], 0, MAX_HOURS)):
                    errors.append(problem)
            if "source" in row and (problem := _text(f"{where} source", row["source"])):
                errors.append(problem)
    return errors


def checked(template: object) -> dict:
    """`template` when valid; else UserError listing every problem (nothing is stored)."""
    errors = validate(template)
    if errors:
        raise UserError("programme.invalid", errors="\n".join(f"- {e}" for e in errors))
    assert isinstance(template, dict)
    return template
