"""Derived definitions, defined once: the macros and views of queries/derived/*.sql and the
tables recomputed from them.

Migrations (data/schema) hold tables, indexes and backfills of stored facts only. Every macro
and view lives once, with its current text, in queries/derived/<family>.sql; `install` creates
them at connect, after the migrations. DuckDB binds a body when it is created, so a definition
may only name tables and definitions created before it: FAMILIES is that order, and within a
file the definitions are in it too.

The derived tables (household_state, area_change, device_state, household_cell,
fire_risk_score) are kept by their writers through data.households.household_state.refresh. When a
definition changes, or a migration changes the schema or the stored facts, the definitions are
recreated and the tables recomputed, all at once in one transaction; a fingerprint of what they
follow (the definitions' text and the applied migrations) is kept in app_meta, so that happens
once, and a plain reconnect writes nothing."""

from __future__ import annotations

import hashlib
from functools import cache

import duckdb

import queries
from data.store import migrations
from data.store.unit_of_work import unit_of_work

DERIVED_DIR = queries.SQL_DIR / "derived"
# Dependency order: status first (known_by, registry_leavers: read by milestones, area and
# street_sums), milestones before install_due; device and fire_risk read tables only; lists
# (the pages' list rows) last, reading status and install_due.
FAMILIES = (
    "status",
    "milestones",
    "plan",
    "streets",
    "install_due",
    "area",
    "street_sums",
    "device",
    "fire_risk",
    "lists",
)


@cache
def texts() -> tuple[str, ...]:
    """The SQL text of every family, in creation order."""
    found = sorted(p.stem for p in DERIVED_DIR.glob("*.sql"))
    if found != sorted(FAMILIES):
        raise ValueError(
            f"queries/derived 中的文件与 data.store.derived.FAMILIES 不一致：{found} ≠ {sorted(FAMILIES)}"
        )
    return tuple((DERIVED_DIR / f"{name}.sql").read_text(encoding="utf-8") for name in FAMILIES)


def fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """What the derived tables are computed with: the definitions and the applied migrations (a
    migration may reshape a derived table or change the facts it is computed from)."""
    digest = hashlib.sha256()
    for text in texts():
        digest.update(text.encode("utf-8"))
        digest.update(b"\0")
    digest.update(",".join(map(str, sorted(migrations.applied(con)))).encode("ascii"))
    return digest.hexdigest()


def create(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create every macro and view, in dependency order (CREATE OR REPLACE: idempotent)."""
    for text in texts():
        con.execute(text)


def install(con: duckdb.DuckDBPyConnection) -> bool:
    """Create the definitions and recompute every derived table, in one transaction, unless the
    stored fingerprint says both already follow these definitions and migrations. Returns
    whether they were (re)created and recomputed."""
    with unit_of_work(con, "anju upgrade") as uow:
        want = fingerprint(con)
        row = queries.call(con, "derived.fingerprint").fetchone()
        stale = row is None or row[0] != want
        if stale:
            create(con)
            # Spans, area changes, devices, H3 cells and fire-risk scores of every programme.
            uow.touch(None)
            queries.call(con, "derived.set_fingerprint", value=want)
    return stale
