"""The stored status timeline equals the recomputation from the events: on the
tiny fixture, after every kind of write, and on the demo; the check fails when it does not."""

from __future__ import annotations

from datetime import date, timedelta

from anju.cli import main
from data import batches
from data.households import household_state
from data.households.placement import assign_households
from tests.conftest import TINY, assert_same_rows
from tests.rosters import HEADER, ROWS, device_types, run
from tests.workbooks import xlsx


def assert_consistent(con, programme_id: str, days: list[date]) -> None:
    """No stored span differs from the events, and the stored business-date view equals the
    events-computed one (the per-household definition) on every day given."""
    count, rows = household_state.differences(con)
    assert count == 0, rows
    for day in days:
        for fast, exact in (
            ("household_status", "household_status_events"),
            ("household_milestones", "household_milestones_events"),
        ):
            assert_same_rows(con, fast, exact, programme_id, day)
        assert_areas_equal(con, programme_id, day)
    assert_street_dates(con, programme_id, days)


# area_status / area_milestones against grouping the per-household views.
_AREA_PAIRS = (
    (
        "SELECT * FROM area_status($p, $d::DATE)",
        "SELECT street_id, community_id, count(*), count(*) FILTER (WHERE surveyed),"
        " count(*) FILTER (WHERE installed), count(*) FILTER (WHERE verified),"
        " count(*) FILTER (WHERE hazard_open), count(*) FILTER (WHERE gas_cut),"
        " count(*) FILTER (WHERE refused) FROM household_status($p, $d::DATE) GROUP BY ALL",
    ),
    (
        "SELECT * FROM area_milestones($p, $d::DATE)",
        "SELECT street_id, community_id, on_day, count(*) FILTER (WHERE k = 's'),"
        " count(*) FILTER (WHERE k = 'i'), count(*) FILTER (WHERE k = 'v') FROM ("
        " SELECT street_id, community_id, x.k, x.on_day FROM household_milestones($p, $d::DATE),"
        " LATERAL (VALUES ('s', surveyed_on), ('i', installed_on), ('v', verified_on)) x(k, on_day)"
        " WHERE x.on_day IS NOT NULL) GROUP BY ALL",
    ),
    # street_status / street_milestones: the same sums per street.
    (
        "SELECT * EXCLUDE (as_of) FROM street_status($p, [$d::DATE])",
        "SELECT street_id, count(*), count(*) FILTER (WHERE surveyed),"
        " count(*) FILTER (WHERE installed), count(*) FILTER (WHERE verified),"
        " count(*) FILTER (WHERE hazard_open), count(*) FILTER (WHERE gas_cut),"
        " count(*) FILTER (WHERE refused) FROM household_status($p, $d::DATE) GROUP BY ALL",
    ),
    (
        "SELECT * FROM street_milestones($p, $d::DATE)",
        "SELECT street_id, on_day, count(*) FILTER (WHERE k = 's'),"
        " count(*) FILTER (WHERE k = 'i'), count(*) FILTER (WHERE k = 'v') FROM ("
        " SELECT street_id, x.k, x.on_day FROM household_milestones($p, $d::DATE),"
        " LATERAL (VALUES ('s', surveyed_on), ('i', installed_on), ('v', verified_on)) x(k, on_day)"
        " WHERE x.on_day IS NOT NULL) GROUP BY ALL",
    ),
)


def assert_areas_equal(con, programme_id: str, day: date) -> None:
    """The stored per-community changes give, on `day`, the counts of the per-household views."""
    for fast, exact in _AREA_PAIRS:
        for a, b in ((fast, exact), (exact, fast)):
            extra = con.execute(
                f"SELECT count(*) FROM ({a} EXCEPT ALL {b})", {"p": programme_id, "d": day}
            ).fetchone()[0]
            assert extra == 0, (a, day)


def assert_street_dates(con, programme_id: str, days: list[date]) -> None:
    """street_status on many dates in one call gives each date's single-date rows."""
    many = "SELECT * EXCLUDE (as_of) FROM street_status($p, $days) WHERE as_of = $d::DATE"
    one = "SELECT * EXCLUDE (as_of) FROM street_status($p, [$d::DATE])"
    for day in days:
        for a, b in ((many, one), (one, many)):
            extra = con.execute(
                f"SELECT count(*) FROM ({a} EXCEPT ALL {b})",
                {"p": programme_id, "d": day, "days": days},
            ).fetchone()[0]
            assert extra == 0, day


def every_day(start: date, end: date, step: int = 1) -> list[date]:
    return [start + timedelta(days=i) for i in range(0, (end - start).days + 1, step)]


TINY_DAYS = every_day(date(2023, 3, 1), date(2023, 7, 31), 4)


def test_tiny_fixture_state_equals_events(tiny_con):
    assert_consistent(tiny_con, TINY, TINY_DAYS)


