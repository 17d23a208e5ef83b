"""geo.point_in_polygon.first_hit against shapely one pair at a time: borders, holes, overlaps,
missing polygons, points off the grid, and random tilings with points on shared vertices."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from geo import point_in_polygon
from geo.point_in_polygon import first_hit


def brute(polygons, x, y) -> np.ndarray:
    """The definition: lowest index of a polygon the point intersects, -1 if none."""
    out = np.full(len(x), -1)
    points = shapely.points(x, y)
    for i in reversed(range(len(polygons))):
        if polygons[i] is not None:
            out[shapely.intersects(polygons[i], points)] = i
    return out


def test_shared_edge_and_corner_go_to_the_lower_index() -> None:
    right = shapely.box(1, 0, 2, 1)  # index 0
    left = shapely.box(0, 0, 1, 1)  # index 1
    x = np.array([1.0, 0.5, 1.5, 1.0, 1.0, 3.0, -100.0, np.nan, 0.0])
    y = np.array([0.5, 0.5, 0.5, 1.0, 0.0, 3.0, 0.5, 0.5, 0.0])
    got = first_hit(np.array([right, left]), x, y)
    assert got.tolist() == [0, 1, 0, 0, 0, -1, -1, -1, 1]
    # The other order: the shared edge follows the index, not the shape.
    assert first_hit(np.array([left, right]), x, y).tolist() == [0, 0, 1, 0, 0, -1, -1, -1, 0]


def test_holes_overlaps_and_missing_polygons() -> None:
    ring = shapely.box(0, 0, 4, 4).difference(shapely.box(1, 1, 3, 3))
    patch = shapely.box(2, 2, 5, 5)  # overlaps the ring and fills part of its hole
    polygons = np.array([None, shapely.Polygon(), patch, ring], dtype=object)
    x = np.array([1.5, 1.0, 0.5, 3.5, 4.5, 6.0])
    y = np.array([1.5, 2.0, 0.5, 3.5, 4.5, 6.0])
    # In the hole only: none; on the hole's edge: the ring; in both: the patch (lower index).
    assert first_hit(polygons, x, y).tolist() == [-1, 3, 3, 2, 2, -1]
    assert first_hit(polygons, x, y).tolist() == brute(polygons, x, y).tolist()


def test_nothing_to_place() -> None:
    assert first_hit(np.array([], dtype=object), [1.0], [2.0]).tolist() == [-1]
    assert first_hit(np.array([shapely.box(0, 0, 1, 1)]), [], []).tolist() == []


def _tiling(seed: int, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    frame = shapely.box(121.0, 31.0, 121.1, 31.07)
    seeds = shapely.multipoints(rng.uniform([121.0, 31.0], [121.1, 31.07], (n, 2)))
    cells = shapely.get_parts(shapely.voronoi_polygons(seeds, extend_to=frame))
    cells = shapely.intersection(cells, frame)
    cells = cells[~shapely.is_empty(cells)]
    rng.shuffle(cells)
    # Random points, every vertex (shared by two or three cells) and points off the frame.
    vertices = shapely.get_coordinates(cells)
    pts = np.vstack(
        [
            rng.uniform([120.99, 30.99], [121.11, 31.08], (4000, 2)),
            vertices,
            [[121.0, 31.035], [121.05, 31.0], [121.2, 31.0]],
        ]
    )
    return cells, pts[:, 0], pts[:, 1]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_tilings_match_the_definition(seed: int) -> None:
    cells, x, y = _tiling(seed, 300)
    got = first_hit(cells, x, y)
    assert (got == brute(cells, x, y)).all()
    # The fixture has what it claims: vertices on borders and points outside every cell.
    touches = shapely.intersects(cells[:, None], shapely.points(x, y)[None, :]).sum(axis=0)
    assert (touches >= 3).sum() > 100 and (touches == 0).sum() > 100


def test_a_coarse_grid_and_small_slices_give_the_same_answer(monkeypatch) -> None:
    cells, x, y = _tiling(4, 300)
    cells = np.append(cells, shapely.box(121.0, 31.0, 121.1, 31.07))  # one polygon over all
    fine = first_hit(cells, x, y)
    monkeypatch.setattr(point_in_polygon, "MAX_ENTRIES", 500)  # forces the grid to coarsen
    assert (first_hit(cells, x, y) == fine).all()
    monkeypatch.setattr(point_in_polygon, "CHUNK", 7)  # points tested a few at a time
    assert (first_hit(cells, x, y) == fine).all()
    assert (fine == brute(cells, x, y)).all()
