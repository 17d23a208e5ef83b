"""The 批次 page as a street user would use it: propose, save, send, refuse edits, reopen, export."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from data.store.connection import connect
from data.users import access
from documents import batch_docs
from tests.apptest import frame_with, open_page
from tests.downloads import deferred_download, record_deferred

HUAYANG = "310105001"


@pytest.fixture
def batch_db(demo_db, tmp_path, monkeypatch) -> Path:
    db = tmp_path / "demo.duckdb"  # the page writes batches and audit entries
    shutil.copy(demo_db, db)
    monkeypatch.setenv("ANJU_DB", str(db))
    return db


def _page(user: access.User) -> AppTest:
    return open_page(user, "dashboard/pages/batch.py")


def test_street_user_plans_saves_sends_and_reopens(batch_db, monkeypatch):
    kept = record_deferred(monkeypatch)
    at = _page(access.User("t_street", "street", HUAYANG))
    assert at.selectbox(key="batch_street").options == ["华阳路街道"]
    at.selectbox(key="batch_month").set_value("2023-08").run()
    at.button(key="batch_propose").click().run()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["工作日"] == "23 天" and metrics["容量"] == "552 户"
    assert metrics["排入"] == "298 户"
    travel = float(metrics["路程"].split()[0])
    assert travel < 0.7 * 52.0
    calendar = at.table[0].value
    assert list(calendar.columns)[:2] == ["周一", "周二"]
    assert any("24户" in str(v) for v in calendar.to_numpy().ravel())
    plan = frame_with(at, "列入理由")
    assert len(plan) == 298 and plan["列入理由"].str.len().min() > 0
    assert plan["姓名"].str.contains(r"\*").all()  # masked unless unmasked
    # Seed 000 has no four-party 确认单: the batch prints its roster only.
    assert "batch_plan_slips_make" not in [b.key for b in at.button]
    # The street may unmask: the gas company's 下发版 carries full names, the other is masked.
    full = batch_docs.read_roster(deferred_download(at, "batch_plan_roster_full", kept))
    shown = batch_docs.read_roster(deferred_download(at, "batch_plan_roster", kept))
    assert len(full) == len(shown) == 298
    assert not full["姓名"].str.contains(r"\*").any() and shown["姓名"].str.contains(r"\*").all()
    at.button(key="batch_save").click().run()
    assert not at.exception, at.exception
    assert any("已保存为草稿" in s.value for s in at.success)
    assert at.session_state["batch_tab"] == "已有批次"  # lands on the saved batch
    assert at.selectbox(key="batch_pick").value == f"{HUAYANG}-2023-08-1"
    progress = frame_with(at, "完成率")
    assert progress["计划户数"].sum() == 298 and progress["已完成"].sum() == 0
    # Edit the draft: take one household out, with a reason.
    first = frame_with(at, "列入理由")["住户编号"].iloc[0]
    at.radio(key="batch_edit_action").set_value("remove")
    at.text_input(key="batch_edit_hh").input(first)
    at.text_input(key="batch_edit_why").input("老人住院")
    at.button(key="batch_edit_go").click().run()
    assert any(f"已移出 {first}" in s.value for s in at.success), [e.value for e in at.error]
    assert frame_with(at, "完成率")["计划户数"].sum() == 297
    at.button(key="batch_send").click().run()
    assert any("已下发" in s.value for s in at.success)
    assert "batch_send" not in [b.key for b in at.button]  # locked: no edit controls
    at.button(key="batch_reopen").click().run()  # without a reason: refused
    assert any("理由" in e.value for e in at.error)
    at.text_input(key="batch_reopen_reason").input("燃气公司班组调整").run()
    at.button(key="batch_reopen").click().run()
    assert any("已退回草稿" in s.value for s in at.success)
    con = connect(batch_db)
    try:
        trail = con.execute(
            "SELECT action, actor FROM audit_log WHERE object LIKE 'batch:%' ORDER BY audit_id"
        ).fetchall()
        events = con.execute("SELECT event FROM batch_event ORDER BY recorded_at").fetchall()
    finally:
        con.close()
    assert (
        trail
        == [("batch_status", "t_street"), ("edit", "t_street")] + [("batch_status", "t_street")] * 2
    )
    assert events == [("sent",), ("withdrawn",)]


def test_admin_sees_every_street_and_other_roles_cannot_open(batch_db):
    at = _page(access.User("t_admin", "admin"))
    assert len(at.selectbox(key="batch_street").options) == 10
    assert not access.can(access.User("t_leader", "leader"), "batch")
