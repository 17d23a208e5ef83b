"""Which polygon each point lies in, for a million points at once, without a geometry per point.

A uniform grid over the polygons' bounding boxes lists, per cell, the polygons whose box
overlaps it; each point (cell by arithmetic) is tested only against those, exactly with GEOS on the prepared polygon (`shapely.intersects_xy`: the boundary counts, as in
`ST_Intersects`). Cells are found by the same floor((v - origin) / size) for boxes and points,
and floating-point subtraction and division are monotone, so a point inside a box always lands
in a cell that lists the box.
"""

from __future__ import annotations

import numpy as np
import shapely

# The grid: about this many cells per typical polygon (fewer candidates per point), never more
# than MAX_CELLS cells nor MAX_ENTRIES (cell, polygon) entries (a few huge polygons coarsen it).
CELLS_PER_POLYGON = 16
MAX_CELLS = 1 << 22
MAX_ENTRIES = 1 << 23
CHUNK = 1 << 15  # points tested at a time


def first_hit(polygons: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """For each point (x[i], y[i]), the lowest index of a polygon it intersects (inside or on
    the boundary), or -1 when it touches none. Missing or empty polygons are never hit."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    polygons = np.asarray(polygons, dtype=object)
    found = np.full(len(x), -1, dtype=np.int64)
    usable = np.flatnonzero(~shapely.is_missing(polygons) & ~shapely.is_empty(polygons))
    if not len(usable) or not len(x):
        return found
    shapely.prepare(polygons[usable])
    box = shapely.bounds(polygons[usable])
    x0, y0 = box[:, 0].min(), box[:, 1].min()
    span = max(box[:, 2].max() - x0, box[:, 3].max() - y0)
    typical = float(np.median(np.maximum(box[:, 2] - box[:, 0], box[:, 3] - box[:, 1])))
    size = max(typical / np.sqrt(CELLS_PER_POLYGON), span / np.sqrt(MAX_CELLS), 1e-12)
    while True:
        nx = int((box[:, 2].max() - x0) / size) + 1
        ny = int((box[:, 3].max() - y0) / size) + 1
        ix0, ix1 = _cell(box[:, 0], x0, size), _cell(box[:, 2], x0, size)
        iy0, iy1 = _cell(box[:, 1], y0, size), _cell(box[:, 3], y0, size)
        wide = ix1 - ix0 + 1
        per_box = wide * (iy1 - iy0 + 1)
        if per_box.sum() <= MAX_ENTRIES or size >= span:
            break
        size *= 2
    # (cell, polygon) entries, sorted by cell then polygon: a cell's list is in index order.
    owner = np.repeat(np.arange(len(usable)), per_box)
    step = np.arange(per_box.sum()) - np.repeat(np.cumsum(per_box) - per_box, per_box)
    cell = (iy0[owner] + step // wide[owner]) * nx + ix0[owner] + step % wide[owner]
    owner = owner[np.lexsort((owner, cell))]
    starts = np.zeros(nx * ny + 1, dtype=np.int64)
    np.cumsum(np.bincount(cell, minlength=nx * ny), out=starts[1:])
    # Each point against its cell's list (the prepared test checks the box first itself), a
    # slice of points at a time: the temporary arrays stay small and are reused.
    shapes = polygons[usable]
    for lo in range(0, len(x), CHUNK):
        xs, ys = x[lo : lo + CHUNK], y[lo : lo + CHUNK]
        px, py = _cell(xs, x0, size), _cell(ys, y0, size)
        on_grid = (px >= 0) & (px < nx) & (py >= 0) & (py < ny)
        at = np.where(on_grid, py * nx + px, 0)
        first = starts[at]
        count = np.where(on_grid, starts[at + 1] - first, 0)
        point = np.repeat(np.arange(len(xs)), count)
        shape = owner[np.repeat(first - (np.cumsum(count) - count), count) + np.arange(count.sum())]
        hit = shapely.intersects_xy(shapes[shape], xs[point], ys[point])
        point, shape = point[hit], shape[hit]
        lowest = np.ones(len(point), dtype=bool)
        lowest[1:] = point[1:] != point[:-1]
        found[lo + point[lowest]] = usable[shape[lowest]]
    return found


def _cell(v: np.ndarray, origin: float, size: float) -> np.ndarray:
    # NaN or absurd coordinates fall off the grid (index -1).
    cell = np.floor((v - origin) / size)
    return np.where(np.abs(cell) < 2.0**40, cell, -1.0).astype(np.int64)
