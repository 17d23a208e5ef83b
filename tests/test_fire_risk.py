"""Fire-risk scores, their weights, the queries behind them and the hotspots on the demo."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import queries
from data.demos import demo
from data.firerisk import fire_risk, risk
from data.store.connection import connect
from geo import grid, hotspots
from tests.conftest import TINY

MAY20 = date(2023, 5, 20)


# ---------------------------------------------------------------- the score, by hand


def _household(**fields) -> pd.DataFrame:
    base = {
        "household_id": "X1",
        "age": 92,  # 80–84, 85–89, 90–94: band 3
        "lives_alone": True,
        "smoker": True,
        "drinker": False,
        "building_nature": "砖木",
        "build_year": 1975,
        "floors": 3,
        "has_smoke_detector": False,
        "has_one_key_alarm": True,
        "has_rcd": None,  # not recorded: adds nothing
        "has_gas_autoshutoff": False,
        "gas_type": "piped",
        "open_hazards": 5,  # capped at 3
        "helper_name": "王*",
        "helper_phone": None,  # a helper nobody can call
        "last_visit": date(2023, 3, 1),  # 135 days before 07-14
    }
    return pd.DataFrame([base | fields])


def test_score_by_hand_with_the_template_weights() -> None:
    weights = risk.config_from_row(
        pd.DataFrame(
            [
                {
                    "defaults": '{"age_band": 1.5, "lives_alone": 2, "smoker": 3, "drinker": 2,'
                    ' "combustible_building": 3, "old_building": 2, "high_floor": 1,'
                    ' "no_smoke_detector": 3, "no_one_key_alarm": 2, "no_rcd": 2,'
                    ' "no_gas_autoshutoff": 2, "lpg": 2, "open_hazard": 3, "no_helper": 3,'
                    ' "visit_overdue": 2}',
                    "visit_overdue_days": "90",
                    "changes": None,
                }
            ]
        )
    ).weights
    got = risk.score(_household(), weights, demo.AS_OF, 90).iloc[0]
    # 4.5 age (3 × 1.5) + 2 alone + 3 smoker + 3 砖木 + 2 built 1975 + 3 no detector
    # + 2 no gas shut-off + 9 hazards (3 × 3) + 3 unreachable helper + 2 not visited for 135 days
    assert got["risk_score"] == pytest.approx(33.5)
    exp = risk.explain(got, weights)
    assert exp["points"].sum() == pytest.approx(got["risk_score"])
    assert dict(zip(exp["factor"], exp["units"], strict=True))["open_hazard"] == 3
    assert "drinker" not in set(exp["factor"]) and "no_rcd" not in set(exp["factor"])
    assert got["missing_devices"] == "感烟探测器、燃气自动切断"
    assert got["reasons"].startswith("隐患未整改 +9、高龄 +4.5")


@pytest.mark.parametrize(
    ("fields", "factor", "units"),
    [
        ({"age": 79}, "age_band", 0),
        ({"age": 80}, "age_band", 1),
        ({"age": 104}, "age_band", 4),  # capped
        ({"last_visit": None}, "visit_overdue", 1),  # never visited
        ({"last_visit": date(2023, 4, 15)}, "visit_overdue", 0),  # exactly 90 days: not yet
        ({"gas_type": "none"}, "no_gas_autoshutoff", 0),  # no gas, nothing to shut off
        ({"gas_type": "lpg"}, "lpg", 1),
        ({"floors": 7}, "high_floor", 1),
        ({"helper_phone": "13800000000"}, "no_helper", 0),
        ({"building_nature": "钢混"}, "combustible_building", 0),
    ],
)
def test_factor_units(fields: dict, factor: str, units: float) -> None:
    got = risk.units(_household(**fields), demo.AS_OF, 90)
    assert got.iloc[0][factor] == units


# ---------------------------------------------------------------- weights: defaults, edits, audit


def test_weights_default_to_one_without_a_template_table(tiny_con) -> None:
    config = risk.load_config(tiny_con, TINY)
    assert set(config.weights.values()) == {1.0}
    assert config.overdue_days == 90
    assert config.table()["changed_by"].isna().all()


def test_weight_edits_are_appended_latest_wins_and_audited(tiny_con) -> None:
    assert risk.set_weights(tiny_con, TINY, {"smoker": 4, "drinker": 1.0}, "t_fire") == {
        "smoker": (1.0, 4.0)  # drinker unchanged: not recorded
    }
    risk.set_weights(tiny_con, TINY, {"smoker": 5}, "t_admin")
    config = risk.load_config(tiny_con, TINY)
    assert config.weights["smoker"] == 5.0 and config.defaults["smoker"] == 1.0
    row = config.table().set_index("factor").loc["smoker"]
    assert row["changed_by"] == "t_admin"
    history = tiny_con.execute(
        "SELECT factor, weight, changed_by FROM risk_weight ORDER BY change_id"
    ).fetchall()
    assert history == [("smoker", 4.0, "t_fire"), ("smoker", 5.0, "t_admin")]
    audit = tiny_con.execute(
        "SELECT actor, action, object, detail->>'old', detail->>'new' FROM audit_log"
        " WHERE object LIKE 'risk_weight:%' ORDER BY audit_id"
    ).fetchall()
    assert audit == [
        ("t_fire", "edit", "risk_weight:tiny:smoker", "1.0", "4.0"),
        ("t_admin", "edit", "risk_weight:tiny:smoker", "4.0", "5.0"),
    ]


@pytest.mark.parametrize("bad", [{"nope": 1}, {"smoker": -1}, {"smoker": float("nan")}])
def test_bad_weights_are_refused(tiny_con, bad) -> None:
    with pytest.raises(ValueError):
        risk.set_weights(tiny_con, TINY, bad, "t_fire")
    assert tiny_con.execute("SELECT count(*) FROM risk_weight").fetchone() == (0,)


# ---------------------------------------------------------------- queries on the tiny programme


def _per_household(default: int, **exceptions: int) -> dict[str, int]:
    """A value for each of the tiny programme's eight households, `default` unless excepted."""
    return {f"H{i}": exceptions.get(f"H{i}", default) for i in range(1, 9)}


