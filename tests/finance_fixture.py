"""Tiny finance fixtures: a fixture TOML, two streets, households and their installations."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from data.households import household_state
from data.setup import programmes
from data.store import connection

FIXTURES = Path(__file__).parent / "fixtures"
STREETS = [("S1", "西街道"), ("S2", "东街道")]


def build(template: str, homes: list[tuple], installs: list[tuple]):
    """An in-memory database with one fixture programme.

    homes: (household_id, street_id, gas_type); installs: (household_id, device_type,
    installed_on, verified_on, installer, all four signatures).
    """
    con = connection.connect(":memory:")
    pid = programmes.load(
        con, programmes.read_template(FIXTURES / f"{template}.toml"), actor="test"
    )
    con.execute(
        "INSERT INTO region VALUES ('D', '区D', 'district', NULL,"
        " ST_MakeEnvelope(0, 0, 2, 1), 'test', true)"
    )
    for i, (sid, name) in enumerate(STREETS):
        con.execute(
            "INSERT INTO region VALUES (?, ?, 'street', 'D', ST_MakeEnvelope(?, 0, ?, 1),"
            " 'test', true)",
            [sid, name, i, i + 1],
        )
    con.executemany(
        "INSERT INTO household (household_id, programme_id, street_id, gas_type, placement)"
        " VALUES (?, ?, ?, ?, 'inside')",
        [[hid, pid, sid, gas] for hid, sid, gas in homes],
    )
    con.executemany(
        "INSERT INTO installation (household_id, programme_id, device_type, installed_on,"
        " verified_on, installer, signed_resident, signed_community, signed_grid,"
        " signed_installer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [[h, pid, d, on, ver, who, s, s, s, s] for h, d, on, ver, who, s in installs],
    )
    household_state.refresh(con, pid)
    return con


def d(text: str) -> date:
    return date.fromisoformat(text)
