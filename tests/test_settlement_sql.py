"""The settlement page's SQL path (settlement_totals, settlement_unsettled_page) gives exactly
what data/money/settlement.py::compute gives from every installation: payer rows, 合计, counts,
unaccepted months, and the unsettled list page after page in the same order."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal

import pandas as pd
import pytest

from data.money import resident_payments, settlement
from data.store import connection
from data.users import access
from tests.finance_fixture import build, d

FINANCE = access.User("fin", "finance")


def _same(con, pid: str, period: str, scope, only) -> tuple[int, int]:
    whole = settlement.compute(con, pid, period, scope, accepted_months_only=only)
    fast = settlement.summary(con, pid, period, scope, accepted_months_only=only)
    assert fast.period == whole.period and fast.months == whole.months
    assert fast.payers == whole.payers
    assert fast.total_cny == whole.total_cny
    assert fast.included == len(whole.included)
    assert fast.excluded == len(whole.excluded)
    assert fast.unaccepted == whole.unaccepted
    assert fast.unpriced_items == whole.unpriced_items and fast.notes == whole.notes
    assert fast.accepted_months_only == whole.accepted_months_only
    pd.testing.assert_frame_equal(fast.opted_out, whole.opted_out)
    pd.testing.assert_frame_equal(fast.payer_frame(), whole.payer_frame())
    for size in (1, 3, 1000):
        pages, offset = [], 0
        while True:
            page, total = resident_payments.residents_page(
                con, fast, scope, limit=size, offset=offset
            )
            if page.empty:
                break
            assert total == len(whole.residents)
            pages.append(page)
            offset += size
        if pages:
            paged = pd.concat(pages, ignore_index=True)
            pd.testing.assert_frame_equal(_plain(paged), _plain(whole.residents))
        else:
            assert whole.residents.empty
    for size in (1, 3, 1000):
        pages, offset = [], 0
        while True:
            page, total = settlement.unsettled_page(
                con, pid, period, scope, only, limit=size, offset=offset
            )
            if page.empty:
                break
            assert total == len(whole.excluded)
            pages.append(page)
            offset += size
        if not pages:
            assert whole.excluded.empty
            continue
        paged = pd.concat(pages, ignore_index=True)
        pd.testing.assert_frame_equal(_plain(paged), _plain(whole.excluded))
    return len(whole.included), len(whole.excluded)


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Values as Python objects, missing as None: a page of one row may type a column that is
    empty there differently from the whole list."""
    out = frame.astype(object)
    return out.where(out.notna(), None)


