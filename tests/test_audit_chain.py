"""The audit log proves itself: chained in commit order under concurrent writers, keyed, anchored,
every break reported, old (pre-HMAC) entries still verified, exports lossless, and the CLI."""

from __future__ import annotations

import io
import json
import os
import stat
import threading
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from anju.cli import main
from dashboard import exports
from data.store import audit, derived, migrations
from data.store.connection import connect
from data.store.unit_of_work import unit_of_work


@pytest.fixture
def con(tmp_path: Path):
    c = connect(tmp_path / "a.duckdb")
    yield c
    c.close()


def test_key_is_kept_outside_the_database_with_private_permissions(con, tmp_path):
    audit.log(con, "u", "login")
    path = tmp_path / "a.duckdb.audit-key"
    assert path.exists() and stat.S_IMODE(path.stat().st_mode) == 0o600
    k = path.read_text().strip()
    assert len(k) == 64
    found = con.execute(
        "SELECT count(*) FROM audit_log WHERE contains(CAST(detail AS VARCHAR), ?)", [k]
    ).fetchone()[0]
    assert found == 0


def test_concurrent_writers_never_break_the_chain(con):
    # An import keeps its entries in an open transaction while other sessions log in and export
    # and commit; it commits last. Version 1 broke the chain every time here.
    importer = con.cursor()

    def busy(n: int) -> None:
        cur = con.cursor()
        for i in range(15):
            audit.log(cur, f"user{n}", "export", f"obj{i}", {"rows": i})
        cur.close()

    threads = [threading.Thread(target=busy, args=(n,)) for n in range(4)]
    with unit_of_work(importer, "street") as uow:
        audit.log(importer, "street", "import", "households:花名册.xlsx", {"rows": 1})
        for t in threads:
            t.start()
        uow.audit("import_update", "household:1", {"changes": []})
        for t in threads:
            t.join()
    audit.seal(con)
    report = audit.check(con)
    assert report["ok"], report["breaks"]
    assert report["entries"] == 62 and report["pending"] == 0
    seqs = [
        r[0] for r in con.execute("SELECT chain_seq FROM audit_log ORDER BY chain_seq").fetchall()
    ]
    assert seqs == list(range(1, 63))
    # Commit order: the import's two entries were committed last, so they close the chain.
    last_two = con.execute(
        "SELECT action FROM audit_log ORDER BY chain_seq DESC LIMIT 2"
    ).fetchall()
    assert sorted(a for (a,) in last_two) == ["import", "import_update"]


def _ten(con) -> None:
    for i in range(10):
        audit.log(con, "u", "export", f"obj{i}", {"rows": i})


def test_deleting_the_newest_entries_is_detected(con):
    _ten(con)
    con.execute("DELETE FROM audit_log WHERE chain_seq > 8")
    report = audit.check(con)
    assert not report["ok"]
    assert any("最新的 2 条记录缺失" in b["reason"] for b in report["breaks"])


def test_deleting_the_anchor_too_is_detected(con):
    _ten(con)
    con.execute("DELETE FROM audit_log WHERE chain_seq > 8")
    con.execute("DELETE FROM audit_anchor")
    assert "锚点缺失" in audit.check(con)["breaks"][0]["reason"]


def test_editing_and_recomputing_later_hashes_without_the_key_is_detected(con):
    _ten(con)
    rows = con.execute(
        "SELECT audit_id, chain_seq, logged_at, actor, action, object, CAST(detail AS VARCHAR)"
        " FROM audit_log ORDER BY chain_seq"
    ).fetchall()
    # The attacker knows the algorithm but not the key: recompute every hash from row 4 on.
    prev = con.execute("SELECT entry_hash FROM audit_log WHERE chain_seq = 3").fetchone()[0]
    for audit_id, seq, at, actor, action, obj, detail in rows[3:]:
        if seq == 4:
            detail = '{"rows": 999}'
        entry = audit._mac(b"guessed", "chain", prev, seq, at, actor, action, obj, detail)
        con.execute(
            "UPDATE audit_log SET detail = ?, prev_hash = ?, entry_hash = ? WHERE audit_id = ?",
            [detail, prev, entry, audit_id],
        )
        prev = entry
    report = audit.check(con)
    assert not report["ok"]
    assert [b["chain_seq"] for b in report["breaks"] if "被改动" in b["reason"]][:7] == [
        4,
        5,
        6,
        7,
        8,
        9,
        10,
    ]


def test_every_break_is_reported(con):
    _ten(con)
    con.execute("UPDATE audit_log SET detail = '{\"rows\": 99}' WHERE chain_seq IN (2, 7)")
    con.execute("DELETE FROM audit_log WHERE chain_seq = 5")
    report = audit.check(con)
    assert [b["chain_seq"] for b in report["breaks"]] == [2, 6, 7]
    assert audit.verify(con) == (False, report["breaks"][0]["audit_id"])


