"""火灾风险 counts the programme's own registry: seed 004's 年满60周岁的独居老人, seed 000's
confirmed list, and nobody for a programme of gas users (seed 002); the visit list never puts a
cold spot first, and no table shows "None"."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from data.demos import demo
from data.firerisk import fire_risk, risk, risk_state
from data.store.connection import connect
from data.users import access, privacy
from tests.apptest import open_page
from tests.conftest import TINY

PAGE = "dashboard/pages/fire_risk.py"
WUSHEN = "wushen_2024"


def _stored(con: duckdb.DuckDBPyConnection, pid: str, day: date) -> list[str]:
    return [
        r[0]
        for r in con.execute(
            "SELECT household_id FROM fire_risk_score WHERE programme_id = ?"
            " AND valid_from <= ? AND ? < valid_until ORDER BY household_id",
            [pid, day, day],
        ).fetchall()
    ]


@pytest.fixture(scope="module")
def demo_con(demo_db: Path):
    con = connect(demo_db)  # the session holds it read-write: the same configuration
    yield con
    con.close()


def test_gas_users_are_not_a_registry_of_elderly(demo_con) -> None:
    # 乌审旗's 40,000 piped and LPG households: no age, no living alone, nobody to score.
    assert (
        demo_con.execute(
            "SELECT count(*) FROM household WHERE programme_id = ?", [WUSHEN]
        ).fetchone()[0]
        == 40_000
    )
    assert not risk.load_config(demo_con, WUSHEN).registry.exists
    assert _stored(demo_con, WUSHEN, date(2024, 10, 1)) == []
    # 长宁's confirmed 高龄独居老人 list is its registry: every listed household.
    assert risk.load_config(demo_con, demo.PROGRAMME).registry.exists
    assert len(_stored(demo_con, demo.PROGRAMME, demo.AS_OF)) == 6_460


def test_eligibility_holds_sixty_and_over_living_alone(tiny_con) -> None:
    # Seed 004 二: 独居老人（年满60周岁）. H5 turns 60 in 2024: in from that New Year on.
    people = {
        "H1": (1950, True),  # in
        "H2": (1970, True),  # too young
        "H3": (1950, False),  # not alone
        "H4": (None, True),  # age unknown: not shown to be 60
        "H5": (1964, True),  # 60 in 2024
        "H6": (1940, None),  # living alone not recorded
        "H7": (1930, True),  # in
    }
    for hid, (born, alone) in people.items():
        tiny_con.execute(
            "UPDATE household SET birth_year = ?, lives_alone = ? WHERE household_id = ?",
            [born, alone, hid],
        )
    tiny_con.execute(
        "UPDATE programme SET settings = json_merge_patch(coalesce(settings, '{}'),"
        ' \'{"eligibility": {"min_age": 60, "lives_alone": true}}\') WHERE programme_id = ?',
        [TINY],
    )
    risk_state.refresh(tiny_con, TINY)
    rule = risk.load_config(tiny_con, TINY).registry
    assert rule.text() == "年满60周岁的独居老人"
    assert _stored(tiny_con, TINY, date(2023, 6, 1)) == ["H1", "H7"]
    assert _stored(tiny_con, TINY, date(2024, 2, 1)) == ["H1", "H5", "H7"]
    assert risk_state.differences(tiny_con)[0] == 0


def _households(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["household_id", "hotspot", "risk_score"])


def test_cold_spots_are_never_a_priority() -> None:
    homes = _households(
        [
            ("A", "cold_99", 9.0),
            ("B", "ns", 9.0),
            ("C", "too_few", 9.0),
            ("D", "hot_90", 2.0),
            ("E", "hot_99", 1.0),
            ("F", "cold_90", 12.0),
        ]
    )
    order = list(fire_risk.visit_list(homes)["household_id"])
    # Hot first by confidence; then by score; at equal scores a cold spot's household last.
    assert order == ["E", "D", "F", "B", "C", "A"]


def test_the_sql_order_puts_cold_after_the_others_at_equal_scores(demo_con) -> None:
    found = fire_risk.find_hotspots(demo_con, demo.PROGRAMME, demo.AS_OF, "h3", None)
    # The demo plants hot spots only: every other not-significant cell is called cold here.
    units = found.units.copy()
    ns = units.index[units["cls"] == "ns"][::2]
    units.loc[ns, "cls"] = "cold_99"
    found = dataclasses.replace(found, units=units)
    weights = risk.load_config(demo_con, demo.PROGRAMME).weights
    every = fire_risk.visit_page(
        demo_con, demo.PROGRAMME, demo.AS_OF, None, found, weights, limit=None
    )
    cls = every["hotspot"].astype(str)
    assert cls.str.startswith("cold_").any(), "the demo has cold spots to order"
    plain = every[every["device_alert"] == ""]
    hot = plain["hotspot"].astype(str).str.startswith("hot_").to_numpy()
    # Every hot household (no alarm) comes before every other one.
    assert not (hot[1:] & ~hot[:-1]).any()
    rest = plain[~hot]
    for _, tied in rest.groupby("risk_score", sort=False):
        cold = tied["hotspot"].astype(str).str.startswith("cold_").to_numpy()
        assert not (~cold[1:] & cold[:-1]).any()


def test_names_are_masked_to_two_stars_at_most() -> None:
    assert privacy.mask_name("住户12（演示）") == "住**"
    assert privacy.mask_name("欧阳娜娜") == "欧**"
    assert privacy.mask_name("王五") == "王*"


def _no_none(frame: pd.DataFrame) -> None:
    assert not frame.isna().any().any(), frame.columns[frame.isna().any()].tolist()
    assert not frame.astype(str).isin(["None", "nan", "<NA>"]).any().any()


def test_page_of_a_gas_programme_says_it_has_no_registry(demo_copy) -> None:
    at = open_page(access.User("t_fire", "fire"), PAGE, state={"programme_id": WUSHEN})
    assert not [m for m in at.metric if m.label == "登记老人"]
    assert any("不是老人登记名册" in i.value for i in at.info)
    assert not at.dataframe


def test_page_tables_never_show_none(demo_copy, monkeypatch) -> None:
    con = connect(demo_copy)
    try:
        # Registry entries without a birth year or a helper's phone: shown as "—".
        con.execute(
            "UPDATE household SET birth_year = NULL, helper_type = NULL, phone = NULL"
            " WHERE programme_id = ?",
            [demo.PROGRAMME],
        )
        risk_state.refresh(con, demo.PROGRAMME)
    finally:
        con.close()
    at = open_page(access.User("t_fire", "fire"), PAGE)
    assert [m.value for m in at.metric if m.label == "登记老人"] == ["6,460"]
    visits = next(d.value for d in at.dataframe if "主要原因" in d.value.columns)
    assert (visits["年龄"] == "—").all()
    for table in at.dataframe:
        _no_none(table.value)
    assert any("登记老人按本项目方案计" in c.value for c in at.caption)