def _rich():
    """Seed 000's programme with every reason to leave an installation out, a household with
    two devices in one month, an item priced per device type and an item with no price."""
    homes = [(f"H{n}", "S1" if n <= 5 else "S2", "piped") for n in range(1, 11)]
    installs = [
        ("H1", "ng_alarm_valve", d("2023-06-20"), d("2023-07-03"), None, True),
        ("H2", "ng_alarm_valve", d("2023-07-01"), d("2023-07-05"), None, True),  # opted out
        ("H3", "lpg_alarm", d("2023-07-02"), d("2023-07-06"), None, True),  # failed check
        ("H4", "ng_alarm_valve", d("2023-07-02"), d("2023-07-06"), None, True),  # failed, then 合格
        ("H5", "mystery_box", d("2023-07-03"), d("2023-07-07"), None, True),  # no price
        ("H6", "ng_alarm_valve", d("2023-07-04"), d("2023-07-08"), None, True),  # two devices
        ("H6", "lpg_alarm", d("2023-07-04"), d("2023-07-08"), None, True),
        ("H7", "lpg_alarm", d("2023-08-01"), d("2023-08-02"), None, True),
        ("H8", "ng_alarm_valve", d("2023-08-03"), d("2023-08-09"), None, True),
        ("H9", "ng_alarm_valve", d("2023-06-03"), d("2023-06-09"), None, True),
        ("H10", "ng_alarm_valve", d("2023-09-03"), None, None, True),  # not verified
    ]
    con = build("fin000", homes, installs)
    con.execute(
        "INSERT INTO cost_share (programme_id, item, payer, share) VALUES"
        " ('fin000', 'lpg_alarm', '市财政', 0.3333333333333333),"
        " ('fin000', 'lpg_alarm', '区财政', 0.6666666666666666)"
    )
    resident_payments.record_opt_out(con, FINANCE, "fin000", "H2", "质保期内")
    con.execute(
        "INSERT INTO spot_check_result (programme_id, household_id, checked_on, result,"
        " failed_items) VALUES ('fin000', 'H3', DATE '2023-07-20', '不合格', '切断阀未联动'),"
        " ('fin000', 'H4', DATE '2023-07-20', '不合格', NULL),"
        " ('fin000', 'H4', DATE '2023-07-28', '合格', NULL)"
    )
    con.execute(
        "INSERT INTO acceptance_event (programme_id, street_id, month, event, actor, event_at)"
        " VALUES ('fin000', 'S1', '2023-07', 'submitted', 'a', TIMESTAMP '2023-08-01 09:00'),"
        " ('fin000', 'S1', '2023-07', 'accepted', 'b', TIMESTAMP '2023-08-02 09:00'),"
        " ('fin000', 'S2', '2023-08', 'accepted', 'b', TIMESTAMP '2023-09-02 09:00'),"
        " ('fin000', 'S2', '2023-08', 'reopened', 'b', TIMESTAMP '2023-09-03 09:00')"
    )
    return con


def test_rich_fixture_every_period_scope_and_rule():
    con = _rich()
    seen = set()
    for period in ("2023-06", "2023-07", "2023-08", "2023-09", "2023-Q3"):
        for scope in (None, ["S1"], ["S2"]):
            for only in (None, True, False):
                seen.add(_same(con, "fin000", period, scope, only))
    # the cases are not all empty: settled and unsettled lines both occur
    assert any(i > 0 and e > 0 for i, e in seen)
    fast = settlement.summary(con, "fin000", "2023-07")
    assert {(r["item"], r["households"]) for r in fast.payers} == {
        ("device", 3),  # H1, H4, H6 (H2 opted out, H3 failed, H5 has no price)
        ("lpg_alarm", 1),
    }
    assert fast.households == 3 and fast.included == 4 and fast.excluded == 3
    assert fast.unpriced_items == [{"item": "installation", "payers": ["燃气经营企业"]}]


@pytest.mark.parametrize("seed", ["fin001", "fin002"])
def test_seed_fixtures(seed):
    from tests.test_settlement import _seed002

    if seed == "fin002":
        con = _seed002()
        resident_payments.record_resident_payment(
            con, FINANCE, "fin002", "W3", Decimal("66.90"), date(2024, 10, 8), "河园社区"
        )
        resident_payments.record_resident_payment(
            con, FINANCE, "fin002", "W7", Decimal("141.00"), date(2024, 10, 9), None
        )
        periods = ("2024-Q2", "2024-Q3", "2024-Q4", "2024-07", "2024-08")
    else:
        con = build(
            "fin001",
            [("Z1", "S1", "piped"), ("Z2", "S1", "piped"), ("Z3", "S2", "lpg")],
            [
                ("Z1", "valve_hose", d("2023-10-02"), d("2023-10-10"), None, True),
                ("Z2", "valve_hose", d("2023-10-03"), d("2023-10-11"), None, True),
                ("Z3", "lpg_hose", d("2023-10-04"), d("2023-10-12"), None, True),
            ],
        )
        periods = ("2023-10", "2023-Q4")
    for period in periods:
        for scope in (None, ["S1"]):
            for only in (None, True):
                _same(con, seed, period, scope, only)
    if seed == "fin002":
        q3 = settlement.summary(con, seed, "2024-Q3")
        owed, total = resident_payments.residents_page(con, q3, None, limit=10)
        assert total == 3 and list(owed["收取状态"]) == ["未收取", "已收取", "已收取"]
        # shares that are not whole fens per line: each line rounded half up on its own
        con.execute("UPDATE cost_share SET share = 1 / 3 WHERE payer = '居民'")
        con.execute("UPDATE cost_share SET share = 4 / 15 WHERE payer = '政府'")
        _same(con, seed, "2024-Q3", None, None)
        q3 = settlement.summary(con, seed, "2024-Q3")
        owed = resident_payments.residents_page(con, q3, None, limit=10)[0].set_index("户号")
        # 470 / 3 = 156.666… → 156.67; 223 / 3 = 74.333… → 74.33
        assert owed["应收（元）"].map(str).to_dict() == {
            "W2": "156.67",
            "W3": "74.33",
            "W7": "156.67",
        }


