"""geo.address_match on a hand-made base of a dozen buildings, and one synthetic scale check."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from geo.address_match import Candidate, MatchRules, base_conflicts, build_base, match_addresses
from geo.address_synth import synthetic_base, synthetic_roster
from geo.crs import haversine_m

# 0.0001° of latitude ≈ 11 m, of longitude at 31.2° ≈ 9.5 m.
BASE = pd.DataFrame(
    [
        ("虹桥路144弄1号", 121.4200, 31.2000, "虹桥新村"),
        ("虹桥路144弄2号", 121.4202, 31.2000, "虹桥新村"),
        ("虹桥路144弄3号", 121.4204, 31.2000, "虹桥新村"),
        ("虹桥路200号", 121.4250, 31.2010, None),
        ("仙霞新村1号楼", 121.4000, 31.2100, None),
        ("仙霞新村2号楼", 121.4004, 31.2100, None),
        ("长宁路1号", 121.3500, 31.2200, None),  # 长宁路 runs ~8.5 km: no road centre
        ("长宁路2000号", 121.4400, 31.2200, None),
        ("延安西路1000弄8号", 121.4300, 31.2050, None),  # the same address twice,
        ("延安西路1000弄8号", 121.4300, 31.2150, None),  # 1.1 km apart: a conflict
        ("金钟路1000弄50号", 121.3800, 31.2300, None),  # 金钟路 and 金中路: one character
        ("金中路1000弄50号", 121.3850, 31.2300, None),  # apart, 475 m apart
        ("金钟路968号1号楼", 121.3900, 31.2400, None),  # a compound behind gate 968
        ("金钟路968号2号楼", 121.3904, 31.2400, None),
    ],
    columns=["address", "lon", "lat", "estate"],
)


@pytest.fixture(scope="module")
def base():
    return build_base(BASE, estate="estate", district_names=["长宁区"])


def run(base, *addresses, **kw):
    rows = pd.DataFrame({"address": list(addresses)})
    return match_addresses(rows, base, **kw)


def point(i):
    return BASE.loc[i, "lon"], BASE.loc[i, "lat"]


def centre(*idx):
    return BASE.loc[list(idx), "lon"].mean(), BASE.loc[list(idx), "lat"].mean()


# (roster address, level, via, expected point or None, matched)
LADDER = [
    ("上海市长宁区虹桥路一百四十四弄三号601室", "building", "road_key", point(2), "虹桥路144弄3号"),
    ("虹桥路144弄3-601", "building", "road_key", point(2), "虹桥路144弄3号"),
    ("仙霞新村二号楼301室", "building", "estate_key", point(5), "仙霞新村2号楼"),
    ("虹桥新村1号", "building", "estate_key", point(0), "虹桥路144弄1号"),  # estate column
    ("虹桥144弄2号", "building", "fuzzy", point(1), "虹桥路144弄2号"),  # 路 forgotten
    ("虹桥路144弄9号", "estate", "lane_key", centre(0, 1, 2), "虹桥路144弄"),  # not in base
    ("仙霞新村9号楼", "estate", "estate", centre(4, 5), "仙霞新村"),
    ("金钟路968号", "estate", "gate_key", centre(12, 13), "金钟路968号"),
    ("虹桥路500号", "road", "road", centre(0, 1, 2, 3), "虹桥路"),
    ("长宁路500号", "none", "", None, ""),  # a road across the district locates nothing
    ("五角场", "none", "", None, ""),
    ("", "none", "", None, ""),
]


@pytest.mark.parametrize(("text", "level", "via", "where", "matched"), LADDER)
def test_ladder(base, text, level, via, where, matched):
    got = run(base, text).iloc[0]
    assert (got["level"], got["via"], got["matched"]) == (level, via, matched)
    if where is None:
        assert np.isnan(got["lon"]) and np.isnan(got["lat"]) and np.isnan(got["score"])
    else:
        assert haversine_m(got["lon"], got["lat"], *where) < 0.01
        assert got["score"] >= 90
    assert (got["candidates"] == []) == (level == "building" or text in ("五角场", ""))


def test_not_in_base_never_gets_a_building_point(base):
    """A near-miss number is never fuzzy-matched: 13号 is not 3号, 144弄 is not 14弄."""
    got = run(base, "虹桥路144弄13号", "虹桥路14弄3号", "虹桥路144弄4号", "仙霞新村12号楼")
    assert (got["level"] != "building").all()
    assert list(got["level"]) == ["estate", "road", "estate", "estate"]


def test_tie_between_two_places_is_no_match(base):
    """金忠路 scores 90.9 against both 金钟路 and 金中路 (475 m apart): a person decides."""
    got = run(base, "金忠路1000弄50号").iloc[0]
    assert got["level"] == "none"
    cands = got["candidates"]
    assert {c.address for c in cands[:2]} == {"金钟路1000弄50号", "金中路1000弄50号"}
    assert cands[0].score == cands[1].score == pytest.approx(90.9, abs=0.1)
    assert all(isinstance(c, Candidate) for c in cands)
    # without the second place it would have been a match
    alone = build_base(BASE.drop(index=11))
    assert run(alone, "金忠路1000弄50号").iloc[0]["level"] == "building"


def test_two_places_above_threshold_is_no_match():
    """希化中路 is 94.7 to 化中路 and 90.0 to 金化中路: both pass, so neither is taken."""
    two = pd.DataFrame(
        {
            "address": ["化中路17弄15号", "金化中路17弄15号"],
            "lon": [121.30, 121.40],
            "lat": [31.20, 31.20],
        }
    )
    got = run(build_base(two), "希化中路17弄15号").iloc[0]
    assert got["level"] == "none"
    assert [c.score for c in got["candidates"]] == [94.7, 90.0]


def test_below_threshold_is_a_candidate_not_a_match(base):
    strict = MatchRules(threshold=90)
    got = run(base, "红桥路200号", rules=strict).iloc[0]  # 85.7 against 虹桥路200号
    assert got["level"] == "none"
    assert got["candidates"][0].address == "虹桥路200号"
    assert got["candidates"][0].score == pytest.approx(85.7, abs=0.1)
    default = run(base, "红桥路200号").iloc[0]  # the default threshold, 85: one wrong character
    assert (default["level"], default["via"]) == ("building", "fuzzy")


def test_conflicting_base_address_is_not_a_building(base):
    got = run(base, "延安西路1000弄8号").iloc[0]
    # the two points are 1.1 km apart: no building, no estate (1 km), the road centre (≤ 2 km)
    assert (got["level"], got["via"]) == ("road", "road")
    assert len(got["candidates"]) == 2
    assert {c.score for c in got["candidates"]} == {100.0}


def test_base_conflicts(base):
    conflicts = base_conflicts(base)
    assert list(conflicts["key"]) == ["延安西路1000弄8号"]
    row = conflicts.iloc[0]
    assert (row["kind"], row["n"]) == ("road", 2)
    assert row["max_m"] == pytest.approx(1112, abs=5)
    near = BASE.iloc[[0]].assign(lon=121.42003)  # 3 m away: the same building, not a conflict
    assert base_conflicts(pd.concat([BASE.iloc[:3], near])).empty


def test_restrict_to_street():
    twin = pd.DataFrame(
        {
            "address": ["中山路1号", "中山路1号", "中山路3号"],
            "lon": [121.40, 121.45, 121.45],
            "lat": [31.20, 31.20, 31.20],
            "street": ["A", "B", None],
        }
    )
    b = build_base(twin, restrict_on="street")
    rows = pd.DataFrame(
        {"address": ["中山路1号"] * 3 + ["中山路3号"], "street": ["A", "B", None, "A"]}
    )
    got = match_addresses(rows, b, restrict_on="street")
    assert list(got["level"]) == ["building", "building", "none", "building"]
    assert list(got["lon"].round(2)[:2]) == [121.40, 121.45]
    assert got["lon"].iloc[3] == pytest.approx(121.45)  # a base point with no street serves all


def test_index_and_bad_input_kept(base):
    rows = pd.DataFrame(
        {"address": ["虹桥路200号", None, float("nan"), 12]}, index=[10, 20, 30, 40]
    )
    got = match_addresses(rows, base)
    assert list(got.index) == [10, 20, 30, 40]
    assert list(got["level"]) == ["building", "none", "none", "none"]
    with pytest.raises(ValueError, match="地址"):
        match_addresses(pd.DataFrame({"addr": ["x"]}), base)
    with pytest.raises(ValueError, match="lon"):
        build_base(BASE.drop(columns="lon"))


def test_dataframe_base_accepted():
    got = run(BASE, "虹桥路200号").iloc[0]
    assert got["level"] == "building"


def test_synthetic_scale():
    """2,000 roster rows against 5,000 buildings: not timed, only right.

    The roster writes base buildings many ways (prefixes, Chinese and full-width numerals,
    rooms, 3-601, 号楼/栋, estate only) and with one-character typos; it also names lanes'
    buildings the base lacks and rows that name no building at all.
    """
    base_df = synthetic_base(5000, seed=3)
    roster = synthetic_roster(base_df, 2000, seed=5)
    got = match_addresses(roster, build_base(base_df, estate="estate"))
    d = haversine_m(got["lon"], got["lat"], roster["true_lon"], roster["true_lat"])
    hit = (got["level"] == "building").to_numpy() & (d <= 50)
    named = roster["in_base"].to_numpy()
    assert hit[named].mean() >= 0.95
    assert hit[(roster["case"] == "variant").to_numpy()].mean() >= 0.99
    assert (got["level"][~named] != "building").all()
    absent = (roster["case"] == "absent_building").to_numpy()
    assert (got["level"][absent] == "estate").mean() >= 0.95
