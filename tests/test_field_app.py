"""AppTest of 入户登记 on the demo, as a street user and as an administrator: today's
crew-day, search within scope, each form's validation message, a tampered request, an
installation that counts on 覆盖地图 at once, and a withdrawal that takes it out again."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from anju.cli import main
from data.demos import demo
from data.households import household_state
from data.store import clock
from data.store.connection import connect
from data.users import access
from tests.apptest import open_page
from tests.crew_day import HUAYANG, todays_batch

PAGE = "dashboard/pages/field.py"
STREET = access.User("t_street", "street", HUAYANG, "华阳路网格员")
ADMIN = access.User("t_admin", "admin")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo database of its own with a sent batch whose crew-day is today in 华阳路: three
    surveyed, not yet installed households, in visit order."""
    path = tmp_path_factory.mktemp("field") / "demo.duckdb"
    demo.build(path)
    con = connect(path)
    try:
        picks = todays_batch(con, "FIELD-1", 3, "已排摸未安装")
        other = con.execute(
            "SELECT household_id FROM household WHERE programme_id = ? AND street_id <> ?"
            " ORDER BY household_id LIMIT 1",
            [demo.PROGRAMME, HUAYANG],
        ).fetchone()[0]
        con.execute(
            "INSERT INTO app_meta VALUES ('test_field_picks', ?), ('test_field_other', ?)",
            [",".join(picks), other],
        )
    finally:
        con.close()
    return path


def _meta(db: Path, key: str) -> str:
    con = connect(db)
    try:
        return con.execute("SELECT value FROM app_meta WHERE key = ?", [key]).fetchone()[0]
    finally:
        con.close()


def _device(db: Path) -> str:
    """The demo's piped-gas device set (every 华阳路 pick is piped)."""
    con = connect(db)
    try:
        return con.execute(
            "SELECT min(device_type) FROM device_type WHERE programme_id = ? AND gas_type = 'piped'",
            [demo.PROGRAMME],
        ).fetchone()[0]
    finally:
        con.close()


def _open(db: Path, monkeypatch: pytest.MonkeyPatch, user: access.User, page: str = PAGE):
    monkeypatch.setenv("ANJU_DB", str(db))
    return open_page(user, page)


def _texts(at: AppTest) -> str:
    return "\n".join(str(x.value) for x in [*at.text, *at.markdown, *at.caption, *at.subheader])


