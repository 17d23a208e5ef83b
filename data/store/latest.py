"""The one "latest date" rule: pages, the planner and the CLI open on the latest date any
record of a programme carries (`data_status.latest_date`), else today."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

import queries
from data.store import clock


def from_status(status: pd.DataFrame) -> date:
    """The latest date in a `data_status` result, or today when there is none (no records)."""
    latest = status["latest_date"].iloc[0] if len(status) else None
    if latest is None or pd.isna(latest):
        return clock.today()
    return pd.Timestamp(latest).date()


def latest_date(con: duckdb.DuckDBPyConnection, programme_id: str) -> date:
    """The latest date any record of the programme carries, else today."""
    return from_status(queries.run(con, "data_status", programme_id=programme_id))