def test_fire_risk_households_on_may_20(tiny_con) -> None:
    df = queries.run(
        tiny_con, "fire_risk_households", programme_id=TINY, as_of=MAY20, street_ids=None
    )
    assert df["household_id"].tolist() == [f"H{i}" for i in range(1, 9)]
    got = df.set_index("household_id")
    # Open on 05-20: H2 (fixed 05-25) and H3 (fixed 05-22).
    assert got["open_hazards"].to_dict() == _per_household(0, H2=1, H3=1)
    last = got["last_visit"].map(lambda d: None if pd.isna(d) else pd.Timestamp(d).date())
    assert last.to_dict() == {
        "H1": date(2023, 4, 10),
        "H2": date(2023, 4, 12),
        "H3": date(2023, 4, 15),  # refused, but someone was met
        "H4": date(2023, 4, 20),
        "H5": None,  # not_home is not a visit
        "H6": None,  # visited 05-21, after the date
        "H7": None,
        "H8": date(2023, 4, 1),
    }
    later = queries.run(
        tiny_con, "fire_risk_households", programme_id=TINY, as_of=date(2023, 6, 1), street_ids=None
    )
    assert later["open_hazards"].sum() == 0


def test_fire_risk_households_scope(tiny_con) -> None:
    df = queries.run(
        tiny_con, "fire_risk_households", programme_id=TINY, as_of=MAY20, street_ids=["S2"]
    )
    assert df["household_id"].tolist() == ["H5", "H6", "H7"]
    assert set(df["street_name"]) == {"东街道"}


def test_monthly_table_rows_for_may_and_april(tiny_con) -> None:
    may = queries.run(
        tiny_con, "monthly_table", programme_id=TINY, month=date(2023, 5, 1), street_ids=None
    )
    # Ordered by street, community, id; the household outside every street comes last.
    assert may["household_id"].tolist() == ["H1", "H2", "H4", "H3", "H5", "H6", "H7", "H8"]
    assert may["seq"].tolist() == list(range(1, 9))
    by_id = may.set_index("household_id")
    # H6 visited 05-21, H7 05-25.
    assert by_id["visits"].to_dict() == _per_household(0, H6=1, H7=1)
    assert by_id.loc[["H2", "H3"], ["hazards_found", "hazards_rectified"]].values.tolist() == [
        [1, 1],  # found 04-12, rectified 05-25
        [1, 1],  # found 04-15, rectified 05-22
    ]
    april = queries.run(
        tiny_con, "monthly_table", programme_id=TINY, month=date(2023, 4, 30), street_ids=None
    ).set_index("household_id")
    assert april.loc[["H2", "H3"], "hazards_rectified"].tolist() == [0, 0]
    assert april["visits"].sum() == 5  # H1 H2 H3 H4 H8; H5 was not at home
    scoped = queries.run(
        tiny_con, "monthly_table", programme_id=TINY, month=date(2023, 5, 1), street_ids=["S1"]
    )
    assert scoped["household_id"].tolist() == ["H1", "H2", "H4", "H3"]


