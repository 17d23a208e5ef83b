"""Now and today in Asia/Shanghai: the programmes' dates are Beijing dates whatever the server's zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")


def now() -> datetime:
    """The current Beijing wall-clock time, naive (as stored in TIMESTAMP columns), to the second."""
    return datetime.now(TZ).replace(tzinfo=None, microsecond=0)


def today() -> date:
    """Today's date in Beijing."""
    return now().date()
