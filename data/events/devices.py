"""Device health as of a date (end of that day, Beijing time) and what to do about it.

A device is offline when its last event is 离线 (or 拆除) or its last event of any kind is
older than `[rules] device_offline_hours` (default 72), never reported when it has no event,
online otherwise (the `device_health` macro, is the one definition).
"""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pandas as pd

import queries

STATUSES = ("online", "offline", "never_reported")
STATUS_LABELS = {"online": "在线", "offline": "离线", "never_reported": "从未上报"}
GROUPS = {"street": "street_name", "installer": "installer", "batch": "batch_id"}
BLANK = {"street": "（未归属街道）", "installer": "（未填安装人）", "batch": "（无批次）"}
ALARM_WINDOW_DAYS = 30  # an alarm this recent at an isolated elderly home goes on the visit list


def health(
    con: duckdb.DuckDBPyConnection, programme_id: str, as_of: date, street_ids: list[str] | None
) -> pd.DataFrame:
    """Every installed device known by the end of `as_of`, its status and household."""
    return queries.run(
        con, "device_health", programme_id=programme_id, as_of=as_of, street_ids=street_ids
    )


def alarms(
    con: duckdb.DuckDBPyConnection,
    programme_id: str,
    as_of: date,
    street_ids: list[str] | None,
    days: int = ALARM_WINDOW_DAYS,
) -> pd.DataFrame:
    """Alarm events of the last `days` days up to the end of `as_of`, with handling time."""
    return queries.run(
        con,
        "device_alarms",
        programme_id=programme_id,
        date_from=alarms_from(as_of, days),
        as_of=as_of,
        street_ids=street_ids,
    )


def _counts(frame: pd.DataFrame) -> dict[str, int]:
    by = frame["status"].value_counts()
    return {
        "devices": len(frame),
        **{s: int(by.get(s, 0)) for s in STATUSES},
        "alarms": int(frame["alarms"].sum()) if len(frame) else 0,
    }


def by_group(frame: pd.DataFrame, group: str) -> pd.DataFrame:
    """Counts per street, installer or batch: devices, online, offline, never reported, alarms,
    offline rate (% of devices not online), worst first."""
    col = GROUPS[group]
    keyed = frame.assign(_g=frame[col].fillna(BLANK[group]))
    rows = [{col: g, **_counts(part)} for g, part in keyed.groupby("_g", sort=True)]
    out = pd.DataFrame(rows, columns=[col, "devices", *STATUSES, "alarms"])
    out["not_online_pct"] = (
        (out["offline"] + out["never_reported"]) / out["devices"].where(out["devices"] > 0) * 100
    ).round(1)
    return out.sort_values(["not_online_pct", col], ascending=[False, True], kind="stable")


def summary(frame: pd.DataFrame) -> dict:
    """What `anju device-health --json` prints: totals and one row per street."""
    streets = by_group(frame, "street").sort_values("street_name", kind="stable")
    return {
        **_counts(frame),
        "by_street": [
            {
                "street": r.street_name,
                "devices": int(r.devices),
                "online": int(r.online),
                "offline": int(r.offline),
                "never_reported": int(r.never_reported),
                "alarms": int(r.alarms),
            }
            for r in streets.itertuples()
        ],
    }


def revisit(frame: pd.DataFrame) -> pd.DataFrame:
    """Devices the gas company should visit, with the reason: offline, never reported, open
    alarm, low battery or fault in the last 30 days. Isolated elderly and longest silent first."""
    reasons = []
    for r in frame.itertuples():
        why = []
        if r.status == "never_reported":
            why.append("安装后从未上报")
        elif r.status == "offline":
            why.append(
                "已拆除"
                if r.last_event_type == "removed"
                else "平台报告离线"
                if r.last_event_type == "offline"
                else f"超过 {r.offline_hours:g} 小时无上报"
            )
        if r.alarms_open:
            why.append("报警未处置")
        if pd.notna(r.low_battery_at):
            why.append("低电量")
        if pd.notna(r.fault_at):
            why.append("故障")
        reasons.append("、".join(why))
    out = frame.assign(reason=reasons)
    out = out[out["reason"] != ""]
    return out.sort_values(
        ["alarms_open", "lives_alone", "hours_silent", "serial"],
        ascending=[False, False, False, True],
        kind="stable",
    ).reset_index(drop=True)