# ---------------------------------------------------------------- the demo's planted clusters


@pytest.fixture(scope="module")
def demo_analysis(demo_db: Path) -> fire_risk.Analysis:
    con = connect(demo_db)
    try:
        return fire_risk.analyse(con, demo.PROGRAMME, demo.AS_OF, level="h3")
    finally:
        con.close()


def _distance_beyond_clusters(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Metres from the nearest planted cluster's edge (negative inside a cluster)."""
    gap = np.full(len(lon), np.inf)
    for cl in demo.PLANTED_CLUSTERS:
        gap = np.minimum(gap, grid.distance_m(lon, lat, cl.lon, cl.lat) - cl.radius_m)
    return gap


def test_demo_resolution_is_9(demo_analysis) -> None:
    assert demo_analysis.resolution == 9


def test_demo_planted_clusters_are_found_at_95(demo_analysis) -> None:
    units = demo_analysis.units
    gap = _distance_beyond_clusters(units["lon"].to_numpy(), units["lat"].to_numpy())
    analysed = units["households"].to_numpy() >= hotspots.MIN_COUNT
    planted = (gap <= 0) & analysed  # cell centre within radius_m of a planted centre
    background = (gap > grid.edge_length_m(9)) & analysed  # beyond radius + one cell edge
    hot = hotspots.at_least(units["cls"], 95)
    recall = (hot & planted).sum() / planted.sum()
    false_rate = (hot & background).sum() / background.sum()
    assert planted.sum() >= 9  # about 4 cells per 350 m cluster
    assert recall >= 0.8, (recall, planted.sum())
    assert false_rate <= 0.05, false_rate
    # Each of the three clusters is found, not just the biggest.
    for cl in demo.PLANTED_CLUSTERS:
        near = grid.distance_m(units["lon"], units["lat"], cl.lon, cl.lat) <= cl.radius_m
        assert (hot & near).any(), cl.name


def test_demo_hotspots_are_not_where_people_are_densest(demo_analysis) -> None:
    units = demo_analysis.units
    analysed = units[units["households"] >= hotspots.MIN_COUNT]
    densest = analysed.nlargest(10, "households")
    gap = _distance_beyond_clusters(densest["lon"].to_numpy(), densest["lat"].to_numpy())
    crowded_elsewhere = densest[gap > grid.edge_length_m(9)]
    assert len(crowded_elsewhere) >= 3  # crowded cells away from the clusters exist …
    assert not hotspots.at_least(crowded_elsewhere["cls"], 95).any()  # … and are not hot


def test_demo_visit_list_puts_hotspots_first(demo_analysis) -> None:
    visits = fire_risk.visit_list(demo_analysis.households, 80)
    # households with a recent gas alarm come first of all; the rest by hotspot.
    alarm = visits["device_alert"].str.contains("燃气报警")
    assert alarm.sum() >= 1 and not alarm[alarm.sum() :].any()
    visits = visits[~alarm]
    conf = [hotspots.confidence(c) or 0 for c in visits["hotspot"]]
    assert conf == sorted(conf, reverse=True)
    assert conf[0] == 99
    first = visits[visits["hotspot"] == visits["hotspot"].iloc[0]]
    # Within a class a long-offline alarm comes first, then the rest; each part by score.
    offline = first["device_alert"].str.contains("离线")
    assert not offline[offline.sum() :].any()
    for part in (first[offline], first[~offline]):
        top = part["risk_score"].tolist()
        assert top == sorted(top, reverse=True)


def test_demo_changing_a_weight_changes_scores_and_explanations_sum(demo_db: Path) -> None:
    con = connect(demo_db)
    try:
        config = risk.load_config(con, demo.PROGRAMME)
        frame = queries.run(
            con,
            "fire_risk_households",
            programme_id=demo.PROGRAMME,
            as_of=demo.AS_OF,
            street_ids=None,
        )
    finally:
        con.close()
    assert config.weights["smoker"] == 3.0  # the template default
    before = risk.score(frame, config.weights, demo.AS_OF, config.overdue_days)
    heavier = config.weights | {"smoker": 7.0}
    after = risk.score(frame, heavier, demo.AS_OF, config.overdue_days)
    delta = after["risk_score"] - before["risk_score"]
    smokers = frame["smoker"].fillna(False).astype(bool)
    assert smokers.sum() > 300
    assert delta[smokers].to_numpy() == pytest.approx(np.full(smokers.sum(), 4.0))
    assert (delta[~smokers] == 0).all()
    for scored, weights in ((before, config.weights), (after, heavier)):
        for _, row in scored.sample(200, random_state=1).iterrows():
            assert risk.explain(row, weights)["points"].sum() == pytest.approx(row["risk_score"])


def test_an_empty_scope_scores_and_analyses_nothing(demo_db: Path) -> None:
    con = connect(demo_db)
    try:
        for level in fire_risk.LEVELS:
            got = fire_risk.analyse(con, demo.PROGRAMME, demo.AS_OF, level=level, street_ids=[])
            assert got.households.empty and got.units.empty
            assert fire_risk.visit_list(got.households).empty
        with pytest.raises(ValueError, match="层级"):
            fire_risk.analyse(con, demo.PROGRAMME, demo.AS_OF, level="street")
    finally:
        con.close()


# ---------------------------------------------------------------- households located by address

# Two lanes' buildings of the standard address base: one in C11 (S1), one in C22 (S2).
_BASE = [
    ("P1", "虹桥路144弄3号", 121.0030, 31.0020),
    ("P2", "虹桥路144弄5号", 121.0032, 31.0021),
    ("P3", "天山路8号", 121.0150, 31.0080),
    ("P4", "天山路10号", 121.0152, 31.0081),
]


def _address_only_tiny(path: Path) -> None:
    """The tiny programme plus 24 households of a roster that gives addresses, no coordinates
    (placed by community only), and one whose road is all the base knows of its address."""
    from data.store.unit_of_work import unit_of_work
    from tests.conftest import load_tiny

    con = connect(path)
    try:
        load_tiny(con)
        con.executemany(
            "INSERT INTO address_point (programme_id, point_id, address, lon, lat)"
            " VALUES (?, ?, ?, ?, ?)",
            [[TINY, *p] for p in _BASE],
        )
        rows = [
            (f"A{i:02d}", f"虹桥路144弄{3 + 2 * (i % 2)}号{101 + i}室", "C11", "S1")
            for i in range(12)
        ]
        rows += [
            (f"B{i:02d}", f"天山路{8 + 2 * (i % 2)}号{201 + i}室", "C22", "S2") for i in range(12)
        ]
        rows.append(("R1", "天山路77号", "C22", "S2"))
        with unit_of_work(con, "tester") as uow:
            con.executemany(
                "INSERT INTO household (household_id, programme_id, address, community_id,"
                " street_id, gas_type, loc_level) VALUES (?, ?, ?, ?, ?, 'piped', 'community')",
                [[h, TINY, a, c, s] for h, a, c, s in rows],
            )
            uow.touch(TINY, [r[0] for r in rows])
    finally:
        con.close()


def _hotspots_json(db: Path, level: str, capsys) -> dict:
    import json

    from anju.cli import main

    args = ["hotspots", "--db", str(db), "--programme", TINY, "--as-of", "2023-05-20"]
    assert main([*args, "--level", level, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def _gaps(db: Path) -> dict:
    con = connect(db)
    try:
        return (
            queries.run(con, "fire_risk_cell_gaps", programme_id=TINY, as_of=MAY20, street_ids=None)
            .iloc[0]
            .to_dict()
        )
    finally:
        con.close()


def test_h3_hotspots_test_cells_once_address_only_households_are_geocoded(tmp_path, capsys):
    from data.households import geocoding

    db = tmp_path / "tiny.duckdb"
    _address_only_tiny(db)
    assert _hotspots_json(db, "h3", capsys)["tested"] == 0  # no points: no cell has 5 households
    assert _gaps(db) == {"left_out": 25, "road": 0, "no_point": 25, "community_only": 25}
    # The community Gi* counts them by community, point or not.
    con = connect(db)
    try:
        by_community = fire_risk.find_hotspots(con, TINY, MAY20, "community", None).units
        before = dict(zip(by_community.unit_id, by_community.households, strict=True))
        assert before["C11"] == 15 and before["C22"] == 15  # 12 + the tiny ones (+ R1 in C22)
        got = geocoding.geocode(con, TINY, "tester")
        assert got["levels"]["building"] == 24 + 8 and got["levels"]["road"] == 1  # + tiny own 8
        cells = con.execute(
            "SELECT household_id FROM household_cell WHERE household_id IN ('A00', 'R1')"
        ).fetchall()
        assert cells == [("A00",)]  # a road-level point is too coarse for a cell
    finally:
        con.close()
    assert _hotspots_json(db, "h3", capsys)["tested"] > 0
    assert _gaps(db) == {"left_out": 1, "road": 1, "no_point": 0, "community_only": 0}
    con = connect(db)
    try:
        after = fire_risk.find_hotspots(con, TINY, MAY20, "community", None).units
        assert dict(zip(after.unit_id, after.households, strict=True)) == before
    finally:
        con.close()
