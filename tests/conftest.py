"""Shared fixtures: a tiny hand-drawn programme whose answers can be checked by eye, and the demo.

The tiny district D is a 0.02° × 0.01° rectangle near (121.0, 31.0), split into two streets
and four communities (lon across, lat up):

    31.010 +-----------+-----------+
           |   C12     |    C22    |
           |  (S1)  H3 |  H6   H7  |
    31.005 +-----------+-----------+      H8 (121.03, 31.005) lies outside D
           |   C11  H1 H4   C21    |
           | H2   (S1) |  (S2) H5  |
    31.000 +-----------+-----------+
         121.00      121.01      121.02

H4 sits exactly on the S1/S2 border (lon 121.01), touching C11 and C21: the lower region_id
(C11) wins, so it counts once, in S1.

Events (TINY_EVENTS below) are placed around the three dates the tests use:
2023-05-19, 2023-05-20 (H1's installation day) and 2023-05-31 (end of the install phase).
"""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import pytest

from data.demos import demo
from data.events import device_state
from data.households import household_state, placement
from data.money import spot_checks
from data.store import audit, connection

TINY = "tiny"

# region_id, name, level, parent_id, (minlon, minlat, maxlon, maxlat)
TINY_REGIONS = [
    ("D", "区D", "district", None, (121.00, 31.000, 121.02, 31.010)),
    ("S1", "西街道", "street", "D", (121.00, 31.000, 121.01, 31.010)),
    ("S2", "东街道", "street", "D", (121.01, 31.000, 121.02, 31.010)),
    ("C11", "西南社区", "community", "S1", (121.00, 31.000, 121.01, 31.005)),
    ("C12", "西北社区", "community", "S1", (121.00, 31.005, 121.01, 31.010)),
    ("C21", "东南社区", "community", "S2", (121.01, 31.000, 121.02, 31.005)),
    ("C22", "东北社区", "community", "S2", (121.01, 31.005, 121.02, 31.010)),
]

# household_id, gas_type, lon, lat
TINY_HOUSEHOLDS = [
    ("H1", "piped", 121.005, 31.0025),  # C11
    ("H2", "piped", 121.002, 31.0010),  # C11
    ("H3", "lpg", 121.005, 31.0075),  # C12
    ("H4", "piped", 121.010, 31.0025),  # on the S1/S2 border: C11 (lower id than C21)
    ("H5", "piped", 121.015, 31.0025),  # C21
    ("H6", "piped", 121.015, 31.0075),  # C22
    ("H7", "piped", 121.018, 31.0090),  # C22
    ("H8", "piped", 121.030, 31.0050),  # outside D
]

# household_id, visited_on, outcome
TINY_INSPECTIONS = [
    ("H1", date(2023, 4, 10), "ok"),
    ("H2", date(2023, 4, 12), "hazard"),
    ("H3", date(2023, 4, 15), "refused"),
    ("H4", date(2023, 4, 20), "ok"),
    ("H5", date(2023, 4, 18), "not_home"),  # visited but not surveyed
    ("H6", date(2023, 5, 21), "ok"),  # surveyed only after 05-20
    ("H7", date(2023, 5, 25), "refused"),  # refuses after 05-20
    ("H8", date(2023, 4, 1), "ok"),
]

# hazard_id, household_id, found_on, rectified_on, gas_cut_on, gas_restored_on
# (due_on = found_on + 30 days: H2 due 05-12, H3 due 05-15)
TINY_HAZARDS = [
    ("HZ1", "H2", date(2023, 4, 12), date(2023, 5, 25), None, None),
    # H3 refused: gas cut a week later, rectified 05-22 and restored the next day.
    ("HZ2", "H3", date(2023, 4, 15), date(2023, 5, 22), date(2023, 4, 22), date(2023, 5, 23)),
]

# household_id, device_type, installed_on, verified_on
TINY_INSTALLATIONS = [
    ("H1", "ng_alarm_valve", date(2023, 5, 20), date(2023, 5, 25)),
    ("H3", "lpg_alarm", date(2023, 5, 28), None),  # the refuser installs in the end
    ("H4", "ng_alarm_valve", date(2023, 5, 10), date(2023, 5, 15)),
    ("H8", "ng_alarm_valve", date(2023, 5, 5), date(2023, 5, 6)),
]


# Every device has a 5-year warranty except H8's refurbished unit, which ends 2023-07-31:
# within 90 days of 05-20 (the 逾期 page's warranty list).
TINY_WARRANTIES = {
    "H1": date(2028, 5, 20),
    "H3": date(2028, 5, 28),
    "H4": date(2028, 5, 10),
    "H8": date(2023, 7, 31),
}

