"""Households located from their addresses on the tiny district: the base's building points,
the ladder's levels written back through the one write path, hand and phone points kept."""

from __future__ import annotations

import pytest

from data.households import geocoding, household_state
from data.messages import UserError
from data.users import access
from tests.conftest import TINY

# Two buildings of one lane in C11 (S1), one in C22 (S2), an estate's building in C21.
BASE = [
    ("P1", "虹桥路144弄3号", None, 121.0030, 31.0020),
    ("P2", "虹桥路144弄5号", None, 121.0040, 31.0030),
    ("P3", "天山路8号", None, 121.0150, 31.0080),
    ("P4", "仙霞新村12号", "仙霞新村", 121.0160, 31.0030),
]
# household, address, community (as the roster named it), expected level
ROSTER = [
    ("A1", "上海市长宁区虹桥路一百四十四弄3号601室", "C11", "building"),
    ("A2", "虹桥路144弄5号", "C11", "building"),
    ("A3", "虹桥路144弄9号", "C11", "estate"),  # the lane is known, building 9 is not
    ("A4", "仙霞新村12号302室", "C21", "building"),  # estate + building
    ("A5", "无名路1号", "C22", "community"),  # nothing in the base: by community name only
    ("A6", "", None, "none"),
]
ADMIN = access.User("tiny_admin", "admin")


@pytest.fixture
def con(tiny_con):
    tiny_con.executemany(
        "INSERT INTO address_point (programme_id, point_id, address, estate, lon, lat)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [[TINY, *p] for p in BASE],
    )
    tiny_con.executemany(
        "INSERT INTO household (household_id, programme_id, address, community_id, street_id,"
        " gas_type) VALUES (?, ?, ?, ?, ?, 'piped')",
        [[h, TINY, a, c, {"C11": "S1", "C21": "S2", "C22": "S2"}.get(c)] for h, a, c, _ in ROSTER],
    )
    return tiny_con


def _located(con) -> dict[str, tuple]:
    return {
        h: (lvl, src, lon, lat)
        for h, lvl, src, lon, lat in con.execute(
            "SELECT household_id, loc_level, loc_source, lon, lat FROM household"
            " WHERE household_id LIKE 'A%'"
        ).fetchall()
    }


def test_each_household_gets_the_level_its_address_allows(con):
    got = geocoding.geocode(con, TINY, "tester")
    located = _located(con)
    for hid, _address, _community, level in ROSTER:
        assert located[hid][0] == level, hid
    assert located["A1"][2:] == (121.0030, 31.0020)  # the building's own point
    assert located["A1"][1] == "address_base"
    assert located["A3"][2:] == pytest.approx((121.0035, 31.0025))  # the lane's centre
    assert located["A5"][2:] == (None, None) and located["A5"][1] is None
    assert set(got["unmatched"]) >= {"A3", "A5", "A6"}
    assert not {"A1", "A2", "A4"} & set(got["unmatched"])
    # Roster coordinates are the tiny households' own and were not touched.
    assert (
        con.execute(
            "SELECT count(*) FROM household WHERE household_id LIKE 'H%' AND loc_source = 'address_base'"
        ).fetchone()[0]
        == 0
    )
    # The one write path: the new points placed the households and their status followed.
    assert con.execute(
        "SELECT street_id, community_id, placement FROM household WHERE household_id = 'A1'"
    ).fetchone() == ("S1", "C11", "inside")
    assert household_state.differences(con)[0] == 0
    audit = con.execute("SELECT count(*) FROM audit_log WHERE action = 'geocode'").fetchone()[0]
    assert audit == 1


def test_a_second_run_changes_nothing(con):
    geocoding.geocode(con, TINY, "tester")
    before = _located(con)
    geocoding.geocode(con, TINY, "tester")
    assert _located(con) == before


def test_a_point_set_by_hand_is_never_replaced_by_a_match(con):
    geocoding.geocode(con, TINY, "tester")
    assert geocoding.set_point(con, ADMIN, TINY, "A5", 121.017, 31.009)
    geocoding.geocode(con, TINY, "tester")
    assert _located(con)["A5"] == ("building", "manual", 121.017, 31.009)
    entry = con.execute("SELECT actor, object FROM audit_log WHERE action = 'locate'").fetchone()
    assert entry == ("tiny_admin", "household:tiny/A5")


def test_a_phone_fix_worse_than_100_m_is_only_a_hint(con):
    geocoding.geocode(con, TINY, "tester")
    assert not geocoding.set_point(
        con, ADMIN, TINY, "A6", 121.005, 31.005, source="field_gps", accuracy_m=250
    )
    assert _located(con)["A6"][0] == "none"
    assert geocoding.set_point(
        con, ADMIN, TINY, "A6", 121.005, 31.005, source="field_gps", accuracy_m=12
    )
    assert _located(con)["A6"] == ("building", "field_gps", 121.005, 31.005)


def test_a_street_user_locates_only_its_own_street(con):
    geocoding.geocode(con, TINY, "tester")
    other = access.User("tiny_street", "street", "S1")
    with pytest.raises(PermissionError):
        geocoding.set_point(con, other, TINY, "A5", 121.017, 31.009)  # A5 is in S2
    with pytest.raises(UserError):
        geocoding.set_point(con, ADMIN, TINY, "A5", 31.009, 121.017)  # swapped: not in China


def test_cli_geocode_prints_levels_and_unmatched(tmp_path, capsys):
    import json

    from anju.cli import main
    from data.store import connection
    from tests.conftest import load_tiny

    db = tmp_path / "t.duckdb"
    con = connection.connect(db)
    load_tiny(con)
    con.executemany(
        "INSERT INTO address_point (programme_id, point_id, address, estate, lon, lat)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [[TINY, *p] for p in BASE],
    )
    con.executemany(
        "INSERT INTO household (household_id, programme_id, address, community_id, street_id)"
        " VALUES (?, ?, ?, ?, ?)",
        [["A1", TINY, ROSTER[0][1], "C11", "S1"], ["A5", TINY, ROSTER[4][1], "C22", "S2"]],
    )
    con.close()
    assert main(["geocode", "--db", str(db), "--programme", TINY, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["households"] == 10
    assert out["levels"]["building"] == 9 and out["levels"]["community"] == 1  # H1-H8 and A1
    assert out["unmatched"] == ["A5"]
    assert main(["geocode", "--db", str(tmp_path / "typo.duckdb"), "--programme", TINY]) == 2
    assert not (tmp_path / "typo.duckdb").exists()
    assert main(["geocode", "--db", str(db), "--programme", "nope"]) == 2
