"""AppTest of the 周报 counting basis: business date (default), as known that day, 第N期."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from streamlit.testing.v1 import AppTest

from data.demos import demo
from data.users import access
from tests.apptest import fetch_one, open_page, run_query

LEADER = access.User("t_leader", "leader")
STREET = access.User("t_street", "street", street_id="310105004")


def _open(db: Path, monkeypatch, user) -> AppTest:
    monkeypatch.setenv("ANJU_DB", str(db))
    return open_page(user, "dashboard/pages/weekly.py", timeout=120)


def _installed(at: AppTest) -> int:
    return int(next(m.value for m in at.metric if m.label == "已安装").replace(",", ""))


def _truth(db: Path, known_at=None) -> int:
    df = run_query(
        db,
        "programme_kpis",
        programme_id=demo.PROGRAMME,
        as_of=demo.AS_OF,
        known_at=known_at,
        street_ids=None,
    )
    return int(df["installed"].iloc[0])


def test_business_date_by_default_and_as_published_on_request(demo_copy, monkeypatch):
    at = _open(demo_copy, monkeypatch, LEADER)
    assert at.radio(key="weekly_basis").value == "business"
    assert _installed(at) == _truth(demo_copy)
    at.radio(key="weekly_basis").set_value("as_published").run()
    assert not at.exception, at.exception
    end_of_day = datetime.combine(demo.AS_OF + timedelta(days=1), datetime.min.time())
    assert _installed(at) == _truth(demo_copy, end_of_day) < _truth(demo_copy)
    assert any("已录入系统的记录" in c.value for c in at.caption)


def test_publish_then_reshow_the_issue(demo_copy, monkeypatch):
    at = _open(demo_copy, monkeypatch, LEADER)
    at.radio(key="weekly_basis").set_value("issue").run()
    assert any("尚未发布周通报" in i.value for i in at.info)
    at.radio(key="weekly_basis").set_value("business").run()
    at.button(key="weekly_publish").click().run()
    assert not at.exception, at.exception
    assert any("已发布第1期" in s.value for s in at.success)
    at.radio(key="weekly_basis").set_value("issue").run()
    assert not at.exception, at.exception
    assert "第1期" in at.selectbox(key="weekly_issue").format_func(1)
    assert _installed(at) == _truth(demo_copy)  # nothing arrived since publication
    (action,) = fetch_one(demo_copy, "SELECT action FROM audit_log ORDER BY audit_id DESC LIMIT 1")
    assert action == "bulletin_publish"


def test_street_users_cannot_publish(demo_copy, monkeypatch):
    at = _open(demo_copy, monkeypatch, STREET)
    assert not [b for b in at.button if b.key == "weekly_publish"]