# batch_id, street_id, event, event_on, recorded_at (None = known on event_on)
TINY_BATCH_EVENTS = [
    ("B1", "S1", "sent", date(2023, 5, 5), None),
    ("B1", "S1", "confirmed", date(2023, 5, 12), None),
    ("B2", "S2", "sent", date(2023, 5, 15), None),  # never confirmed
    ("B3", "S1", "sent", date(2023, 5, 18), datetime(2023, 5, 24, 9, 0)),  # reached Anju late
]

# The batch B1 behind those events (table batch): S1's May roster, confirmed.
# household_id, crew, day, seq — H1 was installed on 05-20 (done), H2 not yet.
TINY_BATCH_ITEMS = [
    ("H1", 1, date(2023, 5, 19), 1),
    ("H2", 1, date(2023, 5, 19), 2),
]


def load_tiny(con) -> None:
    """Insert the tiny programme, regions, households and events, then place the households."""
    con.execute(
        "INSERT INTO programme (programme_id, name, kind, district_id, starts, ends,"
        " target_households, report_day, settings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        # Its list is a registry of elderly people, as seed 000's: every household is scored.
        [
            TINY,
            "小程序",
            "gas_alarm",
            "D",
            date(2023, 4, 1),
            date(2023, 6, 30),
            10,
            25,
            '{"registry": true}',
        ],
    )
    con.executemany(
        "INSERT INTO programme_phase VALUES (?, ?, ?, ?, ?, ?)",
        [
            [TINY, 1, "survey", "排摸", date(2023, 4, 1), date(2023, 4, 30)],  # 30 days
            [TINY, 2, "install", "安装", date(2023, 5, 1), date(2023, 5, 31)],  # 31 days
        ],
    )
    for region_id, name, level, parent, (x0, y0, x1, y1) in TINY_REGIONS:
        con.execute(
            "INSERT INTO region VALUES (?, ?, ?, ?, ST_MakeEnvelope(?, ?, ?, ?), 'test', true)",
            [region_id, name, level, parent, x0, y0, x1, y1],
        )
    con.executemany(
        "INSERT INTO household (household_id, programme_id, gas_type, lon, lat)"
        " VALUES (?, ?, ?, ?, ?)",
        [[hid, TINY, gas, lon, lat] for hid, gas, lon, lat in TINY_HOUSEHOLDS],
    )
    con.executemany(
        "INSERT INTO inspection (household_id, programme_id, visited_on, outcome)"
        " VALUES (?, ?, ?, ?)",
        [[hid, TINY, on, outcome] for hid, on, outcome in TINY_INSPECTIONS],
    )
    con.executemany(
        "INSERT INTO hazard (hazard_id, household_id, programme_id, kind, found_on,"
        " due_on, rectified_on, gas_cut_on, gas_restored_on)"
        " VALUES (?, ?, ?, '胶管老化', ?, CAST(? AS DATE) + 30, ?, ?, ?)",
        [
            [hz, hid, TINY, found, found, fixed, cut, back]
            for hz, hid, found, fixed, cut, back in TINY_HAZARDS
        ],
    )
    con.executemany(
        "INSERT INTO installation (household_id, programme_id, device_type, installed_on,"
        " verified_on) VALUES (?, ?, ?, ?, ?)",
        [[hid, TINY, dev, on, ver] for hid, dev, on, ver in TINY_INSTALLATIONS],
    )
    con.executemany(
        "UPDATE installation SET warranty_until = ? WHERE household_id = ?",
        [[until, hid] for hid, until in TINY_WARRANTIES.items()],
    )
    con.executemany(
        "INSERT INTO batch_event (batch_id, programme_id, street_id, month, households, event,"
        " event_on, recorded_at) VALUES (?, ?, ?, '2023-05', 2, ?, ?, ?)",
        [[b, TINY, st, ev, on, rec] for b, st, ev, on, rec in TINY_BATCH_EVENTS],
    )
    con.execute(
        "INSERT INTO batch (batch_id, programme_id, street_id, month, crews, per_day, status,"
        " created_by, created_at, sent_by, sent_at, confirmed_by, confirmed_at) VALUES"
        " ('B1', ?, 'S1', '2023-05', 1, 8, 'confirmed', 'tiny_street', '2023-05-04 10:00',"
        " 'tiny_street', '2023-05-05 10:00', 'tiny_street', '2023-05-12 10:00')",
        [TINY],
    )
    con.executemany(
        "INSERT INTO batch_item (batch_id, household_id, crew, day, seq, reason)"
        " VALUES ('B1', ?, ?, ?, ?, '测试')",
        [list(item) for item in TINY_BATCH_ITEMS],
    )
    placement.assign_households(con, TINY, actor="tiny_admin")
    # The rows above were written directly, not by an importer: derive the stored status the
    # way every writer does (data.households.household_state).
    household_state.refresh(con, TINY)
    audit.log(con, "tiny_admin", "login", None, {"role": "admin"})
    con.execute(  # one earlier import, for the import page's history
        "INSERT INTO import_log (kind, file_name, sha256, imported_by, programme_id, loaded)"
        " VALUES ('households', '花名册.xlsx', ?, 'tiny_admin', ?, 8)",
        ["0" * 64, TINY],
    )
    # one cost share, May's spot-check draw with H4 failed on 05-18, an opt-out, a
    # collected resident share and a confirmation for H2 (not installed: a difference).
    con.execute("INSERT INTO cost_share VALUES (?, 'device', '区财政局', 1.0)", [TINY])
    con.execute(
        "INSERT INTO spot_check_draw (programme_id, month, seed, rate, scope, population,"
        " sample_size, drawn_by, drawn_at) VALUES (?, '2023-05', 1, 0.03, '当月完工', 3, 2,"
        " 'tiny_admin', '2023-05-17 10:00')",
        [TINY],
    )
    con.executemany(
        "INSERT INTO spot_check_sample SELECT max(draw_id), ?, ?, 'S1', NULL FROM spot_check_draw",
        [[TINY, "H1"], [TINY, "H4"]],
    )
    # logged as a draw is, with its sample's digest (anju check compares them)
    audit.log(
        con,
        "tiny_admin",
        "spot_check_draw",
        f"{TINY}:2023-05",
        {
            "draw_id": con.execute("SELECT max(draw_id) FROM spot_check_draw").fetchone()[0],
            "sample_digest": spot_checks.sample_digest(
                [{"household_id": h, "street_id": "S1", "installer": None} for h in ("H1", "H4")]
            ),
        },
    )
    con.execute(
        "INSERT INTO spot_check_result (programme_id, household_id, checked_on, result,"
        " failed_items, inspector) VALUES (?, 'H4', '2023-05-18', '不合格', '报警器未固定', '王五')",
        [TINY],
    )
    con.execute(
        "INSERT INTO household_opt_out (programme_id, household_id, reason)"
        " VALUES (?, 'H7', '已安装设备尚在质保期内')",
        [TINY],
    )
    con.execute(
        "INSERT INTO resident_payment (programme_id, household_id, amount_cny, collected_on)"
        " VALUES (?, 'H1', 100.00, '2023-05-26')",
        [TINY],
    )
    con.execute(
        "INSERT INTO gas_confirmation (programme_id, period, household_id, street_id,"
        " confirmed_count, confirmed_on) VALUES (?, '2023-05', 'H2', 'S1', 1, '2023-05-24')",
        [TINY],
    )
    # one user class with its own deadline, one published 周通报 (第1期).
    con.execute(
        "INSERT INTO programme_class VALUES (?, 'residential', '居民用户', 10, DATE '2023-05-31')",
        [TINY],
    )
    con.execute(
        "INSERT INTO bulletin_issue VALUES (?, 1, DATE '2023-05-19', TIMESTAMP '2023-05-20 09:00',"
        " TIMESTAMP '2023-05-20 09:00', 'tiny_admin', '第1期摘要', '{\"installed\": 2}')",
        [TINY],
    )
    load_tiny_devices_and_services(con)


