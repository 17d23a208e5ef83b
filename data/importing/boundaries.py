"""Street and community boundaries from GeoJSON, GeoPackage or a zipped Shapefile.

Geometry is stored in WGS84. The file's own CRS is used when it has one (a projected CGCS2000
zone is reprojected); a lon/lat file without one, or in GCJ-02 / BD-09 (which no .prj can say),
takes the CRS chosen on import. Invalid geometries are repaired and reported; overlaps and gaps
between sibling regions and children sticking out of their parent are reported with areas.
Regions are added or updated, never deleted; households are placed again afterwards.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
import zipfile
from pathlib import Path

import duckdb
import geopandas as gpd
import shapely

import queries
from data.households import placement
from data.importing import parse
from data.importing.core import log_import, store_rejections
from data.importing.read import MAX_BYTES, ReadError
from data.importing.results import Rejection, Result
from data.store import audit, clock
from data.store.unit_of_work import unit_of_work
from data.users import access
from geo import boundaries as gb
from geo import crs as gcrs

_CODE = ("编码", "区划代码", "代码", "code", "adcode", "region_id", "id", "gb")
_NAME = ("名称", "name", "名字", "区划名称", "街道名称", "社区名称")
_LEVEL = ("级别", "层级", "level", "类型")
_PARENT = ("上级编码", "上级代码", "parent", "parent_id", "parent_code", "上级")
_LEVELS = {
    "district": (
        "区",
        "县",
        "旗",
        "县级市",
        "市",
        "自治县",
        "自治旗",
        "district",
        "区县",
        "区/县/旗",
    ),
    "street": ("街道", "镇", "乡", "苏木", "苏木镇", "民族乡", "street", "街镇", "乡镇", "街道/镇"),
    "community": ("社区", "居委", "居委会", "村", "嘎查", "嘎查村", "community", "村居", "社区/村"),
}
MIN_REPORT_KM2 = 0.0001  # 100 m²: smaller slivers are digitising noise, not overlaps or gaps


def _column(frame: gpd.GeoDataFrame, names: tuple[str, ...]) -> str | None:
    lower = {str(c).lower(): c for c in frame.columns}
    for n in names:
        if n.lower() in lower:
            return lower[n.lower()]
    return None


def _level(value: object) -> str | None:
    t = (parse.text(value) or "").lower()
    for code, words in _LEVELS.items():
        if t in words:
            return code
    return None


def read_frame(file_name: str, data: bytes) -> gpd.GeoDataFrame:
    """The features of a GeoJSON / GeoPackage / zipped Shapefile, attributes decoded."""
    if not data:
        raise ReadError(f"{file_name}：文件是空的（0 字节）。")
    if len(data) > MAX_BYTES:
        raise ReadError(f"{file_name}：文件过大，上限 {MAX_BYTES // 1024 // 1024} MB。")
    suffix = Path(file_name).suffix.lower()
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / f"in{suffix}"
        encoding = None
        if data.startswith(b"PK\x03\x04"):
            try:
                zipfile.ZipFile(io.BytesIO(data)).extractall(tmp)
            except zipfile.BadZipFile as exc:
                raise ReadError(f"{file_name}：压缩包已损坏（{exc}）。") from exc
            shps = sorted(Path(tmp).rglob("*.shp"))
            if not shps:
                raise ReadError(
                    f"{file_name}：压缩包里没有 .shp 文件（Shapefile 须连同 .shx、.dbf 一起打包）。"
                )
            target = shps[0]
            cpg = target.with_suffix(".cpg")
            # Chinese Shapefiles without a .cpg are almost always GBK (ArcGIS/QGIS defaults here).
            encoding = cpg.read_text().strip() if cpg.exists() else "GBK"
        elif data.startswith(b"SQLite format 3"):
            target = Path(tmp) / "in.gpkg"
            target.write_bytes(data)
        elif data.lstrip()[:1] in (b"{", b"["):
            target = Path(tmp) / "in.geojson"
            target.write_bytes(data)
        else:
            raise ReadError(
                f"{file_name}：不是 GeoJSON、GeoPackage 或压缩的 Shapefile（.zip），无法读取边界。"
            )
        try:
            kwargs = {"encoding": encoding} if encoding else {}
            frame = gpd.read_file(target, **kwargs)
        except Exception as exc:  # pyogrio raises DataSourceError and others
            raise ReadError(f"{file_name}：无法读取边界文件（{exc}）。") from exc
    if frame.empty:
        raise ReadError(f"{file_name}：文件里没有任何要素。")
    return frame


def _to_wgs84(frame: gpd.GeoDataFrame, crs: str) -> tuple[gpd.GeoDataFrame, str]:
    if frame.crs is not None and not frame.crs.is_geographic:
        return frame.to_crs(4326), f"{frame.crs.name} → WGS84"
    frame = frame.set_crs(4326, allow_override=True)
    if crs != "wgs84":
        frame = gcrs.transform_geodataframe(frame, crs, "wgs84")
        return frame, f"{crs.upper()} → WGS84"
    return frame, "WGS84"


def run(
    con: duckdb.DuckDBPyConnection,
    file_name: str,
    data: bytes,
    programme_id: str,
    user: access.User,
    crs: str = "wgs84",
    commit: bool = False,
) -> Result:
    """Check (and with commit=True, store) street/community boundaries for a programme."""
    if user.role != "admin":
        raise PermissionError("行政区划边界只能由管理员导入。")
    frame = read_frame(file_name, data)
    code_c, name_c = _column(frame, _CODE), _column(frame, _NAME)
    level_c, parent_c = _column(frame, _LEVEL), _column(frame, _PARENT)
    if name_c is None or level_c is None:
        raise ReadError(
            f"{file_name}：要素属性中须有 名称 和 级别（区县/街道/社区）；现有：{', '.join(map(str, frame.columns[:-1]))}。"
        )
    frame, how = _to_wgs84(frame, crs)
    cols = [c for c in frame.columns if c != "geometry"]
    result = Result(
        "boundaries",
        file_name,
        hashlib.sha256(data).hexdigest(),
        "",
        [],
        [],
        cols,
        {
            c: f
            for c, f in (
                (code_c, "region_id"),
                (name_c, "name"),
                (level_c, "level"),
                (parent_c, "parent_id"),
            )
            if c
        },
    )
    district = queries.call(con, "boundaries.district", programme_id=programme_id).fetchone()
    if district is None:
        raise ReadError(f"没有编号为 {programme_id} 的项目。")
    stored = {r[0]: r for r in queries.call(con, "boundaries.regions").fetchall()}
    names_to_id = {(r[2], parse.region_key(r[1])): r[0] for r in stored.values()}
    feats: dict[str, dict] = {}
    for i, row in enumerate(frame.itertuples(index=False), start=1):
        rec = row._asdict()
        raw = {c: (None if v is None else str(v)) for c, v in rec.items() if c != "geometry"}
        name = parse.text(rec.get(name_c))
        level = _level(rec.get(level_c))
        geom = rec.get("geometry")
        if not name or level is None:
            result.rejections.append(
                Rejection(
                    i,
                    level_c,
                    f"缺少名称，或级别「{rec.get(level_c)}」不是 区/县/旗、街道/镇/乡/苏木 或 社区/村/嘎查",
                    raw,
                )
            )
            continue
        if geom is None or geom.is_empty:
            result.rejections.append(Rejection(i, "geometry", "没有几何图形", raw))
            continue
        if not geom.is_valid:
            why = shapely.is_valid_reason(geom)
            geom = shapely.make_valid(geom)
            result.warnings.append(
                f"{file_name} 第 {i} 个要素「{name}」几何无效（{why}），已自动修复"
            )
        geom = gb.as_multipolygon(geom)
        if geom.is_empty:
            result.rejections.append(Rejection(i, "geometry", "不是面要素（多边形）", raw))
            continue
        code = parse.text(rec.get(code_c)) if code_c else None
        code = (
            code
            or names_to_id.get((level, parse.region_key(name)))
            or f"{level[0].upper()}{hashlib.sha1(name.encode()).hexdigest()[:8]}"
        )
        parent = parse.text(rec.get(parent_c)) if parent_c else None
        if level == "district":
            # The programme's own district outline: stored under its district_id, whatever the
            # file calls it, so the streets (parent = district_id) hang under it.
            if code not in (None, district[0]) and parse.text(rec.get(code_c)):
                result.warnings.append(
                    f"{file_name} 第 {i} 个要素「{name}」编码 {code} 与项目区县代码"
                    f" {district[0]} 不同，已按项目区县保存"
                )
            code, parent = district[0], None
        elif level == "street":
            parent = parent or district[0]
        if code in feats:
            result.rejections.append(
                Rejection(i, code_c, f"编码「{code}」与第 {feats[code]['i']} 个要素重复", raw)
            )
            continue
        feats[code] = {"i": i, "name": name, "level": level, "parent": parent, "geom": geom}
    by_key = {(f["level"], parse.region_key(f["name"])): c for c, f in feats.items()}
    for f in feats.values():
        p = f["parent"]
        if f["level"] == "community":
            if p not in feats and p not in stored:
                p = by_key.get(("street", parse.region_key(p))) or names_to_id.get(
                    ("street", parse.region_key(p))
                )
            if p is None:
                result.rejections.append(
                    Rejection(
                        f["i"],
                        parent_c,
                        f"社区「{f['name']}」找不到上级街道「{f['parent']}」",
                        {"名称": f["name"]},
                    )
                )
                continue
            f["parent"] = p
    rejected = {r.row_no for r in result.rejections}
    feats = {c: f for c, f in feats.items() if f["i"] not in rejected}
    _check_topology(result, file_name, feats, stored)

    new, changed, same = [], [], 0
    for code, f in feats.items():
        old = stored.get(code)
        if old is None:
            new.append(code)
        elif (old[1], old[2], old[3]) != (
            f["name"],
            f["level"],
            f["parent"],
        ) or not shapely.equals(shapely.from_wkb(bytes(old[4])), f["geom"]):
            changed.append(code)
        else:
            same += 1
    result.loaded, result.updated, result.unchanged = len(new), len(changed), same
    result.changes = [
        {
            "key": [c],
            "old": {
                "name": stored[c][1],
                "parent_id": stored[c][3],
                "area_km2": round(gb.area_km2(shapely.from_wkb(bytes(stored[c][4]))), 4),
            },
            "new": {
                "name": feats[c]["name"],
                "parent_id": feats[c]["parent"],
                "area_km2": round(gb.area_km2(feats[c]["geom"]), 4),
            },
        }
        for c in changed
    ]
    result.extra["crs"] = how
    if commit:
        _write(con, result, programme_id, user, feats, new, changed, how)
    return result


def _check_topology(result: Result, file_name: str, feats: dict, stored: dict) -> None:
    def geom_of(code: str):
        if code in feats:
            return feats[code]["geom"]
        return shapely.from_wkb(bytes(stored[code][4])) if code in stored else None

    groups: dict[str, list[str]] = {}
    for code, f in feats.items():
        groups.setdefault(f["parent"], []).append(code)
    for parent, kids in groups.items():
        for a_i, a in enumerate(kids):
            for b in kids[a_i + 1 :]:
                ga, gbm = feats[a]["geom"], feats[b]["geom"]
                if ga.intersects(gbm):
                    area = gb.area_km2(ga.intersection(gbm))
                    if area >= MIN_REPORT_KM2:
                        result.warnings.append(
                            f"{file_name}：「{feats[a]['name']}」与「{feats[b]['name']}」重叠 {area:.4f} km²"
                        )
        pg = geom_of(parent) if parent else None
        if pg is None:
            continue
        # Siblings already stored and not in this file count too: a file updating one
        # community must not report the rest of its street as a gap.
        others = {
            r[1]: shapely.from_wkb(bytes(r[4]))
            for code, r in stored.items()
            if r[3] == parent and code not in feats
        }
        for k in kids:
            for other_name, og in others.items():
                if feats[k]["geom"].intersects(og):
                    area = gb.area_km2(feats[k]["geom"].intersection(og))
                    if area >= MIN_REPORT_KM2:
                        result.warnings.append(
                            f"{file_name}：「{feats[k]['name']}」与已有的「{other_name}」重叠 {area:.4f} km²"
                        )
        union = shapely.union_all([*(feats[k]["geom"] for k in kids), *others.values()])
        gap = gb.area_km2(pg.difference(union))
        pname = feats[parent]["name"] if parent in feats else stored[parent][1]
        if gap >= MIN_REPORT_KM2:
            result.warnings.append(
                f"{file_name}：「{pname}」内有 {gap:.4f} km² 未被下级区域覆盖（缝隙）"
            )
        for k in kids:
            out = gb.area_km2(feats[k]["geom"].difference(pg))
            if out >= MIN_REPORT_KM2:
                result.warnings.append(
                    f"{file_name}：「{feats[k]['name']}」有 {out:.4f} km² 超出上级「{pname}」"
                )


def _write(
    con,
    result: Result,
    programme_id: str,
    user: access.User,
    feats: dict,
    new: list,
    changed: list,
    how: str,
) -> None:
    with unit_of_work(con, user.username):
        import_id = log_import(con, "boundaries", result, user, programme_id)
        source = f"导入 {result.file_name}（{how}，import {import_id}）"
        for code in new:
            f = feats[code]
            queries.call(
                con,
                "boundaries.insert_region",
                region_id=code,
                name=f["name"],
                level=f["level"],
                parent_id=f["parent"],
                wkb=shapely.to_wkb(f["geom"]),
                source=source,
            )
        for code in changed:
            f = feats[code]
            # the replaced outline is kept, not lost
            queries.call(con, "boundaries.keep_version", import_id=import_id, region_id=code)
            queries.call(
                con,
                "boundaries.update_region",
                name=f["name"],
                level=f["level"],
                parent_id=f["parent"],
                wkb=shapely.to_wkb(f["geom"]),
                source=source,
                region_id=code,
            )
        store_rejections(con, import_id, result)
        audit.log(
            con,
            user.username,
            "import",
            f"boundaries:{result.file_name}",
            {
                "import_id": import_id,
                "sha256": result.sha256,
                "programme_id": programme_id,
                "warnings": result.warnings[:200],
            }
            | result.counts(),
        )
        if result.changes:
            audit.log(
                con,
                user.username,
                "import_update",
                f"region:{import_id}",
                {"import_id": import_id, "changes": result.changes},
            )
        if new or changed:
            result.extra["placement"] = placement.assign_households(
                con, programme_id, actor=user.username
            )
    result.committed, result.import_id = True, import_id
    result.extra["at"] = clock.now().isoformat(timespec="seconds")
