"""Seed 001 beside the Changning demo, small: 中原区 with five real 街道 names as synthetic
partitions, 420 synthetic gas users — residential (piped and LPG) and non-residential in the
document's sectors — as of 2023-11-08, a week before the streets' self-acceptance (11-15).

Non-residential users finished by mid-2022 with a few stragglers; residential installs ran to
the 2023-10-31 deadline and some are still missing, so 逾期 and the 阶段节点 have work to show.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from data.demos import demo_small as small

PROGRAMME = "zhongyuan_2022"
DISTRICT_ID = "410102"
AS_OF = date(2023, 11, 8)  # a Wednesday, a week before 街道自查验收 (2023-11-15)
STREETS = (
    ("410102001", "林山寨街道"),
    ("410102002", "建设路街道"),
    ("410102003", "棉纺路街道"),
    ("410102004", "秦岭路街道"),
    ("410102005", "桐柏路街道"),
)
RESIDENTIAL, LPG, NON_RESIDENTIAL = 360, 40, 60  # of 420; LPG among the residential
SECTORS = ("catering", "industry", "elderly_care", "education", "culture", "medical", "other")
SECTOR_WEIGHTS = (0.45, 0.12, 0.1, 0.1, 0.08, 0.08, 0.07)
HAZARD_KINDS = ("胶管老化或超期", "非金属软管未更换", "灶具无熄火保护", "燃气表或阀门漏气")


def build(rng: np.random.Generator, regions: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Households, inspections, hazards and installations."""
    n = RESIDENTIAL + NON_RESIDENTIAL
    lon, lat, street, _ = small.points(rng, regions, n)
    ids = np.array([f"ZY22{i:05d}" for i in range(1, n + 1)])
    nonres = np.zeros(n, dtype=bool)
    nonres[rng.choice(n, NON_RESIDENTIAL, replace=False)] = True
    user_class = np.full(n, "residential", dtype=object)
    user_class[nonres] = rng.choice(SECTORS, NON_RESIDENTIAL, p=SECTOR_WEIGHTS)
    gas_type = np.full(n, "piped", dtype=object)
    gas_type[rng.choice(np.flatnonzero(~nonres), LPG, replace=False)] = "lpg"
    gas_type[nonres & (rng.random(n) < 0.2)] = "lpg"  # bottled gas in some restaurants
    as_of = np.datetime64(AS_OF)

    # 第一阶段: ledgers by 2022-01-31 — surveyed 01-21 → mid-February, ~1% never reached.
    surveyed_on = small.days("2022-01-21", np.minimum(rng.gamma(1.5, 6.0, n), 40))
    reached = rng.random(n) > 0.01
    r = rng.random(n)
    outcome = np.where(reached, "ok", "not_home").astype(object)
    outcome[reached & (r < 0.07)] = "hazard"
    outcome[reached & (r < 0.012)] = "refused"
    hz = np.flatnonzero(np.isin(outcome, ["hazard", "refused"]))
    found_on = surveyed_on[hz]
    refused = outcome[hz] == "refused"
    rectified_on = found_on + rng.integers(5, 80, len(hz)).astype("timedelta64[D]")
    open_hz = refused | (rng.random(len(hz)) < 0.15)
    rectified_on = np.where(open_hz, np.datetime64("NaT"), rectified_on)
    # 五(十一): refusal → gas cut; restored within 24 h once fixed (none fixed yet here)
    gas_cut_on = np.where(refused, found_on + np.timedelta64(7, "D"), np.datetime64("NaT"))
    hazards = small.hazard_frame(
        PROGRAMME, ids[hz], rng, HAZARD_KINDS, found_on, rectified_on, gas_cut_on=gas_cut_on
    )

    # 第二阶段: non-residential by 2022-06-30 (95%, a few late), residential by 2023-10-31 (92%).
    blocked = surveyed_on.copy()
    blocked[hz] = np.where(np.isnat(rectified_on), np.datetime64("2100-01-01"), rectified_on)
    installable = reached & (blocked < as_of)
    done = installable & (rng.random(n) < np.where(nonres, 0.95, 0.92))
    nonres_day = small.days("2022-02-10", np.floor(140 * np.sqrt(rng.random(n))))
    nonres_day[rng.random(n) < 0.05] += np.timedelta64(60, "D")  # stragglers after the deadline
    res_day = small.days("2022-03-01", np.floor(600 * np.sqrt(rng.random(n))))
    installed_on = np.where(nonres, nonres_day, res_day)
    installed_on = np.maximum(installed_on, blocked + np.timedelta64(1, "D"))
    inst = np.flatnonzero(done & (installed_on <= as_of))
    device = np.where(
        nonres[inst],
        "nonres_alarm_valve_hose",
        np.where(gas_type[inst] == "lpg", "res_lpg_hose", "res_piped_valve_hose"),
    )
    verified_on = installed_on[inst] + rng.integers(5, 30, len(inst)).astype("timedelta64[D]")
    verified_on = np.where(verified_on > as_of, np.datetime64("NaT"), verified_on)
    installations = pd.DataFrame(
        {
            "household_id": ids[inst],
            "programme_id": PROGRAMME,
            "device_type": device,
            "installed_on": installed_on[inst],
            "installer": "郑州华润燃气安装班组（演示）",
            "signed_resident": True,
            "signed_community": True,
            "signed_grid": rng.random(len(inst)) < 0.97,
            "signed_installer": True,
            "verified_on": verified_on,
            "verified_by": np.where(np.isnat(verified_on), None, street[inst]),
        }
    )
    inspections = pd.DataFrame(
        {
            "household_id": ids,
            "programme_id": PROGRAMME,
            "visited_on": surveyed_on,
            "outcome": outcome,
            "note": None,
        }
    )
    names, sex, phones = small.people(rng, n)
    shop = {
        "catering": "饭店",
        "industry": "加工厂",
        "elderly_care": "养老院",
        "education": "学校食堂",
        "culture": "文化中心",
        "medical": "社区医院",
        "other": "商户",
    }
    households = pd.DataFrame(
        {
            "household_id": ids,
            "programme_id": PROGRAMME,
            "address": [
                f"河南省郑州市中原区{s}演示路{k}号"
                for s, k in zip(street, rng.integers(1, 300, n), strict=True)
            ],
            "name": [
                f"{nm[0]}记{shop[c]}（演示）" if c != "residential" else nm
                for nm, c in zip(names, user_class, strict=True)
            ],
            "sex": np.where(nonres, None, sex),
            "phone": phones,
            "gas_type": gas_type,
            "user_class": user_class,
            "lon": np.round(lon, 6),
            "lat": np.round(lat, 6),
            "crs_in": "wgs84",
            "loc_level": "building",
            "loc_source": "roster",
            "registered_on": date(2022, 1, 21),
        }
    )
    return {
        "household": households,
        "inspection": inspections,
        "hazard": hazards,
        "installation": installations,
    }


def insert(con, seed: int) -> dict:
    """Build and insert the 中原区 programme into an open demo transaction; return counts."""
    rng = np.random.default_rng(seed + 1001)
    regions = small.build_regions(rng, DISTRICT_ID, "中原区", STREETS, communities=4)
    tables = build(rng, regions)
    small.insert(con, PROGRAMME, regions, tables, seed + 1001)
    hh = tables["household"]
    return {
        "households": len(hh),
        "non_residential": int((hh["user_class"] != "residential").sum()),
        "installations": len(tables["installation"]),
        "hazards": len(tables["hazard"]),
    }