# — device serials per installation (H4's set has two devices), platform events and
# service events around 05-20 (day end 05-21 00:00 Beijing time; 72 h before is 05-18 00:00).
TINY_SERIALS = {"H1": "SN001", "H3": "SN003", "H4": "SN004A,SN004B", "H8": "SN008"}
# serial, event_type, event_at, handled_at
TINY_DEVICE_EVENTS = [
    ("SN001", "heartbeat", datetime(2023, 5, 20, 10, 0), None),  # online
    ("SN004A", "alarm", datetime(2023, 5, 15, 8, 0), datetime(2023, 5, 15, 8, 20)),
    ("SN004A", "heartbeat", datetime(2023, 5, 18, 0, 0), None),  # exactly 72 h: still online
    ("SN004B", "heartbeat", datetime(2023, 5, 19, 8, 0), None),
    ("SN004B", "offline", datetime(2023, 5, 19, 9, 0), None),  # explicit 离线
    # SN008 (H8, outside D) never reports; SN003 (H3) is installed only on 05-28
]
# event_id, kind, reported, responded, resolved, household, street, community
TINY_SERVICE_EVENTS = [
    (
        "E1",
        "报修",
        datetime(2023, 5, 19, 8, 0),
        datetime(2023, 5, 19, 9, 0),
        datetime(2023, 5, 19, 12, 0),
        "H1",
        "S1",
        "C11",
    ),
    (
        "E2",
        "抢修",
        datetime(2023, 5, 20, 10, 0),
        datetime(2023, 5, 20, 10, 50),
        None,
        "H6",
        "S2",
        "C22",
    ),
    (
        "E3",
        "热线咨询",
        datetime(2023, 5, 18, 20, 0),
        datetime(2023, 5, 18, 20, 0),
        datetime(2023, 5, 18, 20, 5),
        None,
        "S2",
        "C21",
    ),
]