def test_after_imports_of_every_kind(tiny_con):
    device_types(tiny_con)
    run(tiny_con, xlsx([HEADER, *ROWS]), commit=True)  # households (placed on import)
    assert_consistent(tiny_con, TINY, TINY_DAYS)
    inspections = [
        ["户号", "安检日期", "安检结果"],
        ["H5", "2023.6.2", "有隐患"],
        ["H6", "2023-06-03", "拒绝安检"],
    ]
    run(tiny_con, xlsx(inspections), name="安检.xlsx", kind="inspections", commit=True)
    assert_consistent(tiny_con, TINY, TINY_DAYS)
    hz = [
        ["户号", "隐患类型", "发现日期", "整改日期", "停气日期"],
        ["H5", "胶管老化", "2023-06-02", None, "2023-06-09"],
    ]
    run(tiny_con, xlsx(hz), name="隐患.xlsx", kind="hazards", commit=True)
    assert_consistent(tiny_con, TINY, TINY_DAYS)
    hz[1][3] = "2023-06-20"  # a later rectification updates the same hazard row
    run(tiny_con, xlsx(hz), name="隐患.xlsx", kind="hazards", commit=True)
    assert_consistent(tiny_con, TINY, TINY_DAYS)
    installs = [
        ["户号", "设备类型", "安装日期", "居民签字", "验收日期"],
        ["H6", "燃气报警器+联动切断阀", "2023/6/25", "√", "2023年7月5日"],
    ]
    run(tiny_con, xlsx(installs), name="确认表.xlsx", kind="installations", commit=True)
    assert_consistent(tiny_con, TINY, TINY_DAYS)
    status = tiny_con.execute(
        "SELECT household_id, hazard_open, gas_cut, installed, verified, refused"
        " FROM household_status(?, DATE '2023-07-10') WHERE household_id IN ('H5', 'H6')"
        " ORDER BY 1",
        [TINY],
    ).fetchall()
    assert status == [
        ("H5", False, True, False, False, False),  # rectified, gas not yet restored
        ("H6", False, False, True, True, False),
    ]


def test_after_placement_and_batch_writes(tiny_con):
    tiny_con.execute("UPDATE household SET lon = 121.015, lat = 31.0075 WHERE household_id = 'H8'")
    assign_households(tiny_con, TINY, actor="test")  # a moved point moves its stored status too
    assert tiny_con.execute(
        "SELECT street_id FROM household_status(?, DATE '2023-05-20') WHERE household_id = 'H8'",
        [TINY],
    ).fetchone() == ("S2",)
    assert_consistent(tiny_con, TINY, TINY_DAYS[::7])
    plan = batches.plan(tiny_con, TINY, "S2", "2023-06", 1, 2, as_of=date(2023, 5, 20))
    batches.save(tiny_con, plan, "t_street")
    assert_consistent(tiny_con, TINY, TINY_DAYS[::7])


def test_a_write_past_the_write_path_is_reported(tiny_con, tmp_path, capsys):
    tiny_con.execute(
        "INSERT INTO installation (household_id, programme_id, device_type, installed_on)"
        " VALUES ('H6', ?, 'ng_alarm_valve', DATE '2023-06-05')",
        [TINY],
    )
    count, rows = household_state.differences(tiny_con)
    assert count > 0 and {r[1] for r in rows} == {"H6"}
    household_state.refresh(tiny_con, TINY, ["H6"])
    assert household_state.differences(tiny_con)[0] == 0


def test_a_changed_area_row_is_reported(tiny_con, capsys):
    assert household_state.differences(tiny_con)[0] == 0
    tiny_con.execute(
        "UPDATE area_change SET installed = installed + 1 WHERE programme_id = ?"
        " AND on_day = (SELECT max(on_day) FROM area_change WHERE programme_id = ?)",
        [TINY, TINY],
    )
    count, rows = household_state.area_differences(tiny_con)
    assert count >= 2 and {r[3] for r in rows} == {"已存", "重算"}
    assert household_state.differences(tiny_con)[0] == count


def test_check_command(tiny_db, capsys):
    from data.store import connection

    path = tiny_db
    assert main(["check", "--db", str(path)]) == 0
    con = connection.connect(path)
    con.execute("UPDATE hazard SET rectified_on = NULL WHERE programme_id = ?", [TINY])
    con.close()
    assert main(["check", "--db", str(path)]) == 1
    assert "不同" in capsys.readouterr().err


def test_demo_state_equals_events(demo_db):
    from data.demos import demo
    from data.store import connection

    con = connection.connect(demo_db)
    try:
        days = [*every_day(date(2023, 1, 1), demo.AS_OF, 9), demo.AS_OF]
        assert_consistent(con, demo.PROGRAMME, days)
    finally:
        con.close()
