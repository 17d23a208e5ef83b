"""What every part of a batch shares: statuses, priority rules, roster columns, the plan,
the refusal error, and the one transaction wrapper."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import duckdb
import pandas as pd

from data.messages import UserError, Words
from data.store import clock
from data.store.unit_of_work import unit_of_work

STATUSES = {"draft": "草稿", "sent": "已下发", "confirmed": "已确认"}
_STATUSES_EN = {"draft": "a draft", "sent": "sent", "confirmed": "confirmed"}


def _status(status: str) -> Words:
    """A batch status as words inside a message."""
    return Words(STATUSES[status], _STATUSES_EN[status])


RULES: dict[str, str] = {
    "hazard": "隐患未整改优先",
    "risk": "火灾风险分高优先",
    "age": "年龄大优先",
    "lpg": "液化气用户优先",
    "behind": "社区进度落后优先",
}
DEFAULT_RULES: tuple[str, ...] = tuple(RULES)
GAS_TYPES = {"piped": "管道天然气", "lpg": "液化气", "none": "无燃气"}
# How well a household's place is known (household.loc_level), as the 花名册 and 确认单 say it:
# the crew knows whether to trust the map or to ask at the 居委.
LOC_LEVELS = {
    "building": "楼栋",
    "estate": "小区",
    "road": "道路",
    "community": "社区",
    "none": "无",
}
ROSTER_COLUMNS = (
    "序号",
    "户号",
    "街道",
    "社区",
    "地址",
    "定位",
    "姓名",
    "联系电话",
    "燃气类型",
    "设备类型",
    "计划日期",
    "班组",
    "顺序",
)


class BatchError(UserError):
    """A batch operation that is not allowed (message in Chinese, shown to the user)."""


@dataclass
class Plan:
    """A proposed batch before it is saved: assigned households and what was left out."""

    programme_id: str
    street_id: str
    month: str
    crews: int
    per_day: int
    rules: tuple[str, ...]
    workdays: list[date]
    items: pd.DataFrame  # candidates columns + crew, day, seq, reason, rank, order_basis
    held_back: pd.DataFrame  # refusals and gas cut-offs: not planned, shown with hazard status
    waiting: pd.DataFrame  # eligible but beyond capacity this month
    travel_km: float
    naive_km: float
    stats: dict = field(default_factory=dict)

    @property
    def capacity(self) -> int:
        """Households the crews can do this month: crews × per-day × working days."""
        return self.crews * self.per_day * len(self.workdays)

    def summary(self) -> dict:
        """What the CLI prints with --json (no personal data)."""
        days = self.items.groupby(["day", "crew"]).size()
        return {
            "programme_id": self.programme_id,
            "street_id": self.street_id,
            "month": self.month,
            "crews": self.crews,
            "per_day": self.per_day,
            "rules": list(self.rules),
            "working_days": [d.isoformat() for d in self.workdays],
            "capacity": self.capacity,
            "assigned": len(self.items),
            "waiting": len(self.waiting),
            "held_back": len(self.held_back),
            "crew_days": [
                {
                    "day": d.isoformat(),
                    "crew": int(c),
                    "households": self.items[(self.items["day"] == d) & (self.items["crew"] == c)]
                    .sort_values("seq")["household_id"]
                    .tolist(),
                }
                for (d, c) in days.index
            ],
            "households": self.items[["household_id", "day", "crew", "seq", "reason"]]
            .assign(day=lambda f: f["day"].map(date.isoformat))
            .to_dict("records"),
            "travel_km": round(self.travel_km, 3),
            "naive_km": round(self.naive_km, 3),
            **self.stats,
        }


def _now() -> datetime:
    return clock.now()


def _conflict(exc: Exception) -> BatchError:
    return BatchError("batch.conflict")


def _transaction(con: duckdb.DuckDBPyConnection, actor: str):
    """One action of a batch, as one unit of work. A concurrent change to the same batch (a
    double click from two sessions) makes DuckDB refuse one of the two: that one becomes a
    Chinese message and changes nothing."""
    return unit_of_work(con, actor, conflict=_conflict)
