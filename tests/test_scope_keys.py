"""Street scope on every key: a row may not reach another street's record through a key it
names (隐患编号), and street users see only their own street's imports."""

from __future__ import annotations

import pytest

import queries
from data import importing
from data.users import access
from tests.conftest import TINY
from tests.workbooks import xlsx

EAST = access.User("t_east", "street", "S2")
ADMIN = access.User("t_admin", "admin")


def _hazard(con, hazard_id: str) -> tuple:
    return con.execute(
        "SELECT household_id, rectified_on FROM hazard WHERE hazard_id = ?", [hazard_id]
    ).fetchone()


@pytest.mark.parametrize("user", [EAST, ADMIN], ids=["street", "admin"])
def test_a_hazard_id_cannot_move_a_hazard_to_another_household(tiny_con, user):
    # HZ1 belongs to H2 in 西街道 (S1); H5 is in 东街道 (S2), the east street's own household.
    before = _hazard(tiny_con, "HZ1")
    rows = [
        ["户号", "隐患编号", "隐患类型", "发现日期", "整改日期"],
        ["H5", "HZ1", "胶管老化", "2023-04-12", "2023-06-01"],
    ]
    result = importing.run(tiny_con, "hazards", "隐患.xlsx", xlsx(rows), TINY, user, commit=True)
    assert result.counts() == {"loaded": 0, "updated": 0, "unchanged": 0, "rejected": 1}
    assert "已登记在另一户名下" in result.rejections[0].reason
    assert result.changes == []  # the preview shows nothing of the other household's hazard
    assert _hazard(tiny_con, "HZ1") == before


def test_a_hazard_of_ones_own_household_still_updates(tiny_con):
    rows = [
        ["户号", "隐患编号", "隐患类型", "发现日期", "整改日期"],
        ["H2", "HZ1", "胶管老化", "2023-04-12", "2023-05-30"],
    ]
    west = access.User("t_west", "street", "S1")
    result = importing.run(tiny_con, "hazards", "隐患.xlsx", xlsx(rows), TINY, west, commit=True)
    assert result.counts()["updated"] == 1
    assert _hazard(tiny_con, "HZ1")[0] == "H2"


def test_street_users_see_only_their_own_streets_imports(tiny_con):
    tiny_con.execute(
        "INSERT INTO app_user (username, role, street_id, password_hash)"
        " VALUES ('t_east', 'street', 'S2', 'x')"
    )
    rows = [["户号", "安检日期", "安检结果"], ["H5", "2023-06-02", "正常"]]
    importing.run(tiny_con, "inspections", "东.xlsx", xlsx(rows), TINY, EAST, commit=True)
    everyone = queries.run(tiny_con, "recent_imports", programme_id=TINY, limit=20, street_ids=None)
    assert set(everyone["imported_by"]) == {"tiny_admin", "t_east"}
    east = queries.run(tiny_con, "recent_imports", programme_id=TINY, limit=20, street_ids=["S2"])
    assert east["file_name"].tolist() == ["东.xlsx"]
    west = queries.run(tiny_con, "recent_imports", programme_id=TINY, limit=20, street_ids=["S1"])
    assert west.empty


def test_demo_hazard_ids_are_not_sequential(demo_db):
    from data.store.connection import connect

    con = connect(demo_db)
    try:
        ids = [r[0] for r in con.execute("SELECT hazard_id FROM hazard").fetchall()]
    finally:
        con.close()
    assert len(ids) == len(set(ids)) > 100
    assert all(len(i) == 14 and i.startswith("HZ") for i in ids)
    assert not {"HZ0000001", "HZ0000059"} & set(ids)


# — every import kind whose key names a stored record: a street account cannot update another
# street's record through it, and the preview shows nothing of that record (only 不属于本街道).
WEST = access.User("t_west", "street", "S1")
FOREIGN_ROWS = {  # kind → rows naming a record stored in 西街道 (S1), sent by 东街道 (S2)
    "households": [["户号", "姓名", "街道", "地址"], ["H1", "冒名", "东街道", "东路9号"]],
    "inspections": [["户号", "安检日期", "安检结果"], ["H1", "2023-04-10", "隐患"]],
    "hazards": [
        ["户号", "隐患编号", "隐患类型", "发现日期", "整改日期"],
        ["H5", "HZ1", "胶管老化", "2023-04-12", "2023-06-01"],
    ],
    "installations": [["户号", "设备类型", "安装日期"], ["H1", "ng_alarm_valve", "2023-05-21"]],
    "device_events": [
        ["设备编号", "事件类型", "事件时间", "处置时间"],
        ["SN001", "心跳", "2023-05-20 10:00", "2023-05-20 11:00"],
    ],
    # E1 is 西街道's (H1); the row claims 东街道 by its own street column.
    "service_events": [
        ["工单号", "事件类别", "报告时间", "街道", "地址"],
        ["E1", "报修", "2023-05-19 08:00", "东街道", "东路1号"],
    ],
}


def _stored(con, kind: str):
    table = importing.SPECS[kind].table
    return con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()


@pytest.mark.parametrize("kind", sorted(FOREIGN_ROWS))
def test_a_street_cannot_update_another_streets_record_by_its_key(tiny_con, kind):
    before = _stored(tiny_con, kind)
    data = xlsx(FOREIGN_ROWS[kind])
    preview = importing.run(tiny_con, kind, "f.xlsx", data, TINY, EAST)
    assert preview.counts()["updated"] == 0 and preview.counts()["rejected"] == 1
    assert preview.changes == []  # nothing of the stored record in the 旧值→新值 table
    result = importing.run(tiny_con, kind, "f.xlsx", data, TINY, EAST, commit=True)
    assert result.counts() == preview.counts()
    assert _stored(tiny_con, kind) == before
    # the refused row is quarantined with a Chinese reason that names no other street
    reason = tiny_con.execute(
        "SELECT reason FROM rejected_row WHERE import_id = ?", [result.import_id]
    ).fetchone()[0]
    assert "不属于本街道" in reason or "另一户" in reason
    assert "西街道" not in reason and "西" not in reason.split("：", 1)[1]


def test_a_service_event_of_another_street_is_not_yours(tiny_con):
    rows = FOREIGN_ROWS["service_events"]
    result = importing.run(tiny_con, "service_events", "f.xlsx", xlsx(rows), TINY, EAST)
    assert result.rejections[0].reason == "工单号「E1」不属于本街道，不能导入或修改"
    assert result.rejections[0].column == "工单号"


def test_a_street_still_updates_its_own_service_event(tiny_con):
    rows = [
        ["工单号", "事件类别", "报告时间", "街道", "办结时间"],
        ["E3", "热线咨询", "2023-05-18 20:00", "东街道", "2023-05-18 20:30"],
    ]
    result = importing.run(
        tiny_con, "service_events", "f.xlsx", xlsx(rows), TINY, EAST, commit=True
    )
    assert result.counts()["updated"] == 1 and result.rejected == 0


def test_a_record_whose_street_cannot_be_told_is_not_a_streets(tiny_con):
    # A kind whose table carries no street, household or device is refused to street accounts
    # for every stored key: a future import kind is scoped before anyone remembers to.
    from data.importing import core

    existing = {("P1",): {"point_id": "P1"}}
    assert core._not_own(tiny_con, TINY, WEST, existing, []) == {("P1",)}
    assert core._not_own(tiny_con, TINY, ADMIN, existing, []) == set()
