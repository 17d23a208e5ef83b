"""Append-only audit log: logins, exports, unmasking, edits, imports, status changes.

Chained in commit order with a keyed hash, and anchored:

- `log()` inserts an entry in the caller's connection (so an import's entries land with the
  import, or not at all) carrying a keyed MAC of its own content, then `seal()` chains every
  committed entry not chained yet. Sealing runs in its own cursor under one lock, so the chain
  follows commit order and concurrent writers (logins while an import commits) never fork it.
- Hashes are HMAC-SHA256 with a key kept outside the database: $ANJU_AUDIT_KEY, else the file
  named by $ANJU_AUDIT_KEY_FILE (which may sit outside the database's directory), else a key file
  beside the database (`<db>.audit-key`); files are mode 0600 and created on first use. Whoever
  can edit the database file cannot recompute the chain after changing a row.
- `audit_anchor` holds the signed head of the chain, so deleting the newest entries is detected.
  The same signed head is written to a file beside the key (`<db name>.audit-head`, replaced
  atomically after each seal), so emptying or truncating the log together with its anchor is
  detected too.
- Entries written before the chain was keyed keep their plain SHA-256 chain; `check()` verifies them
  and counts them as pre-HMAC. An unkeyed entry after a keyed one, or a keyed head (anchor or head
  file) over unkeyed entries, is a downgrade: reported as a break.

`check()` reports every break, not just the first.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import duckdb

import queries
from data.store import clock

_LOCK = threading.Lock()  # one sealer at a time in this process (one process opens the file)
GENESIS = "0" * 64
KEY_ENV = "ANJU_AUDIT_KEY"
KEY_FILE_ENV = "ANJU_AUDIT_KEY_FILE"
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
    """Where the audit key of database DB is kept: $ANJU_AUDIT_KEY_FILE, else beside it; never
    inside it."""
    named = os.environ.get(KEY_FILE_ENV)
    return Path(named) if named else Path(f"{db}.audit-key")


def head_path(db: str | Path) -> Path:
    """Where the signed head of database DB's chain is kept outside it: beside the key file."""
    return key_path(db).parent / f"{Path(db).name}.audit-head"


def key(con: duckdb.DuckDBPyConnection, create: bool = True) -> bytes | None:
    """The HMAC key: $ANJU_AUDIT_KEY, else the key file ($ANJU_AUDIT_KEY_FILE or beside the
    database; created 0600)."""
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


def read_head(db: str | Path) -> dict | None:
    """The head file of database DB ({"chain_seq", "entry_hash", "mac", "sealed_at"}), None if
    there is none; {"unreadable": reason} if it cannot be read."""
    path = head_path(db)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        return {"unreadable": str(exc)}
    try:
        head = json.loads(text)
        return {
            "chain_seq": int(head["chain_seq"]),
            "entry_hash": str(head["entry_hash"]),
            "mac": str(head["mac"]),
            "sealed_at": head.get("sealed_at"),
        }
    except (ValueError, KeyError, TypeError) as exc:
        return {"unreadable": f"{type(exc).__name__}: {exc}"}


