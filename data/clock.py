"""Now and today in Beijing time (Asia/Shanghai), whatever the server's own time zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")


def now() -> datetime:
    """The current Beijing time, naive (as the database stores times), to the second."""
    return datetime.now(TZ).replace(tzinfo=None, microsecond=0)


def today() -> date:
    """Today's date in Beijing."""
    return now().date()
