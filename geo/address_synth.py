"""A deterministic synthetic address base and roster, Shanghai style, for tests and the bench.

Pure (random.Random(seed), no I/O): the base has roads with plain numbers (路 N号), lanes
(路 N弄 M号) and estates (X新村 M号楼), one WGS84 point per building; the roster writes those
buildings the many ways real rosters do, plus buildings the base lacks and rows naming none.
Everything here is synthetic and must be labelled so wherever it is shown.
"""

from __future__ import annotations

import math
import random

import cn2an
import numpy as np
import pandas as pd

_NAME_CHARS = (
    "虹桥天山仙霞延安定西娄山关凯旋遵义古北茅台哈密剑河威宁淞虹协和金钟临空福泉"
    "北翟新泾平塘水城武夷镇宁江苏华阳安顺番禺法华昭化长顺中山兴义宣化红宝芙蓉"
)
_ROAD_SUFFIXES = ("路",) * 12 + ("街", "公路", "大道")
_COMPASS = ("", "", "", "", "东", "西", "南", "北", "中")
_ESTATE_SUFFIXES = ("新村", "小区", "苑", "花园", "公寓", "家园")
# A box around a large Shanghai district, degrees WGS84: ~19 km × 13 km.
_LON0, _LON1, _LAT0, _LAT1 = 121.30, 121.50, 31.15, 31.27
_M_PER_DEG_LAT = 111_320.0


def _offset(lon: float, lat: float, dx_m: float, dy_m: float) -> tuple[float, float]:
    return (
        lon + dx_m / (_M_PER_DEG_LAT * math.cos(math.radians(lat))),
        lat + dy_m / _M_PER_DEG_LAT,
    )


def synthetic_base(n_buildings: int, seed: int = 7) -> pd.DataFrame:
    """An address base of about `n_buildings` points: columns address, lon, lat, estate, kind.

    kind is 'number' (路 N号), 'lane' (路 N弄 M号, some with the estate named) or 'estate'
    (X新村 M号楼 with no road). Addresses are unique; roads run at most ~1.5 km.
    """
    rng = random.Random(seed)
    seen: set[str] = set()

    def new_road() -> str:
        while True:
            stem = rng.choice(_NAME_CHARS) + rng.choice(_NAME_CHARS)
            name = stem + rng.choice(_COMPASS) + rng.choice(_ROAD_SUFFIXES)
            if name not in seen:
                seen.add(name)
                return name

    addr: list[str] = []
    lon: list[float] = []
    lat: list[float] = []
    estate: list[str] = []
    kind: list[str] = []
    estate_seen: set[str] = set()

    def add(address: str, x: float, y: float, estate_name: str, what: str) -> None:
        addr.append(address)
        lon.append(x)
        lat.append(y)
        estate.append(estate_name)
        kind.append(what)

    def new_estate() -> str:
        while True:
            e = rng.choice(_NAME_CHARS) + rng.choice(_NAME_CHARS) + rng.choice(_ESTATE_SUFFIXES)
            if e not in estate_seen:
                estate_seen.add(e)
                return e

    while len(addr) < n_buildings:
        road = new_road()
        x0 = rng.uniform(_LON0, _LON1)
        y0 = rng.uniform(_LAT0, _LAT1)
        heading = rng.uniform(0, math.pi)
        length = rng.uniform(300, 1500)
        stop = len(addr) + rng.randint(40, 160)  # buildings on this road
        number = 1
        while len(addr) < min(stop, n_buildings):
            t = min(number / 400.0, 1.0) * length
            px, py = _offset(x0, y0, t * math.cos(heading), t * math.sin(heading))
            if rng.random() < 0.5:
                add(f"{road}{number}号", px, py, "", "number")
            else:
                named = new_estate() if rng.random() < 0.5 else ""
                for b in range(1, rng.randint(4, 26)):
                    bx, by = _offset(px, py, rng.uniform(-120, 120), rng.uniform(-120, 120))
                    add(f"{road}{number}弄{b}号", bx, by, named, "lane")
            number += rng.choice((2, 2, 4, 6))
        if rng.random() < 0.3 and len(addr) < n_buildings:
            e = new_estate()
            ex, ey = rng.uniform(_LON0, _LON1), rng.uniform(_LAT0, _LAT1)
            for b in range(1, rng.randint(5, 60)):
                bx, by = _offset(ex, ey, rng.uniform(-200, 200), rng.uniform(-200, 200))
                add(f"{e}{b}号楼", bx, by, e, "estate")
    return pd.DataFrame(
        {"address": addr, "lon": lon, "lat": lat, "estate": estate, "kind": kind}
    ).iloc[:n_buildings]


def _cn(n: int, rng: random.Random) -> str:
    """A number as a roster might write it: digits, full-width digits or Chinese."""
    r = rng.random()
    if r < 0.6:
        return str(n)
    if r < 0.8:
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    return cn2an.an2cn(n)


