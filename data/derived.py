"""Derived definitions, defined once: the macros and views of queries/derived/*.sql and the
tables recomputed from them.

Migrations (data/schema) hold tables, indexes and backfills of stored facts only. Every macro
and view lives once, with its current text, in queries/derived/<family>.sql, and `install`
(re)creates them all at connect, after the migrations. DuckDB binds a body when it is created,
so a definition may only name tables and definitions created before it: FAMILIES is that order,
and each file is in it too.

The derived tables (household_state, area_change, device_state, household_cell,
fire_risk_score) are kept by their writers through data.household_state.refresh. When a
definition changes, or a migration changes the schema or the stored facts, they are recomputed
here, all at once in one transaction; a fingerprint of what they were last computed with (the
definitions' text and the applied migrations) is kept in app_meta, so that happens once.
"""

from __future__ import annotations

import hashlib
from functools import cache

import duckdb

import queries
from data import household_state, migrations

DERIVED_DIR = queries.SQL_DIR / "derived"
# Dependency order: status (known_by, registry_leavers, the spans) before everything reading it;
# device before fire_risk only by habit; street_sums reads area's table, not its macros.
FAMILIES = (
    "status",
    "milestones",
    "plan",
    "install_due",
    "area",
    "street_sums",
    "device",
    "fire_risk",
)


@cache
def texts() -> tuple[str, ...]:
    """The SQL text of every family, in creation order."""
    found = sorted(p.stem for p in DERIVED_DIR.glob("*.sql"))
    if found != sorted(FAMILIES):
        raise ValueError(
            f"queries/derived 中的文件与 data.derived.FAMILIES 不一致：{found} ≠ {sorted(FAMILIES)}"
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
    """Create the definitions and, when the fingerprint changed, recompute every derived table;
    one transaction. Returns whether the tables were recomputed."""
    con.execute("BEGIN TRANSACTION")
    try:
        create(con)
        want = fingerprint(con)
        row = queries.call(con, "derived.fingerprint").fetchone()
        stale = row is None or row[0] != want
        if stale:
            # Spans, area changes, devices, H3 cells and fire-risk scores of every programme.
            household_state.refresh(con, None)
            queries.call(con, "derived.set_fingerprint", value=want)
    except Exception:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
    return stale
