"""Editing a draft: remove, add and move households; each crew-day re-ordered after an edit."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

import queries
from data.batches import ordering
from data.batches.candidates import month_start
from data.batches.common import BatchError, _now, _transaction
from data.batches.workflow import _claim, _editable, claim_households, claiming
from data.setup import workdays
from data.store import audit, clock


def _item_lonlat(con, batch_id: str, crew: int, day: date) -> pd.DataFrame:
    return queries.call(con, "batches.crew_day_stops", batch_id=batch_id, crew=crew, day=day).df()


def resequence(con: duckdb.DuckDBPyConnection, batch_id: str, crew: int, day: date) -> None:
    """Recompute one crew-day's visit order after an edit."""
    stops = _item_lonlat(con, batch_id, crew, day)
    if stops.empty:
        return
    order = ordering.crew_day_order(stops)
    for i, j in enumerate(order):
        queries.call(
            con,
            "batches.set_seq",
            seq=i + 1,
            batch_id=batch_id,
            household_id=stops["household_id"].iloc[j],
        )


def _check_slot(con, b: dict, crew: int, day: date) -> None:
    if not 1 <= crew <= b["crews"]:
        raise BatchError("batch.bad_crew", crews=b["crews"])
    if day not in workdays.working_days(b["month"]):
        raise BatchError("batch.not_workday", day=day, month=b["month"])
    if len(_item_lonlat(con, b["batch_id"], crew, day)) >= b["per_day"]:
        raise BatchError("batch.day_full", crew=crew, day=day, per_day=b["per_day"])


def _item(con, batch_id: str, household_id: str) -> tuple | None:
    return queries.call(
        con, "batches.item", batch_id=batch_id, household_id=household_id
    ).fetchone()


def remove_item(
    con: duckdb.DuckDBPyConnection,
    batch_id: str,
    household_id: str,
    actor: str,
    reason: str,
    scope: list[str] | None = None,
) -> None:
    """Take a household out of a draft (kept as a removed row with who, when and why)."""
    b = _editable(con, batch_id, scope)
    with _transaction(con, actor):
        _claim(con, batch_id, "draft", b["revision"])
        found = _item(con, batch_id, household_id)
        if found is None or found[2] is not None:
            raise BatchError("batch.not_in_batch", batch=batch_id, household=household_id)
        queries.call(
            con,
            "batches.remove_item",
            at=_now(),
            actor=actor,
            reason=reason or None,
            batch_id=batch_id,
            household_id=household_id,
        )
        resequence(con, batch_id, found[0], found[1])
        audit.log(
            con,
            actor,
            "edit",
            f"batch:{batch_id}",
            {"remove": household_id, "crew": found[0], "day": found[1], "reason": reason},
        )


def add_item(
    con: duckdb.DuckDBPyConnection,
    batch_id: str,
    household_id: str,
    crew: int,
    day: date,
    actor: str,
    scope: list[str] | None = None,
) -> None:
    """Add a household (of the batch's street, not installed, in no other open batch) to a crew-day."""
    b = _editable(con, batch_id, scope)
    cands = queries.run(
        con,
        "batch_candidates",
        programme_id=b["programme_id"],
        as_of=clock.today(),
        month=month_start(b["month"]),
        street_ids=[b["street_id"]],
    )
    row = cands[cands["household_id"] == household_id]
    if row.empty:
        raise BatchError("batch.not_waiting", household=household_id)
    if isinstance(row["open_batch_id"].iloc[0], str):
        raise BatchError(
            "batch.in_other_batch", household=household_id, batch=row["open_batch_id"].iloc[0]
        )
    reason = "手工加入"
    if bool(row["refused"].iloc[0]) or bool(row["gas_cut"].iloc[0]):
        reason += "（拒装或停气户，需先做工作）"
    with claiming(con, actor, b["programme_id"], b["month"], [household_id]):
        _claim(con, batch_id, "draft", b["revision"])
        _check_slot(con, b, crew, day)
        found = _item(con, batch_id, household_id)
        if found is not None and found[2] is None:
            raise BatchError("batch.already_here", household=household_id)
        # Checked again here: another session may have planned it since the list was read.
        claim_households(con, b["programme_id"], b["month"], [household_id], batch_id)
        if found is None:
            queries.call(
                con,
                "batches.add_item",
                batch_id=batch_id,
                household_id=household_id,
                crew=crew,
                day=day,
                reason=reason,
                actor=actor,
            )
        else:  # a household removed earlier comes back: same row, removal cleared
            queries.call(
                con,
                "batches.restore_item",
                crew=crew,
                day=day,
                reason=reason,
                actor=actor,
                batch_id=batch_id,
                household_id=household_id,
            )
        resequence(con, batch_id, crew, day)
        audit.log(
            con,
            actor,
            "edit",
            f"batch:{batch_id}",
            {"add": household_id, "crew": crew, "day": day},
        )


def move_item(
    con: duckdb.DuckDBPyConnection,
    batch_id: str,
    household_id: str,
    crew: int,
    day: date,
    actor: str,
    scope: list[str] | None = None,
) -> None:
    """Move a household of a draft to another crew-day; both crew-days are re-ordered."""
    b = _editable(con, batch_id, scope)
    found = _item(con, batch_id, household_id)
    if found is None or found[2] is not None:
        raise BatchError("batch.not_in_batch", batch=batch_id, household=household_id)
    if (found[0], found[1]) == (crew, day):
        return
    with _transaction(con, actor):
        _claim(con, batch_id, "draft", b["revision"])
        _check_slot(con, b, crew, day)
        queries.call(
            con,
            "batches.move_item",
            crew=crew,
            day=day,
            batch_id=batch_id,
            household_id=household_id,
            from_crew=found[0],
            from_day=found[1],
        )
        resequence(con, batch_id, found[0], found[1])
        resequence(con, batch_id, crew, day)
        audit.log(
            con,
            actor,
            "edit",
            f"batch:{batch_id}",
            {"move": household_id, "from": [found[0], found[1]], "to": [crew, day]},
        )
