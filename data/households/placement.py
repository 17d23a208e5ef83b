"""Place households in communities and streets by point-in-polygon (the write path: reads the
points and the programme's communities, tests them all at once in geo.point_in_polygon, writes
only the households whose place changed, then refreshes their stored status, as one unit of work)."""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa
import shapely

import queries
from data.store.unit_of_work import unit_of_work
from geo import point_in_polygon

MOVES = "_anju_placement_moves"  # the changed rows, registered for placement.move


def assign_households(
    con: duckdb.DuckDBPyConnection, programme_id: str, *, actor: str
) -> dict[str, int]:
    """Set street/community of every household with coordinates; return counts by placement.

    Points inside no community are kept with placement 'outside'; rows without coordinates
    stay 'unplaced' with whatever community an importer matched by name. A point on a shared
    border touches two communities: the lower region_id wins (the named query
    assign_households is the same rule in one SQL statement).
    """
    with unit_of_work(con, actor) as uow:
        moved = _move(con, programme_id, *place(con, programme_id))
        # Street and community are part of the stored status: refreshed with the placement,
        # for the households that moved (all of them, recomputed at once, when most did).
        total = queries.call(con, "placement.total", programme_id=programme_id).fetchone()[0]
        uow.touch(programme_id, None if len(moved) > total // 10 else moved)
    rows = queries.call(con, "placement.counts", programme_id=programme_id).fetchall()
    return {"inside": 0, "outside": 0, "unplaced": 0} | dict(rows)


def place(con: duckdb.DuckDBPyConnection, programme_id: str) -> tuple[pa.Table, list, np.ndarray]:
    """The households with coordinates (household_id, lon, lat, was), the programme's
    communities (region_id, street, WKB) in region_id order, and the position of each
    household's community among them (-1: outside every community). Writes nothing."""
    communities = queries.call(con, "placement.communities", programme_id=programme_id).fetchall()
    points = queries.call(con, "placement.points", programme_id=programme_id).to_arrow_table()
    outlines = shapely.from_wkb([bytes(wkb) for _, _, wkb in communities])
    found = point_in_polygon.first_hit(outlines, points["lon"].to_numpy(), points["lat"].to_numpy())
    return points, communities, found


def _move(
    con: duckdb.DuckDBPyConnection,
    programme_id: str,
    points: pa.Table,
    communities: list,
    found: np.ndarray,
) -> list[str]:
    """Write the households whose place differs from `was`; return their ids."""
    changed = np.flatnonzero(found != points["was"].to_numpy())
    if not len(changed):
        return []
    where = found[changed]
    inside = where >= 0
    region = np.array([c[0] for c in communities] + [None], dtype=object)
    street = np.array([c[1] for c in communities] + [None], dtype=object)
    moves = pa.table(
        {
            "household_id": points["household_id"].take(pa.array(changed)),
            "community_id": pa.array(region[where], type=pa.string()),  # -1 → the None
            "street_id": pa.array(street[where], type=pa.string()),
            "placement": pa.array(np.where(inside, "inside", "outside"), type=pa.string()),
        }
    )
    con.register(MOVES, moves)
    try:
        queries.call(con, "placement.move", programme_id=programme_id)
    finally:
        con.unregister(MOVES)
    # The rows read are the programme's own (same transaction), one per household_id.
    return moves["household_id"].to_pylist()
