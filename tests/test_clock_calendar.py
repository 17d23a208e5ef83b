"""One clock (Beijing time whatever the server's zone) and one working-day calendar policy for
the years chinesecalendar does not know."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from data import importing
from data.households import household_state
from data.setup import workdays
from data.store import clock, connection
from data.users import access
from documents import monthly_table
from tests.conftest import TINY, load_tiny
from tests.workbooks import xlsx

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")


@pytest.fixture
def utc_server(monkeypatch):
    """The server's own zone is UTC (or anything but Beijing)."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_saturday_morning_in_beijing_is_saturday_on_a_utc_server(utc_server, monkeypatch):
    # 07:00 Saturday 15 July 2023 in Beijing is 23:00 Friday in UTC.
    instant = datetime(2023, 7, 14, 23, 0, tzinfo=UTC)

    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):
            return instant.astimezone(tz) if tz else instant.replace(tzinfo=None)

    monkeypatch.setattr(clock, "datetime", Frozen)
    assert clock.now() == datetime(2023, 7, 15, 7, 0)
    assert clock.today() == date(2023, 7, 15) and clock.today().weekday() == 5
    assert clock.end_of_day(date(2023, 7, 14)) == datetime(2023, 7, 15)


def test_stored_stamps_are_beijing_time_on_a_utc_server(utc_server):
    con = connection.connect(":memory:")
    load_tiny(con)
    rows = [["户号", "安检日期", "安检结果"], ["H5", "2023-06-02", "正常"]]
    importing.run(
        con, "inspections", "安检.xlsx", xlsx(rows), TINY, access.User("a", "admin"), commit=True
    )
    beijing = datetime.now(UTC).replace(tzinfo=None) + timedelta(hours=8)
    recorded = con.execute(
        "SELECT recorded_at FROM inspection WHERE household_id = 'H5' AND visited_on = '2023-06-02'"
    ).fetchone()[0]
    imported = con.execute("SELECT max(imported_at) FROM import_log").fetchone()[0]
    logged = con.execute("SELECT max(logged_at) FROM audit_log").fetchone()[0]
    for stamp in (recorded, imported, logged):
        assert abs(stamp - beijing) < timedelta(minutes=1), stamp
    con.close()


def test_one_policy_for_years_the_calendar_does_not_know():
    assert workdays.covers_month("2026-12") and not workdays.covers_month("2027-01")
    with pytest.raises(workdays.CalendarGap, match="尚无 2027 年国务院节假日"):
        workdays.working_days("2027-03")
    assert workdays.plannable(["2026-11", "2026-12", "2027-01", "2027-02"]) == [
        "2026-11",
        "2026-12",
    ]
    assert "按周一至周五估算" in workdays.calendar_note("2027-01")
    assert workdays.calendar_note("2026-12") is None
    # The monthly table's deadline follows the same policy: an estimate, shown as one.
    assert workdays.last_working_day(2027, 1) == (date(2027, 1, 29), True)
    assert workdays.last_working_day(2023, 9) == (date(2023, 9, 28), False)
    assert monthly_table.last_working_day(date(2027, 1, 1)) == date(2027, 1, 29)


def test_batch_page_near_the_end_of_the_calendar_offers_only_known_months(tmp_path, monkeypatch):
    path = tmp_path / "late.duckdb"
    con = connection.connect(path)
    load_tiny(con)
    con.execute(  # the latest data is November 2026: the next months run into 2027
        "INSERT INTO inspection (household_id, programme_id, visited_on, outcome)"
        " VALUES ('H5', ?, DATE '2026-11-20', 'ok')",
        [TINY],
    )
    household_state.refresh(con, TINY)
    con.close()
    monkeypatch.setenv("ANJU_DB", str(path))
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["_anju_user"] = access.User("t_east", "street", "S2")
    at.run()
    at.switch_page("dashboard/pages/batch.py").run()
    assert not at.exception, at.exception
    options = at.selectbox(key="batch_month").options
    assert options and all(o.startswith("2026") for o in options)
    assert any("2027-01" in c.value and "估算" in c.value for c in at.caption)
