"""The stored device rows (device_state) equal the recomputation from
installations, households and platform events: on the tiny fixture, after every kind of write
that affects them, and on the demo; the stored path gives the events' answer on every date
(before, on and after events); the check fails when a write goes past the write path."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd

import queries
from anju.cli import main
from data import importing
from data.demos import demo
from data.events import device_state
from data.households.placement import assign_households
from data.store import connection
from data.users import access
from tests.conftest import TINY, assert_same_rows
from tests.platform_export import PLATFORM
from tests.workbooks import csv_bytes, xlsx

ADMIN = access.User("t_admin", "admin")

# device_alarms as first written: every alarm event joined to the device view.
ALARMS_FROM_EVENTS = """
SELECT e.serial, d.household_id, e.event_at AS alarm_at,
       CASE WHEN e.handled_at < $as_of::DATE + INTERVAL 1 DAY THEN e.handled_at END AS handled_at,
       e.note
FROM device_event e
JOIN device d ON d.programme_id = e.programme_id AND d.serial = e.serial
JOIN household h ON h.programme_id = d.programme_id AND h.household_id = d.household_id
WHERE e.programme_id = $programme_id AND e.event_type = 'alarm'
  AND e.event_at >= $date_from::DATE AND e.event_at < $as_of::DATE + INTERVAL 1 DAY
  AND ($street_ids IS NULL OR list_contains($street_ids, h.street_id))
ORDER BY e.event_at DESC, e.serial
"""


def assert_consistent(con, programme_id: str, days: list[date], scopes=(None,)) -> None:
    """No stored row differs from the recomputation, and on every day the stored path
    (device_health, device_state_at) equals the first definition, computed from the events."""
    count, rows = device_state.differences(con)
    assert count == 0, rows
    for day in days:
        assert_same_rows(con, "device_health", "device_health_events", programme_id, day)
        for scope in scopes:
            params = {
                "programme_id": programme_id,
                "as_of": day,
                "date_from": day - timedelta(days=29),
                "street_ids": scope,
            }
            fast = queries.run(con, "device_alarms", **params)
            slow = con.execute(ALARMS_FROM_EVENTS, params).df()
            pd.testing.assert_frame_equal(
                fast[list(slow.columns)].reset_index(drop=True), slow, check_dtype=False
            )


def days_around(start: date, end: date, step: int) -> list[date]:
    return [start + timedelta(days=i) for i in range(0, (end - start).days + 1, step)]


TINY_DAYS = days_around(date(2023, 5, 10), date(2023, 7, 10), 1)


def test_tiny_fixture_state_equals_events(tiny_con):
    assert_consistent(tiny_con, TINY, TINY_DAYS, scopes=(None, ["S1"], ["S2"]))
    # the stored row of a device with an alarm keeps it, with its handling time
    alarms = tiny_con.execute(
        "SELECT alarm_list FROM device_state WHERE serial = 'SN004A'"
    ).fetchone()[0]
    assert alarms == [
        {
            "event_at": datetime(2023, 5, 15, 8, 0),
            "handled_at": datetime(2023, 5, 15, 8, 20),
            "note": None,
        }
    ]


def test_after_event_imports_installation_and_placement(tiny_con):
    result = importing.run(
        tiny_con, "device_events", "平台.csv", csv_bytes(PLATFORM, "gbk"), TINY, ADMIN, commit=True
    )
    assert result.counts()["loaded"] == 2
    assert_consistent(tiny_con, TINY, TINY_DAYS[::3])
    # an unhandled alarm later, then its handling time from a second export (an update)
    late = [
        ["设备IMEI", "事件类型", "事件时间", "处理时间"],
        ["SN008", "报警", "2023-06-02 10:00", ""],
    ]
    importing.run(
        tiny_con, "device_events", "p2.csv", csv_bytes(late, "gbk"), TINY, ADMIN, commit=True
    )
    assert_consistent(tiny_con, TINY, TINY_DAYS[::3])
    late[1][3] = "2023-06-03 09:00"
    importing.run(
        tiny_con, "device_events", "p3.csv", csv_bytes(late, "gbk"), TINY, ADMIN, commit=True
    )
    assert_consistent(tiny_con, TINY, TINY_DAYS[::3])
    open_then = tiny_con.execute(
        "SELECT alarms_open FROM device_health(?, DATE '2023-06-02') WHERE serial = 'SN008'",
        [TINY],
    ).fetchone()
    assert open_then == (1,)
    # an installation with new serials (the installation import)
    installs = [
        ["户号", "设备类型", "安装日期", "设备编号"],
        ["H6", "燃气报警器+联动切断阀", "2023/6/25", "SN006"],
    ]
    importing.run(
        tiny_con, "installations", "确认表.xlsx", xlsx(installs), TINY, ADMIN, commit=True
    )
    assert tiny_con.execute("SELECT count(*) FROM device_state WHERE serial = 'SN006'").fetchone()
    assert_consistent(tiny_con, TINY, TINY_DAYS[::3])
    # a household moved across a street border: its devices' street follows
    tiny_con.execute("UPDATE household SET lon = 121.015, lat = 31.0075 WHERE household_id = 'H8'")
    assign_households(tiny_con, TINY, actor="test")
    assert tiny_con.execute(
        "SELECT street_id FROM device_state WHERE serial = 'SN008'"
    ).fetchone() == ("S2",)
    assert_consistent(tiny_con, TINY, TINY_DAYS[::3], scopes=(None, ["S2"]))


def test_a_write_past_the_write_path_is_reported(tiny_db, capsys):
    path = tiny_db
    assert main(["check", "--db", str(path)]) == 0
    con = connection.connect(path)
    con.execute(
        "INSERT INTO device_event (programme_id, serial, event_type, event_at)"
        " VALUES (?, 'SN008', 'heartbeat', TIMESTAMP '2023-05-22 10:00')",
        [TINY],
    )
    con.close()
    assert main(["check", "--db", str(path)]) == 1
    err = capsys.readouterr().err
    assert "device_state" in err and "SN008" in err
    con = connection.connect(path)
    device_state.refresh(con, TINY, serials=["SN008"])
    con.close()
    assert main(["check", "--db", str(path)]) == 0


def test_demo_state_equals_events(demo_db):
    con = connection.connect(demo_db)
    try:
        first = con.execute(
            "SELECT min(event_at)::DATE FROM device_event WHERE programme_id = ?",
            [demo.PROGRAMME],
        ).fetchone()[0]
        # before any event, across the installations, and the last days (events after the
        # date for almost every device, then for few, then none)
        days = [
            first - timedelta(days=1),
            *days_around(first, demo.AS_OF, 97),
            *days_around(demo.AS_OF - timedelta(days=40), demo.AS_OF + timedelta(days=5), 5),
            demo.AS_OF - timedelta(days=1),
            demo.AS_OF,
        ]
        assert_consistent(con, demo.PROGRAMME, days, scopes=(None, ["310105001"]))
    finally:
        con.close()
