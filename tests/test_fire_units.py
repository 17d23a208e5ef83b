"""Gi* units counted in SQL (fire_risk_cells, fire_risk_communities on the cells the score spans
carry) equal Gi* run on every household's point as the page did before
(fire_risk_points + data.firerisk.fire_risk.hotspot_units); the stored cells follow the points and a
write past the write path is reported by `anju check`."""

from __future__ import annotations

import pandas as pd
import pytest

import queries
from anju.cli import main
from data.demos import demo
from data.firerisk import fire_risk
from data.households import household_cell
from geo import grid, hotspots
from tests.conftest import TINY, connected, save_to_file


def by_points(con, programme_id, as_of, level, street_ids):
    """Gi* units, resolution, communities and hot households as find_hotspots made them from
    every household's point, as it was before the stored cells."""
    points = queries.run(
        con, "fire_risk_points", programme_id=programme_id, as_of=as_of, street_ids=street_ids
    )
    district = queries.run(
        con, "region_shapes", programme_id=programme_id, level="district", street_ids=None
    )
    resolution = fire_risk.resolution_for_district(district, points)
    shapes = queries.run(
        con, "region_shapes", programme_id=programme_id, level="community", street_ids=street_ids
    )
    units = fire_risk.hotspot_units(points, level, resolution=resolution, community_shapes=shapes)
    placed = fire_risk.attach_units(points, units, level, resolution)
    communities = (
        points[["street_id", "community_id", "community_name"]]
        .dropna(subset=["community_id"])
        .drop_duplicates("community_id")
        .sort_values("community_id", ignore_index=True)
    )
    hot = int(hotspots.at_least(placed["hotspot"], 95).sum())
    return units, resolution, communities, hot


def assert_same(con, programme_id, as_of, level, street_ids):
    units, resolution, communities, hot = by_points(con, programme_id, as_of, level, street_ids)
    found = fire_risk.find_hotspots(con, programme_id, as_of, level, street_ids)
    assert found.resolution == resolution
    assert found.hot_households(95) == hot
    pd.testing.assert_frame_equal(found.communities, communities, check_dtype=False)
    got = found.units.reset_index(drop=True)
    want = units.reset_index(drop=True)
    assert list(got.columns) == list(want.columns)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    return found


@pytest.fixture(scope="module")
def demo_con(demo_db):
    yield from connected(demo_db)


@pytest.mark.parametrize("level", fire_risk.LEVELS)
@pytest.mark.parametrize("street_ids", [None, ["310105001"]])
def test_demo_units_equal_gi_star_on_the_points(demo_con, level, street_ids):
    found = assert_same(demo_con, demo.PROGRAMME, demo.AS_OF, level, street_ids)
    assert hotspots.at_least(found.units["cls"], 95).any()  # the classes are compared too
    assert found.units["name"].str.len().gt(0).all()


@pytest.mark.parametrize("level", fire_risk.LEVELS)
def test_tiny_units_equal_gi_star_on_the_points(tiny_con, level):
    for day in (demo.AS_OF, pd.Timestamp("2023-05-20").date()):
        assert_same(tiny_con, TINY, day, level, None)


def test_other_resolutions_and_no_outline(tiny_con):
    # Every resolution Gi* may choose is stored, each from the point itself.
    stored = tiny_con.execute(
        "SELECT lon, lat, h3_r4, h3_r9, h3_r11 FROM household_cell ORDER BY household_id"
    ).fetchall()
    assert stored
    for lon, lat, r4, r9, r11 in stored:
        assert [r4, r9, r11] == [
            int(grid.cells_for_points([lon], [lat], r)[0], 16) for r in (4, 9, 11)
        ]
    # Without a district outline the resolution follows the households' extent, as before.
    tiny_con.execute("UPDATE programme SET district_id = 'nowhere' WHERE programme_id = ?", [TINY])
    assert_same(tiny_con, TINY, demo.AS_OF, "h3", None)


def test_a_point_moved_past_the_write_path_is_reported(tiny_con, tmp_path, capsys):
    assert household_cell.differences(tiny_con)[0] == 0
    tiny_con.execute("UPDATE household SET lon = lon + 0.05 WHERE household_id = 'H3'")
    count, rows = household_cell.differences(tiny_con)
    assert count == 2 and {r[1] for r in rows} == {"H3"}
    path = save_to_file(tiny_con, tmp_path / "c.duckdb")
    assert main(["check", "--db", str(path)]) == 1
    assert "住户网格表" in capsys.readouterr().err
    household_cell.refresh(tiny_con, TINY, ["H3"])
    assert household_cell.differences(tiny_con)[0] == 0
