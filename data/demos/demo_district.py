"""The demo district's facts: 长宁区's real outline and code, its ten streets (synthetic
partitions under their real names), the planted fire-risk clusters tests know, the names and
words the synthetic people are drawn from, the streets' and communities' geometry, the demo
accounts, and when the records reached Anju (late entries, one street's backlog, receipts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import shapely
import shapely.ops

from data.users import accounts
from geo import boundaries

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


def synthetic_names(
    rng: np.random.Generator, n: int, surnames: list[str] = SURNAMES, given: list[str] = GIVEN
) -> list[str]:
    """n synthetic full names: a surname and one given character, or two (70 %)."""
    return [
        f"{s}{g1}{g2}" if two else f"{s}{g1}"
        for s, g1, g2, two in zip(
            rng.choice(surnames, n),
            rng.choice(given, n),
            rng.choice(given, n),
            rng.random(n) < 0.7,
            strict=True,
        )
    ]


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
