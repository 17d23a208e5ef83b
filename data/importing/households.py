"""Households (花名册, seed 004 统计表, seed 001 台账): identity, dedup key, coordinates, placement.

A household is the same one when its 户号 matches, else when its normalised name + address +
phone match; rows without a 户号 get a stable id derived from that key, so a re-import finds
them again. Coordinates arrive in WGS84, GCJ-02 or BD-09 and are stored in WGS84 with the
input CRS recorded per row; swapped lon/lat are fixed with a warning; points outside the
district are kept and flagged. Rows without coordinates are placed by community name.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import duckdb
import numpy as np
import shapely

import queries
from data.households import geocoding
from data.importing import parse
from data.importing.core import Context, KindSpec
from data.importing.results import Planned

# Mainland China's lon/lat box, generous: a value outside it is a typo, not a household.


def household_key(name: object, address: object, phone: object) -> str:
    """The dedup key when there is no 户号: normalised name | address | phone digits."""
    return "|".join([parse.norm_key(name), parse.norm_key(address), parse.norm_key(phone)])


def derived_id(key: str) -> str:
    """A stable 户号 for a household that came without one (same key → same id)."""
    return "IMP" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12].upper()


@dataclass
class Regions:
    """The programme's streets and communities, indexed for names and points."""

    street_names: dict[str, str]  # street_id → name
    street_by_key: dict[str, str]  # normalised name → street_id
    community_by_key: dict[str, list[tuple[str, str]]]  # key → [(community_id, street_id)]
    community_ids: list[str]
    community_parent: list[str]
    tree: shapely.STRtree | None
    geoms: np.ndarray


def load_regions(con: duckdb.DuckDBPyConnection, programme_id: str) -> Regions:
    """Streets and communities under the programme's district."""
    rows = queries.call(con, "import_households.regions", programme_id=programme_id).fetchall()
    street_names, street_by_key, comm_by_key = {}, {}, {}
    ids, parents, geoms = [], [], []
    for rid, name, level, parent, wkb in rows:
        if level == "street":
            street_names[rid] = name
            street_by_key.setdefault(parse.norm_key(name), rid)
            street_by_key.setdefault(parse.region_key(name), rid)
            street_by_key.setdefault(parse.norm_key(rid), rid)
        else:
            for k in {parse.norm_key(name), parse.region_key(name), parse.norm_key(rid)}:
                comm_by_key.setdefault(k, []).append((rid, parent))
            ids.append(rid)
            parents.append(parent)
            geoms.append(shapely.from_wkb(bytes(wkb)))
    arr = np.array(geoms, dtype=object)
    tree = shapely.STRtree(arr) if geoms else None
    return Regions(street_names, street_by_key, comm_by_key, ids, parents, tree, arr)


def _locate(regions: Regions, lon: np.ndarray, lat: np.ndarray) -> list[int | None]:
    """Index of the community containing each point (lowest region_id on a shared border)."""
    found: list[int | None] = [None] * len(lon)
    if regions.tree is None or len(lon) == 0:
        return found
    pts = shapely.points(lon, lat)
    pairs = regions.tree.query(pts, predicate="intersects")
    for p, g in sorted(zip(pairs[0], pairs[1], strict=True)):
        if found[p] is None or g < found[p]:  # region_ids are sorted, so lower index = lower id
            found[p] = g
    return found


def _community(regions: Regions, name: object, street_id: str | None) -> tuple[str, str] | None:
    for key in (parse.norm_key(name), parse.region_key(name)):
        hits = regions.community_by_key.get(key, [])
        if street_id:
            hits = [h for h in hits if h[1] == street_id]
        if len({h[0] for h in hits}) == 1:
            return hits[0]
    return None


def existing_keys(
    con: duckdb.DuckDBPyConnection, programme_id: str
) -> tuple[dict[str, str], dict[str, str | None]]:
    """Dedup key → household_id (first id wins), and household_id → street_id, as stored."""
    keys: dict[str, str] = {}
    streets: dict[str, str | None] = {}
    for hid, name, address, phone, street in queries.call(
        con, "import_households.identities", programme_id=programme_id
    ).fetchall():
        keys.setdefault(household_key(name, address, phone), hid)
        streets[hid] = street
    return keys, streets


def _programme_year(con: duckdb.DuckDBPyConnection, programme_id: str) -> int:
    row = queries.call(
        con, "import_households.programme_start", programme_id=programme_id
    ).fetchone()
    if row is None:
        raise ValueError(f"没有编号为 {programme_id} 的项目。")
    return row[0].year


