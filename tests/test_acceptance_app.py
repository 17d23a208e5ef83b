"""The 月度验收 panel: a street submits on 覆盖地图, the leader accepts on 周报 (已上报 → 已审核)."""

from __future__ import annotations

import pytest

from data.store.connection import connect
from data.users import access
from tests.apptest import frame_with, open_page

HUAYANG = "310105001"


def _status(at):
    return frame_with(at, "上报户数")


def test_street_submits_leader_returns_then_accepts(demo_copy):
    street = open_page(access.User("t_street", "street", HUAYANG), "dashboard/pages/coverage.py")
    assert list(_status(street)["街镇"]) == ["华阳路街道"]  # its own street only
    street.selectbox(key="coverage_acc_month").set_value("2023-07").run()
    assert street.selectbox(key="coverage_acc_ev").options == ["上报本月数据"]
    street.button(key="coverage_acc_go").click().run()
    assert not street.exception, street.exception
    assert _status(street).iloc[0]["状态"] == "已上报"

    leader = open_page(access.User("t_leader", "leader"), "dashboard/pages/weekly.py")
    leader.selectbox(key="weekly_acc_month").set_value("2023-07").run()
    table = _status(leader).set_index("街镇")
    assert (
        table.loc["华阳路街道", "状态"] == "已上报" and table.loc["江苏路街道", "状态"] == "未上报"
    )
    assert leader.selectbox(key="weekly_acc_st").options == [
        "华阳路街道"
    ]  # only what it can act on
    leader.selectbox(key="weekly_acc_ev").set_value("returned").run()
    leader.button(key="weekly_acc_go").click().run()
    assert any("原因" in e.value for e in leader.error)  # a return needs a reason
    leader.text_input(key="weekly_acc_re").input("缺 3 户签字").run()
    leader.button(key="weekly_acc_go").click().run()
    assert _status(leader).set_index("街镇").loc["华阳路街道", "状态"] == "已退回"

    street.run()
    street.button(key="coverage_acc_go").click().run()  # resubmitted after the fix
    leader.run()
    assert leader.selectbox(key="weekly_acc_ev").value == "accepted"
    leader.button(key="weekly_acc_go").click().run()
    assert _status(leader).set_index("街镇").loc["华阳路街道", "状态"] == "已审核"

    con = connect(demo_copy)
    events = con.execute(
        "SELECT event, actor, reason FROM acceptance_event WHERE month = '2023-07'"
        " ORDER BY event_id"
    ).fetchall()  # the demo's own earlier months are submitted and accepted already
    logged = con.execute(
        "SELECT count(*) FROM audit_log WHERE action = 'acceptance' AND object LIKE '%:2023-07'"
    ).fetchone()
    con.close()
    assert events == [
        ("submitted", "t_street", None),
        ("returned", "t_leader", "缺 3 户签字"),
        ("submitted", "t_street", None),
        ("accepted", "t_leader", None),
    ]
    assert logged == (4,)


def test_finance_sees_the_state_but_cannot_act(demo_copy):
    at = open_page(access.User("t_fin", "finance"), "dashboard/pages/coverage.py")
    assert len(_status(at)) == 10
    with pytest.raises(KeyError):
        at.button(key="coverage_acc_go")
