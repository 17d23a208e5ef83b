"""AppTest of the 设备状态 and 服务保障 pages on the demo: numbers equal the data layer, masking,
street scope, the revisit export, recording an event."""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta
from pathlib import Path

import openpyxl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.components import aftercare as ui
from data.demos import demo
from data.events import devices, service
from data.store.connection import connect
from data.users import access
from tests.apptest import frame_with, open_page
from tests.conftest import build_demo
from tests.downloads import deferred_download, record_deferred

HUAYANG = "310105001"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo database of its own: recording events and audit entries change it."""
    return build_demo(tmp_path_factory, "aftercare")


def _page(db: Path, monkeypatch: pytest.MonkeyPatch, user: access.User, page: str) -> AppTest:
    monkeypatch.setenv("ANJU_DB", str(db))
    return open_page(user, page)


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _health(db: Path, scope=None):
    con = connect(db)
    try:
        return devices.health(con, demo.PROGRAMME, demo.AS_OF, scope)
    finally:
        con.close()


def test_device_page_shows_health_and_a_masked_revisit_list(db, monkeypatch) -> None:
    at = _page(db, monkeypatch, access.User("t_fire", "fire"), "dashboard/pages/devices.py")
    truth = devices.summary(_health(db))
    shown = _metrics(at)
    assert shown["设备数"] == f"{truth['devices']:,}"
    assert shown["离线"] == f"{truth['offline']:,}"
    assert shown["从未上报"] == f"{truth['never_reported']:,}"
    revisit = frame_with(at, "需上门原因")
    assert len(revisit) == len(devices.revisit(_health(db)))
    assert revisit["姓名"].str.contains(r"\*").all()
    assert revisit["联系电话"].str.fullmatch(r"1\d\d\*{4}\d{4}").all()
    assert {"平台报告离线", "安装后从未上报"} <= set(revisit["需上门原因"])
    groups = frame_with(at, "未在线比例（%）")
    assert set(groups["街镇"]) == {s.name for s in demo.STREETS}
    assert {b.label for b in at.get("download_button")} == {
        "导出需上门设备清单 Excel（交燃气公司）"
    }
    at.radio(key="devices_group").set_value("installer").run()
    worst = frame_with(at, "未在线比例（%）").iloc[0]
    assert worst["安装班组"] == "大众燃气第7班组"  # the demo's crew with bad installs


def test_device_visit_list_is_searched_in_sql(db, monkeypatch) -> None:
    """The visit list's search box narrows the list (and its count) to what a filter of the
    whole list finds; the page picker says how many pages there are and goes once the list
    fits on one page."""
    whole = devices.revisit(_health(db))
    needle = whole["community_name"].dropna().iloc[len(whole) // 2]
    expected = whole[whole["community_name"].fillna("").str.contains(needle, regex=False)]
    assert 0 < len(expected) < len(whole) // 2
    monkeypatch.setattr(ui, "REVISIT_PAGE_ROWS", len(whole) // 2 + 1)
    at = _page(db, monkeypatch, access.User("t_fire", "fire"), "dashboard/pages/devices.py")
    assert at.number_input(key="devices_revisit_pageno").label.endswith("2 页）")
    at.text_input(key="devices_revisit_search").input(needle).run()
    assert not at.exception, at.exception
    assert not [w for w in at.number_input if w.key == "devices_revisit_pageno"]
    shown = frame_with(at, "需上门原因")
    assert list(shown["设备编号"]) == list(expected["serial"])
    assert any(f"（{len(expected):,}）" in h.value for h in at.subheader)


def test_device_export_is_the_whole_visit_list_built_on_click(db, monkeypatch) -> None:
    kept = record_deferred(monkeypatch)
    at = _page(db, monkeypatch, access.User("t_fire", "fire"), "dashboard/pages/devices.py")
    whole = devices.revisit(_health(db))
    book = openpyxl.load_workbook(io.BytesIO(deferred_download(at, "devices_download", kept)))
    sheet = book["需上门设备"]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    serials = [r[header.index("设备编号")] for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert serials == list(whole["serial"])


def test_street_user_sees_only_their_devices_and_events(db, monkeypatch) -> None:
    user = access.User("t_street", "street", HUAYANG)
    at = _page(db, monkeypatch, user, "dashboard/pages/devices.py")
    truth = devices.summary(_health(db, [HUAYANG]))
    assert _metrics(at)["设备数"] == f"{truth['devices']:,}"
    assert set(frame_with(at, "需上门原因")["街镇"]) == {"华阳路街道"}
    at = _page(db, monkeypatch, user, "dashboard/pages/service.py")
    for frame in at.dataframe:
        if "街镇" in frame.value.columns:
            assert set(frame.value["街镇"].dropna()) <= {"华阳路街道"}


def test_service_page_timeliness_equals_the_data_layer(db, monkeypatch) -> None:
    at = _page(db, monkeypatch, access.User("t_leader", "leader"), "dashboard/pages/service.py")
    con = connect(db)
    try:
        since = demo.AS_OF - timedelta(days=29)
        stds = service.programme_standards(con, demo.PROGRAMME)
        timed = service.timeliness(
            service.events(con, demo.PROGRAMME, since, demo.AS_OF, None), stds, demo.AS_OF
        )
    finally:
        con.close()
    window = timed[timed["reported_at"] >= str(since)]
    shown = _metrics(at)
    assert shown["近 30 天事件"] == f"{len(window):,}"
    assert shown["未办结"] == f"{int(timed['open'].sum()):,}"
    assert shown["按时响应率"] == f"{window['response_ok'].dropna().mean():.1%}"
    kinds = frame_with(at, "按时办结率（%）")
    assert list(kinds["类别"]) == list(service.DEFAULT_STANDARDS)
    assert kinds["事件数"].sum() == len(window)
    # Leaders read; they do not record events.
    assert not any(e.label == "登记服务事件" for e in at.expander)


def test_street_user_records_an_event_of_their_street(db, monkeypatch) -> None:
    user = access.User("t_street", "street", HUAYANG)
    at = _page(db, monkeypatch, user, "dashboard/pages/service.py")
    before = _metrics(at)["未办结"]
    at.selectbox(key="rec_kind").set_value("抢修")
    at.time_input(key="rec_rep_t").set_value(time(9, 30))
    at.date_input(key="rec_rsp_d").set_value(demo.AS_OF)
    at.time_input(key="rec_rsp_t").set_value(time(9, 55))
    at.text_input(key="rec_address").input("华阳路某某弄1号")
    next(b for b in at.button if b.label == "登记").click().run()
    assert not at.exception, at.exception
    assert any("已登记" in s.value for s in at.success)
    assert int(_metrics(at)["未办结"].replace(",", "")) == int(before.replace(",", "")) + 1
    con = connect(db)
    try:
        row = con.execute(
            "SELECT street_id, kind, responded_at FROM service_event WHERE event_id LIKE 'WEB%'"
        ).fetchone()
        logged = con.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'service_event_add' AND actor = 't_street'"
        ).fetchone()[0]
    finally:
        con.close()
    assert row[:2] == (HUAYANG, "抢修") and logged == 1
    assert row[2] == datetime.combine(demo.AS_OF, time(9, 55))


def test_overdue_page_lists_overdue_service_events(db, monkeypatch) -> None:
    at = _page(db, monkeypatch, access.User("t_leader", "leader"), "dashboard/pages/overdue.py")
    con = connect(db)
    try:
        truth = service.overdue_frame(
            service.events(con, demo.PROGRAMME, demo.AS_OF, demo.AS_OF, None),
            service.programme_standards(con, demo.PROGRAMME),
            demo.AS_OF,
        )
    finally:
        con.close()
    assert len(truth) > 0
    shown = at.dataframe(key="overdue_service").value
    assert len(shown) == len(truth)
    assert list(shown["工单号"]) == list(truth["event_id"])
    assert shown["地址"].str.contains(r"\*").all()  # masked for leaders


def test_demo_figures_in_the_manuals(db) -> None:
    """The manuals' demo figures: device health (docs/manual-fire.md) and service timeliness
    (docs/manual-street.md) on 2023-07-14."""
    con = connect(db)
    try:
        health = devices.summary(devices.health(con, demo.PROGRAMME, demo.AS_OF, None))
        since = demo.AS_OF - timedelta(days=29)
        stds = service.programme_standards(con, demo.PROGRAMME)
        timed = service.timeliness(
            service.events(con, demo.PROGRAMME, since, demo.AS_OF, None), stds, demo.AS_OF
        )
        events = con.execute("SELECT count(*) FROM device_event").fetchone()[0]
    finally:
        con.close()
    assert {k: health[k] for k in ("devices", "online", "offline", "never_reported", "alarms")} == {
        "devices": 3050,
        "online": 2765,
        "offline": 244,
        "never_reported": 41,
        "alarms": 14,
    }
    assert events == 88628
    # Events recorded on the page by another test of this module are not the demo's.
    timed = timed[~timed["event_id"].str.startswith("WEB")]
    window = timed[timed["reported_at"] >= str(since)]
    assert len(window) == 283
    assert round(window["response_ok"].dropna().mean() * 100, 1) == 91.7
    assert round(window["resolution_ok"].dropna().mean() * 100, 1) == 87.7
    assert (int(timed["open"].sum()), int(timed["overdue"].sum())) == (33, 12)
