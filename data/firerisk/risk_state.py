"""The stored fire-risk scores (fire_risk_score): the one write path that keeps
them equal to the registry, hazards, visits and weights, and the check that proves it.

`data.households.household_state.refresh` calls `refresh` for the households every writer touched; a
weight edit or a programme settings change refreshes the whole programme.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

import queries
from data.store import recheck


def refresh(
    con: duckdb.DuckDBPyConnection,
    programme_id: str | None,
    household_ids: Iterable[str] | None = None,
) -> None:
    """Recompute the score spans of some households (None: all) of a programme (None: all).

    Runs inside the caller's transaction when there is one, like household_state.refresh.
    """
    ids = None if household_ids is None else sorted({str(h) for h in household_ids})
    if ids is not None and not ids:
        return
    queries.call(con, "risk_state.clear", programme_id=programme_id, household_ids=ids)
    queries.call(con, "risk_state.fill", programme_id=programme_id, household_ids=ids)
    # A new serial: cached hotspots of this programme (keyed by it) are recomputed on next view.
    queries.call(con, "risk_state.stamp", programme_id=programme_id)


def version(con: duckdb.DuckDBPyConnection, programme_id: str) -> tuple[str, int]:
    """(weights version in force, latest refresh serial) of a programme: the hotspot cache key."""
    weights, serial = queries.call(con, "risk_state.version", programme_id=programme_id).fetchone()
    return str(weights), int(serial)


def differences(con: duckdb.DuckDBPyConnection, limit: int = 20) -> tuple[int, list[tuple]]:
    """Rows of fire_risk_score that differ from a recomputation: (count, first `limit` as
    (programme_id, household_id, '已存' | '重算', valid_from, valid_until, score, version))."""
    return recheck.differences(
        con,
        fill="risk_state.recompute",
        count="risk_state.diff_count",
        rows="risk_state.diff_rows",
        drop="risk_state.drop_check",
        limit=limit,
    )