def test_a_row_inserted_behind_the_applications_back_is_reported(con):
    _ten(con)
    con.execute(
        "INSERT INTO audit_log (logged_at, actor, action, detail, entry_hash)"
        " VALUES (now(), 'x', 'login', '{}', 'f00')"
    )
    audit.log(con, "u", "login")  # the sealer chains it, but marks it as not ours
    reasons = [b["reason"] for b in audit.check(con)["breaks"]]
    assert reasons and "不是本系统写入" in reasons[0]


def test_pre_hmac_entries_of_an_old_database_still_verify(tmp_path, monkeypatch):
    path = tmp_path / "old.duckdb"
    everything = migrations.available()
    monkeypatch.setattr(migrations, "available", lambda: [m for m in everything if m[0] < 9])
    install = derived.install  # today's definitions bind to the head's tables, not version 8's
    monkeypatch.setattr(derived, "install", lambda con: False)
    old = connect(path)
    prev = audit.GENESIS
    for i in range(3):  # what version 1 wrote: plain SHA-256, no key
        at = pd.Timestamp(f"2026-01-0{i + 1} 09:00").to_pydatetime()
        detail = json.dumps({"rows": i})
        entry = audit._legacy_digest(prev, at, "old", "export", None, detail)
        old.execute(
            "INSERT INTO audit_log (logged_at, actor, action, object, detail, prev_hash,"
            " entry_hash) VALUES (?, 'old', 'export', NULL, ?, ?, ?)",
            [at, detail, prev, entry],
        )
        prev = entry
    old.close()
    monkeypatch.setattr(migrations, "available", lambda: everything)
    monkeypatch.setattr(derived, "install", install)
    con = connect(path)
    audit.log(con, "new", "login")
    report = audit.check(con)
    assert report["ok"], report["breaks"]
    assert (report["entries"], report["pre_hmac"]) == (4, 3)
    con.execute("UPDATE audit_log SET detail = '{\"rows\": 5}' WHERE chain_seq = 2")
    assert "早期无密钥哈希" in audit.check(con)["breaks"][0]["reason"]
    con.close()


def test_export_is_lossless_beyond_excels_cell_limit():
    long = "长" * 70_000
    frame = pd.DataFrame({"audit_id": [1, 2], "detail": [long, "短"]})
    wb = openpyxl.load_workbook(io.BytesIO(exports.excel_bytes(frame, "审计日志", {})))
    side = wb["超长内容"]
    parts = [r for r in side.iter_rows(min_row=2, values_only=True)]
    assert "".join(p[-1] for p in parts if p[1] == 2) == long  # Excel row 2 = first record
    assert all(len(p[-1]) <= 32_767 for p in parts)
    assert "超长内容" in wb["审计日志"]["B2"].value and wb["审计日志"]["B3"].value == "短"


def test_cli_verify(tmp_path, capsys):
    path = tmp_path / "c.duckdb"
    con = connect(path)
    _ten(con)
    con.close()
    assert main(["audit", "verify", "--db", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is True and out["entries"] == 10 and out["breaks"] == []
    con = connect(path)
    con.execute("DELETE FROM audit_log WHERE chain_seq = 10")
    con.close()
    assert main(["audit", "verify", "--db", str(path), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] is False and out["entries"] == 9 and len(out["breaks"]) == 1
    assert main(["audit", "verify", "--db", str(path)]) == 1
    assert "最新的 1 条记录缺失" in capsys.readouterr().out


def test_env_key_wins_over_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv(audit.KEY_ENV, "k" * 40)
    con = connect(tmp_path / "e.duckdb")
    audit.log(con, "u", "login")
    assert not (tmp_path / "e.duckdb.audit-key").exists()
    assert audit.check(con)["ok"]
    con.close()
    monkeypatch.delenv(audit.KEY_ENV)
    con = connect(tmp_path / "e.duckdb")
    assert not audit.check(con)["ok"]  # without the key nothing can be vouched for
    con.close()
    assert os.environ.get(audit.KEY_ENV) is None


def test_a_lost_key_is_reported_as_such_not_as_edits(tmp_path):
    path = tmp_path / "k.duckdb"
    con = connect(path)
    _ten(con)
    con.close()
    (tmp_path / "k.duckdb.audit-key").unlink()
    audit._KEYS.clear()
    con = connect(path)  # a new key is made for new entries; the old ones cannot be vouched for
    audit.log(con, "u", "login")
    report = audit.check(con)
    con.close()
    reasons = {b["reason"] for b in report["breaks"]}
    assert any("另一把密钥" in r for r in reasons) and not any("被改动（密钥" in r for r in reasons)
