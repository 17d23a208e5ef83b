"""Devices on the tiny programme: device serials, the platform's event export, device health
at the 72 h edge, street scope, `anju device-health`. Service events: tests/test_service_events.py.

Tiny devices (conftest.py): H1 SN001, H4 SN004A + SN004B, H3 SN003 (installed 05-28), H8 SN008
(outside the district). The end of 05-20 is 05-21 00:00 Beijing time; 72 h before is 05-18 00:00.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from data import importing
from data.events import device_state, devices
from data.importing import parse_events
from data.users import access
from tests.conftest import TINY
from tests.platform_export import PLATFORM
from tests.workbooks import csv_bytes, xlsx

ADMIN = access.User("t_admin", "admin")
WEST = access.User("t_west", "street", "S1")
EAST = access.User("t_east", "street", "S2")
MAY20 = date(2023, 5, 20)


# 西街道's line of the device summary, on the tiny devices (conftest), read two ways below.
WEST_DEVICES = {
    "street": "西街道",
    "devices": 3,
    "online": 2,
    "offline": 1,
    "never_reported": 0,
    "alarms": 1,
}


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


def test_gbk_platform_export_rejects_unknown_serials_and_bad_times(tiny_con):
    data = csv_bytes(PLATFORM, "gbk")
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
        tiny_con, "device_events", "平台.csv", csv_bytes(PLATFORM, "gbk"), TINY, ADMIN, commit=True
    )
    assert status(tiny_con)["SN004B"] == "online"  # heartbeat after the 离线
    alarms = devices.alarms(tiny_con, TINY, MAY20, None)
    got = alarms.set_index("serial")["minutes_to_handle"].to_dict()
    assert got == {"SN001": 25.0, "SN004A": 20.0}


def test_street_user_imports_events_of_own_street_only(tiny_con):
    data = csv_bytes(
        [["设备编号", "事件类型", "事件时间"], ["SN001", "心跳", "2023-05-20 18:00"]], "gbk"
    )
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
        WEST_DEVICES,
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
    from data.store import connection
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
    assert west == WEST_DEVICES
