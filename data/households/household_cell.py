"""Each household's H3 cells (household_cell): the one write path that keeps them
equal to the households' points, and the check that proves it. A point known only to its road
(loc_level 'road') gets no cells: too coarse for a small area (queries/statements/household_cell.sql).

`data.households.household_state.refresh` calls `refresh` for the households it refreshes; a database
migrated with households in it is filled at connect (data.store.derived). The cells are computed
here because H3 is a Python package (h3, pinned), one call per point and resolution: a coarser
cell is never taken as the parent of a finer one, which would misplace points near a cell's
edge.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import h3.api.basic_int as h3int
import numpy as np
import pandas as pd

import queries
from geo import grid

COLUMNS = [f"h3_r{r}" for r in grid.RESOLUTIONS]


def cells(points: pd.DataFrame) -> pd.DataFrame:
    """`points` (programme_id, household_id, lon, lat; both coordinates present) with their cell
    at every resolution, as 64-bit H3 integers."""
    lat = points["lat"].to_numpy(dtype=float).tolist()
    lon = points["lon"].to_numpy(dtype=float).tolist()
    out = points[["programme_id", "household_id", "lon", "lat"]].reset_index(drop=True)
    for res, name in zip(grid.RESOLUTIONS, COLUMNS, strict=True):
        to_cell = h3int.latlng_to_cell
        out[name] = np.fromiter(
            (to_cell(y, x, res) for y, x in zip(lat, lon, strict=True)),
            dtype=np.int64,
            count=len(lat),
        )
    return out


def refresh(
    con: duckdb.DuckDBPyConnection,
    programme_id: str | None,
    household_ids: Iterable[str] | None = None,
) -> None:
    """Recompute the cells of some households (None: all) of a programme (None: all) whose point
    changed, appeared or went; inside the caller's transaction when there is one."""
    ids = None if household_ids is None else sorted({str(h) for h in household_ids})
    if ids is not None and not ids:
        return
    params = {"programme_id": programme_id, "household_ids": ids}
    queries.call(con, "household_cell.delete_stale", **params)
    missing = queries.call(con, "household_cell.missing", **params).df()
    if missing.empty:
        return
    con.register("_anju_household_cell", cells(missing))
    try:
        queries.call(con, "household_cell.insert")
    finally:
        con.unregister("_anju_household_cell")


def differences(con: duckdb.DuckDBPyConnection, limit: int = 20) -> tuple[int, list[tuple]]:
    """Rows of household_cell that differ from a recomputation from the households' points:
    (count, first `limit` as (programme_id, household_id, '已存' | '重算', lon, lat))."""
    con.register("_anju_household_cell", cells(queries.call(con, "household_cell.points").df()))
    try:
        count = queries.call(con, "household_cell.diff_count").fetchone()[0]
        rows = queries.call(con, "household_cell.diff_rows", limit=limit).fetchall()
    finally:
        con.unregister("_anju_household_cell")
    return int(count), rows
