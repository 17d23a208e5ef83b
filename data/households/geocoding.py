"""Households located from their addresses: matched against the district's standard address base
(标准地址库), set by hand from the 待定位 list, or from the phone at the first visit.

A household's point has a level (building, estate, road, community, none) and a source (roster,
address_base, field_gps, manual). Coordinates a file gives always win and are never matched;
a point set by hand or by the phone is never replaced by a match. Every write is one unit of
work: the households whose point changed are placed again and their status, H3 cells and
fire-risk scores follow in the same transaction.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import duckdb
import numpy as np
import pandas as pd

import queries
from data.households import placement
from data.messages import UserError, UserPermissionError
from data.store.unit_of_work import current, unit_of_work
from data.users import access
from geo import address_match

LEVELS = ("building", "estate", "road", "community", "none")
SOURCES = ("roster", "address_base", "field_gps", "manual")
FIELD_GPS_MAX_M = 100.0  # a phone fix worse than this is a hint, never the household's point
_CHINA = ((73.0, 136.0), (3.0, 54.0))
_BASES: dict[tuple, address_match.AddressBase] = {}  # (programme, content digest, names) → base


def base(con: duckdb.DuckDBPyConnection, programme_id: str) -> address_match.AddressBase:
    """The programme's address base, parsed for matching; kept while its content is the same
    (parsing 200,000 addresses takes seconds; a roster import must not pay it every time)."""
    version = tuple(
        queries.call(con, "geocoding.base_version", programme_id=programme_id).fetchone()
    )
    names = district_names(con, programme_id)
    key = (programme_id, version, names)
    if key not in _BASES:
        frame = queries.call(con, "geocoding.base", programme_id=programme_id).df()
        if len(_BASES) >= 4:
            _BASES.pop(next(iter(_BASES)))
        _BASES[key] = address_match.build_base(frame, estate="estate", district_names=names)
    return _BASES[key]


def district_names(con: duckdb.DuckDBPyConnection, programme_id: str) -> tuple[str, ...]:
    """The district's and its streets' names: prefixes an address may carry that locate nothing."""
    rows = queries.call(con, "geocoding.district_names", programme_id=programme_id).fetchall()
    return tuple(str(n) for (n,) in rows if n)


def match(
    con: duckdb.DuckDBPyConnection,
    programme_id: str,
    household_ids: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Households without their own coordinates, matched against the base (nothing written):
    household_id, address, community_id, was (level), level, lon, lat, score, candidates."""
    ids = None if household_ids is None else sorted({str(h) for h in household_ids})
    rows = queries.call(con, "geocoding.pending", programme_id=programme_id, household_ids=ids).df()
    if rows.empty:
        return rows.assign(level=[], score=[], candidates=[])
    found = address_match.match_addresses(rows, base(con, programme_id))
    out = rows[["household_id", "address", "community_id", "street_id"]].copy()
    out["was"] = rows["loc_level"]
    out["was_lon"], out["was_lat"] = rows["lon"], rows["lat"]
    out["level"] = found["level"].to_numpy()
    out["lon"] = found["lon"].to_numpy()
    out["lat"] = found["lat"].to_numpy()
    out["score"] = found["score"].to_numpy()
    out["candidates"] = found["candidates"].to_numpy()
    # Not locatable from the base: placed by community name when the roster gave one.
    none = out["level"] == "none"
    out.loc[none, "level"] = np.where(out.loc[none, "community_id"].notna(), "community", "none")
    out.loc[none, ["lon", "lat", "score"]] = np.nan
    return out


def geocode(
    con: duckdb.DuckDBPyConnection,
    programme_id: str,
    actor: str,
    household_ids: Iterable[str] | None = None,
) -> dict:
    """Match (again) the households without their own coordinates and store what changed; return
    the summary `anju geocode` prints."""
    with unit_of_work(con, actor) as uow:
        found = match(con, programme_id, household_ids)
        changed = _changed(found)
        if not changed.empty:
            rows = pd.DataFrame(
                {
                    "household_id": changed["household_id"].astype(str),
                    "lon": changed["lon"].astype(float),
                    "lat": changed["lat"].astype(float),
                    "loc_level": changed["level"].astype(str),
                    "loc_source": np.where(
                        changed["level"].isin(["building", "estate", "road"]), "address_base", None
                    ),
                    "loc_score": changed["score"].where(changed["score"] < 100).astype(float),
                }
            )
            con.register("geocode_rows", rows)
            try:
                queries.call(con, "geocoding.write_points", programme_id=programme_id)
            finally:
                con.unregister("geocode_rows")
            uow.touch(programme_id, rows["household_id"])
            placement.assign_households(con, programme_id, actor=actor)
        out = summary(con, programme_id)
        uow.audit(
            "geocode",
            f"programme:{programme_id}",
            {"matched": len(found), "changed": len(changed), "levels": out["levels"]},
        )
    return out


def after_roster(con: duckdb.DuckDBPyConnection, programme_id: str, keys: list[tuple]) -> dict:
    """The household import's hook: the rows it wrote are matched, in its own unit of work."""
    return _after(con, programme_id, [k[0] for k in keys])