def _save(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception
    return at


def _installed(at: AppTest) -> str:
    return next(m.value for m in at.metric if m.label.startswith("已安装"))


def _pick_today(at: AppTest, hid: str) -> AppTest:
    at.button(key=f"field_today_FIELD-1_1_{hid}").click().run()
    assert not at.exception, at.exception
    return at


def test_street_user_sees_todays_crew_day_in_visit_order(db, monkeypatch) -> None:
    picks = _meta(db, "test_field_picks").split(",")
    at = _open(db, monkeypatch, STREET)
    keys = [b.key for b in at.button if (b.key or "").startswith("field_today_")]
    assert keys == [f"field_today_FIELD-1_1_{h}" for h in picks]
    assert "已装 0/3" in _texts(at)
    # masked by default: names end in *, the 地图导航 links are geo: URIs
    labels = [b.label for b in at.button if (b.key or "").startswith("field_today_")]
    assert all("*" in lbl for lbl in labels)
    _pick_today(at, picks[0])
    assert picks[0] in _texts(at)
    assert "时间线" in {e.label.split("（")[0] for e in at.expander}


@pytest.mark.parametrize(
    ("kind", "fill", "message"),
    [
        ("visit", {"field_visit_outcome": "有隐患"}, "请选择发现的隐患类型"),
        ("visit", {"field_visit_outcome": "拒绝"}, "请填写备注"),
        ("refusal", {}, "请填写拒绝原因"),
        ("installation", {}, "请选择安装的设备"),
        ("installation", {"devices": True}, "请填写设备"),
        ("installation", {"devices": True, "sn": "SN-NEW-0001"}, "请填写安装人员"),
        (
            "installation",
            {"devices": True, "sn": "SN-NEW-0001", "field_installation_installer": "李"},
            "住户已在确认单上签字",
        ),
        ("rectified", {}, "请选择该户的一条隐患"),
        ("gas_restored", {}, "请选择该户的一条隐患"),
        ("verification", {}, "还没有安装记录"),
        ("helper_visit", {"field_helper_visit_helper": "王"}, "请勾选本次检查的内容"),
    ],
)
def test_each_form_answers_its_validation_error_in_chinese(
    db, monkeypatch, kind, fill, message
) -> None:
    picks = _meta(db, "test_field_picks").split(",")
    at = _pick_today(_open(db, monkeypatch, STREET), picks[2])
    at.selectbox(key="field_kind").set_value(kind).run()
    for key, value in fill.items():
        if key == "devices":
            at.multiselect(key="field_installation_devices").set_value([_device(db)])
        elif key == "sn":
            next(
                t for t in at.text_input if (t.key or "").startswith("field_installation_sn_")
            ).input(value)
        elif key.endswith("outcome"):
            at.radio(key=key).set_value(value)
        else:
            at.text_input(key=key).input(value)
    _save(
        at,
        f"保存{dict(visit='入户检查', refusal='拒绝入户', installation='安装', rectified='隐患整改', gas_restored='恢复供气', verification='街道验收', helper_visit='帮扶走访')[kind]}",
    )
    assert any(message in e.value for e in at.error), [e.value for e in at.error]


def test_street_user_cannot_reach_another_street(db, monkeypatch) -> None:
    other = _meta(db, "test_field_other")
    at = _open(db, monkeypatch, STREET)
    at.segmented_control(key="field_mode").set_value("search").run()
    at.text_input(key="field_search").input(other).run()
    assert not [b for b in at.button if (b.key or "").startswith("field_pick_")]
    assert "找到 0 户" in _texts(at)
    # A tampered request: the household id of another street put into the session.
    at.session_state["field_household"] = other
    at.run()
    assert any("不在您的管辖范围" in e.value for e in at.error)
    assert other not in _texts(at)


def test_admin_finds_any_street_and_records(db, monkeypatch) -> None:
    other = _meta(db, "test_field_other")
    at = _open(db, monkeypatch, ADMIN)
    at.segmented_control(key="field_mode").set_value("search").run()
    at.text_input(key="field_search").input(other).run()
    at.button(key=f"field_pick_{other}").click().run()
    assert other in _texts(at)
    at.selectbox(key="field_kind").set_value("refusal").run()
    at.text_input(key="field_refusal_reason").input("子女不同意安装")
    _save(at, "保存拒绝入户")
    assert any("已登记" in s.value for s in at.success)


def test_installation_counts_on_the_map_and_withdrawal_takes_it_out(db, monkeypatch) -> None:
    picks = _meta(db, "test_field_picks").split(",")
    cov = _open(db, monkeypatch, STREET, "dashboard/pages/coverage.py")
    before = int(_installed(cov).replace(",", ""))
    at = _pick_today(_open(db, monkeypatch, STREET), picks[1])
    at.selectbox(key="field_kind").set_value("installation").run()
    at.multiselect(key="field_installation_devices").set_value([_device(db)])
    next(t for t in at.text_input if (t.key or "").startswith("field_installation_sn_")).input(
        "SN-APPTEST-01"
    )
    at.text_input(key="field_installation_installer").input("大众燃气第1班组 李师傅")
    at.checkbox(key="field_installation_signed").check()
    _save(at, "保存安装")
    assert any("已登记" in s.value for s in at.success), [e.value for e in at.error]
    assert "SN-APPTEST-01" in _texts(at)
    cov = _open(db, monkeypatch, STREET, "dashboard/pages/coverage.py")
    assert int(_installed(cov).replace(",", "")) == before + 1
    # Withdraw it (author, within 30 minutes): 已安装 goes back, the history keeps it.
    at.selectbox(key="field_withdraw_id")  # the expander's form is there
    at.text_input(key="field_withdraw_reason").input("序列号录错")
    _save(at, "撤回")
    assert not at.error, [e.value for e in at.error]
    assert "已撤回的登记" in _texts(at)
    cov = _open(db, monkeypatch, STREET, "dashboard/pages/coverage.py")
    assert int(_installed(cov).replace(",", "")) == before
    con = connect(db)
    try:
        assert household_state.differences(con)[0] == 0
        actions = [
            r[0]
            for r in con.execute(
                "SELECT action FROM audit_log WHERE actor = 't_street' ORDER BY audit_id"
            ).fetchall()
        ]
        assert actions[-2:] == ["field_installation", "field_withdraw"]
        assert clock.now() - con.execute("SELECT max(recorded_at) FROM field_entry").fetchone()[
            0
        ] < timedelta(minutes=5)
    finally:
        con.close()
    assert main(["check", "--db", str(db)]) == 0  # `anju check` after field writes


def test_other_roles_do_not_see_the_page(db, monkeypatch) -> None:
    for role in ("leader", "fire", "finance"):
        assert not access.can(access.User("x", role), "field")


def test_registry_changes_from_the_page(db, monkeypatch) -> None:
    """Seed 004's forms appear for a programme with helpers (set here on the demo's copy)."""
    con = connect(db)
    try:
        con.execute(
            "UPDATE programme SET settings = json_merge_patch(settings,"
            ' \'{"helpers": {"types": ["村（社区）干部", "网格员", "志愿者", "其他"]}}\')'
            " WHERE programme_id = ?",
            [demo.PROGRAMME],
        )
    finally:
        con.close()
    picks = _meta(db, "test_field_picks").split(",")
    at = _pick_today(_open(db, monkeypatch, STREET), picks[2])
    at.text_input(key="field_registry_helper_name").input("王芳")
    at.text_input(key="field_registry_helper_phone").input("12345")
    _save(at, "更换帮扶人")
    assert any("电话格式不对" in e.value for e in at.error)
    at.text_input(key="field_registry_helper_phone").input("13800001111")
    _save(at, "更换帮扶人")
    assert any("已更换帮扶人" in s.value for s in at.success), [e.value for e in at.error]
    at.selectbox(key="field_registry_left_reason").set_value("care")
    _save(at, "确认离开登记册")
    assert any("不再计入" in s.value for s in at.success), [e.value for e in at.error]
    assert "离开登记册" in _texts(at) and "更换帮扶人" in _texts(at)
    # a person found on the visit
    at.segmented_control(key="field_mode").set_value("search").run()
    at.text_input(key="field_add_name").input("赵大爷")
    at.radio(key="field_add_sex").set_value("男")
    at.number_input(key="field_add_birth").set_value(1940)
    at.text_input(key="field_add_address").input("华阳路1号")
    _save(at, "加入登记册")
    assert any("已加入登记册" in s.value for s in at.success), [e.value for e in at.error]
    # the card's heading is Markdown: the masked name's * are escaped, shown as 赵**
    assert "赵大爷" in _texts(at) or "赵\\*\\*" in _texts(at)
    con = connect(db)
    try:
        assert household_state.differences(con)[0] == 0
        actions = {
            r[0]
            for r in con.execute(
                "SELECT action FROM audit_log WHERE action LIKE 'registry_%'"
            ).fetchall()
        }
        assert actions == {"registry_helper", "registry_left", "registry_added"}
    finally:
        con.close()


def _entries(db: Path, hid: str, note: str) -> int:
    con = connect(db)
    try:
        return con.execute(
            "SELECT count(*) FROM field_entry WHERE household_id = ?"
            " AND json_extract_string(detail, '$.note') = ?",
            [hid, note],
        ).fetchone()[0]
    finally:
        con.close()


def _last_entry(db: Path) -> int:
    con = connect(db)
    try:
        return con.execute("SELECT max(entry_id) FROM field_entry").fetchone()[0]
    finally:
        con.close()


def test_a_second_tap_on_a_saved_form_stores_no_second_entry_and_the_form_empties(
    db, monkeypatch
) -> None:
    from dashboard.components import geolocation

    picks = _meta(db, "test_field_picks").split(",")
    at = _pick_today(_open(db, monkeypatch, STREET), picks[0])
    at.selectbox(key="field_kind").set_value("visit").run()
    at.radio(key="field_visit_outcome").set_value("正常")
    at.text_input(key="field_visit_note").input("双击测试")
    # The first tap is stored, but its answer never reaches the worker (the page fails after
    # the commit): the form still shows what was typed, and the worker taps 保存 again.
    real, lost = geolocation.after_save, []

    def dropped(*args):
        if not lost:
            lost.append(_last_entry(db))
            raise ValueError("连接中断")
        return real(*args)

    monkeypatch.setattr(geolocation, "after_save", dropped)
    _save(at, "保存入户检查")
    assert lost and _entries(db, picks[0], "双击测试") == 1
    assert at.text_input(key="field_visit_note").value == "双击测试"
    _save(at, "保存入户检查")
    assert _entries(db, picks[0], "双击测试") == 1
    assert any(f"编号 {lost[0]}" in s.value for s in at.success), [s.value for s in at.success]
    # saved: the form is a new, empty one (new widgets, so the browser shows them empty too)
    notes = [w for w in at.text_input if (w.key or "").startswith("field_visit_")]
    assert [w.value for w in notes] == [""] and notes[0].key != "field_visit_note"
