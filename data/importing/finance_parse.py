"""Parsers for the spot-check and confirmation files: 抽查结果 and 月份 cells."""

from __future__ import annotations

import math
import re
from datetime import date, datetime

from data.importing import parse

_PASS = {"合格", "通过", "符合", "是", "√", "pass", "ok", "y", "1"}
_FAIL = {"不合格", "未通过", "不通过", "不符合", "否", "×", "x", "fail", "n", "0"}


def to_result(value: object) -> str | None:
    """抽查结果: 合格 / 不合格 (and common spellings)."""
    t = (parse.text(value) or "").lower()
    if not t:
        return None
    if t in _PASS:
        return "合格"
    if t in _FAIL:
        return "不合格"
    raise ValueError(f"抽查结果「{value}」无法识别，应为 合格 或 不合格")


_YM = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")


def to_month(value: object) -> str | None:
    """月份: 2023-07, 2023/7, 2023年7月, or a date in the month → '2023-07'."""
    if value is None:
        return None
    if isinstance(value, datetime | date):
        return f"{value.year}-{value.month:02d}"
    t = parse.text(value) or ""
    if not t:
        return None
    m = _YM.match(t)
    if m and 1 <= int(m.group(2)) <= 12:
        return f"{int(m.group(1))}-{int(m.group(2)):02d}"
    try:
        d = parse.to_date(value)
    except ValueError:
        d = None
    if d is None:
        raise ValueError(f"月份「{value}」无法识别，应写成 2023-07 或 2023年7月")
    return f"{d.year}-{d.month:02d}"


MAX_COUNT = 10_000_000  # households in one street's month: far above any district


def to_count(value: object) -> int | None:
    """A household count: a non-negative whole number."""
    t = parse.text(value)
    if t is None:
        return None
    try:
        f = float(t.replace(",", "").replace("户", ""))
    except ValueError:
        raise ValueError(f"户数「{value}」不是数字") from None
    if not math.isfinite(f) or f < 0 or f != int(f):
        raise ValueError(f"户数「{value}」应为非负整数")
    if f > MAX_COUNT:
        raise ValueError(f"户数「{value}」超出合理范围（最多 {MAX_COUNT:,} 户）")
    return int(f)