def _write_head(db: str, k: bytes, seq: int, entry: str, at: datetime) -> None:
    # Written after the commit (a head ahead of the database would be a false alarm; one behind
    # after a crash is only older evidence), replaced atomically: a reader never sees half a file.
    path = head_path(db)
    body = json.dumps(
        {
            "chain_seq": seq,
            "entry_hash": entry,
            "mac": _mac(k, "head", seq, entry),
            "sealed_at": at.isoformat(),
        }
    )
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(body + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _extends_head_file(cur: duckdb.DuckDBPyConnection, db: str) -> bool:
    """Whether the chain still holds the head the file records: only then may the file move on.
    A log emptied or cut back and then written to again would otherwise overwrite the evidence;
    the file stays where it was and `check()` keeps reporting the gap."""
    head = read_head(db)
    if head is None:
        return True
    if "unreadable" in head:
        return False
    found = queries.call(cur, "audit.chained_hash", seq=head["chain_seq"]).fetchone()
    return found is not None and found[0] == head["entry_hash"]


def seal(con: duckdb.DuckDBPyConnection) -> int:
    """Chain every committed, unchained entry in commit order; return how many were chained.
    The new head is then written to the head file too (for a database file)."""
    k = key(con)
    db = database_file(con)
    with _LOCK:
        cur = con.cursor()  # its own connection: sees only committed entries
        try:
            for _attempt in range(5):
                try:
                    sealed, head = _seal(cur, k)
                except duckdb.TransactionException:
                    cur.execute("ROLLBACK")
                    continue
                if sealed and db is not None and _extends_head_file(cur, db):
                    _write_head(db, k, *head)
                return sealed
            return 0
        finally:
            cur.close()


def _seal(cur: duckdb.DuckDBPyConnection, k: bytes) -> tuple[int, tuple]:
    cur.execute("BEGIN TRANSACTION")
    head = queries.call(cur, "audit.chain_head").fetchone()
    pending = queries.call(cur, "audit.unchained").fetchall()
    if not pending:
        cur.execute("COMMIT")
        return 0, ()
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
    at = clock.now()
    queries.call(
        cur,
        "audit.set_anchor",
        seq=seq,
        head=prev,
        mac=_mac(k, "anchor", seq, prev),
        at=at,
    )
    cur.execute("COMMIT")
    return len(updates), (seq, prev, at)


def check(con: duckdb.DuckDBPyConnection) -> dict:
    """Verify the whole log: {"ok", "entries", "breaks": [...], "pre_hmac", "pending", "head",
    "head_file"}.

    Every break is listed with the audit_id and chain position where it shows and the reason.
    The head file (outside the database) is compared with the chain: a log emptied or cut back
    below it is a break even when its anchor went with it.
    """
    k = key(con, create=False)
    rows = queries.call(con, "audit.entries").fetchall()
    breaks: list[dict] = []

    def broken(audit_id: int | None, seq: int | None, reason: str) -> None:
        breaks.append({"audit_id": audit_id, "chain_seq": seq, "reason": reason})

    prev, expect, pre_hmac, pending, hmac_rows = GENESIS, 1, 0, 0, 0
    last: tuple[int, str] | None = None
    last_legacy = False
    chained: dict[int, str] = {}
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
            if hmac_rows:
                # Anju never writes an unkeyed entry once the chain is keyed: this one was
                # recomputed with the old digest to hide an edit.
                broken(
                    audit_id, seq, "密钥哈希记录之后出现无密钥哈希记录（降级：链被按早期算法重算）"
                )
            elif entry != _legacy_digest(prev_hash or GENESIS, at, actor, action, obj, detail):
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
        last_legacy = scheme == LEGACY_SCHEME
        chained[seq] = entry
    db = database_file(con)
    head_file = read_head(db) if db is not None else None
    anchor = queries.call(con, "audit.anchor").fetchone()
    if anchor is None:
        if hmac_rows:
            broken(None, None, "链头锚点缺失（被删除）：无法确认最新的记录是否完整")
        elif head_file is not None:
            broken(
                None, None, "链头锚点缺失（被删除），而库外的链头文件表明此库的审计日志已启用密钥"
            )
    elif k is not None and anchor[2] != _mac(k, "anchor", anchor[0], anchor[1]):
        broken(None, anchor[0], "链头锚点被改动，或由另一把密钥签名")
    elif last is None or anchor[0] > last[0]:
        n = anchor[0] - (last[0] if last else 0)
        broken(None, anchor[0], f"最新的 {n} 条记录缺失（被删除）")
    elif (anchor[0], anchor[1]) != last:
        broken(None, last[0], "链头与锚点不符（最新记录被改动或替换）")
    elif last_legacy:
        broken(None, last[0], "密钥锚点之下是无密钥哈希记录（降级）")
    if head_file is not None:
        _check_head_file(head_file, k, chained, last, anchor, broken)
    return {
        "ok": not breaks,
        "entries": len(rows),
        "breaks": breaks,
        "pre_hmac": pre_hmac,
        "pending": pending,
        "head": {"chain_seq": anchor[0], "entry_hash": anchor[1]} if anchor else None,
        "head_file": (
            {"path": str(head_path(db)), "chain_seq": head_file.get("chain_seq")}
            if head_file is not None
            else None
        ),
    }


def _check_head_file(
    head: dict,
    k: bytes | None,
    chained: dict[int, str],
    last: tuple[int, str] | None,
    anchor: tuple | None,
    broken: Callable[[int | None, int | None, str], None],
) -> None:
    # The head file may lag the database (written just after each commit), never lead it.
    if "unreadable" in head:
        broken(None, None, f"链头文件无法读取（{head['unreadable']}）")
        return
    seq, entry = head["chain_seq"], head["entry_hash"]
    if k is not None and head["mac"] != _mac(k, "head", seq, entry):
        broken(None, seq, "库外链头文件被改动，或由另一把密钥签名")
        return
    if anchor is not None and (anchor[0], anchor[1]) == (seq, entry):
        return  # the anchor says the same: what it found (or not) is already reported
    have = last[0] if last else 0
    if seq > have:
        broken(
            None,
            seq,
            f"审计日志被清空或截断：库外链头文件记录到第 {seq} 条，库中"
            + (f"只到第 {have} 条" if have else "一条也没有"),
        )
    elif chained.get(seq) != entry:
        broken(None, seq, f"第 {seq} 条与库外链头文件不符（被改动、替换或链被重算）")


def verify(con: duckdb.DuckDBPyConnection) -> tuple[bool, int | None]:
    """(intact, audit_id of the first break or None) — see `check()` for every break."""
    report = check(con)
    first = next((b["audit_id"] for b in report["breaks"]), None)
    return report["ok"], first