def household_alerts(frame: pd.DataFrame) -> pd.Series:
    """household_id → why the fire-risk visit list should raise it: a gas alarm in the last
    30 days, or a device long offline (silent at least device_offline_hours, or never reported
    that long after installation). Only isolated elderly households (lives_alone)."""
    alone = frame[frame["lives_alone"].fillna(False).astype(bool)]
    alarm = alone["alarms_30d"] > 0
    long_off = (alone["status"] != "online") & (alone["hours_silent"] >= alone["offline_hours"])
    why = pd.Series("", index=alone.index)
    why[alarm] = "近30天燃气报警"
    why[long_off & ~alarm] = "报警器长时间离线"
    why[long_off & alarm] = "近30天燃气报警、报警器长时间离线"
    hit = alone.assign(_why=why)[why != ""]
    return hit.groupby("household_id")["_why"].agg(
        lambda s: "、".join(sorted(set("、".join(s).split("、"))))
    )


def by_community(frame: pd.DataFrame) -> pd.DataFrame:
    """Per community: devices, not online (offline + never reported) and its share (%)."""
    placed = frame.dropna(subset=["community_id"])
    out = placed.groupby("community_id", sort=True).agg(
        community_name=("community_name", "first"),
        street_name=("street_name", "first"),
        devices=("serial", "size"),
        offline=("status", lambda s: int((s == "offline").sum())),
        never_reported=("status", lambda s: int((s == "never_reported").sum())),
        alarms=("alarms", "sum"),
    )
    out["not_online_pct"] = ((out["offline"] + out["never_reported"]) / out["devices"] * 100).round(
        1
    )
    return out.reset_index()


def group_frame(rows: pd.DataFrame, group: str) -> pd.DataFrame:
    """`by_group`'s table from the device_health_groups query (counted in SQL)."""
    col = GROUPS[group]
    key = rows["group_name"] if group == "street" else rows["group_id"]
    out = pd.DataFrame(
        {col: key.fillna(BLANK[group]).astype(object)}
        | {c: rows[c].astype("int64") for c in ("devices", *STATUSES, "alarms")}
    )
    out["not_online_pct"] = (
        (out["offline"] + out["never_reported"]) / out["devices"].where(out["devices"] > 0) * 100
    ).round(1)
    return out.sort_values(
        ["not_online_pct", col], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)


def community_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """`by_community`'s table from the device_health_groups query grouped by community."""
    placed = rows.dropna(subset=["group_id"]).sort_values("group_id")
    out = pd.DataFrame(
        {
            "community_id": placed["group_id"],
            "community_name": placed["group_name"],
            "street_name": placed["street_name"],
        }
        | {c: placed[c].astype("int64") for c in ("devices", "offline", "never_reported", "alarms")}
    )
    out["not_online_pct"] = ((out["offline"] + out["never_reported"]) / out["devices"] * 100).round(
        1
    )
    return out.reset_index(drop=True)


def totals(rows: pd.DataFrame) -> dict[str, int]:
    """Devices, online, offline, never reported and alarms over the groups of one grouping."""
    return {"devices": int(rows["devices"].sum())} | {
        c: int(rows[c].sum()) for c in (*STATUSES, "alarms")
    }


def alarms_from(as_of: date, days: int = ALARM_WINDOW_DAYS) -> date:
    """First day of the alarm window ending on `as_of`."""
    return as_of - timedelta(days=days - 1)
