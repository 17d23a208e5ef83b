"""Service events (seed 003) on the tiny programme: the hotline export, timeliness against
each kind's standard, street scope, recording an event; the new import templates.
Devices: tests/test_aftercare.py."""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pandas as pd
import pytest

import queries
from data import importing
from data.events import service
from data.importing import parse_events
from data.setup import programmes
from data.users import access
from tests.conftest import TINY
from tests.workbooks import xlsx

ADMIN = access.User("t_admin", "admin")
WEST = access.User("t_west", "street", "S1")
EAST = access.User("t_east", "street", "S2")
MAY20 = date(2023, 5, 20)

# ---------------------------------------------------------------- service events


HOTLINE = [
    [
        "工单号",
        "工单类型",
        "来电时间",
        "到场时间",
        "办结时间",
        "户号",
        "街道",
        "社区",
        "来源",
        "处理人",
        "处理结果",
    ],
    [
        "R1",
        "抢修",
        "2023-05-20 08:00",
        "2023-05-20 08:20",
        "2023-05-20 11:00",
        "H2",
        "",
        "",
        "962777",
        "抢修一班",
        "更换胶管",
    ],
    [
        "R2",
        "抢修",
        "2023-05-20 09:00",
        "2023-05-20 10:00",
        "",
        "",
        "东街道",
        "东南社区",
        "热线",
        "抢修二班",
        "",
    ],
    [
        "R3",
        "IC卡充值",
        "2023-05-19 10:00",
        "2023-05-19 12:00",
        "2023-05-19 15:00",
        "",
        "东街道",
        "",
        "网格员",
        "",
        "已充值",
    ],
    ["R4", "送煤气", "2023-05-19 10:00", "", "", "", "", "", "热线", "", ""],  # unknown kind
    [
        "R5",
        "报修",
        "2023-05-19 10:00",
        "2023-05-19 09:00",
        "",
        "",
        "",
        "",
        "热线",
        "",
        "",
    ],  # responded before reported
    ["R6", "报修", "2023-05-19 10:00", "", "", "H99", "", "", "热线", "", ""],  # unknown household
]


def test_hotline_export_loads_places_and_rejects(tiny_con):
    result = importing.run(
        tiny_con, "service_events", "热线.xlsx", xlsx(HOTLINE), TINY, ADMIN, commit=True
    )
    assert result.counts()["loaded"] == 3 and result.rejected == 3
    reasons = {r.row_no: r for r in result.rejections}
    assert reasons[5].column == "工单类型" and "送煤气" in reasons[5].reason
    assert reasons[6].column == "到场时间"
    assert "H99" in reasons[7].reason
    placed = dict(
        tiny_con.execute(
            "SELECT event_id, coalesce(community_id, street_id) FROM service_event"
            " WHERE event_id LIKE 'R%'"
        ).fetchall()
    )
    assert placed == {"R1": "C11", "R2": "C21", "R3": "S2"}
    kinds = dict(tiny_con.execute("SELECT event_id, kind FROM service_event").fetchall())
    assert kinds["R3"] == "缴费/IC卡"
    again = importing.run(
        tiny_con, "service_events", "热线.xlsx", xlsx(HOTLINE), TINY, ADMIN, commit=True
    )
    assert again.counts()["loaded"] == 0 and again.counts()["unchanged"] == 3


def test_timeliness_against_standards_per_kind(tiny_con):
    importing.run(tiny_con, "service_events", "热线.xlsx", xlsx(HOTLINE), TINY, ADMIN, commit=True)
    stds = service.programme_standards(tiny_con, TINY)  # tiny sets none: Anju's defaults
    assert stds["抢修"] == service.Standard(0.5, 24, "Anju 默认")
    timed = service.timeliness(
        service.events(tiny_con, TINY, date(2023, 5, 1), MAY20, None), stds, MAY20
    ).set_index("event_id")
    # R1 抢修: on site in 20 min (≤ 30), resolved in 3 h (≤ 24): both met.
    assert (timed.at["R1", "response_ok"], timed.at["R1", "resolution_ok"]) == (True, True)
    # R2 抢修: on site after 60 min (> 30): missed; open, due 05-21 09:00: not yet due.
    assert timed.at["R2", "response_ok"] == False  # noqa: E712 — pandas NA-aware boolean
    assert pd.isna(timed.at["R2", "resolution_ok"]) and not timed.at["R2", "overdue"]
    # R3 缴费/IC卡: 2 h response, 5 h resolution, both within 24 h.
    assert timed.at["R3", "resolution_hours"] == 5.0 and timed.at["R3", "resolution_ok"] == True  # noqa: E712
    # E2 (conftest) 抢修 reported 05-20 10:00, responded in 50 min: late, open, not overdue yet.
    assert timed.at["E2", "response_ok"] == False  # noqa: E712
    # Two days later R2 and E2 are overdue (24 h passed, still open).
    later = service.timeliness(
        service.events(tiny_con, TINY, date(2023, 5, 1), date(2023, 5, 22), None),
        stds,
        date(2023, 5, 22),
    ).set_index("event_id")
    assert set(later.index[later["overdue"]]) == {"R2", "E2"}
    by_kind = service.timeliness_by_kind(later.reset_index(), stds).set_index("kind")
    assert by_kind.at["抢修", "events"] == 3 and by_kind.at["抢修", "overdue"] == 2
    assert by_kind.at["抢修", "response_ok_pct"] == pytest.approx(100 / 3, abs=0.1)
    assert by_kind.at["热线咨询", "response_ok_pct"] == 100.0  # E3 answered at once


