"""AppTest of the 周报 counting basis: business date (default), as known that day, 第N期."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import queries
from data import access, demo
from data.connection import connect

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")
LEADER = access.User("t_leader", "leader")
STREET = access.User("t_street", "street", street_id="310105004")


@pytest.fixture
def own_demo(demo_db: Path, tmp_path: Path) -> Path:
    """A private copy: publishing writes to the database."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, path)
    return path


def _open(db: Path, monkeypatch, user) -> AppTest:
    monkeypatch.setenv("ANJU_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["_anju_user"] = user
    at.run()
    at.switch_page("dashboard/pages/weekly.py")
    at.run()
    assert not at.exception, at.exception
    return at


def _installed(at: AppTest) -> int:
    return int(next(m.value for m in at.metric if m.label == "已安装").replace(",", ""))


def _truth(db: Path, known_at=None) -> int:
    con = connect(db)
    try:
        df = queries.run(
            con,
            "programme_kpis",
            programme_id=demo.PROGRAMME,
            as_of=demo.AS_OF,
            known_at=known_at,
            street_ids=None,
        )
    finally:
        con.close()
    return int(df["installed"].iloc[0])


def test_business_date_by_default_and_as_published_on_request(own_demo, monkeypatch):
    at = _open(own_demo, monkeypatch, LEADER)
    assert at.radio(key="weekly_basis").value == "business"
    assert _installed(at) == _truth(own_demo)
    at.radio(key="weekly_basis").set_value("as_published").run()
    assert not at.exception, at.exception
    end_of_day = datetime.combine(demo.AS_OF + timedelta(days=1), datetime.min.time())
    assert _installed(at) == _truth(own_demo, end_of_day) < _truth(own_demo)
    assert any("已录入系统的记录" in c.value for c in at.caption)


def test_publish_then_reshow_the_issue(own_demo, monkeypatch):
    at = _open(own_demo, monkeypatch, LEADER)
    at.radio(key="weekly_basis").set_value("issue").run()
    assert any("尚未发布周通报" in i.value for i in at.info)
    at.radio(key="weekly_basis").set_value("business").run()
    at.button(key="weekly_publish").click().run()
    assert not at.exception, at.exception
    assert any("已发布第1期" in s.value for s in at.success)
    at.radio(key="weekly_basis").set_value("issue").run()
    assert not at.exception, at.exception
    assert "第1期" in at.selectbox(key="weekly_issue").format_func(1)
    assert _installed(at) == _truth(own_demo)  # nothing arrived since publication
    con = connect(own_demo)
    try:
        action = con.execute(
            "SELECT action FROM audit_log ORDER BY audit_id DESC LIMIT 1"
        ).fetchone()[0]
    finally:
        con.close()
    assert action == "bulletin_publish"


def test_street_users_cannot_publish(own_demo, monkeypatch):
    at = _open(own_demo, monkeypatch, STREET)
    assert not [b for b in at.button if b.key == "weekly_publish"]
