"""Stored fire-risk scores equal the scores computed from the registry, hazards
and visits: on the tiny fixture after every kind of write, weight and settings change, and on
the demo (the same scores as before, exactly); the check reports a write past the write path;
the paged visit list equals the unpaged order; the hotspot cache key moves on every write."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from anju.cli import main
from data.demos import demo
from data.fieldwork import field
from data.firerisk import fire_risk, risk, risk_state
from data.households import household_cell
from data.households.placement import assign_households
from data.store import clock, connection
from data.users import access
from geo import hotspots
from tests.conftest import TINY, save_to_file
from tests.rosters import HEADER, ROWS, device_types, run
from tests.workbooks import xlsx

# The registry fields as the 火灾风险 page read them before scores were stored (main 3c6baf5):
# the reference the stored scores must equal.
REFERENCE = """
WITH haz AS (
    SELECT household_id,
           count(*) FILTER (WHERE rectified_on IS NULL OR rectified_on > $as_of::DATE) AS open_hazards
    FROM hazard WHERE programme_id = $programme_id AND found_on <= $as_of::DATE
    GROUP BY household_id
), visit AS (
    SELECT household_id, max(visited_on) AS last_visit
    FROM inspection
    WHERE programme_id = $programme_id AND visited_on <= $as_of::DATE AND outcome <> 'not_home'
    GROUP BY household_id
)
SELECT h.household_id, year($as_of::DATE) - h.birth_year AS age, h.lives_alone, h.gas_type,
       h.smoker, h.drinker, h.building_nature, h.floors, h.build_year,
       h.helper_name, h.helper_phone,
       h.has_smoke_detector, h.has_one_key_alarm, h.has_rcd, h.has_gas_autoshutoff,
       coalesce(haz.open_hazards, 0) AS open_hazards, visit.last_visit
FROM household h LEFT JOIN haz USING (household_id) LEFT JOIN visit USING (household_id)
WHERE h.programme_id = $programme_id
  AND (h.registered_on IS NULL OR h.registered_on <= $as_of::DATE)
  AND (h.left_on IS NULL OR h.left_on > $as_of::DATE)
