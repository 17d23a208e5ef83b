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
