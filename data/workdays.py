"""Working days of a month by the official Chinese calendar (holidays and 调休 make-up days)."""

from __future__ import annotations

import calendar
from datetime import date

import chinese_calendar


def parse_month(month: str) -> tuple[int, int]:
    """'2023-08' → (2023, 8); a clear Chinese error otherwise."""
    try:
        year_text, month_text = month.split("-")
        year, mon = int(year_text), int(month_text)
    except ValueError:
        raise ValueError(f"月份格式应为 YYYY-MM：{month!r}") from None
    if not 1 <= mon <= 12 or len(year_text) != 4:
        raise ValueError(f"月份格式应为 YYYY-MM：{month!r}")
    return year, mon


def month_days(month: str) -> list[date]:
    """Every calendar day of 'YYYY-MM'."""
    year, mon = parse_month(month)
    return [date(year, mon, d) for d in range(1, calendar.monthrange(year, mon)[1] + 1)]


def working_days(month: str) -> list[date]:
    """Working days of 'YYYY-MM': weekdays that are not public holidays, plus 调休 weekend days.

    chinese_calendar knows the State Council's schedule only for the years it ships; for other
    years it raises NotImplementedError, which we turn into a clear message.
    """
    try:
        return [d for d in month_days(month) if chinese_calendar.is_workday(d)]
    except NotImplementedError:
        raise ValueError(
            f"日历数据不包含 {month} 的法定节假日安排，请升级 chinesecalendar"
        ) from None


def day_kind(d: date) -> str:
    """'workday', 'makeup' (调休上班的周末), 'holiday' (法定节假日) or 'weekend'."""
    _, name = chinese_calendar.get_holiday_detail(d)
    if chinese_calendar.is_workday(d):
        return "makeup" if d.weekday() >= 5 else "workday"
    return "holiday" if name is not None else "weekend"