ORDER BY h.household_id
"""
ADMIN = access.User("tiny_admin", "admin")


def assert_scores(con, programme_id: str, days: list[date]) -> None:
    """No stored span differs from a recomputation, and on every day the stored scores and
    reasons equal data.firerisk.risk.score on the registry fields, to the last bit."""
    count, rows = risk_state.differences(con)
    assert count == 0, rows
    # The H3 cells the spans carry follow the households' points too.
    count, rows = household_cell.differences(con)
    assert count == 0, rows
    config = risk.load_config(con, programme_id)
    for day in days:
        ref = con.execute(REFERENCE, {"programme_id": programme_id, "as_of": day}).df()
        ref = risk.score(ref, config.weights, day, config.overdue_days)
        stored = risk.scored_households(con, programme_id, day, None)
        assert list(stored["household_id"]) == list(ref["household_id"]), day
        assert np.array_equal(stored["risk_score"].to_numpy(), ref["risk_score"].to_numpy()), day
        assert list(stored["reasons"]) == list(ref["reasons"]), day
        pts = [f"pts_{k}" for k in risk.FACTOR_KEYS]
        assert np.array_equal(stored[pts].to_numpy(), ref[pts].to_numpy()), day


def every_day(start: date, end: date, step: int) -> list[date]:
    return [start + timedelta(days=i) for i in range(0, (end - start).days + 1, step)]


TINY_DAYS = [*every_day(date(2023, 3, 1), date(2023, 9, 30), 6), date(2040, 1, 1)]


def test_factor_order_is_the_same_in_sql():
    con = connection.connect(":memory:")
    cols = [r[0] for r in con.execute("DESCRIBE fire_risk_score").fetchall()]
    assert [c[2:] for c in cols if c.startswith("u_")] == list(risk.FACTOR_KEYS)


def test_after_every_kind_of_write(tiny_con):
    assert_scores(tiny_con, TINY, TINY_DAYS)
    device_types(tiny_con)
    run(tiny_con, xlsx([HEADER, *ROWS]), commit=True)
    assert_scores(tiny_con, TINY, TINY_DAYS)
    inspections = [["户号", "安检日期", "安检结果"], ["H5", "2023.6.2", "有隐患"]]
    run(tiny_con, xlsx(inspections), name="安检.xlsx", kind="inspections", commit=True)
    hz = [["户号", "隐患类型", "发现日期", "整改日期"], ["H5", "胶管老化", "2023-06-02", None]]
    run(tiny_con, xlsx(hz), name="隐患.xlsx", kind="hazards", commit=True)
    assert_scores(tiny_con, TINY, TINY_DAYS)
    hz[1][3] = "2023-06-20"  # rectified later: the hazard stops counting from that day
    run(tiny_con, xlsx(hz), name="隐患.xlsx", kind="hazards", commit=True)
    assert_scores(tiny_con, TINY, TINY_DAYS)
    # A field visit (入户登记) and a registry move through placement.
    when = clock.now() - timedelta(minutes=1)
    field.record(tiny_con, ADMIN, TINY, "H1", field.Entry("visit", when, {"outcome": "正常"}))
    tiny_con.execute("UPDATE household SET lon = 121.015, lat = 31.0075 WHERE household_id = 'H8'")
    assign_households(tiny_con, TINY, actor="test")
    assert_scores(tiny_con, TINY, [*TINY_DAYS, clock.today()])


def test_weights_and_settings_change_every_score(tiny_con):
    before = risk_state.version(tiny_con, TINY)
    # Fractional weights: the stored sum rounds as the pandas one does.
    risk.set_weights(tiny_con, TINY, {"smoker": 0.1, "age_band": 0.7, "no_helper": 1.3}, "t")
    after = risk_state.version(tiny_con, TINY)
    assert after[0] != before[0] and after[1] > before[1]
    assert set(
        tiny_con.execute("SELECT DISTINCT weights_version FROM fire_risk_score").fetchall()
    ) == {(after[0],)}
    assert_scores(tiny_con, TINY, TINY_DAYS)
    tiny_con.execute(
        "UPDATE programme SET settings = json_merge_patch(coalesce(settings, '{}'),"
        ' \'{"rules": {"visit_overdue_days": 10}}\') WHERE programme_id = ?',
        [TINY],
    )
    # A settings change past programmes.load is what the check is for ...
    assert risk_state.differences(tiny_con)[0] > 0
    risk_state.refresh(tiny_con, TINY)  # ... and what programmes.load does in its transaction
    assert risk.load_config(tiny_con, TINY).overdue_days == 10
    assert_scores(tiny_con, TINY, TINY_DAYS)


def test_a_write_past_the_write_path_is_reported(tiny_con, tmp_path, capsys):
    tiny_con.execute(
        "UPDATE household SET smoker = NOT coalesce(smoker, false) WHERE household_id = 'H3'"
    )
    count, rows = risk_state.differences(tiny_con)
    assert count > 0 and {r[1] for r in rows} == {"H3"}
    path = save_to_file(tiny_con, tmp_path / "c.duckdb")
    assert main(["check", "--db", str(path)]) == 1
    assert "火灾风险分表" in capsys.readouterr().err
    risk_state.refresh(tiny_con, TINY, ["H3"])
    assert risk_state.differences(tiny_con)[0] == 0


@pytest.fixture(scope="module")
def demo_con(demo_db):
    # Same configuration as the other modules' connections: DuckDB refuses a mix in one process.
    con = connection.connect(demo_db)
    yield con
    con.close()


def test_demo_scores_are_what_they_were(demo_con):
    days = [demo.AS_OF, date(2023, 1, 1), date(2023, 4, 17), date(2030, 6, 1)]
    assert_scores(demo_con, demo.PROGRAMME, days)


@pytest.mark.parametrize("level", fire_risk.LEVELS)
def test_paged_visit_list_equals_the_unpaged_order(demo_con, level):
    # analyse gives each household its unit from its point (attach_units) and its device alert
    # from device_alerts (household_alerts): the definitions the SQL joins must equal.
    whole = fire_risk.analyse(demo_con, demo.PROGRAMME, demo.AS_OF, level)
    expected = fire_risk.visit_list(whole.households)
    found = fire_risk.find_hotspots(demo_con, demo.PROGRAMME, demo.AS_OF, level, None)
    weights = risk.load_config(demo_con, demo.PROGRAMME).weights

    def page(offset: int, limit: int | None, **picked) -> pd.DataFrame:
        return fire_risk.visit_page(
            demo_con,
            demo.PROGRAMME,
            demo.AS_OF,
            None,
            found,
            weights,
            limit=limit,
            offset=offset,
            **picked,
        )

    pages = pd.concat([page(o, 500) for o in range(0, len(expected), 500)], ignore_index=True)
    everything = page(0, None)
    for got in (pages, everything):
        assert list(got["household_id"]) == list(expected["household_id"])
        assert np.array_equal(got["risk_score"].to_numpy(), expected["risk_score"].to_numpy())
        assert list(got["reasons"]) == list(expected["reasons"])
        assert list(got["hotspot"]) == list(expected["hotspot"])
        assert list(got["device_alert"]) == list(expected["device_alert"])
    assert (expected["hotspot"].astype(str).str.startswith("hot_")).any()  # the order is tested
    alerts = set(expected["device_alert"])
    assert {"近30天燃气报警", "报警器长时间离线"} <= alerts  # and the alerts' part in it
    assert found.hot_households(95) == int(hotspots.at_least(expected["hotspot"], 95).sum())
    street = expected["street_id"].dropna().iloc[0]
    one = page(0, None, street=street, search="0")
    want = expected[(expected["street_id"] == street) & expected["household_id"].str.contains("0")]
    assert list(one["household_id"]) == list(want["household_id"])
