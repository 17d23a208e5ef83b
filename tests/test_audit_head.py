"""The audit log proves itself against its own deletion and against a downgrade: the signed head
is also kept in a file beside the key (optionally outside the database's directory), a wiped or
truncated log is reported against it, and a chain rewritten with the old unkeyed digest is a
break once the database has been keyed."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from anju.cli import main
from data.store import audit
from data.store.connection import connect


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "a.duckdb"
    con = connect(path)
    for i in range(10):
        audit.log(con, "u", "export", f"obj{i}", {"rows": i})
    con.close()
    return path


def _on(db: Path, *statements: str) -> dict:
    con = connect(db)
    for s in statements:
        con.execute(s)
    report = audit.check(con)
    con.close()
    return report


def _reasons(report: dict) -> str:
    return " | ".join(b["reason"] for b in report["breaks"])


def test_the_head_is_kept_in_a_file_beside_the_key(db):
    head = Path(f"{db}.audit-head")
    assert head.exists() and stat.S_IMODE(head.stat().st_mode) == 0o600
    assert json.loads(head.read_text())["chain_seq"] == 10
    assert _on(db)["ok"]


def test_emptying_the_log_and_its_anchor_is_reported(db, capsys):
    report = _on(db, "DELETE FROM audit_log", "DELETE FROM audit_anchor")
    assert not report["ok"] and report["entries"] == 0
    assert "清空或截断" in _reasons(report)
    assert main(["audit", "verify", "--db", str(db)]) == 1
    assert "清空或截断" in capsys.readouterr().out


def test_writing_after_a_wipe_does_not_overwrite_the_evidence(db):
    con = connect(db)
    con.execute("DELETE FROM audit_log")
    con.execute("DELETE FROM audit_anchor")
    for i in range(12):  # the next logins chain from 1 again, past the old head's position
        audit.log(con, "u", "login", f"s{i}")
    report = audit.check(con)
    con.close()
    assert json.loads(Path(f"{db}.audit-head").read_text())["chain_seq"] == 10
    assert not report["ok"] and "第 10 条与库外链头文件不符" in _reasons(report)


def test_truncating_the_log_and_moving_the_anchor_back_is_reported(db):
    con = connect(db)
    seq, entry = con.execute(
        "SELECT chain_seq, entry_hash FROM audit_log WHERE chain_seq = 7"
    ).fetchone()
    k = audit.key(con)
    con.execute("DELETE FROM audit_log WHERE chain_seq > 7")
    # Whoever holds the key can re-sign the anchor; the file outside still says 10.
    con.execute(
        "UPDATE audit_anchor SET chain_seq = ?, entry_hash = ?, mac = ?",
        [seq, entry, audit._mac(k, "anchor", seq, entry)],
    )
    report = audit.check(con)
    con.close()
    assert not report["ok"] and "清空或截断" in _reasons(report)


def _downgrade(db: Path, first: int) -> dict:
    """Edit entry FIRST, recompute the chain from there with the pre-HMAC digest, mark those
    entries 'sha256' and delete the anchor."""
    con = connect(db)
    rows = con.execute(
        "SELECT audit_id, chain_seq, logged_at, actor, action, object, CAST(detail AS VARCHAR),"
        " prev_hash FROM audit_log ORDER BY chain_seq"
    ).fetchall()
    prev = rows[first - 1][-1]  # the untouched chain up to FIRST - 1 still links to it
    for audit_id, seq, at, actor, action, obj, detail, _ in rows[first - 1 :]:
        if seq == first:
            detail = '{"rows": 999}'
        entry = audit._legacy_digest(prev, at, actor, action, obj, detail)
        con.execute(
            "UPDATE audit_log SET detail = ?, prev_hash = ?, entry_hash = ?, scheme = 'sha256'"
            " WHERE audit_id = ?",
            [detail, prev, entry, audit_id],
        )
        prev = entry
    con.execute("DELETE FROM audit_anchor")
    report = audit.check(con)
    con.close()
    return report


def test_rewriting_the_whole_chain_unkeyed_is_reported_against_the_head_file(db):
    report = _downgrade(db, 1)
    assert not report["ok"], report
    assert "锚点缺失" in _reasons(report)


def test_an_unkeyed_entry_after_a_keyed_one_is_a_break_even_without_the_head_file(db):
    Path(f"{db}.audit-head").unlink()
    report = _downgrade(db, 5)
    assert not report["ok"], report
    assert "降级" in _reasons(report)


def test_the_key_and_head_may_live_outside_the_databases_directory(tmp_path, monkeypatch):
    keys = tmp_path / "keys"
    keys.mkdir()
    monkeypatch.setenv(audit.KEY_FILE_ENV, str(keys / "anju.key"))
    path = tmp_path / "data" / "b.duckdb"
    path.parent.mkdir()
    con = connect(path)
    audit.log(con, "u", "login")
    con.close()
    assert stat.S_IMODE((keys / "anju.key").stat().st_mode) == 0o600
    assert not Path(f"{path}.audit-key").exists() and not Path(f"{path}.audit-head").exists()
    assert (keys / "b.duckdb.audit-head").exists()
    assert _on(path)["ok"]
    assert not _on(path, "DELETE FROM audit_log", "DELETE FROM audit_anchor")["ok"]
