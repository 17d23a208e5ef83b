"""Seed 004 beside the Changning demo, small: 玉溪镇 as a made-up town inside 潼南区's real
outline, six synthetic villages/communities and 240 synthetic elderly people living alone, as of
2024-10-18, in the 实施推进阶段 (to 2024-11-30).

Each person has a helper (cadre, grid worker, volunteer), smoking/drinking, the building's nature,
floors and age; checks of wiring, gas and stoves found hazards, most rectified; smoke detectors,
one-key alarms, RCDs and gas auto shut-offs are being fitted.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from data.demos import demo_small as small

PROGRAMME = "yuxi_2024"
DISTRICT_ID = "500152"
AS_OF = date(2024, 10, 18)  # a Friday in the 实施推进阶段
# The outline is cut as for five towns; only 玉溪镇 (the first) is kept: the programme is its own.
STREETS = (
    ("500152101", "玉溪镇"),
    ("500152102", "演示甲镇"),
    ("500152103", "演示乙镇"),
    ("500152104", "演示丙镇"),
    ("500152105", "演示丁镇"),
)
PEOPLE = 240
HAZARD_KINDS = ("电气线路私搭乱接", "电线老化破损未穿管", "柴火灶排烟防火差", "可燃物堆放过近")
HELPER_TYPES = ("村（社区）干部", "网格员", "志愿者", "其他")
NATURES = ("砖混", "砖木", "土木", "钢混")
DEVICES = (  # device type, share fitted by AS_OF among those reached
    ("smoke_detector", 0.7),
    ("one_key_alarm", 0.35),
    ("rcd", 0.5),
    ("gas_autoshutoff", 0.4),
)


def build(rng: np.random.Generator, regions: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The registry of people, their checks, hazards and fitted devices."""
    n = PEOPLE
    lon, lat, _, _ = small.points(rng, regions, n)
    ids = np.array([f"YX24{i:05d}" for i in range(1, n + 1)])
    names, sex, phones = small.people(rng, n)
    age = np.clip(np.round(60 + rng.gamma(2.5, 5.0, n)), 60, 99).astype(int)
    gas_type = rng.choice(["piped", "lpg", "none"], n, p=[0.45, 0.2, 0.35])
    as_of = np.datetime64(AS_OF)

    # 三(1) 排查摸底 in June; 三(4)(5) checks of wiring, gas and stoves at that visit.
    visited_on = small.days("2024-06-01", np.minimum(rng.gamma(2.0, 8.0, n), 80))
    reached = rng.random(n) > 0.02
    r = rng.random(n)
    outcome = np.where(reached, "ok", "not_home").astype(object)
    outcome[reached & (r < 0.22)] = "hazard"
    hz = np.flatnonzero(outcome == "hazard")
    found_on = visited_on[hz]
    rectified_on = found_on + rng.integers(3, 60, len(hz)).astype("timedelta64[D]")
    rectified_on = np.where(
        (rng.random(len(hz)) < 0.2) | (rectified_on > as_of), np.datetime64("NaT"), rectified_on
    )
    hazards = small.hazard_frame(PROGRAMME, ids[hz], rng, HAZARD_KINDS, found_on, rectified_on)

    # 三(3)(5): devices fitted from the end of June, each at its own share.
    fitted: dict[str, np.ndarray] = {}
    rows = []
    for device, share in DEVICES:
        can = reached & ((gas_type == "piped") if device == "gas_autoshutoff" else True)
        on = small.days("2024-06-25", np.floor(110 * np.sqrt(rng.random(n))))
        on = np.maximum(on, visited_on + np.timedelta64(1, "D"))
        got = can & (rng.random(n) < share) & (on <= as_of)
        fitted[device] = got
        idx = np.flatnonzero(got)
        rows.append(
            pd.DataFrame(
                {
                    "household_id": ids[idx],
                    "programme_id": PROGRAMME,
                    "device_type": device,
                    "installed_on": on[idx],
                    "installer": "玉溪镇应急办安装组（演示）",
                    "signed_resident": True,
                    "signed_community": True,
                    "signed_grid": True,
                    "signed_installer": True,
                }
            )
        )
    installations = pd.concat(rows, ignore_index=True)
    inspections = pd.DataFrame(
        {
            "household_id": ids,
            "programme_id": PROGRAMME,
            "visited_on": visited_on,
            "outcome": outcome,
            "note": None,
        }
    )
    build_year = rng.integers(1965, 2015, n)
    helper_type = rng.choice(HELPER_TYPES, n, p=[0.4, 0.35, 0.2, 0.05])
    households = pd.DataFrame(
        {
            "household_id": ids,
            "programme_id": PROGRAMME,
            "address": [
                f"重庆市潼南区玉溪镇演示村{k}组{h}号"
                for k, h in zip(rng.integers(1, 12, n), rng.integers(1, 80, n), strict=True)
            ],
            "name": names,
            "sex": sex,
            "birth_year": AS_OF.year - age,
            "phone": phones,
            "lives_alone": True,
            "gas_type": gas_type,
            "user_class": "residential",
            "lon": np.round(lon, 6),
            "lat": np.round(lat, 6),
            "crs_in": "wgs84",
            "loc_level": "building",
            "loc_source": "roster",
            "registered_on": date(2024, 6, 1),
            "smoker": rng.random(n) < 0.3,
            "drinker": rng.random(n) < 0.25,
            "building_nature": rng.choice(NATURES, n, p=[0.4, 0.25, 0.2, 0.15]),
            "floors": np.where(build_year < 1990, rng.integers(1, 3, n), rng.integers(1, 6, n)),
            "build_year": build_year,
            "helper_name": [
                f"{s}*{t}" for s, t in zip(rng.choice(small.SURNAMES, n), helper_type, strict=True)
            ],
            "helper_type": helper_type,
            "helper_phone": [f"1{p}" for p in rng.integers(3_000_000_000, 9_999_999_999, n)],
            "has_smoke_detector": fitted["smoke_detector"],
            "has_one_key_alarm": fitted["one_key_alarm"],
            "has_rcd": fitted["rcd"],
            "has_gas_autoshutoff": fitted["gas_autoshutoff"],
        }
    )
    return {
        "household": households,
        "inspection": inspections,
        "hazard": hazards,
        "installation": installations,
        "care_count": care_counts(rng, ids[reached], visited_on[reached]),
    }


