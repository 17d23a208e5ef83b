"""Demo data after the installation, added to the Changning demo database.

- Device serials on every installed alarm, and the gas company's alarm platform events up to
  the demo date: daily heartbeats, ~8% of devices offline at the end (silent, or a last 离线),
  ~1.5% never reported, a few alarms (most handled within the hour), low batteries, faults and
  removals; one installer crew's devices go offline three times as often (bad installs).
- Service events for the same district (seed 000 六: 大众燃气 runs the gas hotline that answers
  residents' questions), 2023-05-01 → the demo date, kinds and standards of seed 003, with a
  planted cluster of repair calls (old pipes) for the Gi* map.

Drawn from their own random stream (seed + 13), after the rest of the demo: the Changning
figures (households, installations, hazards …) do not change.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import duckdb
import numpy as np
import pandas as pd

import queries
from data.events.service import DEFAULT_STANDARDS
from data.store import bulk

STREAM = 13  # added to the demo seed
# At city scale a heartbeat a day for every device since its installation is ~14
# million rows at 1,000,000 households, which doubled the demo build and its memory. Above this
# many devices the demo keeps the first report and only the last HEARTBEAT_DAYS days of
# heartbeats before each device stops: the state as of the demo date is the same (the offline
# rule looks back 72 h), earlier dates see fewer heartbeats. Inserting into device_event's
# primary key is what costs (~4 s a million rows here), so the row count is what is capped.
SCALE_DEVICES = 20_000
HEARTBEAT_DAYS = 3
SERVICE_FROM = date(2023, 5, 1)
BAD_CREW = "大众燃气第7班组"  # its installs go offline three times as often
# A planted cluster of repair and 抢修 calls: old riser pipes around 天山路 (synthetic).
REPAIR_CLUSTER = (121.4035, 31.2120, 400.0)  # lon, lat, radius in metres
KIND_WEIGHTS = {
    "热线咨询": 0.34,
    "报修": 0.24,
    "抢修": 0.08,
    "缴费/IC卡": 0.16,
    "液化气配送": 0.01,
    "复工安检": 0.04,
    "事故/险情": 0.01,
    "其他": 0.12,
}
OUTCOMES = {
    "热线咨询": ("已解答", "已解答并短信告知", "转街道处理"),
    "报修": ("更换燃气表", "更换胶管", "调整灶具", "疏通管道"),
    "抢修": ("关阀止漏，更换接头", "管道漏点修复", "立管修复，恢复供气"),
    "缴费/IC卡": ("线上缴费已到账", "口袋充上门充值", "IC卡补办"),
    "液化气配送": ("无接触配送到户", "社区志愿者协助安装钢瓶"),
    "复工安检": ("安检合格，恢复供气", "整改后恢复供气"),
    "事故/险情": ("现场处置完毕，已上报", "排除险情，已上报"),
    "其他": ("已处理", "已转相关部门"),
}


def add(con: duckdb.DuckDBPyConnection, programme_id: str, seed: int, as_of: date) -> dict:
    """Add serials, platform events and service events to a freshly built demo; return counts."""
    rng = np.random.default_rng(seed + STREAM)
    serials = _serials(con, programme_id)
    events = _device_events(rng, serials, as_of)
    service = _service_events(rng, con, programme_id, as_of)
    con.register("_serials", serials[["household_id", "device_type", "device_serials"]])
    queries.call(con, "demo.set_serials", programme_id=programme_id)
    con.unregister("_serials")
    for table, frame in (("device_event", events), ("service_event", service)):
        bulk.insert(con, table, frame.assign(programme_id=programme_id))
    return {"devices": len(serials), "device_events": len(events), "service_events": len(service)}


def _serials(con: duckdb.DuckDBPyConnection, programme_id: str) -> pd.DataFrame:
    """One networked alarm per installation: a 15-digit IMEI, in installation order."""
    frame = queries.call(con, "demo.installations", programme_id=programme_id).df()
    prefix = np.where(frame["device_type"] == "lpg_alarm", "86301", "86300")
    frame["device_serials"] = [f"{p}{i:010d}" for i, p in enumerate(prefix, start=1)]
    return frame


def _device_events(rng: np.random.Generator, devices: pd.DataFrame, as_of: date) -> pd.DataFrame:
    n = len(devices)
    day_end = np.datetime64(as_of + timedelta(days=1), "s")
    installed = devices["installed_on"].to_numpy().astype("datetime64[D]")
    # First report a few hours after installation; then one heartbeat a day at a fixed minute.
    first = installed.astype("datetime64[s]") + rng.integers(2 * 3600, 8 * 3600, n).astype(
        "timedelta64[s]"
    )
    bad = (devices["installer"] == BAD_CREW).to_numpy()
    r = rng.random(n)
    never = r < 0.015
    p_off = np.where(bad, 0.20, 0.072)
    offline = ~never & (rng.random(n) < p_off)
    # Offline devices stop some days before the end (at least 4 days: past the 72 h rule);
    # a third of them end with an explicit 离线 from the platform.
    silent_days = rng.integers(4, 30, n)
    stop = np.where(offline, day_end - silent_days.astype("timedelta64[D]"), day_end)
    stop = np.maximum(stop, first + np.timedelta64(1, "s"))
    explicit = offline & (rng.random(n) < 0.35)
    explicit_recent = offline & ~explicit & (rng.random(n) < 0.05)  # 离线 reported today
    stop = np.where(explicit_recent, day_end - np.timedelta64(6, "h"), stop)
    # Three alarms removed by their owners (renovation): nothing is heard after the removal.
    removed = rng.choice(np.flatnonzero(~never & ~offline), 3, replace=False)
    removed_at = day_end - rng.integers(1, 10, 3).astype("timedelta64[D]")
    stop[removed] = np.maximum(removed_at, first[removed] + np.timedelta64(1, "s"))

    days = ((stop - first) / np.timedelta64(1, "D")).astype(int) + 1
    days = np.where(never, 0, np.maximum(days, 0))
    # The first day a heartbeat is kept (0 = every day since the first report).
    skip = np.zeros(n, dtype=int)
    if n > SCALE_DEVICES:
        skip = np.maximum(days - HEARTBEAT_DAYS, 0)
    kept = np.where(skip > 0, days - skip + 1, days)  # + 1: the first report stays
    idx = np.repeat(np.arange(n), kept)
    step = np.arange(kept.sum()) - np.repeat(np.cumsum(kept) - kept, kept)
    # step 0 is the first report; steps 1.. are the last days (shifted by skip - 1)
    step = np.where((step > 0) & (skip[idx] > 0), step + skip[idx] - 1, step)
    beat_at = first[idx] + step.astype("timedelta64[D]")
    keep = beat_at < stop[idx]
    rows = [
        pd.DataFrame(
            {
                "serial": devices["device_serials"].to_numpy()[idx[keep]],
                "event_type": "heartbeat",
                "event_at": beat_at[keep],
            }
        )
    ]
    off_idx = np.flatnonzero((explicit | explicit_recent) & (days > 0))
    rows.append(
        pd.DataFrame(
            {
                "serial": devices["device_serials"].to_numpy()[off_idx],
                "event_type": "offline",
                "event_at": stop[off_idx],
            }
        )
    )
    rows.append(
        pd.DataFrame(
            {
                "serial": devices["device_serials"].to_numpy()[removed],
                "event_type": "removed",
                "event_at": stop[removed],
                "note": "用户装修拆除",
            }
        )
    )
    online_idx = np.setdiff1d(np.flatnonzero(~never & ~offline), removed)

    def pick(k: int, days_back: int, kind: str, note: str) -> pd.DataFrame:
        chosen = rng.choice(online_idx, k, replace=False)
        at = np.maximum(
            day_end - rng.integers(3600, days_back * 86400, k).astype("timedelta64[s]"),
            first[chosen] + np.timedelta64(3600, "s"),
        )
        return pd.DataFrame(
            {
                "serial": devices["device_serials"].to_numpy()[chosen],
                "event_type": kind,
                "event_at": at,
                "note": note,
            }
        )

    alarms = pick(14, 45, "alarm", "燃气浓度报警，联动切断阀已关闭")
    # Most alarms are handled (called back or visited) within the hour; two are still open.
    minutes = np.round(rng.lognormal(np.log(25), 0.6, len(alarms)))
    handled = alarms["event_at"].to_numpy() + (minutes * 60).astype("timedelta64[s]")
    handled[:2] = np.datetime64("NaT")
    alarms["handled_at"] = handled
    rows += [
        alarms,
        pick(round(n * 0.015), 30, "low_battery", "电池电量低"),
        pick(6, 30, "fault", "传感器故障"),
    ]
    out = pd.concat(rows, ignore_index=True)
    out["event_at"] = pd.to_datetime(out["event_at"]).dt.floor("s")
    out["recorded_at"] = pd.Timestamp(as_of + timedelta(days=1)) + pd.Timedelta(hours=1)
    return out.drop_duplicates(["serial", "event_type", "event_at"]).reset_index(drop=True)


def _service_events(
    rng: np.random.Generator, con: duckdb.DuckDBPyConnection, programme_id: str, as_of: date
) -> pd.DataFrame:
    homes = queries.call(con, "demo.placed_homes", programme_id=programme_id).df()
    days = (as_of - SERVICE_FROM).days + 1
    n = int(days * 8)  # about eight calls a day about these households' gas service
    kinds = rng.choice(list(KIND_WEIGHTS), n, p=np.array(list(KIND_WEIGHTS.values())))
    lon0, lat0, radius = REPAIR_CLUSTER
    dx = (homes["lon"] - lon0) * 111_320 * np.cos(np.radians(lat0))
    dy = (homes["lat"] - lat0) * 110_574
    near = np.flatnonzero(np.hypot(dx, dy) <= radius)
    who = rng.integers(0, len(homes), n)
    repair = np.isin(kinds, ["报修", "抢修"])
    to_cluster = repair & (rng.random(n) < 0.35) & (len(near) > 0)
    who[to_cluster] = rng.choice(near, int(to_cluster.sum()))
    # Extra repair calls from the old pipes, on top of the usual mix.
    extra = int(days * 1.2)
    kinds = np.concatenate([kinds, rng.choice(["报修", "抢修"], extra, p=[0.7, 0.3])])
    who = np.concatenate([who, rng.choice(near, extra)])
    n = len(kinds)
    home = homes.iloc[who].reset_index(drop=True)

    start = np.datetime64(SERVICE_FROM, "s")
    day = rng.integers(0, days, n).astype("timedelta64[D]")
    # Calls come in the daytime mostly: hours 7–21 with a few at night.
    hour = np.where(rng.random(n) < 0.9, rng.integers(7, 21, n), rng.integers(0, 24, n))
    reported = start + day + (hour * 3600 + rng.integers(0, 3600, n)).astype("timedelta64[s]")
    resp_std = np.array([DEFAULT_STANDARDS[k].response_hours for k in kinds])
    res_std = np.array([DEFAULT_STANDARDS[k].resolution_hours for k in kinds])
    # Most events are answered and resolved within the standard, ~10% are late.
    late_resp = rng.random(n) < 0.08
    late_res = rng.random(n) < 0.10
    resp_h = resp_std * np.where(late_resp, rng.uniform(1.1, 3.0, n), rng.uniform(0.1, 0.95, n))
    res_h = np.maximum(
        resp_h + 0.1,
        res_std * np.where(late_res, rng.uniform(1.1, 2.5, n), rng.uniform(0.1, 0.95, n)),
    )
    responded = reported + (resp_h * 3600).astype("timedelta64[s]")
    resolved = reported + (res_h * 3600).astype("timedelta64[s]")
    day_end = np.datetime64(as_of + timedelta(days=1), "s")
    # Still open: what is not resolved by the end of the demo date, and a few stuck cases.
    stuck = rng.random(n) < 0.012
    resolved = np.where(stuck | (resolved >= day_end), np.datetime64("NaT"), resolved)
    responded = np.where(responded >= day_end, np.datetime64("NaT"), responded)
    linked = rng.random(n) < 0.6
    source = rng.choice(["热线", "网格", "平台", "其他"], n, p=[0.72, 0.14, 0.09, 0.05])
    crew = rng.integers(1, 9, n)
    handler = [
        f"大众燃气{'抢修' if k in ('抢修', '事故/险情') else '服务'}{c}班"
        if k != "热线咨询"
        else "962777 热线"
        for k, c in zip(kinds, crew, strict=True)
    ]
    outcome = [
        rng.choice(OUTCOMES[k]) if not np.isnat(r) else None
        for k, r in zip(kinds, resolved, strict=True)
    ]
    order = np.argsort(reported, kind="stable")
    frame = pd.DataFrame(
        {
            "kind": kinds,
            "reported_at": reported,
            "occurred_at": np.where(
                np.isin(kinds, ["抢修", "事故/险情"]),
                reported - rng.integers(60, 1800, n).astype("timedelta64[s]"),
                np.datetime64("NaT"),
            ),
            "responded_at": responded,
            "resolved_at": resolved,
            "household_id": np.where(linked, home["household_id"], None),
            "street_id": home["street_id"],
            "community_id": home["community_id"],
            "address": home["address"],
            "lon": home["lon"].round(5),
            "lat": home["lat"].round(5),
            "source": source,
            "handler": handler,
            "outcome": outcome,
        }
    ).iloc[order]
    frame["event_id"] = [
        f"RX{pd.Timestamp(t):%Y%m%d}{i:04d}" for i, t in enumerate(frame["reported_at"], start=1)
    ]
    frame["recorded_at"] = frame["reported_at"].map(
        lambda t: min(
            pd.Timestamp(t) + pd.Timedelta(hours=1),
            pd.Timestamp(datetime.combine(as_of, datetime.min.time())) + pd.Timedelta(days=1),
        )
    )
    return frame.reset_index(drop=True)
