"""The demo holds a small programme for every seed: 001 中原区, 003 松江区 and 004 玉溪镇 beside
000 长宁区 and 002 乌审旗, each with households placed in its streets, and every page opens on
each of them for every role."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.navigation import PAGES
from data.store.connection import connect
from data.users import access

APP = str(Path(__file__).resolve().parents[1] / "streamlit_app.py")
SMALL = ("zhongyuan_2022", "songjiang_2022", "yuxi_2024")


def test_every_seed_has_a_demo_programme(demo_db):
    con = connect(demo_db)  # the session may hold it read-write: the same configuration
    try:
        rows = con.execute(
            "SELECT programme_id, count(*), count(street_id), count(DISTINCT street_id) "
            "FROM household GROUP BY ALL"
        ).fetchall()
        seen = {r[0]: r[1:] for r in rows}
        for pid in SMALL:
            n, placed, streets = seen[pid]
            assert 100 <= n <= 600 and placed == n and streets >= 1, pid
        classes = {
            r[0]
            for r in con.execute(
                "SELECT DISTINCT user_class FROM household WHERE programme_id = 'zhongyuan_2022'"
            ).fetchall()
        }
        assert {"residential", "catering"} <= classes  # seed 001's sectors are in the demo
        events = con.execute(
            "SELECT count(*), count(street_id) FROM service_event "
            "WHERE programme_id = 'songjiang_2022'"
        ).fetchone()
        assert events[0] > 100 and events[1] == events[0]
        alone = con.execute(
            "SELECT bool_and(lives_alone AND birth_year <= 2024 - 60) FROM household "
            "WHERE programme_id = 'yuxi_2024'"
        ).fetchone()[0]
        assert alone  # seed 004: 60+ living alone
    finally:
        con.close()


@pytest.fixture(scope="module")
def seeds_db(demo_db: Path, tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A private copy of the demo, and one street of each small programme (for the street role;
    read before the app holds the file open)."""
    db = tmp_path_factory.mktemp("seeds") / "demo.duckdb"
    shutil.copy(demo_db, db)
    con = connect(db, read_only=True)
    try:
        streets = dict(
            con.execute(
                "SELECT programme_id, min(street_id) FROM household GROUP BY programme_id"
            ).fetchall()
        )
    finally:
        con.close()
    return db, streets


@pytest.mark.parametrize("role", list(access.ROLES))
@pytest.mark.parametrize("programme_id", SMALL)
def test_every_page_opens_on_the_seed_demos(seeds_db, monkeypatch, programme_id, role):
    db, streets = seeds_db
    monkeypatch.setenv("ANJU_DB", str(db))
    street = streets[programme_id] if role == "street" else None
    user = access.User(f"t_{role}", role, street_id=street)
    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state["_anju_user"] = user
    at.session_state["programme_id"] = programme_id
    at.run()
    failed = []
    for page in PAGES:
        if not access.can(user, page.key):
            continue
        at.switch_page(page.path)
        at.run()
        if at.exception:
            failed.append(f"{page.key}: {at.exception[0].message}")
    assert failed == []