def prepare(ctx: Context, records: list[tuple[int, dict]]) -> list[Planned]:
    """Check and complete household rows; reject what cannot be stored."""
    regions = load_regions(ctx.con, ctx.programme_id)
    year = _programme_year(ctx.con, ctx.programme_id)
    col_of = {f: c for c, f in ctx.mapping.items()}
    out: list[tuple[int, dict]] = []
    for row_no, rec in records:
        if not rec.get("household_id") and not rec.get("name"):
            ctx.reject(row_no, col_of.get("name"), "缺少姓名（没有户号时姓名必填）")
            continue
        if not rec.get("household_id") and not (rec.get("address") or rec.get("phone")):
            ctx.reject(row_no, col_of.get("address"), "缺少地址和电话，无法区分同名住户")
            continue
        card = rec.pop("id_card", None)
        if card is not None:  # only birth year and sex are kept, never the number itself
            rec["birth_year"] = rec.get("birth_year") or card[0]
            rec["sex"] = rec.get("sex") or card[1]
        age = rec.pop("age", None)
        if age is not None:
            if not 0 < age < 130:
                ctx.reject(row_no, col_of.get("age"), f"年龄 {age} 不合理")
                continue
            rec.setdefault("birth_year", None)
            rec["birth_year"] = rec["birth_year"] or year - age
        lon, lat = rec.get("lon"), rec.get("lat")
        if (lon is None) != (lat is None):
            ctx.reject(row_no, col_of.get("lon" if lon is None else "lat"), "经度、纬度须同时填写")
            continue
        if lon is not None:
            point = ctx.wgs84(row_no, col_of.get("lon"), lon, lat, rec.get("crs_in"))
            if point is None:
                continue
            lon, lat, src = point
            rec["lon"], rec["lat"], rec["crs_in"] = round(lon, 7), round(lat, 7), src
            rec["loc_level"], rec["loc_source"] = "building", "roster"  # the file's own point
        else:
            rec.pop("crs_in", None)
        out.append((row_no, rec))

    with_xy = [i for i, (_, r) in enumerate(out) if r.get("lon") is not None]
    located = _locate(
        regions,
        np.array([out[i][1]["lon"] for i in with_xy], dtype=float),
        np.array([out[i][1]["lat"] for i in with_xy], dtype=float),
    )
    hit = dict(zip(with_xy, located, strict=True))

    known, stored_street = existing_keys(ctx.con, ctx.programme_id)
    planned: list[Planned] = []
    for i, (row_no, rec) in enumerate(out):
        street_txt, comm_txt = rec.pop("street", None), rec.pop("community", None)
        named_street = None
        if street_txt:
            named_street = regions.street_by_key.get(parse.norm_key(street_txt)) or (
                regions.street_by_key.get(parse.region_key(street_txt))
            )
            if named_street is None:
                ctx.reject(row_no, col_of.get("street"), f"本区没有名为「{street_txt}」的街道/镇")
                continue
        street_id = community_id = None
        if i in hit and hit[i] is not None:
            community_id = regions.community_ids[hit[i]]
            street_id = regions.community_parent[hit[i]]
            rec["placement"] = "inside"
            if named_street and named_street != street_id:
                ctx.warn(
                    row_no,
                    f"坐标落在「{regions.street_names.get(street_id)}」，"
                    f"与填写的街道「{street_txt}」不一致，按坐标归属",
                )
        else:
            rec["placement"] = "outside" if i in hit else "unplaced"
            if rec["placement"] == "outside":
                ctx.warn(row_no, "坐标在本区所有社区范围之外，已保留并标记为“区外”，请核对")
            street_id = named_street
            if comm_txt:
                found = _community(regions, comm_txt, named_street)
                if found is None:
                    ctx.warn(row_no, f"找不到社区「{comm_txt}」，未归入社区")
                else:
                    community_id, street_id = found
        if ctx.user.role == "street":
            # The server decides, not the page: a street office imports its own street only.
            if street_id is None:
                ctx.reject(
                    row_no, col_of.get("street"), "无法确定所属街道（请填写街道、社区或坐标）"
                )
                continue
            if street_id != ctx.user.street_id:
                ctx.reject(
                    row_no,
                    col_of.get("street"),
                    f"属于「{regions.street_names.get(street_id, street_id)}」，"
                    "不是您所在的街道，不能导入",
                )
                continue
        rec["street_id"], rec["community_id"] = street_id, community_id
        hid = parse.text(rec.pop("household_id", None))
        if hid is None:
            key = household_key(rec.get("name"), rec.get("address"), rec.get("phone"))
            hid = known.get(key) or derived_id(key)
        if rec.get("placement") == "unplaced" and hid in stored_street:
            # A row without coordinates says nothing about where a stored household lies:
            # re-importing Anju's own tables (花名册, 月度统计表) must change nothing.
            del rec["placement"]
        elif rec.get("placement") == "unplaced":
            # Placed by name only until the address base (data.households.geocoding, after the write) or
            # a visit gives it a point.
            rec["loc_level"] = "community" if community_id else "none"
        # A stored household of another street is refused by the pipeline's one scope check
        # (data.importing.core), by its stored street, before any of its values is shown.
        planned.append(Planned(row_no, (hid,), rec))
    return planned


SPEC = KindSpec("household", ("household_id",), prepare, after_write=geocoding.after_roster)
