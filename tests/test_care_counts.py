"""Seed 004's training (三(9)), fire-fighting equipment (三(8), 水桶/水缸) and publicity (三(10))
counts: entered for one person on 入户登记, scope-checked and bounded, and shown in the monthly
statistics table (其他设施 and 开展宣传提示情况（次）)."""

from __future__ import annotations

import io
import shutil
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from data.fieldwork import care
from data.messages import UserError
from data.store import clock
from data.store.connection import connect
from data.users import access
from documents import monthly_table
from tests.apptest import open_page

P = "yuxi_2024"
ADMIN = access.User("t_admin", "admin")


@pytest.fixture
def db(demo_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, path)
    return path


def _person(con) -> tuple[str, str]:
    return con.execute(
        "SELECT household_id, street_id FROM household WHERE programme_id = ?"
        " ORDER BY household_id LIMIT 1",
        [P],
    ).fetchone()


def _row(con, hid: str, month: date) -> dict:
    frame = monthly_table.rows(con, P, month)
    return frame[frame["household_id"] == hid].iloc[0].to_dict()


def test_counts_reach_the_monthly_table(db):
    con = connect(db)
    try:
        hid, _ = _person(con)
        con.execute("DELETE FROM care_count WHERE household_id = ?", [hid])
        before = _row(con, hid, date(2024, 9, 1))
        con.execute(
            "INSERT INTO care_count (programme_id, household_id, kind, done_on, quantity,"
            " recorded_at, recorded_by) VALUES"
            " (?, ?, 'equipment', DATE '2024-08-10', 2, now(), 't'),"
            " (?, ?, 'training', DATE '2024-09-03', 1, now(), 't'),"
            " (?, ?, 'training', DATE '2024-08-03', 1, now(), 't'),"
            " (?, ?, 'publicity', DATE '2024-09-20', 3, now(), 't')",
            [P, hid] * 4,
        )
        row = _row(con, hid, date(2024, 9, 1))
        # buckets held since August; training and publicity of September only
        assert row["other_facilities"] == "储水桶/缸2个；灭火逃生培训1次"
        assert row["visits"] == before["visits"] + 3
        assert (row["containers"], row["trainings"], row["publicity"]) == (2, 1, 3)
        july = _row(con, hid, date(2024, 7, 1))
        assert (
            july["other_facilities"] is None or july["other_facilities"] != july["other_facilities"]
        )
        book = openpyxl.load_workbook(
            io.BytesIO(
                monthly_table.workbook_bytes(
                    monthly_table.rows(con, P, date(2024, 9, 1)), date(2024, 9, 1)
                )
            )
        )
        ws = book.active
        assert ws.cell(4, 22).value == "其他设施"
        assert "储水桶/缸2个；灭火逃生培训1次" in [ws.cell(r, 22).value for r in range(5, 400)]
    finally:
        con.close()


def test_record_checks_scope_and_bounds(db):
    con = connect(db)
    try:
        hid, _ = _person(con)
        assert care.record(con, ADMIN, P, hid, clock.today(), {"training": 1, "publicity": 0}) == 1
        totals = care.totals(con, ADMIN, P, hid)
        assert dict(zip(totals["kind"], totals["quantity"], strict=True))["training"] >= 1
        assert (
            con.execute("SELECT count(*) FROM audit_log WHERE action = 'care_count'").fetchone()[0]
            == 1
        )
        for bad in ({"training": 100}, {"training": -1}, {"training": 1.5}, {"fish": 1}, {}):
            with pytest.raises(UserError):
                care.record(con, ADMIN, P, hid, clock.today(), bad)
        with pytest.raises(UserError):
            care.record(con, ADMIN, P, hid, date(2999, 1, 1), {"training": 1})
        other = access.User("t_other", "street", "NO_SUCH_STREET")
        with pytest.raises(PermissionError):
            care.record(con, other, P, hid, clock.today(), {"training": 1})
        fire = access.User("t_fire", "fire")
        if not access.can(fire, "field", access.W):
            with pytest.raises(PermissionError):
                care.record(con, fire, P, hid, clock.today(), {"training": 1})
    finally:
        con.close()


def test_counts_are_entered_on_the_field_page(db, monkeypatch):
    con = connect(db)
    try:
        hid, _ = _person(con)
        con.execute("DELETE FROM care_count WHERE household_id = ?", [hid])
    finally:
        con.close()
    monkeypatch.setenv("ANJU_DB", str(db))
    at = open_page(
        ADMIN,
        "dashboard/pages/field.py",
        state={"programme_id": P, "field_household": hid},
    )
    at.number_input(key="care_equipment").set_value(2)
    at.number_input(key="care_publicity").set_value(1)
    next(b for b in at.button if b.label == "保存次数").click().run()
    assert not at.exception, at.exception
    assert any("已保存培训" in s.value for s in at.success), [e.value for e in at.error]
    got = {m.label: m.value for m in at.metric}
    assert got.get("水桶/水缸（个）") in ("2", 2)
    con = connect(db)
    try:
        assert con.execute(
            "SELECT kind, quantity FROM care_count WHERE household_id = ? ORDER BY kind", [hid]
        ).fetchall() == [("equipment", 2), ("publicity", 1)]
    finally:
        con.close()
