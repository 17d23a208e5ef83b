"""Reconciliation with the gas company's confirmation table, and report receipts clearing 逾期."""

from __future__ import annotations

from datetime import date

import pytest

import queries
from data import importing
from data.money import reconciliation
from data.store import clock
from data.users import access
from tests.finance_fixture import build, d
from tests.workbooks import xlsx

FINANCE = access.User("fin", "finance")


def _con():
    homes = [(f"H{n}", "S1" if n <= 4 else "S2", "piped") for n in range(1, 8)]
    installs = [
        ("H1", "ng_alarm_valve", d("2023-07-03"), None, None, True),
        ("H2", "ng_alarm_valve", d("2023-07-04"), None, None, True),
        ("H3", "ng_alarm_valve", d("2023-06-30"), None, None, True),  # June in Anju
        ("H5", "ng_alarm_valve", d("2023-07-05"), None, None, True),
        ("H6", "ng_alarm_valve", d("2023-07-06"), None, None, True),
    ]
    con = build("fin000", homes, installs)
    con.execute("UPDATE programme SET report_day = 25")
    return con


def test_household_differences_and_street_counts_and_receipt():
    con = _con()
    late = queries.run(
        con,
        "overdue_reports",
        programme_id="fin000",
        as_of=date(2023, 8, 1),
        report="加装报警器确认表",
    )
    assert "2023-07" in set(late["period"])
    data = xlsx(
        [
            ["月份", "户号", "街道", "确认户数", "确认日期"],
            ["2023年7月", "H1", None, None, "2023-07-24"],
            ["2023年7月", "H3", None, None, "2023-07-24"],  # Anju has it in June
            ["2023年7月", "H4", None, None, "2023-07-24"],  # not installed in Anju
            ["2023-07", None, "东街道", 3, "2023-07-24"],  # S2 by count
            ["2023-07", None, "南街道", 1, "2023-07-24"],  # no such street
        ]
    )
    result = importing.run(
        con, "confirmations", "确认表.xlsx", data, "fin000", FINANCE, commit=True
    )
    assert result.counts() == {"loaded": 4, "updated": 0, "unchanged": 0, "rejected": 1}
    assert "南街道" in result.rejections[0].reason
    assert result.extra["report_receipts"] == ["2023-07"]
    diff = reconciliation.households(con, "fin000", "2023-07", None)
    got = {(r.household_id, r.difference) for r in diff.itertuples()}
    # H2 and H5/H6 installed in July, not on the household list: S1's H2 is a difference; S2
    # came as a count only, yet its households are not on the list either
    assert got == {
        ("H3", "确认未录入"),
        ("H4", "确认未录入"),
        ("H2", "录入未确认"),
        ("H5", "录入未确认"),
        ("H6", "录入未确认"),
    }
    assert str(diff.set_index("household_id").loc["H3", "installed_on"])[:10] == "2023-06-30"
    assert set(reconciliation.households(con, "fin000", "2023-07", ["S1"])["household_id"]) == {
        "H2",
        "H3",
        "H4",
    }
    by_street = reconciliation.streets(con, "fin000", "2023-07", None).set_index("street_id")
    assert by_street.loc["S1", ["confirmed", "recorded", "difference"]].tolist() == [3, 2, -1]
    assert by_street.loc["S2", ["confirmed", "recorded", "difference"]].tolist() == [3, 2, -1]
    late = queries.run(
        con,
        "overdue_reports",
        programme_id="fin000",
        as_of=clock.today(),  # receipts are known from when recorded
        report="加装报警器确认表",
    )
    assert "2023-07" not in set(late["period"])
    again = importing.run(con, "confirmations", "确认表.xlsx", data, "fin000", FINANCE)
    assert again.counts()["unchanged"] == 4


def test_receipt_recorded_on_the_page_clears_the_late_list():
    con = _con()
    reconciliation.record_receipt(
        con, FINANCE, "fin000", "加装报警器确认表", "2023-06", date(2023, 6, 24), "纸质件"
    )
    with pytest.raises(ValueError, match="已登记"):
        reconciliation.record_receipt(
            con, FINANCE, "fin000", "加装报警器确认表", "2023-06", date(2023, 6, 24)
        )
    with pytest.raises(PermissionError):
        reconciliation.record_receipt(
            con, access.User("s", "street", "S1"), "fin000", "加装报警器确认表", "2023-07",
            date(2023, 7, 24),
        )  # fmt: skip
    late = queries.run(
        con,
        "overdue_reports",
        programme_id="fin000",
        as_of=clock.today(),
        report="加装报警器确认表",
    )
    assert "2023-06" not in set(late["period"]) and "2023-07" in set(late["period"])
