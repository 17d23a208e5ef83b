"""入户登记 write path on the tiny programme: every kind of entry, each rule, scope,
withdrawal, photos — and the stored status stays equal to the events after each write."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pillow_heif
import pytest
from PIL import Image

from data.fieldwork import field, photos
from data.households import household_state
from data.store import clock
from data.users import access
from tests.conftest import TINY

ADMIN = access.User("tiny_admin", "admin")
WEST = access.User("west", "street", "S1")
EAST = access.User("east", "street", "S2")


@pytest.fixture
def con(tiny_con):
    tiny_con.execute(
        "INSERT INTO device_type (programme_id, device_type, name, gas_type, unit_price_cny,"
        " warranty_years, planned_units) VALUES (?, 'ng_alarm_valve', '报警器+切断阀', 'piped', 890, 5, NULL),"
        " (?, 'lpg_alarm', '液化气报警器', 'lpg', 350, 5, NULL)",
        [TINY, TINY],
    )
    return tiny_con


def _now() -> datetime:
    return clock.now() - timedelta(minutes=1)


def _clean(con) -> None:
    count, rows = household_state.differences(con)
    assert count == 0, rows


def _status(con, hid: str) -> dict:
    return field.household(con, ADMIN, TINY, hid)


def _install(con, hid="H2", serial="SNX100", user=WEST, **extra) -> int:
    values = {
        "device_types": ["ng_alarm_valve"],
        "serials": {"ng_alarm_valve": serial},
        "installer": "李师傅",
        "signed": True,
    } | extra
    return field.record(con, user, TINY, hid, field.Entry("installation", _now(), values))


def test_visit_with_hazards_counts_at_once(con) -> None:
    eid = field.record(
        con,
        WEST,
        TINY,
        "H1",
        field.Entry("visit", _now(), {"outcome": "有隐患", "hazards": ["胶管老化"], "note": "x"}),
    )
    _clean(con)
    assert _status(con, "H1")["hazard_open"]
    kinds = con.execute(
        "SELECT kind, source_import_id FROM hazard WHERE household_id = 'H1'"
    ).fetchall()
    assert kinds == [("胶管老化", f"field:{eid}")]
    audit = con.execute(
        "SELECT action, actor FROM audit_log WHERE action = 'field_visit'"
    ).fetchall()
    assert audit == [("field_visit", "west")]


@pytest.mark.parametrize(
    ("hid", "kind", "values", "message"),
    [
        ("H1", "visit", {"outcome": "好"}, "请选择入户结果"),
        ("H1", "visit", {"outcome": "有隐患"}, "请选择发现的隐患类型"),
        ("H1", "visit", {"outcome": "正常", "hazards": ["胶管老化"]}, "只有结果为“有隐患”"),
        ("H1", "visit", {"outcome": "有隐患", "hazards": ["外星人"]}, "不在本项目的隐患类型"),
        ("H1", "visit", {"outcome": "拒绝"}, "请填写备注"),
        ("H1", "refusal", {"reason": " "}, "请填写拒绝原因"),
        ("H2", "installation", {"device_types": []}, "请选择安装的设备"),
        ("H3", "installation", {"device_types": ["ng_alarm_valve"]}, "不适用于该户的燃气类型"),
        ("H2", "installation", {"device_types": ["ng_alarm_valve"]}, "请填写安装人员"),
        (
            "H2",
            "installation",
            {"device_types": ["ng_alarm_valve"], "installer": "李"},
            "住户已签字确认",
        ),
        ("H1", "verification", {}, "验收"),  # H1 verified already
        ("H6", "verification", {}, "还没有安装记录"),
        ("H2", "rectified", {"hazard_id": "HZ1"}, "已于 2023-05-25 整改"),
        ("H2", "rectified", {"hazard_id": "HZ2"}, "请选择该户的一条隐患"),  # H3's hazard
        ("H2", "gas_restored", {"hazard_id": "HZ1"}, "没有停气记录"),
        ("H2", "gas_cut", {"hazard_id": "HZ1"}, "已整改，不能再停气"),
        ("H3", "gas_restored", {"hazard_id": "HZ2"}, "已于 2023-05-23 恢复供气"),
        ("H1", "helper_visit", {"helper": "王"}, "请勾选本次检查的内容"),
        ("H1", "helper_visit", {"checks": ["燃气"]}, "请填写帮扶人"),
    ],
)
def test_each_rule_answers_in_chinese(con, hid, kind, values, message) -> None:
    base = (
        {"serials": {"ng_alarm_valve": "SNX1"}, "signed": False} if kind == "installation" else {}
    )
    with pytest.raises(field.FieldError, match=message):
        field.record(con, ADMIN, TINY, hid, field.Entry(kind, _now(), base | values))
    assert con.execute("SELECT count(*) FROM field_entry").fetchone()[0] == 0


def test_dates_and_transitions(con) -> None:
    future = clock.now() + timedelta(hours=2)
    with pytest.raises(field.FieldError, match="不能晚于现在"):
        field.record(con, WEST, TINY, "H1", field.Entry("visit", future, {"outcome": "正常"}))
    early = datetime(2023, 4, 5, 10, 0)  # before H2's survey on 04-12
    with pytest.raises(field.FieldError, match="不能早于排摸日期 2023-04-12"):
        field.record(
            con,
            WEST,
            TINY,
            "H2",
            field.Entry(
                "installation",
                early,
                {
                    "device_types": ["ng_alarm_valve"],
                    "serials": {"ng_alarm_valve": "SNX9"},
                    "installer": "李",
                    "signed": True,
                },
            ),
        )
    # H5 was never met (not_home): no survey, no installation.
    with pytest.raises(field.FieldError, match="尚未排摸"):
        _install(con, "H5", user=ADMIN)
    # H7 refused last: a new visit first.
    with pytest.raises(field.FieldError, match="最近一次入户结果为拒绝"):
        _install(con, "H7", user=ADMIN)
    field.record(con, ADMIN, TINY, "H7", field.Entry("visit", _now(), {"outcome": "正常"}))
    _install(con, "H7", user=ADMIN, serial="SN-H7-1")
    _clean(con)
    assert _status(con, "H7")["installed"]


def test_serials_unique_within_the_programme(con) -> None:
    with pytest.raises(field.FieldError, match="SN004B 已登记在本项目"):
        _install(con, serial="SNNEW1, sn004b")
    with pytest.raises(field.FieldError, match="在本次登记中重复"):
        _install(con, serial="SNNEW1,SNNEW1")
    with pytest.raises(field.FieldError, match="格式不对"):
        _install(con, serial="<b>")
    _install(con, serial="SNNEW1，SNNEW2")
    row = con.execute(
        "SELECT device_serials, warranty_until, batch_id, signed_resident FROM installation"
        " WHERE household_id = 'H2'"
    ).fetchone()
    assert row[0] == "SNNEW1,SNNEW2" and row[2] == "B1" and row[3] is True
    assert row[1] == clock.today().replace(year=clock.today().year + 5)
    done = con.execute("SELECT done_on FROM batch_item WHERE household_id = 'H2'").fetchone()[0]
    assert done == clock.today()  # the batch item counts as done at once
    _clean(con)


def test_gas_cut_rectify_restore_and_the_hours_check(con) -> None:
    field.record(
        con,
        WEST,
        TINY,
        "H1",
        field.Entry("visit", _now(), {"outcome": "有隐患", "hazards": ["胶管老化"]}),
    )
    hz = field.hazards(con, TINY, "H1")["hazard_id"].iloc[0]
    field.record(con, WEST, TINY, "H1", field.Entry("gas_cut", _now(), {"hazard_id": hz}))
    _clean(con)
    assert _status(con, "H1")["gas_cut"]
    with pytest.raises(field.FieldError, match="隐患尚未整改，不能恢复供气"):
        field.record(con, WEST, TINY, "H1", field.Entry("gas_restored", _now(), {"hazard_id": hz}))
    fixed = clock.now() - timedelta(hours=30)
    con.execute(
        "UPDATE hazard SET found_on = ?, gas_cut_on = ? WHERE hazard_id = ?",
        [fixed.date() - timedelta(days=1), fixed.date() - timedelta(days=1), hz],
    )
    household_state.refresh(con, TINY, ["H1"])
    field.record(con, WEST, TINY, "H1", field.Entry("rectified", fixed, {"hazard_id": hz}))
    eid = field.record(
        con, WEST, TINY, "H1", field.Entry("gas_restored", _now(), {"hazard_id": hz})
    )
    assert "超过本项目规定的 24 小时" in field.warning(con, eid)
    _clean(con)
    assert not _status(con, "H1")["gas_cut"]


def test_street_user_cannot_find_or_write_another_street(con) -> None:
    assert list(field.search(con, WEST, TINY, "H1")["household_id"]) == ["H1"]
    assert field.search(con, EAST, TINY, "H1").empty
    with pytest.raises(PermissionError, match="不在您的管辖范围"):
        field.record(con, EAST, TINY, "H1", field.Entry("visit", _now(), {"outcome": "正常"}))
    with pytest.raises(PermissionError):
        field.timeline(con, EAST, TINY, "H1")
    with pytest.raises(PermissionError):
        field.household(con, access.User("f", "finance"), TINY, "H1")
    eid = field.record(con, WEST, TINY, "H1", field.Entry("visit", _now(), {"outcome": "正常"}))
    with pytest.raises(PermissionError):
        field.withdraw(con, EAST, eid, "不是我们的")
    assert con.execute("SELECT count(*) FROM field_entry").fetchone()[0] == 1


def test_phone_last_four_and_name_search(con) -> None:
    con.execute(
        "UPDATE household SET phone = '138-0000-4321', name = '张三丰' WHERE household_id = 'H4'"
    )
    assert list(field.search(con, ADMIN, TINY, "4321")["household_id"]) == ["H4"]
    assert list(field.search(con, ADMIN, TINY, "三丰")["household_id"]) == ["H4"]
    with pytest.raises(field.FieldError, match="至少 2 个字"):
        field.search(con, ADMIN, TINY, "H")


def _installed(con) -> int:
    return con.execute(
        "SELECT count(*) FILTER (WHERE installed) FROM household_status(?, ?)",
        [TINY, clock.today()],
    ).fetchone()[0]


def test_withdrawn_entry_drops_out_of_counts_and_stays_in_history(con) -> None:
    before = _installed(con)
    eid = _install(con)
    assert _installed(con) == before + 1
    with pytest.raises(PermissionError, match="只能撤回自己的登记"):
        field.withdraw(con, access.User("west2", "street", "S1"), eid, "录错了")
    with pytest.raises(field.FieldError, match="请填写撤回原因"):
        field.withdraw(con, WEST, eid, "")
    field.withdraw(con, WEST, eid, "录错了户")
    _clean(con)
    assert _installed(con) == before
    assert (
        con.execute("SELECT count(*) FROM installation WHERE household_id = 'H2'").fetchone()[0]
        == 0
    )
    assert (
        con.execute("SELECT done_on FROM batch_item WHERE household_id = 'H2'").fetchone()[0]
        is None
    )
    hist = field.entries(con, WEST, TINY, "H2")
    assert hist["withdrawn_reason"].tolist() == ["录错了户"]
    assert "已撤回的登记" in set(field.timeline(con, WEST, TINY, "H2")["event"])
    actions = [
        r[0] for r in con.execute("SELECT action FROM audit_log ORDER BY audit_id").fetchall()
    ]
    assert actions[-2:] == ["field_installation", "field_withdraw"]
    with pytest.raises(field.FieldError, match="已撤回"):
        field.withdraw(con, ADMIN, eid, "再撤")
    # After 30 minutes only an administrator withdraws; a later entry that depends on it first.
    eid = _install(con, serial="SNX200")
    ver = field.record(con, WEST, TINY, "H2", field.Entry("verification", _now(), {}))
    con.execute(
        "UPDATE field_entry SET recorded_at = recorded_at - INTERVAL 31 MINUTE WHERE entry_id = ?",
        [ver],
    )
    with pytest.raises(field.FieldError, match="超过 30 分钟"):
        field.withdraw(con, WEST, ver, "验收错了")
    with pytest.raises(field.FieldError, match=f"后续登记 #{ver} 依赖"):
        field.withdraw(con, ADMIN, eid, "装错了")
    field.withdraw(con, ADMIN, ver, "验收错了")
    assert not _status(con, "H2")["verified"] and _status(con, "H2")["installed"]
    field.withdraw(con, ADMIN, eid, "装错了")
    _clean(con)
    assert _installed(con) == before


def _jpeg_with_exif() -> bytes:
    img = Image.new("RGB", (40, 30), (200, 10, 10))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (31.0, 0.0, 9.0), 3: "E", 4: (121.0, 0.0, 18.0)}
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_photos_stripped_hashed_and_stored_beside_the_database(con, tmp_path) -> None:
    raw = _jpeg_with_exif()
    assert Image.open(io.BytesIO(raw)).getexif().get(0x010F) == "PhoneMaker"
    heic = io.BytesIO()
    pillow_heif.from_pillow(Image.new("RGB", (32, 32), (0, 90, 200))).save(heic, quality=80)
    eid = field.record(
        con,
        WEST,
        TINY,
        "H1",
        field.Entry(
            "visit",
            _now(),
            {"outcome": "正常"},
            [
                photos.Upload("slip.jpg", raw, keep_location=False),
                photos.Upload("gps.JPG", raw + b"", keep_location=True),
                photos.Upload("iphone.heic", heic.getvalue()),
            ],
        ),
        photo_store=tmp_path,
    )
    shots = field.household_photos(con, WEST, TINY, "H1", store=tmp_path)
    assert len(shots) == 3 and all(s["data"] for s in shots)
    assert (tmp_path / shots[0]["sha256"][:2]).is_dir()
    rows = con.execute(
        "SELECT file_name, media_type, kept_location FROM field_photo WHERE entry_id = ?"
        " ORDER BY file_name",
        [eid],
    ).fetchall()
    assert [r[0] for r in rows] == ["gps.JPG", "iphone.heic", "slip.jpg"]
    assert {r[1] for r in rows} == {"image/jpeg"}
    for name, keep in (("slip.jpg", False), ("gps.JPG", True)):
        sha = con.execute("SELECT sha256 FROM field_photo WHERE file_name = ?", [name]).fetchone()[
            0
        ]
        data = photos.read(tmp_path, sha, "image/jpeg")
        exif = Image.open(io.BytesIO(data)).getexif()
        assert exif.get(0x010F) is None
        assert bool(exif.get_ifd(0x8825)) is keep
    with pytest.raises(PermissionError):
        field.household_photos(con, EAST, TINY, "H1", store=tmp_path)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.gif", b"GIF89a", "只接受 jpg、png、heic"),
        ("a.jpg", b"x" * (10 * 1024 * 1024 + 1), "超过 10 MB"),
        ("a.jpg", b"not an image", "无法识别为图片"),
        ("a.jpg", b"", "空文件"),
    ],
)
def test_bad_photos_are_refused_and_nothing_is_written(con, tmp_path, name, data, message) -> None:
    with pytest.raises(ValueError, match=message):
        field.record(
            con,
            WEST,
            TINY,
            "H1",
            field.Entry("visit", _now(), {"outcome": "正常"}, [photos.Upload(name, data)]),
            photo_store=tmp_path,
        )
    assert con.execute("SELECT count(*) FROM field_entry").fetchone()[0] == 0
    assert (
        con.execute(
            "SELECT count(*) FROM inspection WHERE source_import_id LIKE 'field:%'"
        ).fetchone()[0]
        == 0
    )


def test_helper_visit_and_refusal_count_as_visits(con) -> None:
    field.record(
        con,
        WEST,
        TINY,
        "H4",
        field.Entry(
            "helper_visit",
            _now(),
            {"helper": "王网格", "checks": ["燃气", "炉灶"], "advice": "更换胶管"},
        ),
    )
    field.record(con, ADMIN, TINY, "H6", field.Entry("refusal", _now(), {"reason": "不在本市"}))
    _clean(con)
    assert _status(con, "H6")["refused"]
    notes = con.execute(
        "SELECT note FROM inspection WHERE household_id = 'H4' AND note IS NOT NULL"
    ).fetchall()
    assert notes == [("帮扶走访（王网格）：检查燃气、炉灶；建议：更换胶管",)]


def test_today_list_in_visit_order_with_geo_links(con) -> None:
    con.execute("UPDATE batch_item SET day = ? WHERE batch_id = 'B1'", [clock.today()])
    today = field.today_list(con, WEST, TINY)
    assert today["household_id"].tolist() == ["H1", "H2"]
    assert today["geo"].iloc[0] == "geo:31.002500,121.005000"
    assert field.today_list(con, EAST, TINY).empty


def test_the_photo_store_sits_beside_the_database_file(tmp_path) -> None:
    from data.store import connection

    con = connection.connect(tmp_path / "anju.duckdb")
    try:
        assert photos.store_for(con) == tmp_path / "anju.duckdb.photos"
    finally:
        con.close()
    mem = connection.connect(":memory:")
    try:
        with pytest.raises(ValueError, match="没有照片存储目录"):
            photos.store_for(mem)
    finally:
        mem.close()


# — one form, one entry: the key of the form render travels with the entry and is checked in
# the same transaction, so a second tap, a double click or a resubmitted request stores nothing.
def _visit(key: str | None, hid: str = "H1", note: str = "煤气味") -> field.Entry:
    return field.Entry("visit", _now(), {"outcome": "正常", "note": note}, form_key=key)


def test_the_same_form_saved_twice_is_one_entry(con) -> None:
    first = field.record(con, WEST, TINY, "H1", _visit("form-1"))
    again = field.record(con, WEST, TINY, "H1", _visit("form-1"))
    assert again == first
    assert (
        con.execute("SELECT count(*) FROM field_entry WHERE household_id = 'H1'").fetchone()[0] == 1
    )
    assert (
        con.execute(
            "SELECT count(*) FROM inspection WHERE source_import_id = ?", [f"field:{first}"]
        ).fetchone()[0]
        == 1
    )
    _clean(con)


def test_a_repeated_installation_returns_the_first_entry_not_a_rule_error(con) -> None:
    values = {
        "device_types": ["ng_alarm_valve"],
        "serials": {"ng_alarm_valve": "SNFORM1"},
        "installer": "李师傅",
        "signed": True,
    }
    entry = field.Entry("installation", _now(), values, form_key="form-inst")
    first = field.record(con, WEST, TINY, "H2", entry)
    assert field.record(con, WEST, TINY, "H2", entry) == first
    assert (
        con.execute("SELECT count(*) FROM field_entry WHERE kind = 'installation'").fetchone()[0]
        == 1
    )


def test_a_new_form_is_a_new_entry_and_a_used_key_cannot_serve_another_household(con) -> None:
    field.record(con, WEST, TINY, "H1", _visit("form-1"))
    field.record(con, WEST, TINY, "H1", _visit("form-2"))
    field.record(con, WEST, TINY, "H1", _visit(None))  # old clients without a key still save
    assert con.execute("SELECT count(*) FROM field_entry").fetchone()[0] == 3
    with pytest.raises(field.FieldError, match="已经保存为另一条登记"):
        field.record(con, WEST, TINY, "H2", _visit("form-1", hid="H2"))


def test_the_database_refuses_a_second_entry_of_one_form(con) -> None:
    import duckdb

    field.record(con, WEST, TINY, "H1", _visit("form-db"))
    with pytest.raises(duckdb.ConstraintException):
        con.execute(
            "INSERT INTO field_entry (programme_id, household_id, kind, occurred_at, recorded_at,"
            " author, detail, applied, form_key) VALUES (?, 'H1', 'visit', now(), now(), 'x',"
            " '{}', '{}', 'form-db')",
            [TINY],
        )


def test_the_timeline_names_a_withdrawn_entry_in_chinese_and_orders_a_day_by_time(con) -> None:
    day = clock.now().replace(hour=9, minute=0, second=0, microsecond=0)
    if day + timedelta(minutes=30) > clock.now():
        day -= timedelta(days=1)
    field.record(
        con,
        WEST,
        TINY,
        "H2",
        field.Entry("visit", day, {"outcome": "正常", "note": "复访"}),
    )
    late = field.record(
        con,
        WEST,
        TINY,
        "H2",
        field.Entry("refusal", day + timedelta(minutes=30), {"reason": "家属不同意"}),
    )
    field.withdraw(con, WEST, late, "录错了")
    events = field.timeline(con, WEST, TINY, "H2")
    today = events[events["on_date"].astype(str).str[:10] == day.date().isoformat()]
    # newest first within the day: the 09:30 entry (withdrawn) before the 09:00 visit
    assert today["event"].tolist() == ["已撤回的登记", "入户检查"]
    withdrawn = today["what"].iloc[0]
    assert withdrawn.startswith("拒绝入户；撤回原因") and "refusal" not in withdrawn
