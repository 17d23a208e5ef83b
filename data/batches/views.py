"""Closing the loop and what pages and documents show: done marks, items, progress, the 花名册 rows."""

from __future__ import annotations

import math

import duckdb
import numpy as np
import pandas as pd

import queries
from data.batches.common import GAS_TYPES, LOC_LEVELS, ROSTER_COLUMNS


def mark_done_from_installations(con: duckdb.DuckDBPyConnection, programme_id: str) -> int:
    """Mark batch items done for households that now have an installation; return how many.

    Call after importing the gas company's completed roster (installations). Idempotent.
    """
    before = queries.call(con, "batches.done_count").fetchone()[0]
    queries.call(con, "batches.mark_done", programme_id=programme_id)
    after = queries.call(con, "batches.done_count").fetchone()[0]
    return after - before


def items(
    con: duckdb.DuckDBPyConnection, programme_id: str, batch_id: str, scope: list[str] | None
) -> pd.DataFrame:
    """A saved batch's items (removed ones last), within the user's scope."""
    return queries.run(
        con, "batch_items", programme_id=programme_id, batch_id=batch_id, street_ids=scope
    )


def progress(frame: pd.DataFrame) -> pd.DataFrame:
    """Planned vs done per crew-day (removed items excluded)."""
    live = frame[frame["removed_at"].isna()] if "removed_at" in frame else frame
    done = live["done_on"].notna() if "done_on" in live else pd.Series(False, index=live.index)
    out = (
        live.assign(_done=done)
        .groupby(["day", "crew"], as_index=False)
        .agg(planned=("household_id", "size"), done=("_done", "sum"))
    )
    out["done"] = out["done"].astype(int)
    return out


def device_names(con: duckdb.DuckDBPyConnection, programme_id: str) -> dict[str, str]:
    """gas_type → the device name(s) the programme installs for it (for a plan not yet saved)."""
    rows = queries.call(con, "batches.device_names", programme_id=programme_id).fetchall()
    return dict(rows)


def roster(frame: pd.DataFrame, devices: dict[str, str] | None = None) -> pd.DataFrame:
    """The 花名册 for the gas company, one row per planned household in visit order.

    `frame` is batch_items (device_name included) or Plan.items with `devices` from device_names.
    """
    live = frame[frame["removed_at"].isna()] if "removed_at" in frame else frame
    if devices is not None:
        live = live.assign(device_name=live["gas_type"].map(devices))
    live = live.sort_values(["day", "crew", "seq"])
    return pd.DataFrame(
        {
            "序号": np.arange(1, len(live) + 1),
            "户号": live["household_id"].to_numpy(),
            "街道": live["street_name"].to_numpy(),
            "社区": live["community_name"].to_numpy(),
            "地址": live["address"].to_numpy(),
            "定位": _levels(live),
            "姓名": live["name"].to_numpy(),
            "联系电话": live["phone"].to_numpy(),
            "燃气类型": live["gas_type"].map(GAS_TYPES).to_numpy(),
            "设备类型": live["device_name"].to_numpy() if "device_name" in live else None,
            "计划日期": [pd.Timestamp(d).date().isoformat() for d in live["day"]],
            "班组": [f"第{int(c)}组" for c in live["crew"]],
            "顺序": live["seq"].astype(int).to_numpy(),
        },
        columns=list(ROSTER_COLUMNS),
    )


def _levels(live: pd.DataFrame) -> list[str]:
    """定位 of each row: its loc_level in Chinese (无 where none is known)."""
    levels = live["loc_level"] if "loc_level" in live else pd.Series(None, index=live.index)
    return [LOC_LEVELS.get(v, "无") if isinstance(v, str) else "无" for v in levels]


def crew_day_count(n: int, per_day: int) -> int:
    """Crew-days needed for n households at per_day each."""
    return math.ceil(n / per_day) if per_day else 0