def after_base(con: duckdb.DuckDBPyConnection, programme_id: str, keys: list[tuple]) -> dict:
    """The address base import's hook: a new or changed base may place any waiting household."""
    return _after(con, programme_id, None)


def _after(con: duckdb.DuckDBPyConnection, programme_id: str, ids: list | None) -> dict:
    unit = current(con)
    actor = unit.actor if unit is not None else "anju import"
    if ids is not None and not ids:
        return {}
    got = geocode(con, programme_id, actor, ids)
    return {"located": got["levels"]}


def _changed(found: pd.DataFrame) -> pd.DataFrame:
    if found.empty:
        return found
    same_level = found["level"].astype(object) == found["was"].astype(object)
    same_point = _close(found["lon"], found["was_lon"]) & _close(found["lat"], found["was_lat"])
    return found[~(same_level & same_point)]


def _close(a: pd.Series, b: pd.Series) -> np.ndarray:
    x, y = a.to_numpy(float), b.to_numpy(float)
    return (np.isnan(x) & np.isnan(y)) | (np.abs(x - y) < 1e-9)


def summary(con: duckdb.DuckDBPyConnection, programme_id: str) -> dict:
    """{"households", "levels": {level: n}, "unmatched": [ids without a building-level point]}."""
    rows = dict(
        queries.call(con, "geocoding.levels", programme_id=programme_id, street_ids=None).fetchall()
    )
    levels = {level: int(rows.get(level, 0)) for level in LEVELS}
    unmatched = [
        h for (h,) in queries.call(con, "geocoding.unmatched", programme_id=programme_id).fetchall()
    ]
    return {"households": sum(levels.values()), "levels": levels, "unmatched": unmatched}


def levels(
    con: duckdb.DuckDBPyConnection, programme_id: str, street_ids: list[str] | None
) -> dict[str, int]:
    """Households of the scope located at each level (street_ids None: the whole district)."""
    rows = dict(
        queries.call(
            con, "geocoding.levels", programme_id=programme_id, street_ids=street_ids
        ).fetchall()
    )
    return {level: int(rows.get(level, 0)) for level in LEVELS}


def set_point(
    con: duckdb.DuckDBPyConnection,
    user: access.User | None,
    programme_id: str,
    household_id: str,
    lon: float,
    lat: float,
    *,
    source: str = "manual",
    accuracy_m: float | None = None,
) -> bool:
    """Set one household's point by hand (待定位: a candidate or a click on the map) or from the
    phone's location at a visit. Returns False, storing nothing, for a phone fix worse than
    FIELD_GPS_MAX_M (kept as a hint in the entry only). Audit-logged; street users only for
    their own street's households."""
    from data.fieldwork import field  # the door's reading rules: scope, same answer for both

    if source not in ("manual", "field_gps"):
        raise ValueError(f"unknown point source {source!r}")
    if user is None or not access.can(user, field.PAGE, access.W):
        raise UserPermissionError("geocode.no_right")
    hh = field.household(con, user, programme_id, household_id)
    lon, lat = float(lon), float(lat)
    if not (
        math.isfinite(lon)
        and math.isfinite(lat)
        and _CHINA[0][0] <= lon <= _CHINA[0][1]
        and _CHINA[1][0] <= lat <= _CHINA[1][1]
    ):
        raise UserError("geocode.bad_point", lon=lon, lat=lat)
    if source == "field_gps" and (accuracy_m is None or accuracy_m > FIELD_GPS_MAX_M):
        return False
    with unit_of_work(con, user.username) as uow:
        queries.call(
            con,
            "geocoding.set_point",
            programme_id=programme_id,
            household_id=hh["household_id"],
            lon=round(lon, 7),
            lat=round(lat, 7),
            source=source,
        )
        uow.touch(programme_id, [hh["household_id"]])
        placement.assign_households(con, programme_id, actor=user.username)
        uow.audit(
            "locate",
            f"household:{programme_id}/{hh['household_id']}",
            {
                "source": source,
                "lon": round(lon, 6),
                "lat": round(lat, 6),
                "accuracy_m": accuracy_m,
            },
        )
    return True


def preview_levels(
    con: duckdb.DuckDBPyConnection, programme_id: str, rows: pd.DataFrame
) -> pd.Series:
    """Where roster rows not yet imported would be located (nothing written): ROWS has address,
    lon, lat and community (as the file gives them); the level per row, as the import would set
    it — building for the file's own coordinates, else the base's answer, else by community."""
    lon = pd.to_numeric(rows["lon"], errors="coerce")
    lat = pd.to_numeric(rows["lat"], errors="coerce")
    level = pd.Series("building", index=rows.index, dtype=object)
    todo = rows[lon.isna() | lat.isna()]
    if todo.empty:
        return level
    address = todo["address"].where(todo["address"].notna(), "").astype(str)
    found = address_match.match_addresses(
        pd.DataFrame({"address": address}), base(con, programme_id)
    )
    named = todo["community"].notna() & (todo["community"].astype(str).str.strip() != "")
    fallback = np.where(named, "community", "none")
    level.loc[todo.index] = np.where(found["level"] == "none", fallback, found["level"])
    return level
