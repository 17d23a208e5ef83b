"""H3 hexagon grids over WGS84 points: resolution for a district, cell ids, neighbours, outlines.

All coordinates are WGS84 lon/lat degrees; areas in km², lengths in metres.
"""

from __future__ import annotations

from collections.abc import Iterable

import h3
import numpy as np
import shapely

# Gi* needs enough cells to have neighbours to compare with, and enough households per cell for
# a cell mean to mean something. Around a few hundred cells does both for a Chinese district:
# 长宁区 (37 km²) gets resolution 9 (0.105 km² cells, edge ≈ 200 m, ~350 cells, ~18 elderly
# households each), finer than a 350 m risk cluster and coarser than a single building.
MAX_CELLS = 1000
RESOLUTIONS = range(4, 12)


def resolution_for(area_km2: float, max_cells: int = MAX_CELLS) -> int:
    """The finest H3 resolution that tiles `area_km2` with at most `max_cells` average cells."""
    if area_km2 <= 0:
        raise ValueError(f"面积必须为正数（km²）：{area_km2}")
    best = RESOLUTIONS[0]
    for res in RESOLUTIONS:
        if area_km2 / h3.average_hexagon_area(res, "km^2") <= max_cells:
            best = res
    return best


def edge_length_m(resolution: int) -> float:
    """Average hexagon edge length at `resolution`, metres."""
    return float(h3.average_hexagon_edge_length(resolution, "m"))


def cells_for_points(lon: Iterable[float], lat: Iterable[float], resolution: int) -> np.ndarray:
    """The H3 cell id (hex string) of each WGS84 point; None where a coordinate is missing."""
    out = []
    for x, y in zip(lon, lat, strict=True):
        if x is None or y is None or np.isnan(x) or np.isnan(y):
            out.append(None)
        else:
            out.append(h3.latlng_to_cell(float(y), float(x), resolution))
    return np.array(out, dtype=object)


def neighbours(cells: Iterable[str]) -> dict[str, list[str]]:
    """For each cell, the cells of the same set sharing an edge with it (H3 ring 1).

    Cells with no neighbour in the set map to an empty list (islands).
    """
    present = list(dict.fromkeys(cells))
    known = set(present)
    return {c: sorted(n for n in h3.grid_ring(c, 1) if n in known) for c in present}


def cell_centres(cells: Iterable[str]) -> np.ndarray:
    """Centres of cells as an (n, 2) array of lon, lat."""
    return np.array([h3.cell_to_latlng(c)[::-1] for c in cells], dtype=float).reshape(-1, 2)


def cell_polygons(cells: Iterable[str]) -> list[shapely.Polygon]:
    """Cell outlines as shapely polygons in lon/lat."""
    return [shapely.Polygon([(lng, lat) for lat, lng in h3.cell_to_boundary(c)]) for c in cells]


def distance_m(lon: np.ndarray, lat: np.ndarray, lon0: float, lat0: float) -> np.ndarray:
    """Distance in metres from (lon0, lat0), equirectangular: exact enough within a district."""
    dx = (np.asarray(lon) - lon0) * 111_320 * np.cos(np.radians(lat0))
    dy = (np.asarray(lat) - lat0) * 110_574
    return np.hypot(dx, dy)
