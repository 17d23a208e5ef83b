"""Accounts, lock-out, access rules, masking and the tamper-evident audit log (no UI)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import pytest

from data.store import audit
from data.store.connection import connect
from data.users import access, accounts, privacy


@pytest.fixture
def con(tiny_con):
    # The tiny district has streets S1/S2 to scope street accounts to.
    return tiny_con


def test_add_and_authenticate(con) -> None:
    pw = accounts.add_user(con, "li", "street", street="S1")
    user, must_change = accounts.authenticate(con, "li", pw)
    assert user == access.User("li", "street", "S1", None)
    assert must_change
    stored = con.execute("SELECT password_hash FROM app_user WHERE username = 'li'").fetchone()[0]
    assert stored.startswith("$argon2id$") and pw not in stored


@pytest.mark.parametrize(
    ("username", "role", "street", "message"),
    [
        ("", "leader", None, "用户名不能为空"),
        ("a b", "leader", None, "不能含空格"),
        ("x", "boss", None, "未知角色"),
        ("x", "street", None, "必须用 --street"),
        ("x", "street", "不存在街道", "找不到街道"),
    ],
)
def test_bad_accounts_are_refused(con, username, role, street, message) -> None:
    with pytest.raises(accounts.AccountError, match=message):
        accounts.add_user(con, username, role, street=street)


def test_duplicate_username(con) -> None:
    accounts.add_user(con, "wang", "leader")
    with pytest.raises(accounts.AccountError, match="已存在"):
        accounts.add_user(con, "wang", "fire")


def test_usernames_are_unique_whatever_their_case(con) -> None:
    import duckdb

    accounts.add_user(con, "demo_admin", "admin")
    with pytest.raises(accounts.AccountError, match=r"不区分大小写.*DEMO_ADMIN"):
        accounts.add_user(con, "DEMO_ADMIN", "admin")
    with pytest.raises(duckdb.ConstraintException):  # the database refuses it too
        con.execute(
            "INSERT INTO app_user (username, role, password_hash) VALUES ('Demo_Admin', 'admin', 'x')"
        )
    assert [u["username"] for u in accounts.list_users(con)].count("demo_admin") == 1


def test_wrong_password_and_unknown_user_look_the_same(con) -> None:
    accounts.add_user(con, "zhao", "fire")
    with pytest.raises(accounts.LoginError, match="用户名或密码不正确") as wrong:
        accounts.authenticate(con, "zhao", "nope")
    with pytest.raises(accounts.LoginError, match="用户名或密码不正确") as unknown:
        accounts.authenticate(con, "nobody", "nope")
    assert str(unknown.value).startswith("用户名或密码不正确")
    assert str(wrong.value).startswith("用户名或密码不正确")


def test_lockout_after_five_failures_then_expires(con) -> None:
    pw = accounts.add_user(con, "sun", "finance")
    t0 = datetime(2026, 1, 5, 9, 0)
    for _ in range(accounts.MAX_FAILURES - 1):
        with pytest.raises(accounts.LoginError, match="用户名或密码不正确，或账号已被锁定"):
            accounts.authenticate(con, "sun", "bad", now=t0)
    with pytest.raises(accounts.LoginError, match="锁定"):
        accounts.authenticate(con, "sun", "bad", now=t0)
    # Even the right password is refused while locked.
    with pytest.raises(accounts.LoginError, match="锁定"):
        accounts.authenticate(con, "sun", pw, now=t0 + timedelta(minutes=14))
    user, _ = accounts.authenticate(con, "sun", pw, now=t0 + timedelta(minutes=16))
    assert user.username == "sun"


def test_disabled_user_cannot_sign_in_and_reset_unlocks(con) -> None:
    pw = accounts.add_user(con, "qian", "leader")
    accounts.set_disabled(con, "qian", True)
    with pytest.raises(accounts.LoginError, match="停用"):
        accounts.authenticate(con, "qian", pw)
    accounts.set_disabled(con, "qian", False)
    new = accounts.reset_password(con, "qian")
    with pytest.raises(accounts.LoginError):
        accounts.authenticate(con, "qian", pw)
    assert accounts.authenticate(con, "qian", new)[0].role == "leader"


def test_change_password_rules(con) -> None:
    pw = accounts.add_user(con, "zhou", "admin")
    with pytest.raises(accounts.AccountError, match="至少"):
        accounts.change_password(con, "zhou", pw, "short")
    with pytest.raises(accounts.AccountError, match="旧密码不正确"):
        accounts.change_password(con, "zhou", "wrong-old-password", "a-long-new-password")
    accounts.change_password(con, "zhou", pw, "a-long-new-password")
    assert accounts.authenticate(con, "zhou", "a-long-new-password") == (
        access.User("zhou", "admin"),
        False,
    )


@pytest.mark.parametrize(
    "attack", ["' OR '1'='1", "admin'--", "x; DROP TABLE app_user; --", "\u0000", "名" * 500]
)
def test_sql_looking_usernames_are_just_wrong(con, attack) -> None:
    accounts.add_user(con, "admin2", "admin")
    with pytest.raises(accounts.LoginError):
        accounts.authenticate(con, attack, attack)
    assert con.execute("SELECT count(*) FROM app_user").fetchone()[0] == 1


def test_no_password_or_hash_in_audit_log(con) -> None:
    pw = accounts.add_user(con, "wu", "leader")
    with pytest.raises(accounts.LoginError):
        accounts.authenticate(con, "wu", "guess-1234")
    accounts.authenticate(con, "wu", pw)
    new = accounts.reset_password(con, "wu")
    text = " ".join(str(r) for r in con.execute("SELECT * FROM audit_log").fetchall())
    for secret in (pw, new, "guess-1234", "$argon2"):
        assert secret not in text
    actions = [
        r[0]
        for r in con.execute(
            "SELECT action FROM audit_log WHERE 'wu' IN (actor, object) ORDER BY audit_id"
        ).fetchall()
    ]
    assert actions == ["user_add", "login_failed", "login", "password_reset"]


def test_audit_chain_detects_edits_and_deletions(tmp_path) -> None:
    con = connect(tmp_path / "a.duckdb")
    for i in range(5):
        audit.log(con, "u", "export", f"obj{i}", {"rows": i})
    assert audit.verify(con) == (True, None)
    con.execute("UPDATE audit_log SET detail = '{\"rows\": 999}' WHERE audit_id = 3")
    assert audit.verify(con) == (False, 3)
    con.execute("UPDATE audit_log SET detail = '{\"rows\": 2}' WHERE audit_id = 3")
    assert audit.verify(con) == (True, None)
    con.execute("DELETE FROM audit_log WHERE audit_id = 2")
    assert audit.verify(con) == (False, 3)


def test_matrix_and_scope() -> None:
    street = access.User("s", "street", "S1")
    leader = access.User("l", "leader")
    finance = access.User("f", "finance")
    assert access.can(leader, "coverage") and not access.can(leader, "users")
    assert access.can(street, "overdue", "unmask") and not access.can(leader, "overdue", "unmask")
    assert not access.can(finance, "fire_risk")
    assert not access.can(None, "coverage")
    assert not access.can(leader, "no_such_page")
    assert (
        access.scope(street) == ["S1"] and access.scope(leader) is None and access.scope(None) == []
    )
    # A drill-down can narrow a scope but never widen it.
    assert access.narrow(["S1"], ["S2"]) == []
    assert access.narrow(["S1"], ["S1", "S2"]) == ["S1"]
    assert access.narrow(None, ["S2"]) == ["S2"]
    with pytest.raises(ValueError):
        access.User("x", "street")
    every_role = set(access.ROLES)
    assert all(set(row) == every_role for row in access.MATRIX.values())
    assert set(access.MATRIX) == set(access.PAGE_TITLES)


def test_masking() -> None:
    assert privacy.mask_name("张三丰") == "张**"
    assert privacy.mask_name("李") == "李*"
    assert privacy.mask_phone("13812341234") == "138****1234"
    assert privacy.mask_phone(13812341234.0) == "138****1234"  # Excel turned it into a float
    assert privacy.mask_address("上海市长宁区安定路12弄3号402室") == "上海市长宁区安定路12弄3号**"
    frame = pd.DataFrame(
        {"name": ["王五"], "phone": ["13900001111"], "address": ["某路1号101室"], "n": [1]}
    )
    masked = privacy.mask_frame(frame)
    assert masked.iloc[0].tolist() == ["王*", "139****1111", "某路1号**", 1]
    assert frame.iloc[0]["name"] == "王五"  # the input is not changed
    assert "phone" not in privacy.drop_phones(frame).columns


def test_readme_shows_the_role_matrix() -> None:
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert access.matrix_markdown() in readme
