"""Acceptance up the chain: submit, accept or return, the lock, reopening, and settlement."""

from __future__ import annotations

from decimal import Decimal

import pytest

from data import importing
from data.money import acceptance, settlement
from data.store import audit
from data.users import access
from tests.finance_fixture import build, d
from tests.workbooks import xlsx

WEST = access.User("west", "street", "S1")
EAST = access.User("east", "street", "S2")
LEADER = access.User("boss", "leader")
FINANCE = access.User("fin", "finance")


def _con():
    homes = [("H1", "S1", "piped"), ("H2", "S2", "piped"), ("H3", "S1", "lpg")]
    installs = [
        ("H1", "ng_alarm_valve", d("2023-07-01"), d("2023-07-10"), None, True),
        ("H2", "ng_alarm_valve", d("2023-07-02"), d("2023-07-11"), None, True),
    ]
    return build("fin000", homes, installs)


def test_submit_accept_return_reopen_with_reasons_and_roles():
    con = _con()
    with pytest.raises(PermissionError):
        acceptance.record(con, EAST, "fin000", "S1", "2023-07", "submitted")
    with pytest.raises(PermissionError):
        acceptance.record(con, FINANCE, "fin000", "S1", "2023-07", "accepted")
    with pytest.raises(ValueError, match="未上报"):
        acceptance.record(con, LEADER, "fin000", "S1", "2023-07", "accepted")
    acceptance.record(con, WEST, "fin000", "S1", "2023-07", "submitted")
    with pytest.raises(ValueError, match="原因"):
        acceptance.record(con, LEADER, "fin000", "S1", "2023-07", "returned")
    acceptance.record(con, LEADER, "fin000", "S1", "2023-07", "returned", "缺少 3 户签字")
    with pytest.raises(ValueError, match="已退回"):
        acceptance.record(con, LEADER, "fin000", "S1", "2023-07", "accepted")
    acceptance.record(con, WEST, "fin000", "S1", "2023-07", "submitted")
    acceptance.record(con, LEADER, "fin000", "S1", "2023-07", "accepted")
    status = acceptance.status(con, "fin000", "2023-07", None).set_index("street_id")
    assert status.loc["S1", "状态"] == "已审核" and status.loc["S1", "submitted"] == 1
    assert status.loc["S2", "状态"] == "未上报"
    assert list(acceptance.status(con, "fin000", "2023-07", ["S2"])["street_id"]) == ["S2"]
    with pytest.raises(ValueError, match="原因"):
        acceptance.record(con, LEADER, "fin000", "S1", "2023-07", "reopened")
    acceptance.record(con, LEADER, "fin000", "S1", "2023-07", "reopened", "燃气公司更正安装日期")
    assert acceptance.state(con, "fin000", "S1", "2023-07") == "reopened"
    logged = con.execute("SELECT count(*) FROM audit_log WHERE action = 'acceptance'").fetchone()[0]
    assert logged == 5 and audit.verify(con)[0]


def test_accepted_month_is_locked_until_reopened():
    con = _con()
    con.execute("UPDATE installation SET warranty_until = installed_on + INTERVAL 5 YEAR")
    acceptance.record(con, WEST, "fin000", "S1", "2023-07", "submitted")
    acceptance.record(con, LEADER, "fin000", "S1", "2023-07", "accepted")
    header = ["户号", "设备类型", "安装日期", "验收日期"]
    same = [header, ["H1", "ng_alarm_valve", "2023-07-01", "2023-07-10"]]
    admin = access.User("adm", "admin")
    result = importing.run(con, "installations", "a.xlsx", xlsx(same), "fin000", admin)
    assert result.counts()["unchanged"] == 1  # re-importing what is stored is not a change
    changed = [
        header,
        ["H1", "ng_alarm_valve", "2023-07-01", "2023-07-12"],
        ["H3", "lpg_alarm", "2023-07-03", "2023-07-20"],
        ["H2", "ng_alarm_valve", "2023-07-02", "2023-07-13"],  # S2 is not accepted
    ]
    result = importing.run(con, "installations", "b.xlsx", xlsx(changed), "fin000", admin)
    assert result.counts() == {"loaded": 0, "updated": 1, "unchanged": 0, "rejected": 2}
    assert all("已审核锁定" in r.reason for r in result.rejections)
    acceptance.record(con, LEADER, "fin000", "S1", "2023-07", "reopened", "补录")
    result = importing.run(con, "installations", "b.xlsx", xlsx(changed), "fin000", admin)
    assert result.rejected == 0


def test_settlement_accepted_months_only():
    con = _con()
    acceptance.record(con, WEST, "fin000", "S1", "2023-07", "submitted")
    acceptance.record(con, LEADER, "fin000", "S1", "2023-07", "accepted")
    every = settlement.compute(con, "fin000", "2023-07")
    assert every.total_cny == Decimal("1780.00")
    assert every.unaccepted == [{"month": "2023-07", "street_name": "东街道"}]
    only = settlement.compute(con, "fin000", "2023-07", accepted_months_only=True)
    assert only.total_cny == Decimal("890.00")
    assert "尚未验收" in only.excluded.set_index("household_id").loc["H2", "原因"]
