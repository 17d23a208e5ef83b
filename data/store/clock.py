"""One clock: every "now", "today", recorded_at stamp and as-of boundary is Beijing time.

The programmes run in China and count days in Beijing time, whatever zone the server is set to:
on a UTC server a record arriving at 07:00 Saturday Beijing time is known on Saturday, not on
Friday. China has kept UTC+8 without daylight saving since 1992, so a fixed offset is exact for
every date Anju handles and needs no time-zone database on the machine. Timestamps are stored as
naive Beijing wall-clock time (DuckDB TIMESTAMP), the way civil servants read them.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

ZONE = timezone(timedelta(hours=8), "Asia/Shanghai")


def now() -> datetime:
    """Beijing wall-clock time now, to the second, without tzinfo (as stored in DuckDB)."""
    return datetime.now(ZONE).replace(tzinfo=None, microsecond=0)


def today() -> date:
    """Today's date in Beijing."""
    return now().date()


def end_of_day(day: date) -> datetime:
    """The as-of boundary of DAY: everything recorded before the next Beijing midnight."""
    return datetime.combine(day + timedelta(days=1), datetime.min.time())
