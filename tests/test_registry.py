"""Seed 004's living registry from the door: leave from a date, change helper, add a
person — scoped, audit-logged, visible in the monthly table and the fire-risk list."""

from __future__ import annotations

from datetime import date

import pytest

import queries
from data.fieldwork import field, registry
from data.households import household_state
from data.users import access
from tests.conftest import TINY

WEST = access.User("west", "street", "S1")
EAST = access.User("east", "street", "S2")


def _monthly(con, month: date) -> list[str]:
    return queries.run(con, "monthly_table", programme_id=TINY, month=month, street_ids=None)[
        "household_id"
    ].tolist()


def _risk(con, on: date) -> list[str]:
    return queries.run(con, "fire_risk_households", programme_id=TINY, as_of=on, street_ids=None)[
        "household_id"
    ].tolist()


def test_a_person_who_left_leaves_the_target_from_that_date(tiny_con) -> None:
    con = tiny_con
    registry.mark_left(con, WEST, TINY, "H1", "deceased", date(2024, 8, 15))
    assert "H1" in _monthly(con, date(2024, 8, 1))  # listed in the month it happened
    assert "H1" not in _monthly(con, date(2024, 9, 1))
    assert "H1" in _risk(con, date(2024, 8, 14)) and "H1" not in _risk(con, date(2024, 8, 15))
    with pytest.raises(field.FieldError, match="已于 2024-08-15 离开登记册"):
        registry.mark_left(con, WEST, TINY, "H1", "moved", date(2024, 9, 1))
    with pytest.raises(field.FieldError, match="请选择原因"):
        registry.mark_left(con, WEST, TINY, "H2", "lost", date(2024, 9, 1))
    with pytest.raises(field.FieldError, match="不能晚于今天"):
        registry.mark_left(con, WEST, TINY, "H2", "moved", date(2999, 1, 1))
    with pytest.raises(PermissionError):
        registry.mark_left(con, EAST, TINY, "H2", "moved", date(2024, 9, 1))
    hist = registry.history(con, TINY, "H1")
    assert [h["change"] for h in hist] == ["left"]
    line = field.timeline(con, WEST, TINY, "H1").set_index("event").loc["离开登记册"]
    assert line["what"] == "去世；west"
    assert (
        con.execute("SELECT count(*) FROM audit_log WHERE action = 'registry_left'").fetchone()[0]
        == 1
    )
    assert household_state.differences(con)[0] == 0


def test_change_helper_old_to_new_in_the_monthly_table(tiny_con) -> None:
    con = tiny_con
    with pytest.raises(field.FieldError, match="电话格式不对"):
        registry.change_helper(con, WEST, TINY, "H2", "王芳", "网格员", "12345", date(2024, 8, 1))
    with pytest.raises(field.FieldError, match="帮扶人类型须为"):
        registry.change_helper(
            con, WEST, TINY, "H2", "王芳", "邻居", "13800001111", date(2024, 8, 1)
        )
    registry.change_helper(
        con, WEST, TINY, "H2", "王芳", "网格员", "138 0000 1111", date(2024, 8, 1)
    )
    row = (
        queries.run(
            con, "monthly_table", programme_id=TINY, month=date(2024, 8, 1), street_ids=["S1"]
        )
        .set_index("household_id")
        .loc["H2"]
    )
    assert (row["helper_name"], row["helper_type"], row["helper_phone"]) == (
        "王芳",
        "网格员",
        "13800001111",
    )
    detail = registry.history(con, TINY, "H2")[0]["detail"]
    assert "王芳" in detail and '"old"' in detail


def test_add_a_person_found_on_a_visit(tiny_con) -> None:
    con = tiny_con
    values = {
        "community_id": "C21",
        "name": "赵大爷",
        "sex": "男",
        "birth_year": 1940,
        "address": "西街道1号",
    }
    with pytest.raises(field.FieldError, match="本街道的社区"):
        registry.add_person(con, WEST, TINY, values, date(2024, 8, 2))
    with pytest.raises(field.FieldError, match="年满 60 周岁"):
        registry.add_person(
            con, WEST, TINY, values | {"community_id": "C11", "birth_year": 2000}, date(2024, 8, 2)
        )
    hid = registry.add_person(con, WEST, TINY, values | {"community_id": "C11"}, date(2024, 8, 2))
    assert hid == "ADD-S1-0001"
    assert hid in _monthly(con, date(2024, 8, 1)) and hid not in _monthly(con, date(2024, 7, 1))
    assert list(field.search(con, WEST, TINY, "赵大爷")["household_id"]) == [hid]
    assert field.search(con, EAST, TINY, "赵大爷").empty
    assert household_state.differences(con)[0] == 0


def test_a_person_who_left_drops_out_of_every_count_from_that_date(tiny_con) -> None:
    con = tiny_con

    def registered(on: date, known_at=None) -> int:
        kpis = queries.run(
            con, "programme_kpis", programme_id=TINY, as_of=on, street_ids=None, known_at=known_at
        )
        return int(kpis["registered"].iloc[0])

    def streets(on: date) -> int:
        cov = queries.run(con, "coverage_by_street", programme_id=TINY, as_of=on, street_ids=None)
        return int(cov["target"].sum())

    before = registered(date(2024, 8, 14)), registered(date(2024, 8, 15))
    by_street = streets(date(2024, 8, 15))
    registry.mark_left(con, WEST, TINY, "H1", "deceased", date(2024, 8, 15))
    assert registered(date(2024, 8, 14)) == before[0]  # still in the target the day before
    assert registered(date(2024, 8, 15)) == before[1] - 1
    assert registered(date(2024, 8, 15), known_at=date(2030, 1, 1)) == before[1] - 1
    assert streets(date(2024, 8, 15)) == by_street - 1
    assert household_state.differences(con)[0] == 0
