"""Fire-risk analysis of a programme: scored households, Gi* hotspots, the visit list.

Shared by the 火灾风险 page (which passes cached query results) and `anju hotspots`. Frames
in, frames out; only `analyse` touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import h3.api.basic_int as h3int
import numpy as np
import pandas as pd
import shapely

import queries
from data.events import devices
from data.firerisk import risk
from geo import boundaries, grid, hotspots

LEVELS = ("h3", "community")
UNIT_COLUMNS = [
    "unit_id",
    "households",
    "mean_value",
    "total_value",
    "z",
    "p",
    "p_adj",
    "cls",
    "name",
    "street_name",
]


@dataclass(frozen=True)
class Analysis:
    """Everything the page and the CLI show for one programme, date and scope."""

    households: pd.DataFrame  # scored, one row per household, with cell and hotspot class
    units: pd.DataFrame  # one row per H3 cell or community: households, mean score, z, p, class
    level: str
    resolution: int | None


def resolution_for_district(
    district_shapes: pd.DataFrame, points: pd.DataFrame | None = None
) -> int:
    """H3 resolution for the district outline (WKB from region_shapes): ~a few hundred cells.

    A programme without an outline yet uses the extent of its households (`points`' lon/lat).
    """
    if not district_shapes.empty:
        geom = shapely.from_wkb(bytes(district_shapes["geom_wkb"].iloc[0]))
    elif points is not None and not points.dropna(subset=["lon", "lat"]).empty:
        placed = points.dropna(subset=["lon", "lat"])
        geom = shapely.MultiPoint(placed[["lon", "lat"]].to_numpy()).convex_hull.buffer(0.005)
    else:
        geom = shapely.box(0, 0, 0.1, 0.1)  # no geography at all: a ~100 km² default
    return grid.resolution_for(boundaries.area_km2(geom))


def hotspot_units(
    scored: pd.DataFrame,
    level: str,
    *,
    resolution: int | None = None,
    community_shapes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Gi* on the mean risk score per H3 cell (level 'h3') or per community ('community'), from
    every household's point (fire_risk_points): the definition `find_hotspots` (counted in SQL)
    is tested against."""
    placed = scored.dropna(subset=["lon", "lat"])
    if level not in LEVELS:
        raise ValueError(f"未知分析层级 {level!r}，可选：{LEVELS}")
    key = ["lon", "lat"] if level == "h3" else ["community_id"]
    if scored.dropna(subset=key).empty:  # an empty scope: nothing to test, nothing to draw
        return pd.DataFrame(columns=UNIT_COLUMNS)
    if level == "h3":
        if resolution is None:
            raise ValueError("按 H3 网格分析时必须给出分辨率")
        out = hotspots.cell_hotspots(
            placed["lon"].to_numpy(),
            placed["lat"].to_numpy(),
            placed["risk_score"].to_numpy(),
            resolution,
        )
        # A cell id means nothing to a caller: name each cell after the community most of its
        # households belong to.
        cells = grid.cells_for_points(placed["lon"], placed["lat"], resolution)
        where = placed.assign(cell=cells)[["cell", "community_name", "street_name"]].dropna()
        main = where.groupby("cell")[["community_name", "street_name"]].agg(
            lambda s: s.value_counts().index[0]
        )
        out["name"] = out["cell"].map(main["community_name"]).fillna("") + "一带"
        out["street_name"] = out["cell"].map(main["street_name"])
        return out.rename(columns={"cell": "unit_id"})
    if level == "community":
        if community_shapes is None:
            raise ValueError("按社区分析时必须给出社区边界")
        inside = scored.dropna(subset=["community_id"])
        out = hotspots.region_hotspots(
            inside["community_id"].to_numpy(),
            inside["risk_score"].to_numpy(),
            community_shapes,
        )
        names = scored.drop_duplicates("community_id").set_index("community_id")
        out["name"] = out["region_id"].map(names["community_name"])
        out["street_name"] = out["region_id"].map(names["street_name"])
        return out.rename(columns={"region_id": "unit_id"})
    raise ValueError(f"未知分析层级 {level!r}，可选：{LEVELS}")


def attach_units(scored: pd.DataFrame, units: pd.DataFrame, level: str, resolution: int | None):
    """Each household's unit id and that unit's hotspot class (too_few / ns / hot_95 …)."""
    out = scored.copy()
    if level == "h3":
        out["unit_id"] = grid.cells_for_points(
            out["lon"].to_numpy(dtype=float), out["lat"].to_numpy(dtype=float), resolution
        )
    else:
        out["unit_id"] = out["community_id"]
    cls = units.set_index("unit_id")["cls"]
    out["hotspot"] = out["unit_id"].map(cls).fillna(hotspots.TOO_FEW)
    return out


def visit_list(households: pd.DataFrame, limit: int | None = None) -> pd.DataFrame:
    """Highest risk first, households inside hotspots (strongest confidence) before the rest;
    at equal scores a cold spot's household comes after the others (never a priority).

    With a `device_alert` column (with_device_alerts): a recent gas alarm at the home comes
    first of all (an emergency); a long-offline alarm comes first within its hotspot class.
    """
    conf = households["hotspot"].map(
        lambda c: hotspots.confidence(c) if str(c).startswith("hot_") else 0
    )
    alert = (
        households["device_alert"].fillna("").astype(str)
        if "device_alert" in households
        else pd.Series("", index=households.index)
    )
    out = households.assign(
        _alarm=alert.str.contains("燃气报警"),
        _conf=conf.fillna(0),
        _offline=alert.str.contains("离线"),
        _cold=households["hotspot"].astype(str).str.startswith("cold_"),
    ).sort_values(
        ["_alarm", "_conf", "_offline", "risk_score", "_cold", "household_id"],
        ascending=[False, False, False, False, True, True],
        kind="stable",
    )
    out = out.drop(columns=["_alarm", "_conf", "_offline", "_cold"]).reset_index(drop=True)
    return out if limit is None else out.head(limit)


def with_device_alerts(households: pd.DataFrame, alerts: pd.Series) -> pd.DataFrame:
    """Each household's device alert (data.events.devices.household_alerts), '' if none."""
    return households.assign(
        device_alert=households["household_id"].map(alerts).astype(object).fillna("")
    )


@dataclass(frozen=True)
class Hotspots:
    """Gi* of one programme, date, level and scope: what the page caches per score version."""

    units: pd.DataFrame  # as Analysis.units
    level: str
    resolution: int | None
    communities: pd.DataFrame  # street_id, community_id, community_name in scope

    def hot_households(self, conf: int = 95) -> int:
        """Households inside units hot at `conf`% or stronger (each household is in one unit)."""
        hot = hotspots.at_least(self.units["cls"], conf)
        return int(self.units.loc[hot, "households"].sum()) if hot.any() else 0


def cell_units(rows: pd.DataFrame) -> pd.DataFrame:
    """Gi* units at level 'h3' from the fire_risk_cells rows (counts and sums per cell)."""
    if rows.empty:
        return pd.DataFrame(columns=UNIT_COLUMNS)
    ids = [h3int.int_to_str(int(c)) for c in rows["cell"]]
    agg = hotspots.unit_sums(ids, rows["households"], rows["total_value"])
    out = hotspots.cell_hotspots_from_sums(agg)
    names = rows.assign(unit_id=ids).set_index("unit_id")
    # A cell id means nothing to a caller: named after the community most of its households
    # belong to (counted in SQL).
    out["name"] = out["cell"].map(names["community_name"].dropna()).fillna("") + "一带"
    out["street_name"] = out["cell"].map(names["street_name"].dropna())
    return out.rename(columns={"cell": "unit_id"})


def community_units(rows: pd.DataFrame, shapes: pd.DataFrame) -> pd.DataFrame:
    """Gi* units at level 'community' from the fire_risk_communities rows."""
    if rows.empty:
        return pd.DataFrame(columns=UNIT_COLUMNS)
    agg = hotspots.unit_sums(rows["community_id"], rows["households"], rows["total_value"])
    out = hotspots.region_hotspots_from_sums(agg, shapes)
    names = rows.set_index("community_id")
    out["name"] = out["region_id"].map(names["community_name"])
    out["street_name"] = out["region_id"].map(names["street_name"])
    return out.rename(columns={"region_id": "unit_id"})


def find_hotspots(
    con: duckdb.DuckDBPyConnection,
    programme_id: str,
    as_of: date,
    level: str,
    street_ids: list[str] | None,
) -> Hotspots:
    """Gi* on the stored scores of the households in scope, counted and summed per unit in SQL
    (fire_risk_cells on the stored H3 cells, fire_risk_communities): no household rows are
    read, except the points of a programme without a district outline (its H3 resolution
    follows the households' extent)."""
    if level not in LEVELS:
        raise ValueError(f"未知分析层级 {level!r}，可选：{LEVELS}")
    params = {"programme_id": programme_id, "as_of": as_of, "street_ids": street_ids}
    district = queries.run(
        con, "region_shapes", programme_id=programme_id, level="district", street_ids=None
    )
    points = queries.run(con, "fire_risk_points", **params) if district.empty else None
    resolution = resolution_for_district(district, points)
    communities = queries.run(con, "fire_risk_communities", **params)
    if level == "h3":
        cells = queries.run(con, "fire_risk_cells", resolution=resolution, **params)
        units = cell_units(cells)
    else:
        shapes = queries.run(
            con,
            "region_shapes",
            programme_id=programme_id,
            level="community",
            street_ids=street_ids,
        )
        units = community_units(communities, shapes)
    listed = communities[["street_id", "community_id", "community_name"]]
    return Hotspots(units, level, resolution, listed.reset_index(drop=True))


def household_alerts(health: pd.DataFrame) -> pd.Series:
    """Each household's device alert text from the device_alerts query."""
    return devices.household_alerts(health)


def visit_page(
    con: duckdb.DuckDBPyConnection,
    programme_id: str,
    as_of: date,
    street_ids: list[str] | None,
    found: Hotspots,
    weights: dict[str, float],
    *,
    street: str | None = None,
    community: str | None = None,
    search: str = "",
    limit: int | None = 100,
    offset: int = 0,
) -> pd.DataFrame:
    """One page of the visit list (limit None: all of it), in `visit_list` order, sorted and
    paged in SQL on the stored scores; rows explained, with hotspot class and device alert.

    Only the significant units (a few hundred at most; a cold one with a negative confidence)
    go to SQL; each household's unit (its stored H3 cell, or its community) and its device
    alerts are joined there."""
    units = found.units
    cls_text = units["cls"].astype(str)
    hot = units[cls_text.str.startswith("hot_") | cls_text.str.startswith("cold_")]
    by_cell = found.level == "h3"
    frame = queries.run(
        con,
        "fire_risk_visits",
        programme_id=programme_id,
        as_of=as_of,
        street_ids=street_ids,
        street=street or None,
        community=community or None,
        search=search or "",
        resolution=found.resolution,
        hot_cells=[h3int.str_to_int(str(u)) for u in hot["unit_id"]] if by_cell else [],
        hot_communities=[] if by_cell else [str(u) for u in hot["unit_id"]],
        hot_conf=[
            int(hotspots.confidence(c)) * (1 if str(c).startswith("hot_") else -1)
            for c in hot["cls"]
        ],
        limit=limit,
        offset=offset,
    )
    if by_cell:
        unit = frame["cell"].map(lambda c: None if pd.isna(c) else h3int.int_to_str(int(c)))
    else:
        unit = frame["community_id"]
    alert = frame["device_alert"].astype(object)
    out = risk.explained(frame.drop(columns=["cell", "device_alert"]), weights)
    cls = units.set_index("unit_id")["cls"] if len(units) else pd.Series(dtype=object)
    out["hotspot"] = unit.map(cls).astype(object).fillna(hotspots.TOO_FEW).to_numpy()
    out["device_alert"] = alert.to_numpy()
    return out


def analyse(
    con: duckdb.DuckDBPyConnection,
    programme_id: str,
    as_of: date,
    level: str = "h3",
    street_ids: list[str] | None = None,
) -> Analysis:
    """Score every household of the programme and find hotspots at `level` (for the CLI, bench)."""
    found = find_hotspots(con, programme_id, as_of, level, street_ids)
    scored = risk.scored_households(con, programme_id, as_of, street_ids)
    households = attach_units(scored, found.units, level, found.resolution).drop(columns="unit_id")
    health = queries.run(
        con, "device_alerts", programme_id=programme_id, as_of=as_of, street_ids=street_ids
    )
    households = with_device_alerts(households, household_alerts(health))
    resolution = found.resolution if level == "h3" else None
    return Analysis(households, found.units, level, resolution)


def significant(units: pd.DataFrame) -> pd.DataFrame:
    """Units classed hot or cold at 90% or more, strongest first."""
    sig = units[units["cls"].astype(str).str.match(r"^(hot|cold)_")].copy()
    sig["_abs"] = np.abs(sig["z"])
    return sig.sort_values(["_abs", "unit_id"], ascending=[False, True]).drop(columns="_abs")