def test_template_standards_override_defaults():
    tpl = programmes.read_template("songjiang_2022")
    stds = service.standards({"rules": tpl["rules"]})
    assert stds["报修"].resolution_hours == 72 and "Anju 默认" in stds["报修"].source
    assert tpl["rules"]["device_offline_hours"] == 72
    assert "target_households" not in tpl["programme"]
    assert set(tpl["rules"]["service_standards"]) == set(parse_events.SERVICE_KINDS)


def test_service_scope_street_user_sees_only_their_street(tiny_con):
    west = service.events(tiny_con, TINY, date(2023, 5, 1), MAY20, ["S1"])
    assert list(west["event_id"]) == ["E1"]
    east = service.events(tiny_con, TINY, date(2023, 5, 1), MAY20, ["S2"])
    assert set(east["event_id"]) == {"E2", "E3"}


def test_record_an_event_checks_scope_and_logs(tiny_con):
    values = {
        "kind": "报修",
        "reported_at": datetime(2023, 5, 20, 9, 0),
        "street_id": "S2",
        "address": "东路1号",
        "source": "网格",
    }
    with pytest.raises(PermissionError):
        service.record(tiny_con, WEST, TINY, values)
    eid = service.record(tiny_con, EAST, TINY, values)
    assert tiny_con.execute(
        "SELECT kind, street_id FROM service_event WHERE event_id = ?", [eid]
    ).fetchone() == ("报修", "S2")
    assert (
        tiny_con.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'service_event_add'"
        ).fetchone()[0]
        == 1
    )
    with pytest.raises(ValueError, match="早于"):
        service.record(tiny_con, EAST, TINY, values | {"resolved_at": datetime(2023, 5, 19, 9, 0)})


def test_daily_volumes_cover_every_day(tiny_con):
    timed = service.timeliness(
        service.events(tiny_con, TINY, date(2023, 5, 18), MAY20, None),
        service.programme_standards(tiny_con, TINY),
        MAY20,
    )
    vol = service.daily_volumes(timed, date(2023, 5, 18), MAY20)
    assert len(vol) == 3 and vol.to_numpy().sum() == 3
    assert vol.loc[pd.Timestamp("2023-05-20"), "抢修"] == 1


def test_queries_are_registered():
    assert {"device_health", "device_alarms", "service_events"} <= set(queries.names())


def test_device_alerts_raise_households_in_the_fire_visit_list():
    from data.firerisk import fire_risk

    homes = pd.DataFrame(
        {
            "household_id": ["A", "B", "C", "D"],
            "hotspot": ["hot_99", "ns", "ns", "hot_99"],
            "risk_score": [20.0, 5.0, 9.0, 10.0],
        }
    )
    alerts = pd.Series({"B": "近30天燃气报警", "D": "报警器长时间离线"})
    plain = fire_risk.visit_list(homes)
    assert list(plain["household_id"]) == ["A", "D", "C", "B"]
    raised = fire_risk.visit_list(fire_risk.with_device_alerts(homes, alerts))
    # The alarm first of all; the long-offline device first within its hotspot class.
    assert list(raised["household_id"]) == ["B", "D", "A", "C"]
    assert raised.set_index("household_id").at["C", "device_alert"] == ""


@pytest.mark.parametrize(
    "kind,name",
    [("device_events", "报警器平台事件模板.xlsx"), ("service_events", "燃气服务事件模板.xlsx")],
)
def test_new_templates_match_the_code_and_import_as_they_are(tiny_con, tmp_path, kind, name):
    from pathlib import Path

    from documents import import_templates as templates

    docs = Path(__file__).resolve().parents[1] / "docs" / "templates" / name
    rows = [
        [list(r) for r in openpyxl.load_workbook(p).active.iter_rows(values_only=True)]
        for p in (docs, io.BytesIO(templates.template_bytes(kind)))
    ]
    assert rows[0] == rows[1]
    result = importing.run(tiny_con, kind, name, templates.template_bytes(kind), TINY, ADMIN)
    assert set(result.mapping.values()) >= set(templates.EXAMPLES[kind])
