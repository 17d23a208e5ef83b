"""Sessions: revocable and re-checked on every click; one sign-in failure message for every
username; a password rule that refuses short, common and username-like passwords."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from data.store import clock
from data.store.connection import connect
from data.users import accounts, sessions
from tests.conftest import load_tiny

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")
GOOD = "Lan-qiao-1987-xi"


@pytest.fixture
def con(tmp_path):
    c = connect(tmp_path / "s.duckdb")
    yield c
    c.close()


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("aaaaaaaaaa", "太常见或太简单"),
        ("1234567890", "太常见或太简单"),
        ("qwertyuiop", "太常见或太简单"),
        ("short", "至少需要 10 个字符"),
        ("zhang.wei.2026", "不能包含用户名"),
        ("1212121212", "太常见或太简单"),
    ],
)
def test_password_rule(con, password, why):
    one_time = accounts.add_user(con, "zhang.wei", "leader")
    with pytest.raises(accounts.AccountError, match=why):
        accounts.change_password(con, "zhang.wei", one_time, password)
    accounts.change_password(con, "zhang.wei", one_time, GOOD)


def test_one_message_for_every_failed_sign_in(con):
    pw = accounts.add_user(con, "li", "leader")
    accounts.add_user(con, "off", "leader")
    accounts.set_disabled(con, "off", True)
    messages = set()
    for _ in range(accounts.MAX_FAILURES + 1):  # wrong passwords, then locked
        with pytest.raises(accounts.LoginError) as err:
            accounts.authenticate(con, "li", "wrong-password")
        messages.add(str(err.value))
    for name in ("nobody", "off"):
        with pytest.raises(accounts.LoginError) as err:
            accounts.authenticate(con, name, pw)
        messages.add(str(err.value))
    with pytest.raises(accounts.LoginError) as err:  # locked, right password
        accounts.authenticate(con, "li", pw)
    messages.add(str(err.value))
    assert messages == {accounts.LOGIN_FAILED}


def test_sessions_are_revoked_expire_and_follow_the_account(con):
    accounts.add_user(con, "wang", "leader")
    token = sessions.start(con, "wang")
    assert sessions.current(con, token, 30)[0].role == "leader"
    con.execute("UPDATE app_user SET role = 'finance' WHERE username = 'wang'")
    assert sessions.current(con, token, 30)[0].role == "finance"  # role change: next click
    assert sessions.current(con, "forged-token", 30) is None
    accounts.set_disabled(con, "wang", True)
    assert sessions.current(con, token, 30) is None
    accounts.set_disabled(con, "wang", False)
    assert sessions.current(con, token, 30) is None  # revoked stays revoked
    again = sessions.start(con, "wang")
    sessions.end(con, again)
    assert sessions.current(con, again, 30) is None
    idle = sessions.start(con, "wang")
    con.execute(
        "UPDATE app_session SET last_seen = ? WHERE username = 'wang'",
        [clock.now() - timedelta(minutes=31)],
    )
    assert sessions.current(con, idle, 30) is None
    stored = con.execute("SELECT token_hash FROM app_session").fetchall()
    assert all(idle not in h and token not in h for (h,) in stored)  # only hashes are kept


def test_disabling_an_account_signs_it_out_on_the_next_click(tmp_path, monkeypatch):
    path = tmp_path / "app.duckdb"
    c = connect(path)
    load_tiny(c)
    pw = accounts.add_user(c, "zhao", "leader")
    accounts.change_password(c, "zhao", pw, GOOD)
    c.close()
    monkeypatch.setenv("ANJU_DB", str(path))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.text_input[0].input("zhao")
    at.text_input[1].input(GOOD)
    at.button[0].click().run()
    assert not at.exception, at.exception
    assert at.session_state["_anju_user"].username == "zhao"
    from dashboard import db

    accounts.set_disabled(db.cursor(), "zhao", True, actor="admin")
    at.run()  # the next click
    assert not at.exception, at.exception
    assert "_anju_user" not in at.session_state
    assert any("登录已失效" in i.value for i in at.info)
