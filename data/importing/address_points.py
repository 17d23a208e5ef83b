"""The district's standard address base (标准地址库 / 门牌地址): one point per building.

From a table (.xlsx/.xls/.csv, GBK too) with 标准地址 — or 路名, 弄 and 号 in their own columns —
经度/纬度 and 坐标系, optional 小区名称 and 门牌/楼栋编码; or from a GeoJSON / GeoPackage /
zipped Shapefile of points (building footprints count by a point inside them), whose projected
CRS (a CGCS2000 zone) is reprojected. Reported, not kept: points outside the district, and one
address at two points more than 50 m apart. After the base is written, the households waiting
for a location are matched again in the same unit of work (data.households.geocoding).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd
import shapely

import queries
from data.households import geocoding
from data.importing import parse
from data.importing.core import Context, KindSpec
from data.importing.results import Planned
from geo import address as gaddress
from geo import address_match

GEO_EXTENSIONS = (".geojson", ".json", ".gpkg", ".zip")
SAME_POINT_M = 50.0


def is_geo_file(file_name: str) -> bool:
    """Whether FILE_NAME is a GIS file (read as features) rather than a table."""
    return Path(file_name).suffix.lower() in GEO_EXTENSIONS


def as_table(file_name: str, data: bytes) -> tuple[str, bytes]:
    """A GIS file's features as a CSV table: their attributes plus 经度/纬度 (WGS84 when the file
    says its CRS; as stored otherwise, for the 坐标系 chosen on import)."""
    from data.importing.boundaries import read_frame  # reads and bounds every GIS format

    frame = read_frame(file_name, data)
    if frame.crs is not None and not frame.crs.is_geographic:
        frame = frame.to_crs(4326)
        crs = "WGS84"
    else:
        crs = None
    points = frame.geometry.representative_point()
    out = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    out["经度"] = points.x.round(7)
    out["纬度"] = points.y.round(7)
    if crs is not None:
        out["坐标系"] = crs
    return f"{Path(file_name).stem}.csv", out.to_csv(index=False).encode("utf-8")


def _address(rec: dict) -> str | None:
    if rec.get("address"):
        return str(rec["address"])
    road = parse.text(rec.get("road"))
    if not road:
        return None
    lane, number = parse.text(rec.get("lane")) or "", parse.text(rec.get("number")) or ""
    if lane and not lane.endswith(("弄", "支弄", "巷")):
        lane += "弄"
    if number and not re.search(r"(号|号楼|栋|幢|座)$", number):
        number += "号"
    return f"{road}{lane}{number}"


def point_id(address: str) -> str:
    """A stable id for a base point that came without a 门牌/楼栋编码 (same address → same id)."""
    key = gaddress.normalise(address)
    return "AP" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12].upper()


def _district(ctx: Context):
    row = queries.call(
        ctx.con, "geocoding.district_outline", programme_id=ctx.programme_id
    ).fetchone()
    return shapely.from_wkb(bytes(row[0])) if row else None


def prepare(ctx: Context, records: list[tuple[int, dict]]) -> list[Planned]:
    """Check and complete base rows; reject what cannot be stored or would mislocate."""
    col_of = {f: c for c, f in ctx.mapping.items()}
    district = _district(ctx)
    if district is not None:
        district = shapely.buffer(district, 0.002)  # ~200 m: a building on the boundary line
        shapely.prepare(district)
    rows: list[tuple[int, dict]] = []
    for row_no, rec in records:
        address = _address(rec)
        if not address:
            ctx.reject(row_no, col_of.get("address") or col_of.get("road"), "缺少标准地址")
            continue
        lon, lat = rec.get("lon"), rec.get("lat")
        if lon is None or lat is None:
            ctx.reject(row_no, col_of.get("lon" if lon is None else "lat"), "缺少经度或纬度")
            continue
        point = ctx.wgs84(row_no, col_of.get("lon"), lon, lat, rec.get("crs_in"))
        if point is None:
            continue
        lon, lat, src = point
        if district is not None and not shapely.contains_xy(district, lon, lat):
            ctx.reject(row_no, col_of.get("lon"), f"点位（{lon:.6f}, {lat:.6f}）不在本区范围内")
            continue
        rows.append(
            (
                row_no,
                {
                    "point_id": parse.text(rec.get("point_id")) or point_id(address),
                    "address": address[:200],
                    "estate": (parse.text(rec.get("estate")) or None),
                    "lon": round(lon, 7),
                    "lat": round(lat, 7),
                    "crs_in": src,
                },
            )
        )
    return _without_conflicts(ctx, rows, col_of)


def _without_conflicts(
    ctx: Context, rows: list[tuple[int, dict]], col_of: dict[str, str]
) -> list[Planned]:
    """One address at two places more than 50 m apart locates nothing: every such row is
    rejected, naming the other rows, so the office fixes its base instead of Anju guessing."""
    if not rows:
        return []
    frame = pd.DataFrame([r for _, r in rows])
    frame["row_no"] = [n for n, _ in rows]
    conflicts = address_match.base_conflicts(
        frame[["address", "lon", "lat", "row_no"]], same_point_m=SAME_POINT_M
    )
    bad: dict[int, str] = {}
    for c in conflicts.itertuples():
        members = frame[frame["address"].isin(list(c.addresses))]["row_no"].tolist()
        for n in members:
            others = "、".join(str(m) for m in members if m != n)
            bad[n] = f"同一地址在第 {others} 行有相距约 {c.max_m:.0f} 米的另一个点位，无法确定"
    out = []
    for row_no, rec in rows:
        if row_no in bad:
            ctx.reject(row_no, col_of.get("address") or col_of.get("road"), bad[row_no])
        else:
            out.append(Planned(row_no, (rec.pop("point_id"),), rec))
    return out


SPEC = KindSpec(
    "address_point",
    ("point_id",),
    prepare,
    after_write=geocoding.after_base,
    page="programme_settings",  # the district's base: administrators only
)
