"""Append-only audit log: logins, exports, unmasking, edits, imports, status changes."""

from __future__ import annotations

import json

import duckdb


def log(
    con: duckdb.DuckDBPyConnection,
    actor: str,
    action: str,
    object: str | None = None,
    detail: dict | None = None,
) -> None:
    """Append one entry. Never pass passwords, hashes or unmasked phones in `detail`."""
    con.execute(
        "INSERT INTO audit_log (actor, action, object, detail) VALUES (?, ?, ?, ?)",
        [actor, action, object, json.dumps(detail or {}, ensure_ascii=False, default=str)],
    )
