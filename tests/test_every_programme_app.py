"""Every page runs for every shipped template and every role that may open it: on a database
holding only that programme (no streets, no households, no phases' data) and beside the demo,
switched to in the sidebar. A clear Chinese empty state, never an exception.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.navigation import PAGES
from data.setup import programmes
from data.store.connection import connect
from data.users import access

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")
TEMPLATES = programmes.shipped()  # picks up templates added by other issues


def _user(role: str) -> access.User:
    return access.User(f"t_{role}", role, street_id="NO_SUCH_STREET" if role == "street" else None)


def _run_every_page(db: Path, monkeypatch, role: str, programme_id: str) -> list[str]:
    """Open every page the role may see; return the page keys that raised, with the message."""
    monkeypatch.setenv("ANJU_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["_anju_user"] = _user(role)
    at.session_state["programme_id"] = programme_id
    at.run()
    failed = []
    for page in PAGES:
        if not access.can(_user(role), page.key):
            continue
        at.switch_page(page.path)
        at.run()
        if at.exception:
            failed.append(f"{page.key}: {at.exception[0].message}")
        texts = " ".join(m.value for m in [*at.title, *at.info, *at.markdown] if m.value)
        assert "Traceback" not in texts
    return failed


@pytest.fixture(scope="module")
def empty_dbs(tmp_path_factory) -> dict[str, Path]:
    out = {}
    for name in TEMPLATES:
        db = tmp_path_factory.mktemp("empty") / f"{name}.duckdb"
        con = connect(db)
        try:
            programmes.save(con, programmes.read_template(name), "test")
        finally:
            con.close()
        out[name] = db
    return out


@pytest.mark.parametrize("role", list(access.ROLES))
@pytest.mark.parametrize("template", TEMPLATES)
def test_every_page_on_a_new_programme(empty_dbs, monkeypatch, template, role):
    pid = programmes.read_template(template)["programme"]["programme_id"]
    assert _run_every_page(empty_dbs[template], monkeypatch, role, pid) == []


def test_a_new_programme_shows_a_chinese_empty_state(empty_dbs, monkeypatch):
    db = empty_dbs["wushen_2024"]
    monkeypatch.setenv("ANJU_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["_anju_user"] = _user("admin")
    at.run()
    assert not at.exception
    assert any("还没有街道（镇/苏木）边界" in i.value for i in at.info)


@pytest.fixture(scope="module")
def demo_with_all(demo_db: Path, tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("multi") / "demo_all.duckdb"
    shutil.copy(demo_db, db)
    con = connect(db)
    try:
        for name in TEMPLATES:
            tpl = programmes.read_template(name)
            if tpl["programme"]["programme_id"] not in {
                p["programme_id"] for p in programmes.listing(con)
            }:
                programmes.save(con, tpl, "test")
    finally:
        con.close()
    return db


@pytest.mark.parametrize("role", list(access.ROLES))
@pytest.mark.parametrize("template", [t for t in TEMPLATES if t != "changning_2023"])
def test_every_page_beside_the_demo(demo_with_all, monkeypatch, template, role):
    pid = programmes.read_template(template)["programme"]["programme_id"]
    assert _run_every_page(demo_with_all, monkeypatch, role, pid) == []


def test_the_sidebar_lists_every_programme(demo_with_all, monkeypatch):
    monkeypatch.setenv("ANJU_DB", str(demo_with_all))
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["_anju_user"] = _user("leader")
    at.run()
    picker = at.sidebar.selectbox(key="programme_id")
    names = {programmes.read_template(n)["programme"]["name"] for n in TEMPLATES}
    assert set(picker.options) == names  # shown by name, one per programme
    picker.set_value("wushen_2024").run()
    assert not at.exception
    assert any("乌审旗" in title.value for title in at.title)


def test_the_chosen_programme_survives_a_reload(demo_with_all, monkeypatch):
    """The choice rides in the address: a reload (a new session with the same URL) keeps it."""
    monkeypatch.setenv("ANJU_DB", str(demo_with_all))
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["_anju_user"] = _user("leader")
    at.run()
    at.sidebar.selectbox(key="programme_id").set_value("wushen_2024").run()
    assert at.query_params["programme"] in ("wushen_2024", ["wushen_2024"])
    reloaded = AppTest.from_file(APP, default_timeout=120)
    reloaded.session_state["_anju_user"] = _user("leader")
    reloaded.query_params["programme"] = "wushen_2024"
    reloaded.run()
    assert not reloaded.exception
    assert reloaded.sidebar.selectbox(key="programme_id").value == "wushen_2024"
    assert any("乌审旗" in title.value for title in reloaded.title)
    # an unknown or hostile value is ignored, not an error
    other = AppTest.from_file(APP, default_timeout=120)
    other.session_state["_anju_user"] = _user("leader")
    other.query_params["programme"] = "../../etc/passwd"
    other.run()
    assert not other.exception
