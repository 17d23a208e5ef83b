"""Numbered schema migrations in data/store/schema/NNN_name.sql, applied once each, in order.

A migration holds tables, indexes and backfills of stored facts; the macros and views are
defined once in queries/derived and created at connect (data.store.derived). A file is applied when
its version is not recorded yet, so one numbered below the head (filling a gap) is applied too.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

import queries

SCHEMA_DIR = Path(__file__).parent / "schema"
_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


def available() -> list[tuple[int, Path]]:
    """All migration files in SCHEMA_DIR as (version, path), sorted by version."""
    found = []
    for path in SCHEMA_DIR.glob("*.sql"):
        match = _NAME.match(path.name)
        if not match:
            raise ValueError(f"迁移文件名不合规范（应为 NNN_名称.sql）：{path.name}")
        found.append((int(match.group(1)), path))
    versions = [v for v, _ in found]
    if len(versions) != len(set(versions)):
        raise ValueError(f"迁移编号重复：{sorted(versions)}")
    return sorted(found)


def has_ledger(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the database records its migrations (an Anju database opened before)."""
    return bool(queries.call(con, "migrations.has_ledger").fetchone()[0])


def applied(con: duckdb.DuckDBPyConnection) -> set[int]:
    """The versions recorded as applied (none for an empty database)."""
    # Created only when missing, so a database opened read-only (a check) can be asked too.
    if not has_ledger(con):
        con.execute(
            "CREATE TABLE IF NOT EXISTS schema_migration ("
            " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
            " applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
        )
    return set(con.execute("SELECT list(version) FROM schema_migration").fetchone()[0] or [])


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    """Highest applied migration, 0 for an empty database."""
    return max(applied(con), default=0)


def pending(con: duckdb.DuckDBPyConnection) -> list[tuple[int, Path]]:
    """The migration files not applied yet, in version order."""
    done = applied(con)
    return [(version, path) for version, path in available() if version not in done]


def apply(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Apply pending migrations, each in its own transaction; return the versions applied."""
    done = []
    for version, path in pending(con):
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(path.read_text(encoding="utf-8"))
            con.execute(
                "INSERT INTO schema_migration (version, name) VALUES (?, ?)", [version, path.stem]
            )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
        done.append(version)
    return done