def test_demo_months(demo_db, tmp_path):
    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, db)
    con = connection.connect(db)
    try:
        pid = "changning_2023"
        homes = [
            r[0]
            for r in con.execute(
                "SELECT household_id FROM installation WHERE programme_id = ?"
                " AND verified_on >= DATE '2023-07-01' AND verified_on < DATE '2023-08-01'"
                " ORDER BY household_id LIMIT 3",
                [pid],
            ).fetchall()
        ]
        resident_payments.record_opt_out(con, FINANCE, pid, homes[0], "质保期内")
        con.execute(
            "INSERT INTO spot_check_result (programme_id, household_id, checked_on, result)"
            " VALUES (?, ?, DATE '2023-07-20', '不合格')",
            [pid, homes[1]],
        )
        street = con.execute(
            "SELECT street_id FROM household WHERE programme_id = ? AND household_id = ?",
            [pid, homes[2]],
        ).fetchone()[0]
        con.execute(
            "INSERT INTO acceptance_event (programme_id, street_id, month, event, actor,"
            " event_at) VALUES (?, ?, '2023-07', 'accepted', 'b', TIMESTAMP '2023-08-02 09:00')",
            [pid, street],
        )
        for period in ("2023-06", "2023-07"):
            for scope in (None, [street]):
                for only in (False, True):
                    _same(con, pid, period, scope, only)
        july = settlement.summary(con, pid, "2023-07", None, False, checked_only=False)
        assert july.included > 0 and july.excluded == 2  # the opted-out and the failed one
    finally:
        con.close()


def _residents_table():
    import streamlit as st

    from dashboard.components import settlement_view as view
    from data.money import settlement
    from data.store import connection

    con = connection.connect(st.session_state["db"])
    result = settlement.summary(con, "fin002", "2024-Q3")
    view.residents(con, result, None, st.session_state["lang"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_residents_table_pages(tmp_path, monkeypatch, lang):
    from streamlit.testing.v1 import AppTest

    from dashboard.components import settlement_view
    from tests.test_settlement import _seed002

    db = tmp_path / "f.duckdb"
    con = _seed002()
    resident_payments.record_resident_payment(
        con, FINANCE, "fin002", "W3", Decimal("66.90"), date(2024, 10, 8), "河园社区"
    )
    con.execute(f"ATTACH '{db}' AS f")
    con.execute("COPY FROM DATABASE memory TO f")
    con.close()
    monkeypatch.setattr(settlement_view, "PAGE_ROWS", 2)
    at = AppTest.from_function(_residents_table, default_timeout=60)
    at.session_state["db"] = str(db)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    first = at.dataframe[0].value
    assert len(first) == 2 and at.number_input(key="settle_residents_page").max == 2
    at.number_input(key="settle_residents_page").set_value(2).run()
    second = at.dataframe[0].value
    assert len(second) == 1
    ids = [*first.iloc[:, 0], *second.iloc[:, 0]]
    assert ids == ["W2", "W3", "W7"]
    assert list(first.iloc[:, 1]) == ["141.00", "66.90"]
