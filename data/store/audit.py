"""Append-only audit log: logins, exports, unmasking, edits, imports, status changes.

Chained in commit order with a keyed hash, and anchored:

- `log()` inserts an entry in the caller's connection (so an import's entries land with the
  import, or not at all) carrying a keyed MAC of its own content, then `seal()` chains every
  committed entry not chained yet. Sealing runs in its own cursor under one lock, so the chain
  follows commit order and concurrent writers (logins while an import commits) never fork it.
- Hashes are HMAC-SHA256 with a key kept outside the database: $ANJU_AUDIT_KEY, else a key file
  beside the database (`<db>.audit-key`, mode 0600, created on first use). Whoever can edit the
  database file cannot recompute the chain after changing a row.
- `audit_anchor` holds the signed head of the chain, so deleting the newest entries is detected.
- Entries written before the chain was keyed keep their plain SHA-256 chain; `check()` verifies them
  and counts them as pre-HMAC.

`check()` reports every break, not just the first.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import threading
from datetime import datetime
from pathlib import Path

import duckdb

import queries
from data.store import clock

_LOCK = threading.Lock()  # one sealer at a time in this process (one process opens the file)
GENESIS = "0" * 64
KEY_ENV = "ANJU_AUDIT_KEY"
HMAC_SCHEME = "hmac-sha256"
LEGACY_SCHEME = "sha256"
CHAIN_MIGRATION = 9  # data/store/schema/009_audit_chain.sql
_EPHEMERAL = secrets.token_bytes(32)  # in-memory databases live no longer than this process
_KEYS: dict[str, bytes] = {}


def database_file(con: duckdb.DuckDBPyConnection) -> str | None:
    """The file behind CON, or None for an in-memory database."""
    row = queries.call(con, "audit.database_file").fetchone()
    return row[0] if row and row[0] else None


def key_path(db: str | Path) -> Path:
    """Where the audit key of database DB is kept: beside it, never inside it."""
    return Path(f"{db}.audit-key")


def key(con: duckdb.DuckDBPyConnection, create: bool = True) -> bytes | None:
    """The HMAC key: $ANJU_AUDIT_KEY, else the key file beside the database (created 0600)."""
    env = os.environ.get(KEY_ENV)
    if env:
        return env.encode("utf-8")
    db = database_file(con)
    if db is None:
        return _EPHEMERAL
    path = key_path(db)
    if str(path) in _KEYS:
        return _KEYS[str(path)]
    if path.exists():
        value = path.read_text(encoding="ascii").strip().encode("ascii")
    elif create:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        value = secrets.token_hex(32).encode("ascii")
        with os.fdopen(fd, "wb") as fh:
            fh.write(value + b"\n")
    else:
        return None
    _KEYS[str(path)] = value
    return value


def _payload(*parts: object) -> bytes:
    return json.dumps(
        [p.isoformat() if isinstance(p, datetime) else p for p in parts], ensure_ascii=False
    ).encode("utf-8")


def _legacy_digest(
    prev: str, logged_at: datetime, actor: str, action: str, obj: str | None, detail: str
) -> str:
    # The pre-009 scheme (plain SHA-256), kept only to verify entries written before it.
    payload = json.dumps(
        [prev, logged_at.isoformat(), actor, action, obj, detail], ensure_ascii=False
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def key_id(k: bytes) -> str:
    """A short public fingerprint of a key, stored with each entry: an entry signed with another
    key (the key file lost or replaced) is reported as such, not as an edit."""
    return hashlib.sha256(b"anju-audit-key-id|" + k).hexdigest()[:12]


def _mac(k: bytes, *parts: object) -> str:
    return hmac.new(k, _payload(*parts), hashlib.sha256).hexdigest()


def log(
    con: duckdb.DuckDBPyConnection,
    actor: str,
    action: str,
    object: str | None = None,
    detail: dict | None = None,
) -> None:
    """Append one entry. Never pass passwords, hashes or unmasked phones in `detail`.

    Inside a unit of work the entry lands with its change; alone, it is a unit of its own.
    """
    from data.store.unit_of_work import unit_of_work  # the write path sits above the log it writes

    with unit_of_work(con, actor) as uow:
        uow.audit(action, object, detail, actor=actor)


def logged_call(
    con: duckdb.DuckDBPyConnection,
    actor: str,
    action: str,
    object: str | None,
    detail: dict | None,
    statement: str,
    /,
    **params: object,
) -> None:
    """Run the named `statement` with `params` and log it (`action` on `object`, with `detail`)
    in one unit of work (the caller's, if open): the write and its entry land together."""
    from data.store.unit_of_work import unit_of_work  # the write path sits above the log it writes

    with unit_of_work(con, actor) as uow:
        queries.call(con, statement, **params)
        uow.audit(action, object, detail, actor=actor)


def write(
    con: duckdb.DuckDBPyConnection,
    actor: str,
    action: str,
    object: str | None,
    detail: dict | None,
) -> None:
    """Insert one entry with its own MAC in CON's open transaction (the unit of work's step)."""
    text = json.dumps(detail or {}, ensure_ascii=False, default=str, sort_keys=True)
    now = clock.now()
    own = _mac(key(con), "entry", now, actor, action, object, text)
    queries.call(
        con,
        "audit.insert_entry",
        logged_at=now,
        actor=actor,
        action=action,
        object=object,
        detail=text,
        entry_hash=own,
    )


def seal(con: duckdb.DuckDBPyConnection) -> int:
    """Chain every committed, unchained entry in commit order; return how many were chained."""
    k = key(con)
    with _LOCK:
        cur = con.cursor()  # its own connection: sees only committed entries
        try:
            for _attempt in range(5):
                try:
                    return _seal(cur, k)
                except duckdb.TransactionException:
                    cur.execute("ROLLBACK")
            return 0
        finally:
            cur.close()


def _seal(cur: duckdb.DuckDBPyConnection, k: bytes) -> int:
    cur.execute("BEGIN TRANSACTION")
    head = queries.call(cur, "audit.chain_head").fetchone()
    pending = queries.call(cur, "audit.unchained").fetchall()
    if not pending:
        cur.execute("COMMIT")
        return 0
    seq, prev = head if head else (0, GENESIS)
    updates = []
    for audit_id, at, actor, action, obj, detail, own in pending:
        seq += 1
        # An entry whose own MAC is wrong was not written by Anju: chained, but marked, so
        # check() reports it instead of the sealer vouching for it.
        genuine = own == _mac(k, "entry", at, actor, action, obj, detail)
        entry = _mac(k, "chain", prev, seq, at, actor, action, obj, detail)
        scheme = f"{HMAC_SCHEME if genuine else 'forged'}:{key_id(k)}"
        updates.append(
            {"seq": seq, "prev": prev, "entry": entry, "scheme": scheme, "audit_id": audit_id}
        )
        prev = entry
    queries.call_many(cur, "audit.chain_entry", updates)
    queries.call(
        cur,
        "audit.set_anchor",
        seq=seq,
        head=prev,
        mac=_mac(k, "anchor", seq, prev),
        at=clock.now(),
    )
    cur.execute("COMMIT")
    return len(updates)


def check(con: duckdb.DuckDBPyConnection) -> dict:
    """Verify the whole log: {"ok", "entries", "breaks": [...], "pre_hmac", "pending", "head"}.

    Every break is listed with the audit_id and chain position where it shows and the reason.
    """
    k = key(con, create=False)
    rows = queries.call(con, "audit.entries").fetchall()
    breaks: list[dict] = []

    def broken(audit_id: int | None, seq: int | None, reason: str) -> None:
        breaks.append({"audit_id": audit_id, "chain_seq": seq, "reason": reason})

    prev, expect, pre_hmac, pending, hmac_rows = GENESIS, 1, 0, 0, 0
    last: tuple[int, str] | None = None
    for audit_id, seq, scheme, at, actor, action, obj, detail, prev_hash, entry in rows:
        if seq is None:
            pending += 1
            if k is not None and entry != _mac(k, "entry", at, actor, action, obj, detail):
                broken(audit_id, None, "待入链的记录内容与其校验码不符（被改动或非本系统写入）")
            continue
        if seq != expect:
            missing = f"第 {expect} 条" if seq == expect + 1 else f"第 {expect}–{seq - 1} 条"
            broken(audit_id, seq, f"链上{missing}记录缺失（被删除）")
        elif prev_hash != prev:
            broken(audit_id, seq, "与前一条记录的哈希不衔接（前一条被改动或替换）")
        if scheme == LEGACY_SCHEME:
            pre_hmac += 1
            if entry != _legacy_digest(prev_hash or GENESIS, at, actor, action, obj, detail):
                broken(audit_id, seq, "记录内容被改动（早期无密钥哈希）")
        elif scheme and scheme.split(":")[0] in (HMAC_SCHEME, "forged"):
            hmac_rows += 1
            kind, _, kid = scheme.partition(":")
            if k is None:
                broken(audit_id, seq, "找不到审计密钥，无法校验（密钥文件丢失？）")
            elif kid != key_id(k):
                broken(audit_id, seq, "此条由另一把密钥签名（密钥文件丢失或被替换），无法校验")
            elif entry != _mac(k, "chain", prev_hash, seq, at, actor, action, obj, detail):
                broken(audit_id, seq, "记录内容被改动（密钥哈希不符）")
            elif kind == "forged":
                broken(audit_id, seq, "记录不是本系统写入的（入链前校验码不符）")
        else:
            broken(audit_id, seq, f"未知的校验方式 {scheme!r}")
        prev, expect, last = entry, seq + 1, (seq, entry)
    anchor = queries.call(con, "audit.anchor").fetchone()
    if anchor is None:
        if hmac_rows:
            broken(None, None, "链头锚点缺失（被删除）：无法确认最新的记录是否完整")
    elif k is not None and anchor[2] != _mac(k, "anchor", anchor[0], anchor[1]):
        broken(None, anchor[0], "链头锚点被改动，或由另一把密钥签名")
    elif last is None or anchor[0] > last[0]:
        n = anchor[0] - (last[0] if last else 0)
        broken(None, anchor[0], f"最新的 {n} 条记录缺失（被删除）")
    elif (anchor[0], anchor[1]) != last:
        broken(None, last[0], "链头与锚点不符（最新记录被改动或替换）")
    return {
        "ok": not breaks,
        "entries": len(rows),
        "breaks": breaks,
        "pre_hmac": pre_hmac,
        "pending": pending,
        "head": {"chain_seq": anchor[0], "entry_hash": anchor[1]} if anchor else None,
    }


def verify(con: duckdb.DuckDBPyConnection) -> tuple[bool, int | None]:
    """(intact, audit_id of the first break or None) — see `check()` for every break."""
    report = check(con)
    first = next((b["audit_id"] for b in report["breaks"]), None)
    return report["ok"], first
