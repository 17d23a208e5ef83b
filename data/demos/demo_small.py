"""What the small seed demos (001 中原区, 003 松江区, 004 玉溪镇) share: a real district outline
cut into a few synthetic streets (or one made-up town) and communities, a few hundred synthetic
households placed in them, and the insert into an open demo transaction.

Each seed module says what is particular to its programme (user classes, devices, service
events, care counts); everything here is labelled synthetic, as the Changning demo is.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
import pandas as pd
import shapely

import queries
from data.demos.demo_district import synthetic_names
from data.setup import programmes
from data.store import bulk
from geo import boundaries

SOURCE_SYNTHETIC = "演示数据（合成）：街道/社区边界为按真实名称合成的划分，非官方边界"
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘")
GIVEN = list("秀英兰珍芳玉华桂凤梅琴云莲红娟国明建德福海林荣生根宝金发祥兴宏伟文良春秋")


def allocate(total: int, weights: Sequence[float]) -> np.ndarray:
    """Split `total` into integers proportional to `weights` (largest remainders)."""
    w = np.asarray(weights, dtype=float)
    raw = w / w.sum() * total
    out = np.floor(raw).astype(int)
    out[np.argsort(-(raw - out), kind="stable")[: total - out.sum()]] += 1
    return out


def build_regions(
    rng: np.random.Generator,
    district_id: str,
    district_name: str,
    streets: Sequence[tuple[str, str]],
    communities: int,
    only_first: bool = False,
) -> pd.DataFrame:
    """The real outline, one synthetic cell per (region_id, name) street and `communities`
    synthetic communities in each. With `only_first` the outline is cut as if for every street
    but only the first is kept: one made-up town in a larger district."""
    outline, source = boundaries.district_outline(district_id)
    cells = boundaries.partition(outline, boundaries.relaxed_seeds(outline, len(streets), rng))
    rows = [(district_id, district_name, "district", None, outline, source, False)]
    for (region_id, name), geom in zip(streets, cells, strict=True):
        rows.append((region_id, name, "street", district_id, geom, SOURCE_SYNTHETIC, True))
        parts = boundaries.partition(geom, boundaries.relaxed_seeds(geom, communities, rng))
        short = name.removesuffix("街道").removesuffix("镇")
        for i, part in enumerate(parts, start=1):
            rows.append(
                (
                    f"{region_id}{i:03d}",
                    f"{short}第{i}社区（演示）",
                    "community",
                    region_id,
                    part,
                    SOURCE_SYNTHETIC,
                    True,
                )
            )
        if only_first:
            break
    return pd.DataFrame(
        rows, columns=["region_id", "name", "level", "parent_id", "geom", "source", "synthetic"]
    )


def points(
    rng: np.random.Generator, regions: pd.DataFrame, n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """n points spread over the communities (uneven sizes): lon, lat, each one's street name
    and community id (a community's id is its street's id and three digits)."""
    comms = regions[regions.level == "community"]
    counts = allocate(n, rng.gamma(3.0, 1.0, len(comms)))
    names = dict(zip(regions.region_id, regions.name, strict=True))
    lon, lat, street, community = [], [], [], []
    for (_, c), k in zip(comms.iterrows(), counts, strict=True):
        pts = boundaries.random_points_in(c.geom, int(k), rng, decimals=6)
        lon.append(pts[:, 0])
        lat.append(pts[:, 1])
        street.extend([names[c.parent_id]] * int(k))
        community.extend([c.region_id] * int(k))
    return (
        np.concatenate(lon),
        np.concatenate(lat),
        np.array(street, dtype=object),
        np.array(community, dtype=object),
    )


def people(rng: np.random.Generator, n: int) -> tuple[list[str], np.ndarray, list[str]]:
    """Synthetic names, sexes and mobile numbers."""
    names = synthetic_names(rng, n, SURNAMES, GIVEN)
    sex = np.where(rng.random(n) < 0.55, "女", "男")
    phones = [f"1{p}" for p in rng.integers(3_000_000_000, 9_999_999_999, n)]
    return names, sex, phones


def days(start: str, offsets: np.ndarray) -> np.ndarray:
    """Dates `offsets` days after `start`."""
    return np.datetime64(start) + np.asarray(offsets).astype(int).astype("timedelta64[D]")


def hazard_ids(prefix: str, n: int) -> list[str]:
    """Hazard ids that are not sequential (an exposed id must not let anyone guess the next)."""
    return [
        "HZ" + hashlib.sha256(f"{prefix}-hazard-{h}".encode()).hexdigest()[:12].upper()
        for h in range(1, n + 1)
    ]


def hazard_frame(
    programme_id: str,
    household_ids: np.ndarray,
    rng: np.random.Generator,
    kinds: Sequence[str],
    found_on: np.ndarray,
    rectified_on: np.ndarray,
    **more: np.ndarray,
) -> pd.DataFrame:
    """The hazard table of a small demo: a kind drawn per hazard, rectification due in 30 days
    (the seeds' usual term), and any further columns (gas_cut_on …) as given."""
    return pd.DataFrame(
        {
            "hazard_id": hazard_ids(programme_id, len(household_ids)),
            "household_id": household_ids,
            "programme_id": programme_id,
            "kind": rng.choice(kinds, len(household_ids)),
            "found_on": found_on,
            "due_on": found_on + np.timedelta64(30, "D"),
            "rectified_on": rectified_on,
            **more,
        }
    )


def recorded_at(event_on: pd.Series, rng: np.random.Generator) -> np.ndarray:
    """Records reach Anju 0–3 days after the event, in office hours."""
    day = pd.to_datetime(event_on).to_numpy().astype("datetime64[D]")
    lag = rng.integers(0, 4, len(day)).astype("timedelta64[D]")
    minutes = rng.integers(8 * 60, 18 * 60, len(day)).astype("timedelta64[m]")
    return day.astype("datetime64[m]") + lag.astype("timedelta64[m]") + minutes


def insert(con, programme_id: str, regions: pd.DataFrame, tables: dict, seed: int) -> None:
    """Load the programme's template, its regions and its tables ({table: frame}) into `con`."""
    programmes.load(con, programmes.read_template(programme_id), actor="anju demo")
    frame = regions.assign(geom_wkb=shapely.to_wkb(regions.geom.to_numpy())).drop(columns="geom")
    con.register("_demo_regions", frame)
    queries.call(con, "demo.insert_regions")
    con.unregister("_demo_regions")
    late = np.random.default_rng(seed + 1)
    stamp = {"inspection": "visited_on", "hazard": "found_on", "installation": "installed_on"}
    for table, df in tables.items():
        if df is None or df.empty:
            continue
        if table in stamp and "recorded_at" not in df:
            df = df.assign(recorded_at=recorded_at(df[stamp[table]], late))
        bulk.insert(con, table, df)
