"""Named queries against the tiny hand-drawn programme of conftest.py.

Every expected number is written out literally, with the households it comes from, so a
reader can check it against the picture and the event tables in conftest.py. Every query run
generically and parameter binding: tests/test_query_catalogue.py.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
import shapely

import queries
from data.households import household_state, placement
from tests.conftest import TINY

MAY19 = date(2023, 5, 19)  # the day before H1's installation
MAY20 = date(2023, 5, 20)  # H1 installed
MAY31 = date(2023, 5, 31)  # last day of the install phase
OUTSIDE = "（未落入任何街道）"
COUNTS = ["target", "surveyed", "installed", "verified", "hazards_open", "gas_cut", "refused"]
PLAN = ["plan_installed", "gap_to_plan"]


def kpis(con, as_of, street_ids=None) -> dict:
    df = queries.run(con, "programme_kpis", programme_id=TINY, as_of=as_of, street_ids=street_ids)
    assert len(df) == 1
    return df.iloc[0].to_dict()


def rows(df: pd.DataFrame, key: str, cols: list[str]) -> dict:
    """{key value (None for the outside row): [cols...]} with plain Python numbers."""
    out = {}
    for rec in df.to_dict("records"):
        k = None if pd.isna(rec[key]) else rec[key]
        out[k] = [int(rec[c]) for c in cols]
    return out


# ---------------------------------------------------------------- assign_households


def test_assignment_places_each_household_once(tiny_con):
    got = tiny_con.execute(
        "SELECT household_id, street_id, community_id, placement FROM household ORDER BY 1"
    ).fetchall()
    assert got == [
        ("H1", "S1", "C11", "inside"),
        ("H2", "S1", "C11", "inside"),
        ("H3", "S1", "C12", "inside"),
        ("H4", "S1", "C11", "inside"),  # on the border: C11 < C21
        ("H5", "S2", "C21", "inside"),
        ("H6", "S2", "C22", "inside"),
        ("H7", "S2", "C22", "inside"),
        ("H8", None, None, "outside"),  # kept, flagged
    ]


def test_border_point_really_touches_both_communities(tiny_con):
    # Guards the fixture: if H4 were not on the border, the tie-break above would be untested.
    touched = tiny_con.execute(
        "SELECT r.region_id FROM region r, household h WHERE h.household_id = 'H4'"
        " AND r.level = 'community' AND ST_Intersects(r.geom, ST_Point(h.lon, h.lat)) ORDER BY 1"
    ).fetchall()
    assert touched == [("C11",), ("C21",)]


def test_assignment_is_scoped_to_the_programme_and_skips_missing_coordinates(tiny_con):
    tiny_con.execute(
        "INSERT INTO household (household_id, programme_id, lon, lat) VALUES"
        " ('H9', 'tiny', NULL, NULL), ('X1', 'other', 121.005, 31.0025)"
    )
    placement.assign_households(tiny_con, TINY, actor="test")
    got = tiny_con.execute(
        "SELECT household_id, street_id, placement FROM household"
        " WHERE household_id IN ('H9', 'X1') ORDER BY 1"
    ).fetchall()
    assert got == [("H9", None, "unplaced"), ("X1", None, "unplaced")]


# ---------------------------------------------------------------- programme_kpis


def test_kpis_whole_district_on_may_20(tiny_con):
    got = kpis(tiny_con, MAY20)
    assert {k: int(v) for k, v in got.items() if not k.startswith("plan")} == {
        "target": 10,  # the programme's official figure, not the 8 registered
        "registered": 8,  # H1..H8, the outside H8 included
        "piped": 7,
        "lpg": 1,  # H3
        "surveyed": 5,  # H1 H2 H3(refused counts) H4 H8; H5 not_home, H6/H7 visited later
        "installed": 3,  # H1 (05-20) H4 (05-10) H8 (05-05)
        "verified": 2,  # H4 (05-15) H8 (05-06); H1 only on 05-25
        "hazards_open": 2,  # H2 (fixed 05-25) H3 (fixed 05-22)
        "gas_cut": 1,  # H3: cut 04-22, restored 05-23
        "refused": 1,  # H3, not yet installed
        "unplaced": 1,  # H8
    }
    assert got["plan_survey_fraction"] == pytest.approx(1.0)  # survey phase ended 04-30
    assert got["plan_fraction"] == pytest.approx(20 / 31)  # 05-01..05-20 = 20 of 31 days


def test_kpis_day_before_an_installation(tiny_con):
    before, on = kpis(tiny_con, MAY19), kpis(tiny_con, MAY20)
    assert (before["installed"], on["installed"]) == (2, 3)  # H1 installed on 05-20
    assert before["plan_fraction"] == pytest.approx(19 / 31)


def test_kpis_end_of_install_phase(tiny_con):
    got = kpis(tiny_con, MAY31)
    assert got["surveyed"] == 7  # + H6 (05-21) + H7 (05-25)
    assert got["installed"] == 4  # + H3 (05-28)
    assert got["verified"] == 3  # + H1 (05-25)
    assert got["hazards_open"] == 0  # H3 fixed 05-22, H2 fixed 05-25
    assert got["gas_cut"] == 0  # H3 restored 05-23
    assert got["refused"] == 1  # H7 now; H3 installed so no longer a refusal
    assert got["plan_fraction"] == pytest.approx(1.0)


def test_kpis_within_a_street_scope(tiny_con):
    got = kpis(tiny_con, MAY20, street_ids=["S1"])
    assert {k: int(v) for k, v in got.items() if not k.startswith("plan")} == {
        "target": 4,  # within a scope the target is the registered count: H1 H2 H3 H4
        "registered": 4,
        "piped": 3,
        "lpg": 1,
        "surveyed": 4,
        "installed": 2,  # H1 H4
        "verified": 1,  # H4
        "hazards_open": 2,  # H2 H3
        "gas_cut": 1,
        "refused": 1,
        "unplaced": 0,  # H8 belongs to no street, so to no street scope
    }


def test_kpis_all_streets_scope_still_excludes_the_outside_household(tiny_con):
    got = kpis(tiny_con, MAY20, street_ids=["S1", "S2"])
    assert (got["target"], got["registered"], got["unplaced"], got["installed"]) == (7, 7, 0, 2)


def test_kpis_empty_scope_sees_nothing(tiny_con):
    got = kpis(tiny_con, MAY20, street_ids=[])
    assert (got["target"], got["registered"], got["installed"]) == (0, 0, 0)


# ---------------------------------------------------------------- plan_fraction


@pytest.mark.parametrize(
    ("as_of", "install", "survey"),
    [
        (date(2023, 3, 31), 0.0, 0.0),  # before both phases
        (date(2023, 4, 1), 0.0, 1 / 30),  # survey day 1 of 30
        (date(2023, 4, 15), 0.0, 15 / 30),
        (date(2023, 4, 30), 0.0, 1.0),  # install: (-1 + 1) / 31
        (date(2023, 5, 1), 1 / 31, 1.0),  # (0 + 1) / 31
        (date(2023, 5, 16), 16 / 31, 1.0),
        (date(2023, 5, 31), 1.0, 1.0),
        (date(2023, 7, 1), 1.0, 1.0),  # after the end: capped
    ],
)
def test_plan_fraction_is_days_since_start_plus_one_over_phase_length(
    tiny_con, as_of, install, survey
):
    got = kpis(tiny_con, as_of)
    assert got["plan_fraction"] == pytest.approx(install)
    assert got["plan_survey_fraction"] == pytest.approx(survey)


def test_plan_fraction_of_a_missing_phase_kind_is_zero(tiny_con):
    got = tiny_con.execute("SELECT plan_fraction('tiny', 'archive', DATE '2023-12-31')").fetchone()
    assert got == (0.0,)


# ---------------------------------------------------------------- coverage_by_street


def test_coverage_by_street_whole_district_on_may_20(tiny_con):
    df = queries.run(
        tiny_con, "coverage_by_street", programme_id=TINY, as_of=MAY20, street_ids=None
    )
    assert [None if pd.isna(s) else s for s in df.street_id] == ["S1", "S2", None]
    assert df.street_name.tolist() == ["西街道", "东街道", OUTSIDE]
    assert rows(df, "street_id", COUNTS) == {
        #       target surveyed installed verified hazards gas_cut refused
        "S1": [4, 4, 2, 1, 2, 1, 1],  # H1-H4 (H4 from the border); installed H1 H4
        "S2": [3, 0, 0, 0, 0, 0, 0],  # H5 not_home; H6/H7 visited after 05-20
        None: [1, 1, 1, 1, 0, 0, 0],  # H8
    }
    assert rows(df, "street_id", PLAN) == {
        "S1": [3, -1],  # round(4 × 20/31 = 2.58) = 3; 2 - 3
        "S2": [2, -2],  # round(3 × 20/31 = 1.94) = 2; 0 - 2
        None: [1, 0],  # round(1 × 20/31 = 0.65) = 1; 1 - 1
    }
    assert df.completion.tolist() == pytest.approx([2 / 4, 0 / 3, 1 / 1])
    assert df.plan.tolist() == pytest.approx([20 / 31] * 3)


def test_coverage_by_street_end_of_phase(tiny_con):
    df = queries.run(
        tiny_con, "coverage_by_street", programme_id=TINY, as_of=MAY31, street_ids=None
    )
    assert rows(df, "street_id", COUNTS + PLAN) == {
        "S1": [4, 4, 3, 2, 0, 0, 0, 4, -1],  # installed H1 H3 H4; verified H1 H4
        "S2": [3, 2, 0, 0, 0, 0, 1, 3, -3],  # surveyed H6 H7; H7 refused
        None: [1, 1, 1, 1, 0, 0, 0, 1, 0],
    }


def test_coverage_by_street_day_before(tiny_con):
    df = queries.run(
        tiny_con, "coverage_by_street", programme_id=TINY, as_of=MAY19, street_ids=None
    )
    # S1 installed: H4 only; plan round(4 × 19/31 = 2.45) = 2
    assert rows(df, "street_id", ["installed", *PLAN])["S1"] == [1, 2, -1]


def test_coverage_by_street_scope_drops_other_streets_and_the_outside_row(tiny_con):
    df = queries.run(
        tiny_con, "coverage_by_street", programme_id=TINY, as_of=MAY20, street_ids=["S1"]
    )
    assert rows(df, "street_id", COUNTS) == {"S1": [4, 4, 2, 1, 2, 1, 1]}
    both = queries.run(
        tiny_con, "coverage_by_street", programme_id=TINY, as_of=MAY20, street_ids=["S1", "S2"]
    )
    assert OUTSIDE not in both.street_name.tolist()
    assert both.street_id.tolist() == ["S1", "S2"]


def test_coverage_by_street_no_outside_row_when_everyone_is_placed(tiny_con):
    tiny_con.execute("DELETE FROM household WHERE household_id = 'H8'")
    household_state.refresh(tiny_con, TINY)
    df = queries.run(
        tiny_con, "coverage_by_street", programme_id=TINY, as_of=MAY20, street_ids=None
    )
    assert df.street_id.tolist() == ["S1", "S2"]


def test_coverage_by_street_lists_streets_without_households(tiny_con):
    tiny_con.execute(
        "INSERT INTO region VALUES ('S3', '空街道', 'street', 'D',"
        " ST_MakeEnvelope(121.02, 31.0, 121.03, 31.01), 'test', true)"
    )
    df = queries.run(
        tiny_con, "coverage_by_street", programme_id=TINY, as_of=MAY20, street_ids=None
    )
    s3 = df[df.street_id == "S3"].iloc[0]
    assert (s3.target, s3.installed, s3.plan_installed, s3.gap_to_plan) == (0, 0, 0, 0)
    assert pd.isna(s3.completion)  # no division by zero


# ---------------------------------------------------------------- coverage_by_community


def test_coverage_by_community_on_may_20(tiny_con):
    df = queries.run(
        tiny_con, "coverage_by_community", programme_id=TINY, as_of=MAY20, street_ids=None
    )
    assert df.community_id.tolist() == ["C11", "C12", "C21", "C22"]
    assert df.street_id.tolist() == ["S1", "S1", "S2", "S2"]
    assert df.community_name.tolist() == ["西南社区", "西北社区", "东南社区", "东北社区"]
    assert rows(df, "community_id", COUNTS + PLAN) == {
        #        target surv inst ver haz cut ref plan gap
        "C11": [3, 3, 2, 1, 1, 0, 0, 2, 0],  # H1 H2 H4; round(3 × 20/31 = 1.94) = 2
        "C12": [1, 1, 0, 0, 1, 1, 1, 1, -1],  # H3: refused, gas cut, hazard open
        "C21": [1, 0, 0, 0, 0, 0, 0, 1, -1],  # H5 (H4 went to C11, not here)
        "C22": [2, 0, 0, 0, 0, 0, 0, 1, -1],  # H6 H7; round(2 × 20/31 = 1.29) = 1
    }
    # The outside household has no community: 7 of the 8 households are in the table.
    assert df.target.sum() == 7
    assert df.completion.tolist() == pytest.approx([2 / 3, 0, 0, 0])


def test_coverage_by_community_as_of_moves_one_installation(tiny_con):
    before = queries.run(
        tiny_con, "coverage_by_community", programme_id=TINY, as_of=MAY19, street_ids=None
    )
    on = queries.run(
        tiny_con, "coverage_by_community", programme_id=TINY, as_of=MAY20, street_ids=None
    )
    assert before.installed.tolist() == [1, 0, 0, 0]  # H4
    assert on.installed.tolist() == [2, 0, 0, 0]  # H4 H1


def test_coverage_by_community_scope(tiny_con):
    df = queries.run(
        tiny_con, "coverage_by_community", programme_id=TINY, as_of=MAY20, street_ids=["S2"]
    )
    assert df.community_id.tolist() == ["C21", "C22"]
    assert df.target.tolist() == [1, 2]


# ---------------------------------------------------------------- region_shapes


def shapes(con, level, street_ids=None) -> dict:
    df = queries.run(con, "region_shapes", programme_id=TINY, level=level, street_ids=street_ids)
    return {
        r.region_id: (r.parent_id, round(shapely.from_wkb(bytes(r.geom_wkb)).area, 12))
        for r in df.itertuples()
    }


def test_region_shapes_each_level(tiny_con):
    assert shapes(tiny_con, "district") == {"D": (None, 2e-4)}  # 0.02° × 0.01°
    assert shapes(tiny_con, "street") == {"S1": ("D", 1e-4), "S2": ("D", 1e-4)}
    assert shapes(tiny_con, "community") == {
        "C11": ("S1", 5e-5),
        "C12": ("S1", 5e-5),
        "C21": ("S2", 5e-5),
        "C22": ("S2", 5e-5),
    }


def test_region_shapes_scope(tiny_con):
    assert list(shapes(tiny_con, "street", ["S2"])) == ["S2"]
    assert list(shapes(tiny_con, "community", ["S2"])) == ["C21", "C22"]
    assert list(shapes(tiny_con, "district", ["S2"])) == ["D"]  # always whole


def test_region_shapes_carry_provenance(tiny_con):
    df = queries.run(tiny_con, "region_shapes", programme_id=TINY, level="street", street_ids=None)
    assert df.source.tolist() == ["test", "test"]
    assert df.synthetic.tolist() == [True, True]


def test_region_shapes_ignore_other_districts(tiny_con):
    tiny_con.execute(
        "INSERT INTO region VALUES ('E', '区E', 'district', NULL, ST_MakeEnvelope(0, 0, 1, 1), 'x', true),"
        " ('ES', '别区街道', 'street', 'E', ST_MakeEnvelope(0, 0, 1, 1), 'x', true)"
    )
    assert list(shapes(tiny_con, "street")) == ["S1", "S2"]
    assert list(shapes(tiny_con, "district")) == ["D"]


# ---------------------------------------------------------------- data_status


def test_data_status(tiny_con):
    got = queries.run(tiny_con, "data_status", programme_id=TINY).iloc[0]
    assert not got.is_demo  # no app_meta row
    # latest of: visits (H7 05-25), installs (H3 05-28), verifications (05-25), hazards (04-15)
    assert pd.Timestamp(got.latest_date) == pd.Timestamp("2023-05-28")
    assert got.programme_name == "小程序"
    assert got.households == 8


def test_data_status_demo_flag_and_unknown_programme(tiny_con):
    tiny_con.execute("INSERT INTO app_meta VALUES ('dataset', 'demo')")
    got = queries.run(tiny_con, "data_status", programme_id="nope").iloc[0]
    assert got.is_demo
    assert got.households == 0
    assert pd.isna(got.programme_name)
    assert pd.isna(got.latest_date)
