"""Boundary import on hand-drawn rectangles over the tiny district (see tests/conftest.py)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import box

from data import importing
from data.importing import boundaries
from data.users import access
from geo import crs as gcrs
from tests.conftest import TINY

ADMIN = access.User("t_admin", "admin")


def feature(code, name, level, parent, geom) -> dict:
    return {
        "type": "Feature",
        "properties": {"编码": code, "名称": name, "级别": level, "上级编码": parent},
        "geometry": shapely.geometry.mapping(geom),
    }


def geojson(features: list[dict]) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": features}).encode("utf-8")


FEATURES = [
    feature("S1", "西街道", "街道", "D", box(121.00, 31.000, 121.01, 31.010)),  # as stored
    feature("S2", "东街道", "街道", "D", box(121.01, 31.000, 121.019, 31.010)),  # shrunk: a gap
    feature("C21", "东南社区", "社区", "S2", box(121.01, 31.000, 121.02, 31.005)),
    # A bow-tie (self-intersecting), overlapping 东南社区 and sticking out of 东街道 to the east.
    feature(
        "C23",
        "新社区",
        "社区",
        "S2",
        shapely.Polygon(
            [(121.015, 31.001), (121.025, 31.004), (121.025, 31.001), (121.015, 31.004)]
        ),
    ),
    feature("C24", "无级别", "小区", "S2", box(121.01, 31.005, 121.02, 31.01)),
]


def test_geojson_repairs_reports_and_updates(tiny_con):
    result = boundaries.run(tiny_con, "边界.geojson", geojson(FEATURES), TINY, ADMIN, commit=True)
    assert result.counts() == {"loaded": 1, "updated": 1, "unchanged": 2, "rejected": 1}
    text = "\n".join(result.warnings)
    assert "第 4 个要素「新社区」几何无效" in text
    assert "「东南社区」与「新社区」重叠" in text
    assert "「区D」内有" in text and "缝隙" in text
    assert "「新社区」有" in text and "超出上级「东街道」" in text
    assert "级别「小区」" in result.rejections[0].reason
    assert tiny_con.execute("SELECT count(*) FROM region").fetchone()[0] == 8  # nothing deleted
    valid, src = tiny_con.execute(
        "SELECT ST_IsValid(geom), source FROM region WHERE region_id = 'C23'"
    ).fetchone()
    assert valid and "边界.geojson" in src
    kept = tiny_con.execute("SELECT region_id, ST_XMax(geom) FROM region_version").fetchall()
    assert kept == [("S2", 121.02)]  # the outline it replaced
    again = boundaries.run(tiny_con, "边界.geojson", geojson(FEATURES), TINY, ADMIN, commit=True)
    assert again.counts() == {"loaded": 0, "updated": 0, "unchanged": 4, "rejected": 1}


def test_chosen_crs_shifts_lonlat_files(tiny_con):
    g = box(121.00, 31.000, 121.01, 31.010)
    shifted = gcrs.transform_geometry(g, "wgs84", "gcj02")
    data = geojson([feature("S9", "测试街道", "街道", "D", shifted)])
    boundaries.run(tiny_con, "gcj.geojson", data, TINY, ADMIN, crs="gcj02", commit=True)
    stored = shapely.from_wkb(
        bytes(
            tiny_con.execute("SELECT ST_AsWKB(geom) FROM region WHERE region_id = 'S9'").fetchone()[
                0
            ]
        )
    )
    assert stored.symmetric_difference(g).area < 1e-10


def test_geopackage_with_projected_crs(tiny_con, tmp_path: Path):
    frame = gpd.GeoDataFrame(
        {"code": ["C31"], "name": ["投影社区"], "level": ["社区"], "parent": ["S1"]},
        geometry=[box(121.001, 31.001, 121.004, 31.004)],
        crs=4326,
    ).to_crs(3857)
    path = tmp_path / "b.gpkg"
    frame.to_file(path, driver="GPKG")
    result = boundaries.run(tiny_con, "b.gpkg", path.read_bytes(), TINY, ADMIN, commit=True)
    assert result.counts()["loaded"] == 1 and "WGS84" in result.extra["crs"]
    minx = tiny_con.execute("SELECT ST_XMin(geom) FROM region WHERE region_id = 'C31'").fetchone()[
        0
    ]
    assert abs(minx - 121.001) < 1e-7


@pytest.mark.parametrize("cpg", [None, "UTF-8"])
def test_zipped_shapefile_gbk_or_cpg(tiny_con, tmp_path: Path, cpg):
    frame = gpd.GeoDataFrame(
        {"编码": ["C32"], "名称": ["长宁路居委会"], "级别": ["社区"], "上级": ["西街道"]},
        geometry=[box(121.001, 31.006, 121.004, 31.009)],
        crs=4326,
    )
    shp = tmp_path / "b.shp"
    frame.to_file(shp, encoding=cpg or "GBK")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for part in tmp_path.glob("b.*"):
            if part.suffix == ".cpg" and cpg is None:
                continue  # no .cpg: GBK is assumed
            z.write(part, f"边界/{part.name}")
    result = boundaries.run(tiny_con, "b.zip", buf.getvalue(), TINY, ADMIN, commit=True)
    assert result.counts()["loaded"] == 1, [r.reason for r in result.rejections]
    assert tiny_con.execute(
        "SELECT name, parent_id FROM region WHERE region_id = 'C32'"
    ).fetchone() == ("长宁路居委会", "S1")  # parent given by name, resolved to its id


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "空的"),
        (b"\x89PNG....", "不是 GeoJSON"),
        (b"PK\x03\x04xx", "损坏"),
        (geojson([]), "没有任何要素"),
    ],
)
def test_unreadable_boundary_files(tiny_con, data, message):
    before = tiny_con.execute("SELECT count(*) FROM import_log").fetchone()[0]
    with pytest.raises(importing.ReadError, match=message):
        boundaries.run(tiny_con, "x.geojson", data, TINY, ADMIN, commit=True)
    assert tiny_con.execute("SELECT count(*) FROM import_log").fetchone()[0] == before


def test_only_admins_import_boundaries(tiny_con):
    with pytest.raises(PermissionError):
        boundaries.run(
            tiny_con, "b.geojson", geojson(FEATURES), TINY, access.User("s", "street", "S1")
        )


def test_one_new_community_checked_against_stored_siblings(tiny_con):
    """A file with one community: overlaps with stored siblings are reported, no false gap."""
    data = geojson(
        [feature("C25", "插入社区", "社区", "S2", box(121.015, 31.006, 121.018, 31.008))]
    )
    result = boundaries.run(tiny_con, "一个.geojson", data, TINY, ADMIN)
    text = "\n".join(result.warnings)
    assert "「插入社区」与已有的「东北社区」重叠" in text
    assert "缝隙" not in text