def care_counts(rng: np.random.Generator, ids: np.ndarray, since: np.ndarray) -> pd.DataFrame:
    """三(8)(9)(10): buckets/vats for about half, training for the able, publicity most months."""
    rows = []
    as_of = np.datetime64(AS_OF)
    for kind, share, most in (("equipment", 0.5, 2), ("training", 0.4, 1), ("publicity", 0.8, 3)):
        pick = rng.random(len(ids)) < share
        for _ in range(most):
            on = since + rng.integers(1, 120, len(ids)).astype("timedelta64[D]")
            keep = pick & (on <= as_of)
            rows.append(
                pd.DataFrame(
                    {
                        "programme_id": PROGRAMME,
                        "household_id": ids[keep],
                        "kind": kind,
                        "done_on": on[keep],
                        "quantity": 1,
                        "recorded_at": on[keep].astype("datetime64[m]") + np.timedelta64(600, "m"),
                        "recorded_by": "anju demo",
                    }
                )
            )
            pick &= rng.random(len(ids)) < 0.5  # fewer have a second and third
    return pd.concat(rows, ignore_index=True)


def insert(con, seed: int) -> dict:
    """Build and insert the 玉溪镇 programme into an open demo transaction; return counts."""
    rng = np.random.default_rng(seed + 1004)
    regions = small.build_regions(
        rng, DISTRICT_ID, "潼南区", STREETS, communities=6, only_first=True
    )
    tables = build(rng, regions)
    small.insert(con, PROGRAMME, regions, tables, seed + 1004)
    return {
        "people": PEOPLE,
        "installations": len(tables["installation"]),
        "hazards": len(tables["hazard"]),
    }
