"""Issue 13 on the tiny programme: device serials, the platform's event export, device health
at the 72 h edge, service events and their timeliness, street scope, `anju device-health`.

Tiny devices (conftest.py): H1 SN001, H4 SN004A + SN004B, H3 SN003 (installed 05-28), H8 SN008
(outside the district). The end of 05-20 is 05-21 00:00 Beijing time; 72 h before is 05-18 00:00.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime

import openpyxl
import pandas as pd
import pytest

import queries
from data import access, device_state, importing, programmes
from data.events import devices, service
from data.importing import parse_events
from tests.conftest import TINY

ADMIN = access.User("t_admin", "admin")
WEST = access.User("t_west", "street", "S1")
EAST = access.User("t_east", "street", "S2")
MAY20 = date(2023, 5, 20)


def gbk_csv(rows: list[list]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode("gbk")


def xlsx(rows: list[list]) -> bytes:
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def status(con, as_of=MAY20, street_ids=None) -> dict[str, str]:
    frame = devices.health(con, TINY, as_of, street_ids)
    return dict(zip(frame["serial"], frame["status"], strict=True))


# ---------------------------------------------------------------- device registry


def test_serials_parse_several_separators_and_normalise():
    assert parse_events.to_serials("sn-1；SN-2/ sn-3 , SN-1") == "SN-1,SN-2,SN-3"
    assert parse_events.to_serials(" ") is None
    with pytest.raises(ValueError, match="设备编号"):
        parse_events.serial("=cmd|'/c calc'!A1")


def test_device_registry_carries_household_set_installer_batch_and_warranty(tiny_con):
    tiny_con.execute(
        "UPDATE installation SET installer = '一班', batch_id = 'B1' WHERE household_id = 'H4'"
    )
    rows = tiny_con.execute(
        "SELECT serial, household_id, device_type, installer, batch_id, warranty_until"
        " FROM device WHERE household_id = 'H4' ORDER BY serial"
    ).fetchall()
    assert rows == [
        ("SN004A", "H4", "ng_alarm_valve", "一班", "B1", date(2028, 5, 10)),
        ("SN004B", "H4", "ng_alarm_valve", "一班", "B1", date(2028, 5, 10)),
    ]


def test_installation_import_stores_serials_unique_within_the_programme(tiny_con):
    head = ["户号", "设备类型", "安装日期", "设备编号"]
    data = xlsx(
        [
            head,
            ["H2", "ng_alarm_valve", "2023-06-01", "sn100；SN101"],
            ["H5", "ng_alarm_valve", "2023-06-02", "SN001"],  # H1's device
            ["H6", "ng_alarm_valve", "2023-06-02", "SN101"],  # repeats row 2
        ]
    )
    result = importing.run(tiny_con, "installations", "确认表.xlsx", data, TINY, ADMIN, commit=True)
    assert result.counts() == {"loaded": 1, "updated": 0, "unchanged": 0, "rejected": 2}
    reasons = {r.row_no: (r.column, r.reason) for r in result.rejections}
    assert reasons[3][0] == "设备编号" and "户号 H1" in reasons[3][1]
    assert "第 2 行重复" in reasons[4][1]
    assert tiny_con.execute(
        "SELECT serial FROM device WHERE household_id = 'H2' ORDER BY 1"
    ).fetchall() == [("SN100",), ("SN101",)]


# ---------------------------------------------------------------- device events import


PLATFORM = [
    ["设备IMEI", "事件类型", "事件时间", "处理时间"],
    ["SN001", "报警", "2023/5/20 14:05:00", "2023-05-20 14:30"],
    ["SN999", "心跳", "2023-05-20 15:00:00", ""],  # unknown serial
    ["sn004b", "在线", "2023年5月20日 9时30分", ""],  # comes back online
    ["SN004A", "低电量", "2023-05-32 10:00", ""],  # no such day
    ["SN008", "离线", "昨天下午", ""],  # unreadable
    ["SN777", "故障", "2023-05-20 16:00", ""],  # unknown serial
]


def test_gbk_platform_export_rejects_unknown_serials_and_bad_times(tiny_con):
    data = gbk_csv(PLATFORM)
    result = importing.run(
        tiny_con, "device_events", "平台导出.csv", data, TINY, ADMIN, commit=True
    )
    assert result.counts() == {"loaded": 2, "updated": 0, "unchanged": 0, "rejected": 4}
    by_row = {r.row_no: r for r in result.rejections}
    assert sorted(by_row) == [3, 5, 6, 7]
    assert "未知设备编号「SN999」" in by_row[3].reason and by_row[3].column == "设备IMEI"
    assert "未知设备编号「SN777」" in by_row[7].reason
    assert by_row[5].column == "事件时间" and "不是有效时间" in by_row[5].reason
    assert by_row[6].column == "事件时间" and "昨天下午" in by_row[6].reason
    assert "平台导出.csv 第 3 行「设备IMEI」列" in by_row[3].message(result.file_name)
    stored = tiny_con.execute(
        "SELECT count(*) FROM rejected_row WHERE import_id = ?", [result.import_id]
    ).fetchone()[0]
    assert stored == 4
    # Re-importing the same export adds nothing.
    again = importing.run(tiny_con, "device_events", "平台导出.csv", data, TINY, ADMIN, commit=True)
    assert again.counts() == {"loaded": 0, "updated": 0, "unchanged": 2, "rejected": 4}
    assert tiny_con.execute("SELECT count(*) FROM device_event").fetchone()[0] == 5 + 2


def test_imported_events_change_health(tiny_con):
    importing.run(
        tiny_con, "device_events", "平台.csv", gbk_csv(PLATFORM), TINY, ADMIN, commit=True
    )
    assert status(tiny_con)["SN004B"] == "online"  # heartbeat after the 离线
    alarms = devices.alarms(tiny_con, TINY, MAY20, None)
    got = alarms.set_index("serial")["minutes_to_handle"].to_dict()
    assert got == {"SN001": 25.0, "SN004A": 20.0}


def test_street_user_imports_events_of_own_street_only(tiny_con):
    data = gbk_csv([["设备编号", "事件类型", "事件时间"], ["SN001", "心跳", "2023-05-20 18:00"]])
    result = importing.run(tiny_con, "device_events", "p.csv", data, TINY, EAST, commit=False)
    assert result.rejected == 1 and "不是您所在的街道" in result.rejections[0].reason


# ---------------------------------------------------------------- device health


def test_health_classification_at_the_72_hour_edge_and_explicit_offline(tiny_con):
    assert status(tiny_con) == {
        "SN001": "online",  # heartbeat the same day
        "SN004A": "online",  # last heartbeat exactly 72 h before the end of the day
        "SN004B": "offline",  # last event 离线, one hour after a heartbeat
        "SN008": "never_reported",
    }  # SN003 is installed on 05-28: not yet a device on 05-20
    # One second older than 72 h: offline.
    tiny_con.execute(
        "UPDATE device_event SET event_at = TIMESTAMP '2023-05-17 23:59:59'"
        " WHERE serial = 'SN004A' AND event_type = 'heartbeat'"
    )
    device_state.refresh(tiny_con, TINY, serials=["SN004A"])  # as every event writer does
    assert status(tiny_con)["SN004A"] == "offline"


def test_offline_hours_come_from_the_programme_rules(tiny_con):
    tiny_con.execute(
        'UPDATE programme SET settings = \'{"rules": {"device_offline_hours": 24}}\''
        " WHERE programme_id = ?",
        [TINY],
    )
    assert status(tiny_con)["SN004A"] == "offline"  # 72 h silent > 24 h
    assert status(tiny_con)["SN001"] == "online"


def test_health_as_of_an_earlier_day_ignores_later_events(tiny_con):
    got = status(tiny_con, date(2023, 5, 18))
    # On 05-18 SN001 (installed 05-20) is not there yet, SN004B has not reported, SN004A's
    # last heartbeat was that midnight.
    assert got == {
        "SN004A": "online",
        "SN004B": "never_reported",
        "SN008": "never_reported",
    }


def test_summary_and_groups(tiny_con):
    frame = devices.health(tiny_con, TINY, MAY20, None)
    s = devices.summary(frame)
    assert {k: s[k] for k in ("devices", "online", "offline", "never_reported", "alarms")} == {
        "devices": 4,
        "online": 2,
        "offline": 1,
        "never_reported": 1,
        "alarms": 1,
    }
    assert s["by_street"] == [
        {
            "street": "西街道",
            "devices": 3,
            "online": 2,
            "offline": 1,
            "never_reported": 0,
            "alarms": 1,
        },
        {
            "street": "（未归属街道）",
            "devices": 1,
            "online": 0,
            "offline": 0,
            "never_reported": 1,
            "alarms": 0,
        },
    ]
    revisit = devices.revisit(frame)
    assert dict(zip(revisit["serial"], revisit["reason"], strict=True)) == {
        "SN004B": "平台报告离线",
        "SN008": "安装后从未上报",
    }


def test_scope_street_user_sees_only_their_devices(tiny_con):
    assert set(status(tiny_con, street_ids=["S1"])) == {"SN001", "SN004A", "SN004B"}
    assert status(tiny_con, street_ids=["S2"]) == {}
    alarms = devices.alarms(tiny_con, TINY, MAY20, ["S2"])
    assert alarms.empty


def test_household_alerts_for_isolated_elderly(tiny_con):
    tiny_con.execute("UPDATE household SET lives_alone = true WHERE household_id IN ('H4', 'H8')")
    frame = devices.health(tiny_con, TINY, MAY20, None)
    alerts = devices.household_alerts(frame).to_dict()
    # H4: alarm on 05-15 (within 30 days); its SN004B's 离线 is only 15 h old, not "long".
    # H8: never reported since installation on 05-05 (≥ 72 h).
    assert alerts == {"H4": "近30天燃气报警", "H8": "报警器长时间离线"}


def test_cli_device_health_json(tiny_con, tmp_path, capsys):
    from anju.cli import main
    from data import connection
    from tests.conftest import load_tiny

    path = tmp_path / "t.duckdb"
    con = connection.connect(path)
    load_tiny(con)
    con.close()
    assert (
        main(
            [
                "device-health",
                "--db",
                str(path),
                "--programme",
                TINY,
                "--as-of",
                "2023-05-20",
                "--json",
            ]
        )
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"devices", "online", "offline", "never_reported", "alarms", "by_street"}
    assert (out["devices"], out["online"], out["offline"], out["never_reported"]) == (4, 2, 1, 1)
    west = next(r for r in out["by_street"] if r["street"] == "西街道")
    assert west == {
        "street": "西街道",
        "devices": 3,
        "online": 2,
        "offline": 1,
        "never_reported": 0,
        "alarms": 1,
    }


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
    from data import fire_risk

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
