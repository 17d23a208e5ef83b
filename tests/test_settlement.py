"""Settlement on tiny fixtures, amounts computed by hand (seeds 000, 001, 002)."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from fractions import Fraction

import openpyxl
import pytest

from data.money import resident_payments, settlement
from data.users import access
from documents import settlement as settlement_doc
from tests.finance_fixture import build, d

FINANCE = access.User("fin", "finance")


def amounts(result) -> dict[tuple[str, str], str]:
    return {(r["payer"], r["item"]): str(r["amount_cny"]) for r in result.payers}


def test_split_is_exact_and_reconciles():
    third = Fraction(0.3333333333333333).limit_denominator(1000)
    assert third == Fraction(1, 3)
    parts = settlement.split(Decimal("100.00"), {"市": third, "区": third, "居": third})
    assert sorted(parts.values()) == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
    assert sum(parts.values()) == Decimal("100.00")
    assert settlement.split(Decimal("0.01"), {"a": third, "b": third, "c": third}) == {
        "a": Decimal("0.01"),
        "b": Decimal("0.00"),
        "c": Decimal("0.00"),
    }


def _seed000():
    homes = [("H1", "S1", "piped"), ("H2", "S1", "piped"), ("H3", "S2", "lpg"),
             ("H4", "S2", "piped"), ("H5", "S2", "piped")]  # fmt: skip
    installs = [
        ("H1", "ng_alarm_valve", d("2023-06-01"), d("2023-06-10"), None, True),
        ("H2", "ng_alarm_valve", d("2023-06-25"), d("2023-07-03"), None, True),
        ("H3", "lpg_alarm", d("2023-07-20"), d("2023-07-31"), None, True),
        ("H4", "ng_alarm_valve", d("2023-07-28"), d("2023-08-01"), None, True),
        ("H5", "ng_alarm_valve", d("2023-07-29"), None, None, True),  # not yet verified
    ]
    return build("fin000", homes, installs)


def test_seed_000_device_100_percent_district_finance_month_and_quarter():
    con = _seed000()
    july = settlement.compute(con, "fin000", "2023-07")
    # H2 890 (verified 07-03, installed in June: the verification date decides) + H3 350
    assert amounts(july) == {("区财政局", "device"): "1240.00"}
    assert july.total_cny == Decimal("1240.00") and len(july.included) == 2
    assert "安装及调试费" in july.notes[0] and "燃气经营企业" in july.notes[0]
    q3 = settlement.compute(con, "fin000", "2023-Q3")
    assert q3.as_json() == {
        "programme_id": "fin000",
        "period": "2023-Q3",
        "installations": 3,
        "payers": [{"payer": "区财政局", "item": "device", "amount_cny": "2130.00"}],
        "total_cny": "2130.00",
    }
    assert settlement.compute(con, "fin000", "2023-06").total_cny == Decimal("890.00")
    assert settlement.compute(con, "fin000", "2023-Q3", street_ids=["S1"]).total_cny == Decimal(
        "890.00"
    )
    with pytest.raises(ValueError, match="YYYY-MM"):
        settlement.compute(con, "fin000", "2023-13")


def test_seed_001_thirds_to_the_fen():
    homes = [("Z1", "S1", "piped"), ("Z2", "S1", "piped"), ("Z3", "S2", "lpg")]
    installs = [
        ("Z1", "valve_hose", d("2023-10-02"), d("2023-10-10"), None, True),
        ("Z2", "valve_hose", d("2023-10-03"), d("2023-10-11"), None, True),
        ("Z3", "lpg_hose", d("2023-10-04"), d("2023-10-12"), None, True),
    ]
    con = build("fin001", homes, installs)
    result = settlement.compute(con, "fin001", "2023-10")
    # 100 + 100 + 50 = 250; 250 / 3 = 83.333…: floors 83.33 × 3 = 249.99, the last fen to the
    # first payer by name (区 < 居 < 市): 83.34 + 83.33 + 83.33 = 250.00
    assert amounts(result) == {
        ("区财政", "device"): "83.34",
        ("居民及燃气企业", "device"): "83.33",
        ("市财政", "device"): "83.33",
    }
    assert result.total_cny == Decimal("250.00")
    frame = result.payer_frame()
    assert set(frame["分担比例"][:-1]) == {"1/3"}
    assert frame.iloc[-1]["付款方"] == "合计"
    assert sum(frame.iloc[:-1]["金额（元）"]) == frame.iloc[-1]["金额（元）"]


def _seed002():
    homes = [(f"W{n}", "S1" if n < 5 else "S2", "lpg" if n == 3 else "piped") for n in range(1, 9)]
    installs = [
        ("W1", "piped_set", d("2024-06-20"), d("2024-06-28"), None, True),  # Q2
        ("W2", "piped_set", d("2024-06-29"), d("2024-07-02"), None, True),  # Q3 (verified)
        ("W3", "lpg_set", d("2024-09-20"), d("2024-09-30"), None, True),  # last day of Q3
        ("W4", "piped_set", d("2024-09-25"), d("2024-10-01"), None, True),  # first day of Q4
        ("W5", "piped_set", d("2024-08-10"), d("2024-08-15"), None, True),  # opted out
        ("W7", "piped_set", d("2024-08-12"), d("2024-08-20"), None, True),
    ]
    con = build("fin002", homes, installs)
    resident_payments.record_opt_out(con, FINANCE, "fin002", "W5", "已安装设备尚在质保期内")
    resident_payments.record_opt_out(
        con, FINANCE, "fin002", "W6", "已安装设备尚在质保期内（2026年到期）"
    )
    return con


def test_seed_002_forty_thirty_thirty_quarter_boundary_and_opt_out():
    con = _seed002()
    q3 = settlement.compute(con, "fin002", "2024-Q3")
    # W2 470 + W3 223 + W7 470 = 1163: 40% 465.20, 30% 348.90, 30% 348.90
    assert amounts(q3) == {
        ("燃气企业", "device"): "465.20",
        ("居民", "device"): "348.90",
        ("政府", "device"): "348.90",
    }
    assert q3.total_cny == Decimal("1163.00")
    assert list(q3.payer_frame()["分担比例"]) == ["40%", "30%", "30%", ""]
    assert sorted(q3.included["household_id"]) == ["W2", "W3", "W7"]
    why = q3.excluded.set_index("household_id")["原因"]
    assert why["W5"] == "已选择不参加：已安装设备尚在质保期内"
    assert list(q3.opted_out["household_id"]) == ["W5", "W6"]
    # quarter boundary: 06-28 is Q2, 10-01 is Q4
    assert settlement.compute(con, "fin002", "2024-Q2").total_cny == Decimal("470.00")
    assert settlement.compute(con, "fin002", "2024-Q4").total_cny == Decimal("470.00")
    assert settlement.compute(con, "fin002", "2024-07").total_cny == Decimal("470.00")
    # resident share per household, collected by the community
    owed = q3.residents.set_index("户号")
    assert owed["应收（元）"].map(str).to_dict() == {"W2": "141.00", "W3": "66.90", "W7": "141.00"}
    assert set(owed["收取状态"]) == {"未收取"}
    resident_payments.record_resident_payment(
        con, FINANCE, "fin002", "W3", Decimal("66.90"), date(2024, 10, 8), "河园社区"
    )
    owed = settlement.compute(con, "fin002", "2024-Q3").residents.set_index("户号")
    assert owed.loc["W3", "收取状态"] == "已收取" and owed.loc["W3", "收取单位"] == "河园社区"
    assert owed.loc["W2", "收取状态"] == "未收取" and owed.loc["W2", "收取单位"] == "社区"
    with pytest.raises(ValueError, match="两位小数"):
        resident_payments.record_resident_payment(
            con, FINANCE, "fin002", "W2", Decimal("1.005"), date(2024, 10, 8), None
        )


def test_excel_has_numbers_as_numbers_and_the_total_row():
    con = _seed002()
    q3 = settlement.compute(con, "fin002", "2024-Q3")
    wb = openpyxl.load_workbook(io.BytesIO(settlement_doc.excel_bytes(q3, "测试")))
    rows = list(wb["结算汇总"].iter_rows(values_only=True))
    assert rows[0][-1] == "金额（元）"
    assert [r[-1] for r in rows[1:]] == [465.2, 348.9, 348.9, 1163.0]
    assert rows[-1][0] == "合计"
    assert wb["结算汇总"].cell(2, 5).number_format == "#,##0.00"
    assert {r[0] for r in list(wb["未结算"].iter_rows(values_only=True))[1:]} == {"W5"}
    assert wb.sheetnames == ["结算汇总", "结算明细", "未结算", "居民分担", "说明"]


def test_cli_settlement_json_and_excel(tmp_path, capsys):
    from anju.cli import main

    db = tmp_path / "f.duckdb"
    con = _seed000()
    con.execute(f"ATTACH '{db}' AS f")
    con.execute("COPY FROM DATABASE memory TO f")
    con.close()
    out = tmp_path / "结算.xlsx"
    args = ["settlement", "--db", str(db), "--programme", "fin000", "--period", "2023-Q3"]
    assert main([*args, "--json", "--out", str(out)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["total_cny"] == "2130.00" and printed["installations"] == 3
    assert openpyxl.load_workbook(out)["结算汇总"].cell(2, 5).value == 2130.0
    assert main([*args[:-1], "2023-Q5"]) == 2


def test_registrations_are_checked():
    con = _seed002()
    with pytest.raises(ValueError, match="住户名单"):
        resident_payments.record_opt_out(con, FINANCE, "fin002", "NOPE", "质保期内")
    with pytest.raises(ValueError, match="已登记为不参加"):
        resident_payments.record_opt_out(con, FINANCE, "fin002", "W5", "质保期内")
    with pytest.raises(ValueError, match="原因"):
        resident_payments.record_opt_out(con, FINANCE, "fin002", "W8", " ")
    with pytest.raises(PermissionError):
        resident_payments.record_opt_out(
            con, access.User("b", "leader"), "fin002", "W8", "质保期内"
        )
    resident_payments.record_resident_payment(
        con, FINANCE, "fin002", "W2", Decimal("141.00"), date(2024, 7, 9), "社区"
    )
    with pytest.raises(ValueError, match="已登记过收款"):
        resident_payments.record_resident_payment(
            con, FINANCE, "fin002", "W2", Decimal("141.00"), date(2024, 7, 9), "社区"
        )
