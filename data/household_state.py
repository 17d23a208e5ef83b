"""The stored status timeline (household_state, migration 013): the one write path that keeps
it equal to the events, and the check that proves it.

Every writer of household / inspection / installation / hazard rows calls `refresh` in the
same transaction, for the households it touched (or the whole programme after a bulk load);
it refreshes those households' devices (data.device_state) and stored fire-risk scores
(data.risk_state) too.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

from data import device_state, risk_state


def refresh(
    con: duckdb.DuckDBPyConnection,
    programme_id: str | None,
    household_ids: Iterable[str] | None = None,
) -> None:
    """Recompute the status spans of some households (None: all) of a programme (None: all).

    Runs inside the caller's transaction when there is one: the events and their derived
    spans are committed together or not at all.
    """
    ids = None if household_ids is None else sorted({str(h) for h in household_ids})
    if ids is not None and not ids:
        return
    scope = "(? IS NULL OR programme_id = ?)"
    if ids is None:
        con.execute(f"DELETE FROM household_state WHERE {scope}", [programme_id, programme_id])
    else:
        con.execute(
            f"DELETE FROM household_state WHERE {scope} AND household_id IN (SELECT unnest(?))",
            [programme_id, programme_id, ids],
        )
    con.execute(
        "INSERT INTO household_state"
        " SELECT * FROM household_state_compute(?, p_household_ids := ?)",
        [programme_id, ids],
    )
    # The same households' devices (migration 020): their installations and street follow.
    device_state.refresh(con, programme_id, ids)
    # The stored fire-risk scores read the same rows (registry, visits, hazards): same write.
    risk_state.refresh(con, programme_id, ids)


def differences(con: duckdb.DuckDBPyConnection, limit: int = 20) -> tuple[int, list[tuple]]:
    """Rows of household_state that differ from a recomputation from the events: (count,
    first `limit` as (programme_id, household_id, 'stored' | 'recomputed', span...))."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _anju_state_check AS"
        " SELECT * FROM household_state_compute(NULL)"
    )
    try:
        sql = (
            "WITH stored AS (SELECT * FROM household_state EXCEPT ALL"
            "  SELECT * FROM _anju_state_check),"
            " fresh AS (SELECT * FROM _anju_state_check EXCEPT ALL"
            "  SELECT * FROM household_state),"
            " diff AS (SELECT programme_id, household_id, '已存' AS side, valid_from,"
            "  valid_until FROM stored UNION ALL SELECT programme_id, household_id, '重算',"
            "  valid_from, valid_until FROM fresh)"
        )
        count = con.execute(f"{sql} SELECT count(*) FROM diff").fetchone()[0]
        rows = con.execute(
            f"{sql} SELECT * FROM diff ORDER BY programme_id, household_id, side, valid_from"
            " LIMIT ?",
            [limit],
        ).fetchall()
    finally:
        con.execute("DROP TABLE IF EXISTS _anju_state_check")
    return count, rows
