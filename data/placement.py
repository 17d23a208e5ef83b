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
    moved = queries.run(con, "assign_households", programme_id=programme_id)["household_id"]
    # Street and community are part of the stored status: same transaction as the placement,
    # for the households that moved (all of them, recomputed at once, when most did).
    total = queries.call(con, "placement.total", programme_id=programme_id).fetchone()[0]
    if len(moved) > total // 10:
        household_state.refresh(con, programme_id)
    else:
        household_state.refresh(con, programme_id, moved.tolist())
    rows = queries.call(con, "placement.counts", programme_id=programme_id).fetchall()
    return {"inside": 0, "outside": 0, "unplaced": 0} | dict(rows)
