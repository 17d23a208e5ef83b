"""data.households.placement on the tiny district (border points once, outside points kept and flagged) and
on the demo against the one-statement SQL reference (queries/placement_reference.sql)."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import shapely

import queries
from data.demos import demo
from data.households import placement
from data.households.placement import assign_households
from data.store import connection
from tests.conftest import TINY


def test_counts_by_placement(tiny_con) -> None:
    tiny_con.execute(
        "INSERT INTO household (household_id, programme_id, gas_type) VALUES ('H9', ?, 'piped')",
        [TINY],
    )
    counts = assign_households(tiny_con, TINY, actor="test")
    # H1–H7 inside (H4 on the S1/S2 border counted once), H8 outside, H9 has no coordinates.
    assert counts == {"inside": 7, "outside": 1, "unplaced": 1}
    rows = dict(
        tiny_con.execute(
            "SELECT household_id, community_id FROM household WHERE programme_id = ?", [TINY]
        ).fetchall()
    )
    assert rows["H4"] == "C11"
    assert rows["H8"] is None
    assert len(rows) == 9  # nothing dropped


def test_moving_a_point_moves_its_household(tiny_con) -> None:
    tiny_con.execute("UPDATE household SET lon = 121.015, lat = 31.0075 WHERE household_id = 'H8'")
    assign_households(tiny_con, TINY, actor="test")
    street, community, placement = tiny_con.execute(
        "SELECT street_id, community_id, placement FROM household WHERE household_id = 'H8'"
    ).fetchone()
    assert (street, community, placement) == ("S2", "C22", "inside")


# ------------------------------------------------ the fast path against the one-statement SQL


def _snapshot(con) -> list[tuple]:
    return con.execute(
        "SELECT household_id, street_id, community_id, placement FROM household"
        " WHERE programme_id = ? ORDER BY household_id",
        [demo.PROGRAMME],
    ).fetchall()


def test_same_assignment_as_the_sql_statement_on_the_demo(demo_db, tmp_path) -> None:
    for f in demo_db.parent.glob(f"{demo_db.name}*"):
        shutil.copy(f, tmp_path / f.name)
    con = connection.connect(tmp_path / demo_db.name)
    try:
        pid = demo.PROGRAMME
        rng = np.random.default_rng(17)
        ids = [
            r[0]
            for r in con.execute(
                "SELECT household_id FROM household WHERE programme_id = ? ORDER BY 1", [pid]
            ).fetchall()
        ]
        pick = rng.permutation(ids)
        outlines = shapely.from_wkb(
            [
                bytes(w)
                for (w,) in con.execute(
                    # Changning's own: the demo also holds the small seed programmes' districts
                    "SELECT ST_AsWKB(geom) FROM region WHERE level = 'community'"
                    " AND region_id LIKE '310105%'"
                ).fetchall()
            ]
        )
        corners = shapely.get_coordinates(outlines)  # shared by two or three communities
        corners = corners[rng.choice(len(corners), 400, replace=False)]
        between = (corners[:-1] + corners[1:]) / 2  # halfway between two corners: anywhere
        far = np.column_stack([np.full(30, 121.6), np.linspace(31.1, 31.3, 30)])  # outside
        moved = pd.DataFrame(np.vstack([corners, between[:100], far]), columns=["lon", "lat"])
        moved["household_id"] = pick[: len(moved)]
        con.register("moved", moved)
        con.execute(
            "UPDATE household SET lon = m.lon, lat = m.lat FROM moved m"
            " WHERE household.programme_id = ? AND household.household_id = m.household_id",
            [pid],
        )
        n = len(moved)
        # Stale places the importer may leave: no coordinates, unplaced, a street not the
        # community's own, already flagged outside.
        stale = {
            "lon = NULL, lat = NULL": pick[n : n + 20],
            "placement = 'unplaced', community_id = NULL, street_id = NULL": pick[n + 20 : n + 40],
            "street_id = '310105001'": pick[n + 40 : n + 60],
            "placement = 'outside', community_id = NULL, street_id = NULL": pick[n + 60 : n + 80],
        }
        for change, some in stale.items():
            con.execute(
                f"UPDATE household SET {change}"
                " WHERE programme_id = ? AND household_id IN (SELECT unnest(?))",
                [pid, list(some)],
            )
        # The fixture has what it claims: points on shared borders, points outside the map.
        touched = con.execute(
            "SELECT count(c.region_id) FROM household h LEFT JOIN region c"
            " ON c.level = 'community' AND ST_Intersects(c.geom, ST_Point(h.lon, h.lat))"
            " WHERE h.programme_id = ? AND h.household_id IN (SELECT unnest(?))"
            " GROUP BY h.household_id",
            [pid, list(pick[:n])],
        ).fetchall()
        assert sum(t >= 2 for (t,) in touched) > 150 and sum(t == 0 for (t,) in touched) >= 30

        ref = queries.run(con, "placement_reference", programme_id=pid)
        written = ref.loc[ref["changed"], "household_id"].tolist()
        rewritten = placement._move(con, pid, *placement.place(con, pid))
        by_sql = {
            (r.household_id, r.street_id, r.community_id, r.placement)
            for r in ref.replace({np.nan: None}).itertuples()
        }
        assert by_sql <= set(_snapshot(con))
        assert sorted(rewritten) == sorted(written) and len(written) > 400
        # The write path end to end: the same places, and nothing left to move afterwards.
        by_grid = _snapshot(con)
        counts = assign_households(con, pid, actor="test")
        assert _snapshot(con) == by_grid
        assert counts["outside"] >= 30 and sum(counts.values()) == len(ids)
        points, _, found = placement.place(con, pid)
        assert (found == points["was"].to_numpy()).all()
        assert not queries.run(con, "placement_reference", programme_id=pid)["changed"].any()
    finally:
        con.close()
