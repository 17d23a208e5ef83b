"""Working days of a month by the official Chinese calendar (holidays and 调休 make-up days).

One calendar and one policy for every page and command. chinesecalendar knows the State
Council's schedule only for the years it ships (1.11: 2004–2026):
- planning a batch needs the real working days, so a month outside those years is not offered,
  and asking for it is a clear error (`working_days`);
- a deadline can still be shown, as a weekday estimate clearly labelled as such
  (`last_working_day` returns whether it is estimated; `calendar_note` is the text to show).
"""

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


def month_start(month: str) -> date:
    """'2023-08' → date(2023, 8, 1); the same Chinese error as `parse_month` otherwise."""
    year, mon = parse_month(month)
    return date(year, mon, 1)


def month_days(month: str) -> list[date]:
    """Every calendar day of 'YYYY-MM'."""
    year, mon = parse_month(month)
    return [date(year, mon, d) for d in range(1, calendar.monthrange(year, mon)[1] + 1)]


class CalendarGap(ValueError):
    """The official holiday schedule of a month is not known (Chinese message)."""


def covers(d: date) -> bool:
    """Whether the official calendar knows day D."""
    try:
        chinese_calendar.is_workday(d)
    except NotImplementedError:
        return False
    return True


def covers_month(month: str) -> bool:
    """Whether the official calendar knows every day of 'YYYY-MM'."""
    days = month_days(month)
    return covers(days[0]) and covers(days[-1])


def calendar_note(month: str) -> str | None:
    """What to tell the user about 'YYYY-MM' when the official calendar does not cover it."""
    if covers_month(month):
        return None
    year = parse_month(month)[0]
    return (
        f"本程序的节假日数据（chinesecalendar）尚无 {year} 年国务院节假日和调休安排："
        f"{month} 的工作日只能按周一至周五估算，未计法定节假日和调休。"
        "国务院公布安排后请升级 chinesecalendar（见 README）。"
    )


def plannable(months: list[str]) -> list[str]:
    """The months among MONTHS whose working days are officially known (offered for planning)."""
    return [m for m in months if covers_month(m)]


def last_working_day(year: int, mon: int) -> tuple[date, bool]:
    """The month's last working day and whether it is a weekday estimate (calendar gap)."""
    day = date(year, mon, calendar.monthrange(year, mon)[1])
    estimated = False
    while True:
        try:
            working = chinese_calendar.is_workday(day)
        except NotImplementedError:
            working, estimated = day.weekday() < 5, True
        if working:
            return day, estimated
        day = date.fromordinal(day.toordinal() - 1)


def working_days(month: str) -> list[date]:
    """Working days of 'YYYY-MM': weekdays that are not public holidays, plus 调休 weekend days.

    chinese_calendar knows the State Council's schedule only for the years it ships; for other
    years it raises NotImplementedError, which we turn into a clear message.
    """
    try:
        return [d for d in month_days(month) if chinese_calendar.is_workday(d)]
    except NotImplementedError:
        raise CalendarGap(calendar_note(month) or f"日历数据不包含 {month}") from None


def day_kind(d: date) -> str:
    """'workday', 'makeup' (调休上班的周末), 'holiday' (法定节假日) or 'weekend'."""
    _, name = chinese_calendar.get_holiday_detail(d)
    if chinese_calendar.is_workday(d):
        return "makeup" if d.weekday() >= 5 else "workday"
    return "holiday" if name is not None else "weekend"
