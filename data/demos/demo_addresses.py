"""The demo's roster as real rosters come: most households as 地址 + 街道 + 社区 only, and the
district's synthetic standard address base that locates them."""

from __future__ import annotations

import numpy as np
import pandas as pd

from data.demos import demo_events
from data.demos.demo_district import PLANTED_CLUSTERS, PROGRAMME, ROADS, STREETS
from geo import point_in_polygon

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
