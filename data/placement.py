"""Place households in communities and streets by point-in-polygon in DuckDB spatial (the write
path: runs a named statement, then refreshes the stored status in the same transaction)."""

from __future__ import annotations

import duckdb

import queries
from data import household_state


def assign_households(con: duckdb.DuckDBPyConnection, programme_id: str) -> dict[str, int]:
    """Set street/community of every household with coordinates; return counts by placement.

    Points inside no community are kept with placement 'outside'; rows without coordinates
    stay 'unplaced' with whatever community an importer matched by name.
    """
    queries.execute(con, "assign_households", programme_id=programme_id)
    # Street and community are part of the stored status: same transaction as the placement.
    household_state.refresh(con, programme_id)
    rows = queries.call(con, "placement.counts", programme_id=programme_id).fetchall()
    return {"inside": 0, "outside": 0, "unplaced": 0} | dict(rows)
