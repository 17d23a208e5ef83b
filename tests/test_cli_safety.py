"""The CLI never destroys a database by accident and never shows a traceback beside a running
app: `anju demo` refuses anything but a demo database, a locked file is a Chinese message and
exit code 2, and `--user` must name an active account."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from anju.cli import main
from data.demos import demo
from data.store.connection import connect
from data.users import accounts
from tests import hostile
from tests.conftest import TINY, load_tiny


@pytest.fixture
def real_db(tmp_path: Path) -> Path:
    """A database holding real (not demo) data: the tiny programme."""
    path = tmp_path / "anju.duckdb"
    con = connect(path)
    load_tiny(con)
    accounts.add_user(con, "east", "street", "S2", actor="t")
    accounts.add_user(con, "gone", "leader", None, actor="t")
    accounts.set_disabled(con, "gone", True, actor="t")
    con.close()
    return path


def _households(path: Path) -> int:
    con = connect(path)
    try:
        return con.execute("SELECT count(*) FROM household").fetchone()[0]
    finally:
        con.close()


def test_demo_refuses_a_real_database_even_with_force(real_db, capsys):
    for extra in ([], ["--force"]):
        assert main(["demo", "--db", str(real_db), "--households", "200", *extra]) == 2
        assert "不是演示数据库" in capsys.readouterr().err
    assert _households(real_db) == 8


def test_demo_refuses_a_file_that_is_not_a_database(tmp_path, capsys):
    notes = tmp_path / "notes.duckdb"
    notes.write_text("重要笔记")
    assert main(["demo", "--db", str(notes)]) == 2
    assert notes.read_text() == "重要笔记"


def test_demo_overwrites_a_demo_only_with_force(tmp_path, capsys):
    path = tmp_path / "d.duckdb"
    small = ["--households", "200", "--communities", "20"]
    assert main(["demo", "--db", str(path), *small]) == 0
    capsys.readouterr()
    assert main(["demo", "--db", str(path), *small]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["demo", "--db", str(path), *small, "--force"]) == 0
    assert _households(path) == 200


def test_demo_has_its_own_default_path():
    action = next(
        a
        for a in main.__globals__["parser"]()._subparsers._group_actions[0].choices["demo"]._actions
        if a.dest == "db"
    )
    assert action.default == str(demo.DEMO_DB) == "var/demo.duckdb"


HOLD = "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ok', flush=True); time.sleep(120)"


@pytest.fixture
def held(real_db):
    """Another process (as the running app does) holds the database file open."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(real_db)], stdout=subprocess.PIPE)
    assert proc.stdout.readline().strip() == b"ok"
    yield real_db
    proc.kill()
    proc.wait()


def test_cli_beside_a_running_app_says_so_in_chinese(held, tmp_path, capsys):
    roster = tmp_path / "花名册.xlsx"
    roster.write_bytes(hostile.xlsx_with_sheet(hostile.HEADER_ROW))
    db = ["--db", str(held)]
    commands = [
        ["import", "households", str(roster), *db, "--programme", TINY, "--dry-run"],
        ["import", "households", str(roster), *db, "--programme", TINY],
        ["user", *db, "reset-password", "east"],
        ["user", *db, "list"],
        ["audit", "verify", *db],
        ["demo", *db],
    ]
    for args in commands:
        assert main(args) == 2, args
        err = capsys.readouterr().err
        assert err.startswith("错误：") and "Traceback" not in err, args
        assert "正被另一个程序" in err or "不是演示数据库" in err, (args, err)


def test_cli_user_must_be_an_active_account(real_db, tmp_path, capsys):
    rows = hostile.xlsx_with_sheet(hostile.HEADER_ROW)
    roster = tmp_path / "花名册.xlsx"
    roster.write_bytes(rows)
    base = ["import", "households", str(roster), "--db", str(real_db), "--programme", TINY]
    for name in ("nobody", "gone"):
        assert main([*base, "--user", name]) == 2
        assert f"账号 {name} 不存在或已停用" in capsys.readouterr().err
    assert main([*base, "--user", "east", "--dry-run"]) == 0  # an active street account
    assert main([*base, "--dry-run"]) == 0  # no --user: the server console, as administrator


def test_the_browser_shows_a_message_not_a_traceback_for_a_locked_file(held, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from data.users import access

    monkeypatch.setenv("ANJU_DB", str(held))
    app = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")
    at = AppTest.from_file(app)
    at.run(timeout=60)
    at.text_input[0].input("east")
    at.text_input[1].input("whatever-password")
    at.button[0].click().run(timeout=60)  # signing in needs the database
    assert not at.exception, at.exception
    assert any("正被另一个程序使用" in e.value for e in at.error)
    signed_in = AppTest.from_file(app)
    signed_in.session_state["_anju_user"] = access.User("east", "street", "S2")
    signed_in.run(timeout=60)
    assert not signed_in.exception, signed_in.exception
    assert any("正被另一个程序使用" in e.value for e in signed_in.error)