def _variant(address: str, kind: str, estate: str, rng: random.Random) -> str:
    """The same building as a roster writes it: prefixes, numerals, rooms, spaces, 号楼/栋."""
    import re

    m = re.match(r"^(.*?)(\d+)(弄|号)(?:(\d+)号)?(楼)?$", address)
    if not m:
        return address
    head, first, unit, second, lou = m.groups()
    if rng.random() < 0.15 and estate and kind == "lane" and second:
        head = estate  # the estate and the building number alone
        body = f"{_cn(int(second), rng)}{rng.choice(('号', '号楼', '栋', '幢'))}"
    elif unit == "弄":
        body = f"{_cn(int(first), rng)}弄{_cn(int(second), rng)}号"
    else:
        body = f"{_cn(int(first), rng)}号{lou or ''}"
    room = rng.choice(("", "", f"{rng.randint(1, 6)}0{rng.randint(1, 4)}室", "-601", "601"))
    if room == "-601":
        body = body.rstrip("号楼栋幢")
    prefix = rng.choice(("", "", "上海市长宁区", "长宁区", "上海", "上海市 长宁区 "))
    text = f"{prefix}{head}{body}{room}"
    if rng.random() < 0.1:
        text = " ".join(text)
    return text


# Homophones and look-alikes typed by hand; none is in _NAME_CHARS, so a typo never spells
# another real name by accident and the scale check can tell a wrong match from a right one.
_TYPO_CHARS = "宏乔添先夏言按婷希搂善观玄尊仪谷贝矛苔"
if set(_TYPO_CHARS) & set(_NAME_CHARS):  # pragma: no cover - a guard on the tables above
    raise ValueError("a typo character is also a name character")


def _typo(text: str, rng: random.Random) -> str:
    """One of the first two name characters replaced, as a roster typed by hand may have it."""
    i = rng.randrange(2)
    return text[:i] + rng.choice(_TYPO_CHARS) + text[i + 1 :]


def synthetic_roster(base: pd.DataFrame, n_rows: int, seed: int = 11) -> pd.DataFrame:
    """A roster of `n_rows` against `base` from `synthetic_base`.

    Columns: address; in_base (the row names a base building); true_lon, true_lat (that
    building's point, NaN otherwise); case ('variant', 'typo', 'absent_building', 'no_building').
    """
    rng = random.Random(seed)
    base_addr = base["address"].to_numpy()
    base_kind = base["kind"].to_numpy()
    base_estate = base["estate"].to_numpy()
    known = set(base_addr)
    rows: list[tuple[str, bool, float, float, str]] = []
    lanes = [a for a, k in zip(base_addr, base_kind, strict=True) if k == "lane"]
    for _ in range(n_rows):
        r = rng.random()
        if r < 0.85:
            i = rng.randrange(len(base_addr))
            text = _variant(base_addr[i], base_kind[i], base_estate[i], rng)
            case = "variant"
            if r > 0.80:
                text, case = _typo(base_addr[i], rng), "typo"
            rows.append((text, True, base["lon"].iat[i], base["lat"].iat[i], case))
        elif r < 0.95 and lanes:
            lane = rng.choice(lanes).split("弄")[0]
            building = f"{lane}弄{rng.randint(60, 99)}号"
            if building in known:
                continue
            rows.append((building, False, np.nan, np.nan, "absent_building"))
        else:
            stem = rng.choice(_NAME_CHARS) + rng.choice(_NAME_CHARS)
            text = rng.choice((f"{stem}路", f"{stem}小区", "", "不详", f"{stem}路附近"))
            rows.append((text, False, np.nan, np.nan, "no_building"))
    return pd.DataFrame(rows, columns=["address", "in_base", "true_lon", "true_lat", "case"])


def bench_geocode(n_buildings: int = 200_000, n_rows: int = 100_000, seed: int = 7) -> dict:
    """Time `build_base` + `match_addresses` on a synthetic base and roster (generation untimed).

    Returns seconds per phase and the share of base-named rows placed within 50 m: the numbers
    a bench reports. Run by hand (`python -c "from geo.address_synth import bench_geocode;
    print(bench_geocode())"`); it is no test.
    """
    import time

    from geo.address_match import build_base, match_addresses
    from geo.crs import haversine_m

    base = synthetic_base(n_buildings, seed=seed)
    roster = synthetic_roster(base, n_rows, seed=seed + 1)
    t0 = time.perf_counter()
    prepared = build_base(base, estate="estate")
    t1 = time.perf_counter()
    out = match_addresses(roster, prepared)
    t2 = time.perf_counter()
    d = haversine_m(out["lon"], out["lat"], roster["true_lon"], roster["true_lat"])
    hit = (out["level"] == "building").to_numpy() & (d <= 50)
    named = roster["in_base"].to_numpy()
    return {
        "buildings": len(base),
        "rows": len(roster),
        "build_s": round(t1 - t0, 2),
        "match_s": round(t2 - t1, 2),
        "total_s": round(t2 - t0, 2),
        "named_within_50m": round(float(hit[named].mean()), 4),
        "unnamed_at_building": int((out["level"][~named] == "building").sum()),
        "levels": out["level"].value_counts().to_dict(),
    }
