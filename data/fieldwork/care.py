"""Seed 004's counts at the door: 灭火逃生培训 (三(9)), 水桶、水缸 (三(8)) and 宣传 (三(10)).

Entered on 入户登记 beside the field entries, for programmes that keep a registry of people
with helpers (seed 004); every count is scope-checked, bounded, audit-logged and shown in the
monthly statistics table (queries/monthly_table.sql)."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

import queries
from data.fieldwork import field
from data.messages import UserError, UserPermissionError
from data.store import audit, clock
from data.store.unit_of_work import unit_of_work
from data.users import access

KINDS = ("training", "equipment", "publicity")
MAX_QUANTITY = 99  # more than this at one door is a typing slip (the table's CHECK too)
EARLIEST = date(2000, 1, 1)


def record(
    con: duckdb.DuckDBPyConnection,
    user: access.User | None,
    programme_id: str,
    household_id: str,
    done_on: date,
    counts: dict[str, int],
    source: str | None = None,
) -> int:
    """Store the non-zero counts ({kind: quantity}) for one person on one day; return how many
    rows were written. Raises UserError (a rule, in Chinese) or PermissionError (role or scope)."""
    if user is None or not access.can(user, field.PAGE, access.W):
        raise UserPermissionError("field.no_right")
    field.household(con, user, programme_id, household_id)  # scope: same answer as not found
    if not isinstance(done_on, date) or done_on > clock.today() or done_on < EARLIEST:
        raise UserError("care.bad_date")
    clean: dict[str, int] = {}
    for kind, value in counts.items():
        if kind not in KINDS:
            raise UserError("care.bad_kind", kind=str(kind)[:20])
        if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
            raise UserError("care.bad_quantity", limit=MAX_QUANTITY)
        n = int(value)
        if n < 0 or n > MAX_QUANTITY:
            raise UserError("care.bad_quantity", limit=MAX_QUANTITY)
        if n:
            clean[kind] = n
    if not clean:
        raise UserError("care.nothing")
    now = clock.now()
    with unit_of_work(con, user.username):
        for kind, n in clean.items():
            queries.call(
                con,
                "care.insert",
                programme_id=programme_id,
                household_id=household_id,
                kind=kind,
                done_on=done_on,
                quantity=n,
                now=now,
                username=user.username,
                source=source,
            )
        audit.log(
            con,
            user.username,
            "care_count",
            f"household:{programme_id}/{household_id}",
            {"done_on": done_on.isoformat(), **clean},
        )
    return len(clean)


def totals(
    con: duckdb.DuckDBPyConnection, user: access.User | None, programme_id: str, household_id: str
) -> pd.DataFrame:
    """The person's counts by kind (quantity, last date); PermissionError outside the scope."""
    field.household(con, user, programme_id, household_id)
    return queries.call(
        con, "care.totals", programme_id=programme_id, household_id=household_id
    ).df()
