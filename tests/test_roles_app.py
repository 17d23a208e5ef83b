"""The login gate and each role's view of the app, asserted on the data shown, not the widgets."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import queries
from dashboard.navigation import PAGES
from data.demos import demo
from data.store.connection import connect
from data.users import access
from tests.apptest import APP, open_page

HUAYANG = "310105001"


@pytest.fixture(scope="module")
def auth_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A demo database of its own (logins change it) and its demo accounts' one-time passwords."""
    db = tmp_path_factory.mktemp("auth") / "demo.duckdb"
    built = demo.build(db)
    return db, built["accounts"]


def _app(db: Path, monkeypatch: pytest.MonkeyPatch, user: access.User | None = None) -> AppTest:
    monkeypatch.setenv("ANJU_DB", str(db))
    return open_page(user, timeout=120)


def _login(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    at.button[0].click().run()
    return at


def test_login_first_change_password_then_pages(auth_db, monkeypatch) -> None:
    db, logins = auth_db
    at = _app(db, monkeypatch)
    assert at.title[0].value == "安居 · 登录"
    assert not at.metric  # nothing behind the gate
    _login(at, "demo_leader", "wrong password")
    assert "用户名或密码不正确" in at.error[0].value
    _login(at, "demo_leader", logins["demo_leader"])
    assert at.title[0].value == "首次登录：请修改密码"
    at.text_input[0].input(logins["demo_leader"])
    at.text_input[1].input("leader-new-pass-2026")
    at.text_input[2].input("leader-new-pass-2026")
    at.button[0].click().run()
    assert not at.exception
    assert any(m.label == "目标户数" for m in at.metric)
    dump = repr({k: at.session_state[k] for k in at.session_state})
    for secret in (logins["demo_leader"], "leader-new-pass-2026", "$argon2"):
        assert secret not in dump


def test_session_times_out(auth_db, monkeypatch) -> None:
    db, _ = auth_db
    at = _app(db, monkeypatch, access.User("t_leader", "leader"))
    assert at.metric
    at.session_state["_anju_last_seen"] = time.time() - 31 * 60
    at.run()
    assert at.title[0].value == "安居 · 登录"
    assert any("已自动退出" in i.value for i in at.info)
    assert "_anju_user" not in at.session_state


def test_disabled_user_is_refused(auth_db, monkeypatch) -> None:
    db, logins = auth_db
    con = connect(db)
    from data.users import accounts

    accounts.set_disabled(con, "demo_finance", True)
    at = _app(db, monkeypatch)
    _login(at, "demo_finance", logins["demo_finance"])
    assert "停用" in at.error[0].value
    assert "_anju_user" not in at.session_state


@pytest.mark.parametrize("attack", ["' OR 1=1 --", "demo_admin'--", "'; DROP TABLE app_user; --"])
def test_sql_in_login_fields(auth_db, monkeypatch, attack) -> None:
    db, _ = auth_db
    at = _app(db, monkeypatch)
    _login(at, attack, attack)
    assert not at.exception
    assert "用户名或密码不正确" in at.error[0].value
    assert connect(db).execute("SELECT count(*) FROM app_user").fetchone()[0] >= 5


@pytest.mark.parametrize("role", list(access.ROLES))
def test_each_role_sees_only_its_pages(auth_db, monkeypatch, role) -> None:
    db, _ = auth_db
    user = access.User(f"t_{role}", role, HUAYANG if role == "street" else None)
    at = _app(db, monkeypatch, user)
    for page in PAGES:
        if access.can(user, page.key):
            at.switch_page(page.path).run()
            assert not at.exception, (role, page.key, at.exception)
            assert not any("没有访问此页面的权限" in e.value for e in at.error), (role, page.key)
        else:
            # Not in this role's navigation at all: no menu entry, no URL that reaches it.
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(page.path)


@pytest.mark.parametrize("page", [p for p in PAGES if p.key != "coverage"])
def test_pages_guard_themselves(auth_db, monkeypatch, page) -> None:
    """Run a page script directly as a role that may not view it: it refuses and shows no data."""
    db, _ = auth_db
    refused = [r for r in access.ROLES if not access.can(access.User("x", r, HUAYANG), page.key)]
    for role in refused:
        monkeypatch.setenv("ANJU_DB", str(db))
        at = AppTest.from_file(str(Path(APP).parent / page.path), default_timeout=60)
        at.session_state["_anju_user"] = access.User(
            f"t_{role}", role, HUAYANG if role == "street" else None
        )
        at.run()
        assert any("没有访问此页面的权限" in e.value for e in at.error), (role, page.key)
        assert not at.dataframe and not at.metric, (role, page.key)


def test_street_user_sees_only_their_street(auth_db, monkeypatch) -> None:
    db, _ = auth_db
    at = _app(db, monkeypatch, access.User("t_street", "street", HUAYANG))
    table = at.dataframe[0].value
    assert set(table["街镇"]) == {"华阳路街道"}
    options = at.selectbox(key="coverage_street").options
    assert len(options) == 2  # 全区 (= own street) and 华阳路街道
    truth = queries.run(
        connect(db),
        "programme_kpis",
        programme_id=demo.PROGRAMME,
        as_of=demo.AS_OF,
        street_ids=[HUAYANG],
    ).to_dict("records")[0]
    assert {m.label: m.value for m in at.metric}["目标户数"] == f"{truth['target']:,}"
    # A drill-down request for another street (as a crafted session would send) shows nothing of it.
    at.session_state["coverage_street"] = "310105004"
    at.run()
    shown = at.dataframe[0].value if at.dataframe else None
    assert shown is None or "周家桥街道" not in set(shown.get("街镇", []))


def test_audit_page_search_with_sql_text(auth_db, monkeypatch) -> None:
    db, _ = auth_db
    at = _app(db, monkeypatch, access.User("t_admin", "admin"))
    at.switch_page("dashboard/pages/audit.py").run()
    assert "哈希链校验通过" in at.success[0].value
    at.text_input(key="audit_text").input("'; DELETE FROM audit_log; --").run()
    assert not at.exception
    assert connect(db).execute("SELECT count(*) FROM audit_log").fetchone()[0] > 0
    at.text_input(key="audit_text").input("").run()
    box = at.selectbox(key="audit_action")  # options are shown in words: 登录失败
    box.select_index(box.options.index("登录失败")).run()
    found = at.dataframe[0].value
    assert len(found) >= 1 and set(found["操作"]) == {"登录失败"}  # actions in words
    assert "None" not in set(found["详情"]) and not found["详情"].str.startswith("{").any()


_STREET_COLUMNS = ("街镇", "street_name", "所属街镇")
_ID_COLUMNS = ("household_id", "户号", "住户编号")


@pytest.mark.parametrize(
    "page", [p for p in PAGES if access.can(access.User("s", "street", HUAYANG), p.key)]
)
def test_street_user_data_on_every_page(auth_db, monkeypatch, page) -> None:
    """Every table a street user is shown, on every page they may open, holds only their street."""
    db, _ = auth_db
    at = _app(db, monkeypatch, access.User("t_street", "street", HUAYANG))
    at.switch_page(page.path).run()
    assert not at.exception, at.exception
    con = connect(db)
    own = {
        r[0]
        for r in con.execute(
            "SELECT household_id FROM household WHERE street_id = ?", [HUAYANG]
        ).fetchall()
    }
    for frame in (d.value for d in at.dataframe):
        for col in _STREET_COLUMNS:
            if col in frame.columns:
                assert set(frame[col].dropna()) <= {"华阳路街道"}, (page.key, col)
        for col in _ID_COLUMNS:
            if col in frame.columns:
                assert set(frame[col].dropna()) <= own, (page.key, col)
