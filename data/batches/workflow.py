"""Storing a plan and its status: 草稿 draft → 已下发 sent → 已确认 confirmed, reopening with a reason."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from datetime import date

import duckdb

import queries
from data.batches.common import BatchError, Plan, _now, _status, _transaction
from data.store import audit, clock
from data.store.unit_of_work import Unit, unit_of_work


def _batch(con: duckdb.DuckDBPyConnection, batch_id: str, scope: list[str] | None) -> dict:
    row = queries.call(con, "batches.get", batch_id=batch_id).fetchone()
    if row is None:
        raise BatchError("batch.not_found", batch=batch_id)
    keys = (
        "batch_id",
        "programme_id",
        "street_id",
        "month",
        "crews",
        "per_day",
        "status",
        "revision",
    )
    found = dict(zip(keys, row, strict=True))
    if scope is not None and found["street_id"] not in scope:
        raise BatchError("batch.other_street", batch=batch_id)
    return found


def _editable(con: duckdb.DuckDBPyConnection, batch_id: str, scope: list[str] | None) -> dict:
    found = _batch(con, batch_id, scope)
    if found["status"] != "draft":
        raise BatchError("batch.not_draft", batch=batch_id, status=_status(found["status"]))
    return found


class _Raced(Exception):
    """Another session claimed one of these households first (DuckDB refused the key)."""


# How long the loser of a race waits for the winner's commit, to name the households both held.
_RACE_WAIT_S = 2.0


def _overlaps(
    con: duckdb.DuckDBPyConnection, programme_id: str, month: str, ids: list[str], batch_id: str
) -> list[tuple[str, str]]:
    """(household, batch) for those of IDS listed open in another batch of MONTH or later."""
    return queries.call(
        con,
        "batches.overlaps",
        programme_id=programme_id,
        month=month,
        household_ids=ids,
        batch_id=batch_id,
    ).fetchall()


def _named(pairs: list[tuple[str, str]] | list[str], limit: int = 20) -> str:
    shown = [f"{p[0]}（批次 {p[1]}）" if isinstance(p, tuple) else str(p) for p in pairs[:limit]]
    more = f" 等 {len(pairs)} 户" if len(pairs) > limit else ""
    return "、".join(shown) + more


def claim_households(
    con: duckdb.DuckDBPyConnection, programme_id: str, month: str, ids: list[str], batch_id: str
) -> None:
    """Inside the writing transaction: refuse IDS held open by another batch (a Chinese error
    naming them), then claim them for BATCH_ID so a concurrent claim of one of them collides."""
    taken = _overlaps(con, programme_id, month, ids, batch_id)
    if taken:
        raise BatchError("batch.in_other_batches", households=_named(taken))
    try:
        queries.call(
            con,
            "batches.claim_households",
            programme_id=programme_id,
            household_ids=ids,
            batch_id=batch_id,
            month=month,
        )
    except duckdb.ConstraintException as exc:  # claimed and committed since this unit began
        raise _Raced() from exc


@contextlib.contextmanager
def claiming(
    con: duckdb.DuckDBPyConnection, actor: str, programme_id: str, month: str, ids: list[str]
) -> Iterator[Unit]:
    """A unit of work that puts IDS into a batch: losing a race for one of them (at a statement
    or at the commit) rolls everything back and says which households the winner holds."""
    try:
        with unit_of_work(con, actor, conflict=lambda exc: _Raced()) as uow:
            yield uow
    except _Raced:
        raise _race_lost(con, programme_id, month, ids) from None


def _race_lost(con, programme_id: str, month: str, ids: list[str]) -> BatchError:
    # The winner may be refused at its statement before the other commits: wait for its commit
    # (bounded) so the message names the households, not just "try again".
    deadline = time.monotonic() + _RACE_WAIT_S
    while True:
        taken = _overlaps(con, programme_id, month, ids, "")
        if taken:
            return BatchError("batch.in_other_batches", households=_named(taken))
        if time.monotonic() > deadline:
            return BatchError("batch.claim_raced", households=_named(ids))
        time.sleep(0.05)


def save(con: duckdb.DuckDBPyConnection, p: Plan, actor: str) -> str:
    """Store a proposed plan as a new draft batch; return its id ('<street>-<YYYY-MM>-<n>').

    Households another open batch (of this month or later) holds by now are refused, naming
    them: the plan was proposed before that batch was saved, or is being saved at the same time.
    """
    if p.items.empty:
        raise BatchError("batch.empty_plan")
    ids = sorted(str(h) for h in p.items["household_id"])
    with claiming(con, actor, p.programme_id, p.month, ids) as uow:
        while True:  # the number comes from a sequence; skip one an older database used
            n = queries.call(con, "batches.next_number").fetchone()[0]
            batch_id = f"{p.street_id}-{p.month}-{n}"
            if not queries.call(con, "batches.exists", batch_id=batch_id).fetchone():
                break
        claim_households(con, p.programme_id, p.month, ids, batch_id)
        queries.call(
            con,
            "batches.insert",
            batch_id=batch_id,
            programme_id=p.programme_id,
            street_id=p.street_id,
            month=p.month,
            crews=p.crews,
            per_day=p.per_day,
            rules=json.dumps(list(p.rules)),
            travel_km=round(p.travel_km, 3),
            naive_km=round(p.naive_km, 3),
            created_by=actor,
            created_at=_now(),
        )
        rows = p.items[["household_id", "crew", "day", "seq", "reason"]].assign(
            batch_id=batch_id, added_by=actor
        )
        con.register("batch_rows", rows)
        queries.call(con, "batches.insert_items_from_batch_rows")
        con.unregister("batch_rows")
        uow.audit(
            "batch_status",
            f"batch:{batch_id}",
            {
                "status": "draft",
                "households": len(p.items),
                "crews": p.crews,
                "per_day": p.per_day,
                "rules": list(p.rules),
                "travel_km": round(p.travel_km, 2),
                "naive_km": round(p.naive_km, 2),
            },
        )
    return batch_id


def _claim(con: duckdb.DuckDBPyConnection, batch_id: str, status: str, revision: int) -> None:
    """Inside a transaction: the batch must still be in STATUS at REVISION, else nothing is
    done (another session got there first). Touching the row also makes two concurrent edits
    of one batch conflict, so one of them is refused instead of both half-applying."""
    hit = queries.call(
        con, "batches.claim", batch_id=batch_id, status=status, revision=revision
    ).fetchall()
    if not hit:
        raise BatchError("batch.claimed", batch=batch_id, status=_status(status))


def _event(con, b: dict, event: str, on: date, actor: str, households: int) -> None:
    # batch_event feeds the 逾期 page. A reopened and re-sent batch is a new
    # revision there ('…#2'), because that page treats a withdrawn batch id as closed for good.
    event_id = b["batch_id"] if b["revision"] == 1 else f"{b['batch_id']}#{b['revision']}"
    queries.call(
        con,
        "batches.insert_event",
        event_id=event_id,
        programme_id=b["programme_id"],
        street_id=b["street_id"],
        month=b["month"],
        households=households,
        event=event,
        event_on=on,
        actor=actor,
        recorded_at=_now(),
    )


def _active_count(con, batch_id: str) -> int:
    return queries.call(con, "batches.active_count", batch_id=batch_id).fetchone()[0]


# The one step forward of a batch's status: the UPDATE checks status and revision, so a double
# click from two sessions moves it once; the event feeds the 逾期 page; the audit log says it.
_FORWARD = {"sent": ("draft", "batches.mark_sent"), "confirmed": ("sent", "batches.mark_confirmed")}


def _advance(con, b: dict, to: str, on: date, actor: str, n: int, refused: str) -> None:
    came_from, statement = _FORWARD[to]
    with _transaction(con, actor):
        hit = queries.call(
            con,
            statement,
            actor=actor,
            at=_now(),
            batch_id=b["batch_id"],
            revision=b["revision"],
        ).fetchall()
        if not hit:
            raise BatchError(refused, batch=b["batch_id"])
        _event(con, b, to, on, actor, n)
        audit.log(
            con,
            actor,
            "batch_status",
            f"batch:{b['batch_id']}",
            {"from": came_from, "to": to, "households": n},
        )


def send(
    con: duckdb.DuckDBPyConnection,
    batch_id: str,
    actor: str,
    scope: list[str] | None = None,
    on: date | None = None,
) -> None:
    """草稿 → 已下发: the roster goes to the gas company; the batch is locked from now on."""
    b = _editable(con, batch_id, scope)
    n = _active_count(con, batch_id)
    if n == 0:
        raise BatchError("batch.send_empty")
    _advance(con, b, "sent", on or clock.today(), actor, n, "batch.already_sent")


def confirm(
    con: duckdb.DuckDBPyConnection,
    batch_id: str,
    actor: str,
    scope: list[str] | None = None,
    on: date | None = None,
) -> None:
    """已下发 → 已确认: the gas company confirmed the roster."""
    b = _batch(con, batch_id, scope)
    if b["status"] != "sent":
        raise BatchError("batch.confirm_unsent", status=_status(b["status"]))
    n = _active_count(con, batch_id)
    _advance(con, b, "confirmed", on or clock.today(), actor, n, "batch.already_confirmed")


def reopen(
    con: duckdb.DuckDBPyConnection,
    batch_id: str,
    actor: str,
    reason: str,
    scope: list[str] | None = None,
    on: date | None = None,
) -> None:
    """已下发/已确认 → 草稿, with a reason: the gas company's copy is withdrawn, revision + 1."""
    b = _batch(con, batch_id, scope)
    if b["status"] == "draft":
        raise BatchError("batch.already_draft")
    if not reason or not reason.strip():
        raise BatchError("batch.reopen_reason")
    n = _active_count(con, batch_id)
    with _transaction(con, actor):
        hit = queries.call(
            con,
            "batches.reopen",
            batch_id=batch_id,
            status=b["status"],
            revision=b["revision"],
        ).fetchall()
        if not hit:
            raise BatchError("batch.already_reopened", batch=batch_id)
        _event(con, b, "withdrawn", on or clock.today(), actor, n)
        _reopen_log(con, b, actor, reason)


def _reopen_log(con: duckdb.DuckDBPyConnection, b: dict, actor: str, reason: str) -> None:
    batch_id = b["batch_id"]
    audit.log(
        con,
        actor,
        "batch_status",
        f"batch:{batch_id}",
        {
            "from": b["status"],
            "to": "draft",
            "reason": reason.strip(),
            "revision": b["revision"] + 1,
        },
    )
