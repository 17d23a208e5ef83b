"""The stored status timeline (household_state): the one write path that keeps
it equal to the events, and the check that proves it.

Every writer of household / inspection / installation / hazard rows calls `refresh` in the
same transaction, for the households it touched (or the whole programme after a bulk load);
it refreshes those households' devices (data.events.device_state), H3 cells (data.households.household_cell) and
stored fire-risk scores (data.firerisk.risk_state) too.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

import queries
from data.events import device_state
from data.firerisk import risk_state
from data.households import household_cell
from data.store import recheck


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
    if ids is None:
        queries.call(con, "household_state.delete_spans", pid=programme_id, ids=None)
        queries.call(con, "household_state.insert_spans", pid=programme_id, ids=None)
        # area_change is derived from the spans: recomputed with them.
        queries.call(con, "household_state.delete_changes", pid=programme_id)
        queries.call(con, "household_state.insert_changes", pid=programme_id)
        _derived(con, programme_id, None)
        return
    # A few households: their old changes come out of area_change, their new ones go in.
    queries.call(con, "household_state.old_changes", pid=programme_id, ids=ids)
    queries.call(con, "household_state.delete_spans", pid=programme_id, ids=ids)
    queries.call(con, "household_state.insert_spans", pid=programme_id, ids=ids)
    queries.call(con, "household_state.new_changes", pid=programme_id, ids=ids)
    try:
        queries.call(con, "household_state.merge_changes")
        queries.call(con, "household_state.replace_changes")
        queries.call(con, "household_state.insert_merged")
    finally:
        queries.call(con, "household_state.drop_old")
        queries.call(con, "household_state.drop_new")
        queries.call(con, "household_state.drop_merged")
    _derived(con, programme_id, ids)


def _derived(
    con: duckdb.DuckDBPyConnection, programme_id: str | None, ids: list[str] | None
) -> None:
    # The same households' devices (installations and street follow) and stored
    # fire-risk scores (registry, visits, hazards) are refreshed in the same write.
    # Their H3 cells (the point) first: the score spans carry them.
    device_state.refresh(con, programme_id, ids)
    household_cell.refresh(con, programme_id, ids)
    risk_state.refresh(con, programme_id, ids)


def differences(con: duckdb.DuckDBPyConnection, limit: int = 20) -> tuple[int, list[tuple]]:
    """Rows of household_state that differ from a recomputation from the events, and rows of
    area_change that differ from a recomputation from the spans: (count, first `limit` of each
    as (programme_id, household_id or 'street/community', '已存' | '重算', from, until))."""
    count, rows = _span_differences(con, limit)
    area_count, area_rows = area_differences(con, limit)
    labelled = [
        (pid, f"{street or '-'}/{community or '-'}", side, day, day)
        for pid, street, community, side, day in area_rows
    ]
    return count + area_count, rows + labelled


def area_differences(con: duckdb.DuckDBPyConnection, limit: int = 20) -> tuple[int, list[tuple]]:
    """Rows of area_change that differ from a recomputation from the spans:
    (count, first `limit` as (programme_id, street_id, community_id, side, on_day))."""
    queries.call(con, "household_state.recompute_changes")
    try:
        rows = queries.call(con, "household_state.change_differences", limit=limit).fetchall()
    finally:
        queries.call(con, "household_state.drop_check")
    return (rows[0][-1] if rows else 0), [r[:-1] for r in rows]


def _span_differences(con: duckdb.DuckDBPyConnection, limit: int) -> tuple[int, list[tuple]]:
    return recheck.differences(
        con,
        fill="household_state.recompute_spans",
        count="household_state.span_difference_count",
        rows="household_state.span_differences",
        drop="household_state.drop_span_check",
        limit=limit,
    )
