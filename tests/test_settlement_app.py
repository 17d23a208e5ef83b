"""The 资金结算 page as finance and admin use it; every other role is refused."""

from __future__ import annotations

import io

import openpyxl
import pytest

from data.store.connection import connect
from data.users import access
from tests.apptest import frame_with, open_page
from tests.downloads import deferred_download, record_deferred

PAGE = "dashboard/pages/settlement.py"


COLUMN = {  # a column only that table has
    "settle_payers": "付款方",
    "check_sample": "抽查次数",
    "check_progress": "街镇",
    "settle_excluded": "未结算原因",
}


def _frame(at, key: str):
    return frame_with(at, COLUMN[key])


@pytest.mark.parametrize("role", ["finance", "admin"])
def test_finance_and_admin_settle_a_month(demo_copy, role):
    at = open_page(access.User(f"t_{role}", role), PAGE)
    assert at.title[0].value.startswith("资金结算")
    assert at.selectbox(key="settle_period").value == "2023-07"
    payers = _frame(at, "settle_payers")
    assert list(payers["付款方"]) == ["区财政局", "合计"]
    # seed 000's rule, the page's default: July's samples are not checked, so nothing is paid
    assert at.checkbox(key="settle_checked_only").value is True
    assert payers["金额（元）"].tolist() == ["0.00"] * 2
    assert any("待核验" in w.value and "由街镇" in w.value for w in at.warning)
    # unticked, every verified installation counts again (not yet accepted months aside)
    at.checkbox(key="settle_checked_only").uncheck().run()
    at.checkbox(key="settle_accepted_only").uncheck().run()
    con = connect(demo_copy)
    expected = con.execute(
        "SELECT sum(d.unit_price_cny) FROM installation i JOIN device_type d USING"
        " (programme_id, device_type) WHERE i.verified_on BETWEEN '2023-07-01' AND '2023-07-31'"
    ).fetchone()[0]
    con.close()
    payers = _frame(at, "settle_payers")
    assert payers["金额（元）"].tolist() == [f"{expected:,.2f}"] * 2
    at.selectbox(key="settle_period").set_value("2023-06").run()
    assert not at.exception, at.exception
    assert at.download_button(key="settle_download") is not None


def test_finance_draws_records_a_failure_and_settlement_drops_it(demo_copy):
    at = open_page(access.User("t_fin", "finance"), PAGE)
    at.selectbox(key="settle_period").set_value("2023-07").run()
    # July is not yet drawn in the demo; the gate unticked so one failure shows in the money
    at.checkbox(key="settle_checked_only").uncheck().run()
    at.checkbox(key="settle_accepted_only").uncheck().run()
    at.selectbox(key="check_month").set_value("2023-07").run()
    at.text_input(key="check_seed").input("20230630").run()
    at.button(key="check_draw").click().run()
    assert not at.exception, at.exception
    assert any("已抽取" in s.value for s in at.success)
    sample = _frame(at, "check_sample")
    progress = frame_with(at, "合格率")
    assert progress["样本户数"].sum() == len(sample) > 0
    con = connect(demo_copy)
    july = {  # sampled from July's installs; pick one also verified (so settled) in July
        r[0]
        for r in con.execute(
            "SELECT household_id FROM installation WHERE verified_on BETWEEN '2023-07-01'"
            " AND '2023-07-31'"
        ).fetchall()
    }
    con.close()
    hid = next(h for h in sample["户号"] if h in july)
    before = _frame(at, "settle_payers")
    at.selectbox(key="check_hid").set_value(hid)
    at.radio(key="check_res").set_value("不合格")
    at.text_input(key="check_items").input("切断阀未联动")
    at.text_input(key="check_inspector").input("王五")
    next(b for b in at.button if b.label.startswith("录入结果")).click().run()
    assert not at.exception, at.exception
    assert any("已录入" in x.value for x in at.success)
    at.run()  # the settlement above the form was computed before the result was stored
    excluded = _frame(at, "settle_excluded")
    assert hid in set(excluded["户号"])
    assert _frame(at, "settle_payers")["金额（元）"].iloc[-1] != before["金额（元）"].iloc[-1]
    con = connect(demo_copy)
    actions = {r[0] for r in con.execute("SELECT action FROM audit_log").fetchall()}
    result = con.execute(
        "SELECT result FROM spot_check_result WHERE household_id = ?", [hid]
    ).fetchall()
    con.close()
    assert {"spot_check_draw", "spot_check_result"} <= actions
    assert result == [("不合格",)]
    # redrawing needs a reason
    at.button(key="check_draw").click().run()
    assert any("原因" in e.value for e in at.error)


def test_excel_export_numbers_are_numbers(demo_copy, monkeypatch):
    kept = record_deferred(monkeypatch)
    at = open_page(access.User("t_fin", "finance"), PAGE)
    # Built on click (deferred), not on every rerun: the bytes the click gives.
    wb = openpyxl.load_workbook(io.BytesIO(deferred_download(at, "settle_download", kept)))
    from data.money import settlement

    con = connect(demo_copy)
    result = settlement.compute(con, "changning_2023", "2023-07")
    con.close()
    value = wb["结算汇总"].cell(2, 5).value
    assert isinstance(value, int | float) and value == float(result.total_cny)