def load_tiny_devices_and_services(con) -> None:
    """Serials on the tiny installations, their platform events, three service events."""
    con.executemany(
        "UPDATE installation SET device_serials = ? WHERE programme_id = ? AND household_id = ?",
        [[s, TINY, hid] for hid, s in TINY_SERIALS.items()],
    )
    con.executemany(
        "INSERT INTO device_event (programme_id, serial, event_type, event_at, handled_at)"
        " VALUES (?, ?, ?, ?, ?)",
        [[TINY, *e] for e in TINY_DEVICE_EVENTS],
    )
    con.executemany(
        "INSERT INTO service_event (programme_id, event_id, kind, reported_at, responded_at,"
        " resolved_at, household_id, street_id, community_id, source)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '热线')",
        [[TINY, *e] for e in TINY_SERVICE_EVENTS],
    )
    # Written directly, not by the importer: derive the stored device rows as writers do.
    device_state.refresh(con, TINY)


def assert_same_rows(con, a: str, b: str, programme_id: str, day) -> None:
    """The table functions `a` and `b` return the same multiset of rows for the programme on
    `day` (each EXCEPT ALL the other is empty)."""
    for x, y in ((a, b), (b, a)):
        extra = con.execute(
            f"SELECT count(*) FROM (SELECT * FROM {x}(?, ?::DATE)"
            f" EXCEPT ALL SELECT * FROM {y}(?, ?::DATE))",
            [programme_id, day, programme_id, day],
        ).fetchone()[0]
        assert extra == 0, (x, y, day)


def save_to_file(con, path: Path) -> Path:
    """Copy the in-memory database behind `con` to the file `path`, for what opens a database by
    its path (the CLI), and return `path`."""
    con.execute(f"ATTACH '{path}' AS saved")
    con.execute("COPY FROM DATABASE memory TO saved")
    con.execute("DETACH saved")
    return path


def connected(path: Path):
    """Yield a connection to the database file `path` with the app's settings and close it
    afterwards: the body of a fixture that `yield from`s it."""
    con = connection.connect(path)
    try:
        yield con
    finally:
        con.close()


@pytest.fixture
def tiny_con():
    """An in-memory database holding only the tiny programme, households already placed."""
    con = connection.connect(":memory:")
    try:
        load_tiny(con)
        yield con
    finally:
        con.close()


@pytest.fixture
def tiny_db(tmp_path: Path) -> Path:
    """A database file holding only the tiny programme, for what opens the database by its path
    (the app under AppTest, the CLI)."""
    path = tmp_path / "tiny.duckdb"
    con = connection.connect(path)
    load_tiny(con)
    con.close()
    return path


@pytest.fixture
def demo_copy(demo_db, tmp_path, monkeypatch):
    """A private copy of the demo for a test that writes to it (pages write audit entries,
    draws, batches, published issues), with the app pointed at it (ANJU_DB)."""
    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, db)
    monkeypatch.setenv("ANJU_DB", str(db))
    return db


def build_demo(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A fresh default demo database in a new temporary directory called after `name`, for a
    module whose writes must not reach the session's shared demo."""
    path = tmp_path_factory.mktemp(name) / "demo.duckdb"
    demo.build(path)
    return path


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory):
    """The default demo (seed, 6,460 households, 180 communities), built once per session."""
    return build_demo(tmp_path_factory, "demo")
