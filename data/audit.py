"""Append-only, hash-chained audit log: logins, exports, unmasking, edits, imports, status changes.

Nothing in Anju updates or deletes audit rows; each entry's hash covers the previous entry's
hash, so `verify()` finds any row changed or removed behind the application's back.
"""

from __future__ import annotations

import hashlib
import json
import threading
from datetime import datetime

import duckdb

_LOCK = threading.Lock()  # entries are chained: one writer at a time within the process
GENESIS = "0" * 64


def _digest(
    prev: str, logged_at: datetime, actor: str, action: str, obj: str | None, detail: str
) -> str:
    payload = json.dumps(
        [prev, logged_at.isoformat(), actor, action, obj, detail], ensure_ascii=False
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def log(
    con: duckdb.DuckDBPyConnection,
    actor: str,
    action: str,
    object: str | None = None,
    detail: dict | None = None,
) -> None:
    """Append one entry. Never pass passwords, hashes or unmasked phones in `detail`."""
    text = json.dumps(detail or {}, ensure_ascii=False, default=str, sort_keys=True)
    with _LOCK:
        row = con.execute(
            "SELECT entry_hash FROM audit_log ORDER BY audit_id DESC LIMIT 1"
        ).fetchone()
        prev = row[0] if row and row[0] else GENESIS
        now = datetime.now().replace(microsecond=0)
        con.execute(
            "INSERT INTO audit_log (logged_at, actor, action, object, detail, prev_hash, entry_hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                now,
                actor,
                action,
                object,
                text,
                prev,
                _digest(prev, now, actor, action, object, text),
            ],
        )


def verify(con: duckdb.DuckDBPyConnection) -> tuple[bool, int | None]:
    """Check the chain; return (intact, first broken audit_id or None)."""
    prev = GENESIS
    rows = con.execute(
        "SELECT audit_id, logged_at, actor, action, object, CAST(detail AS VARCHAR), prev_hash, entry_hash"
        " FROM audit_log ORDER BY audit_id"
    ).fetchall()
    for audit_id, at, actor, action, obj, detail, prev_hash, entry_hash in rows:
        if prev_hash != prev or entry_hash != _digest(prev, at, actor, action, obj, detail):
            return False, audit_id
        prev = entry_hash
    return True, None
