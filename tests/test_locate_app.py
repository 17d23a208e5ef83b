"""Where households are, on the pages: 待定位 on 入户登记 (candidates, scope, a point set by hand),
the phone's location saved with a visit, and 覆盖地图's line of levels — on the tiny district."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.components import coverage_map, geolocation, locate
from data.fieldwork import field
from data.store import connection
from data.users import access
from geo import address_match
from geo.address_match import Candidate
from tests.apptest import open_page
from tests.conftest import TINY

FIELD = "dashboard/pages/field.py"
WEST = access.User("t_west", "street", "S1")
ADMIN = access.User("t_admin", "admin")
# H1 (S1, C11) and H5 (S2, C21) lost their roster points: placed by community only.
BASE = [
    ("P1", "西路1号", 121.0052, 31.0026),
    ("P2", "西路3号", 121.0056, 31.0028),
    ("P5", "东路5号", 121.0152, 31.0027),
]


@pytest.fixture
def tiny_db(tiny_db: Path) -> Path:
    """The tiny programme with an address base, H1 and H5 left to locate."""
    con = connection.connect(tiny_db)
    con.executemany(
        "INSERT INTO address_point (programme_id, point_id, address, lon, lat)"
        " VALUES (?, ?, ?, ?, ?)",
        [[TINY, *p] for p in BASE],
    )
    con.execute(
        "UPDATE household SET lon = NULL, lat = NULL, loc_level = 'community',"
        " address = CASE household_id WHEN 'H1' THEN '西路2号' ELSE '东路5号101室' END"
        " WHERE programme_id = ? AND household_id IN ('H1', 'H5')",
        [TINY],
    )
    con.close()
    return tiny_db


def _open(db: Path, monkeypatch, user: access.User, page: str = FIELD) -> AppTest:
    monkeypatch.setenv("ANJU_DB", str(db))
    return open_page(user, page, timeout=120)


def _row(db: Path, hid: str) -> tuple:
    con = connection.connect(db)
    try:
        return con.execute(
            "SELECT loc_level, loc_source, lon, lat FROM household"
            " WHERE programme_id = ? AND household_id = ?",
            [TINY, hid],
        ).fetchone()
    finally:
        con.close()


def _texts(at: AppTest) -> str:
    return "\n".join(str(x.value) for x in [*at.text, *at.caption, *at.info, *at.success])


def test_street_user_locates_a_household_of_their_street_by_a_candidate(tiny_db, monkeypatch):
    at = _open(tiny_db, monkeypatch, WEST)
    at.segmented_control(key="field_mode").set_value("locate").run()
    assert not at.exception, at.exception
    text = _texts(at)
    assert "待定位 1 户" in text and "H1" in text and "H5" not in text  # S2 is not theirs
    assert "现有定位：仅社区" in text
    assert "候选 1：西路1号" in text or "候选 1：西路3号" in text
    at.button(key="locate_use_H1_1").click().run()
    assert not at.exception, at.exception
    assert "已为 H1 定位" in _texts(at)
    level, source, lon, _ = _row(tiny_db, "H1")
    assert (level, source) == ("building", "manual") and lon is not None
    assert "没有待定位的住户" in _texts(at)


def test_administrator_sees_every_street_and_the_map_opens(tiny_db, monkeypatch):
    at = _open(tiny_db, monkeypatch, ADMIN)
    at.segmented_control(key="field_mode").set_value("locate").run()
    text = _texts(at)
    assert "待定位 2 户" in text and "H1" in text and "H5" in text
    at.button(key="locate_toggle_H5").click().run()
    assert not at.exception, at.exception
    assert "灰点为标准地址库的楼栋" in _texts(at)


def test_locate_mode_in_english(tiny_db, monkeypatch):
    monkeypatch.setenv("ANJU_DB", str(tiny_db))
    at = open_page(ADMIN, FIELD, timeout=120, state={"lang": "en"})
    at.segmented_control(key="field_mode").set_value("locate").run()
    assert not at.exception, at.exception
    assert "2 households to locate" in _texts(at)


def test_coverage_page_says_how_households_are_located(tiny_db, monkeypatch):
    at = _open(tiny_db, monkeypatch, ADMIN, "dashboard/pages/coverage.py")
    line = next(c.value for c in at.caption if c.value.startswith("定位（户）"))
    assert line == "定位（户）：楼栋 6 · 小区（弄） 0 · 道路 0 · 仅社区 2 · 无法定位 0"
    assert any("入户登记 → 待定位" in c.value for c in at.caption)
    at = _open(tiny_db, monkeypatch, WEST, "dashboard/pages/coverage.py")
    line = next(c.value for c in at.caption if c.value.startswith("定位（户）"))
    assert "楼栋 3" in line and "仅社区 1" in line


def test_a_visit_with_the_phone_location_locates_the_household(tiny_db, monkeypatch):
    at = _open(tiny_db, monkeypatch, WEST)
    at.segmented_control(key="field_mode").set_value("search").run()
    at.text_input(key="field_search").input("H1").run()
    at.button(key="field_pick_H1").click().run()
    at.selectbox(key="field_kind").set_value("visit").run()
    # What the browser component would have sent: a fix good to 12 m.
    at.session_state["field_visit_fix"] = {"lon": 121.0053, "lat": 31.0027, "accuracy_m": 12.0}
    at.run()
    assert "精度约 12 米" in _texts(at)
    at.radio(key="field_visit_outcome").set_value("正常")
    next(b for b in at.button if b.label == "保存入户检查").click().run()
    assert not at.exception, at.exception
    assert any("已用手机位置（精度约 12 米）定位该户" in i.value for i in at.info)
    assert _row(tiny_db, "H1") == ("building", "field_gps", 121.0053, 31.0027)
    con = connection.connect(tiny_db)
    try:
        values = con.execute(
            "SELECT detail FROM field_entry WHERE household_id = 'H1' ORDER BY entry_id DESC"
        ).fetchone()[0]
    finally:
        con.close()
    assert '"accuracy_m": 12.0' in values


@pytest.fixture
def con(tiny_db):
    c = connection.connect(tiny_db)
    yield c
    c.close()


def test_a_rough_fix_is_a_hint_and_a_building_point_is_kept(con):
    hh = field.household(con, WEST, TINY, "H1")
    rough = {"lon": 121.0053, "lat": 31.0027, "accuracy_m": 250.0}
    assert not geolocation.precise(rough)
    said = geolocation.after_save(con, WEST, TINY, hh, rough, "zh")
    assert "差于 100 米" in said
    assert con.execute("SELECT loc_source FROM household WHERE household_id = 'H1'").fetchone() == (
        None,
    )
    roster = field.household(con, WEST, TINY, "H2")  # its roster's own point
    said = geolocation.after_save(con, WEST, TINY, roster, {**rough, "accuracy_m": 5.0}, "zh")
    assert "已有楼栋位置" in said
    assert con.execute("SELECT lon FROM household WHERE household_id = 'H2'").fetchone() == (
        121.002,
    )
    assert geolocation.after_save(con, WEST, TINY, hh, None, "zh") is None


@pytest.mark.parametrize(
    ("value", "fix"),
    [
        ({"n": 1, "lon": 121.1, "lat": 31.2, "accuracy": 8}, (121.1, 31.2, 8.0)),
        ({"n": 2, "error": "denied"}, None),
        ({"n": 3, "lon": "x", "lat": 31.2, "accuracy": 8}, None),
        ({"n": 4, "lon": 121.1, "lat": 31.2, "accuracy": float("nan")}, None),
        (None, None),
    ],
)
def test_the_browser_answer_is_read_defensively(value, fix):
    got = geolocation.fix_from(value)
    assert (None if got is None else (got["lon"], got["lat"], got["accuracy_m"])) == fix


def test_the_locate_map_is_offline_and_escapes_addresses():
    row = {"lon": None, "lat": None}
    cands = [Candidate("<b>西路1号</b>", 121.0052, 31.0026, 88.0)]
    base = address_match.build_base(
        pd.DataFrame(
            {"address": ["<img src=x>"], "lon": [121.0053], "lat": [31.0027], "estate": [""]}
        ),
        estate="estate",
    ).frame
    m = locate.build_map(row, cands, base, None, "none", "zh")
    assert all(u.startswith("/app/static/") for u in coverage_map.asset_urls(m))
    page = m.get_root().render()
    assert "<img src=x>" not in page and "<b>西路1号</b>" not in page
    assert locate.build_map(row, [], base, None, "none", "zh") is None
