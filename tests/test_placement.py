"""data.placement on the tiny district: border points once, outside points kept and flagged."""

from __future__ import annotations

from data.placement import assign_households
from tests.conftest import TINY


def test_counts_by_placement(tiny_con) -> None:
    tiny_con.execute(
        "INSERT INTO household (household_id, programme_id, gas_type) VALUES ('H9', ?, 'piped')",
        [TINY],
    )
    counts = assign_households(tiny_con, TINY)
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
    assign_households(tiny_con, TINY)
    street, community, placement = tiny_con.execute(
        "SELECT street_id, community_id, placement FROM household WHERE household_id = 'H8'"
    ).fetchone()
    assert (street, community, placement) == ("S2", "C22", "inside")
