"""Seed 003 beside the Changning demo, small: 松江区 with five real 街镇 names as synthetic
partitions, 300 synthetic gas users and their service events (hotline, repairs, IC-card top-up,
LPG delivery, reopening checks, incidents) from 2022-05-12 to 2022-07-15.

Seed 003 has no devices and no household target: what it asks is service, so the demo is the
event layer; most events are handled within Anju's default standards, about one in ten is late.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from data.demos import demo_small as small
from data.demos.demo_events import KIND_WEIGHTS, OUTCOMES
from data.events.service import DEFAULT_STANDARDS

PROGRAMME = "songjiang_2022"
DISTRICT_ID = "310117"
AS_OF = date(2022, 7, 15)
SERVICE_FROM = date(2022, 5, 12)  # the document's date
STREETS = (
    ("310117001", "岳阳街道"),
    ("310117002", "永丰街道"),
    ("310117003", "方松街道"),
    ("310117101", "泗泾镇"),
    ("310117102", "九亭镇"),
)
HOUSEHOLDS, LPG = 300, 30
PER_DAY = 6  # service events a day about these users' gas


def build(rng: np.random.Generator, regions: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Households and their service events."""
    n = HOUSEHOLDS
    lon, lat, street, community = small.points(rng, regions, n)
    ids = np.array([f"SJ22{i:05d}" for i in range(1, n + 1)])
    gas_type = np.full(n, "piped", dtype=object)
    gas_type[rng.choice(n, LPG, replace=False)] = "lpg"
    names, sex, phones = small.people(rng, n)
    address = [
        f"上海市松江区{s}演示路{k}弄" for s, k in zip(street, rng.integers(1, 900, n), strict=True)
    ]
    households = pd.DataFrame(
        {
            "household_id": ids,
            "programme_id": PROGRAMME,
            "address": address,
            "name": names,
            "sex": sex,
            "phone": phones,
            "gas_type": gas_type,
            "user_class": "residential",
            "lon": np.round(lon, 6),
            "lat": np.round(lat, 6),
            "crs_in": "wgs84",
            "loc_level": "building",
            "loc_source": "roster",
            "registered_on": SERVICE_FROM,
        }
    )

    span = (AS_OF - SERVICE_FROM).days + 1
    k = span * PER_DAY
    weights = dict(KIND_WEIGHTS)
    weights["液化气配送"], weights["复工安检"] = 0.08, 0.08  # lockdown: more of both
    p = np.array(list(weights.values()))
    kinds = rng.choice(list(weights), k, p=p / p.sum())
    who = rng.integers(0, n, k)
    # LPG deliveries come from the bottled-gas users
    lpg_users = np.flatnonzero(gas_type == "lpg")
    delivery = kinds == "液化气配送"
    who[delivery] = rng.choice(lpg_users, int(delivery.sum()))
    hour = np.where(rng.random(k) < 0.9, rng.integers(7, 21, k), rng.integers(0, 24, k))
    reported = (
        np.datetime64(SERVICE_FROM, "s")
        + rng.integers(0, span, k).astype("timedelta64[D]")
        + (hour * 3600 + rng.integers(0, 3600, k)).astype("timedelta64[s]")
    )
    resp_std = np.array([DEFAULT_STANDARDS[x].response_hours for x in kinds])
    res_std = np.array([DEFAULT_STANDARDS[x].resolution_hours for x in kinds])
    resp_h = resp_std * np.where(
        rng.random(k) < 0.08, rng.uniform(1.1, 3.0, k), rng.uniform(0.1, 0.95, k)
    )
    res_h = np.maximum(
        resp_h + 0.1,
        res_std
        * np.where(rng.random(k) < 0.1, rng.uniform(1.1, 2.5, k), rng.uniform(0.1, 0.95, k)),
    )
    day_end = np.datetime64(AS_OF + timedelta(days=1), "s")
    responded = reported + (resp_h * 3600).astype("timedelta64[s]")
    resolved = reported + (res_h * 3600).astype("timedelta64[s]")
    resolved = np.where(
        (rng.random(k) < 0.01) | (resolved >= day_end), np.datetime64("NaT"), resolved
    )
    responded = np.where(responded >= day_end, np.datetime64("NaT"), responded)
    urgent = np.isin(kinds, ["抢修", "事故/险情"])
    order = np.argsort(reported, kind="stable")
    events = pd.DataFrame(
        {
            "programme_id": PROGRAMME,
            "kind": kinds,
            "reported_at": reported,
            "occurred_at": np.where(
                urgent,
                reported - rng.integers(60, 1800, k).astype("timedelta64[s]"),
                np.datetime64("NaT"),
            ),
            "responded_at": responded,
            "resolved_at": resolved,
            "household_id": np.where(rng.random(k) < 0.7, ids[who], None),
            "street_id": np.array([c[:-3] for c in community], dtype=object)[who],
            "community_id": community[who],
            "address": np.array(address, dtype=object)[who],
            "lon": np.round(lon[who], 5),
            "lat": np.round(lat[who], 5),
            "source": rng.choice(["热线", "网格", "平台", "其他"], k, p=[0.7, 0.16, 0.09, 0.05]),
            "handler": np.where(urgent, "松江燃气抢修班（演示）", "松江燃气服务班（演示）"),
            "outcome": [
                rng.choice(OUTCOMES[x]) if not np.isnat(r) else None
                for x, r in zip(kinds, resolved, strict=True)
            ],
        }
    ).iloc[order]
    events["event_id"] = [
        f"SJ{pd.Timestamp(t):%Y%m%d}{i:04d}" for i, t in enumerate(events["reported_at"], start=1)
    ]
    events["recorded_at"] = events["reported_at"] + pd.Timedelta(hours=1)
    events["recorded_at"] = events["recorded_at"].clip(upper=pd.Timestamp(day_end))
    return {"household": households, "service_event": events.reset_index(drop=True)}


def insert(con, seed: int) -> dict:
    """Build and insert the 松江区 programme into an open demo transaction; return counts."""
    rng = np.random.default_rng(seed + 1003)
    regions = small.build_regions(rng, DISTRICT_ID, "松江区", STREETS, communities=3)
    tables = build(rng, regions)
    small.insert(con, PROGRAMME, regions, tables, seed + 1003)
    return {"households": HOUSEHOLDS, "service_events": len(tables["service_event"])}
