"""The standard address base as an import kind: tables (GBK CSV, separate 路名/弄/号 columns),
GIS points, what is refused and why, idempotence, and rosters located by it."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest

from data import importing
from data.importing import ReadError
from data.users import access
from tests.conftest import TINY

ADMIN = access.User("tiny_admin", "admin")
STREET = access.User("tiny_street", "street", "S1")

CSV = (
    "标准地址,经度,纬度,坐标系,小区名称\n"
    "虹桥路144弄3号,121.0030,31.0020,WGS84,\n"
    "虹桥路144弄5号,121.0040,31.0030,WGS84,\n"
    "仙霞新村12号,121.0160,31.0030,WGS84,仙霞新村\n"
    "天山路8号,31.0080,121.0150,WGS84,\n"  # swapped: fixed with a warning
    "天山路10号,121.3000,31.3000,WGS84,\n"  # outside the district
    "定西路1号,121.0050,31.0050,WGS84,\n"  # the same address twice, 1 km apart
    "定西路1号,121.0150,31.0050,WGS84,\n"
    ",121.0050,31.0050,WGS84,\n"  # no address
)


def _run(con, name, data, user=ADMIN, commit=True, **kw):
    return importing.run(con, "address_points", name, data, TINY, user, commit=commit, **kw)


def _points(con) -> dict[str, tuple]:
    return {
        a: (lon, lat)
        for a, lon, lat in con.execute("SELECT address, lon, lat FROM address_point").fetchall()
    }


def test_a_gbk_csv_loads_good_rows_and_says_why_the_rest_are_refused(tiny_con):
    result = _run(tiny_con, "门牌地址.csv", CSV.encode("gbk"))
    assert result.loaded == 4
    points = _points(tiny_con)
    assert points["天山路8号"] == (121.015, 31.008)
    assert "定西路1号" not in points and "天山路10号" not in points
    reasons = {r.row_no: r.message("门牌地址.csv") for r in result.rejections}
    assert "不在本区范围内" in reasons[6]
    assert "第 8 行" in reasons[7] and "米" in reasons[7] and "第 7 行" in reasons[8]
    assert "缺少标准地址" in reasons[9]
    assert any("填反" in w for w in result.warnings)
    # Re-importing the same file changes nothing.
    again = _run(tiny_con, "门牌地址.csv", CSV.encode("gbk"))
    assert (again.loaded, again.updated, again.unchanged) == (0, 0, 4)


def test_road_lane_and_number_in_their_own_columns(tiny_con):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["路名", "弄", "号", "经度", "纬度", "门牌编码"])
    ws.append(["虹桥路", "144", "7", 121.0035, 31.0022, "MP-0007"])
    buf = io.BytesIO()
    wb.save(buf)
    result = _run(tiny_con, "地址库.xlsx", buf.getvalue())
    assert result.loaded == 1 and not result.rejections
    row = tiny_con.execute("SELECT point_id, address FROM address_point").fetchone()
    assert row == ("MP-0007", "虹桥路144弄7号")


def test_gis_points_in_a_projected_crs_are_reprojected(tiny_con):
    # Two buildings given in UTM 51N (EPSG:32651), as a 测绘 export might be.
    from pyproj import Transformer

    to_utm = Transformer.from_crs(4326, 32651, always_xy=True)
    features = []
    for addr, lon, lat in [("虹桥路144弄3号", 121.003, 31.002), ("天山路8号", 121.015, 31.008)]:
        x, y = to_utm.transform(lon, lat)
        features.append(
            {
                "type": "Feature",
                "properties": {"标准地址": addr},
                "geometry": {"type": "Point", "coordinates": [x, y]},
            }
        )
    doc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32651"}},
        "features": features,
    }
    result = _run(tiny_con, "楼栋点位.geojson", json.dumps(doc, ensure_ascii=False).encode())
    assert result.loaded == 2
    assert _points(tiny_con)["虹桥路144弄3号"] == pytest.approx((121.003, 31.002), abs=1e-6)


def test_only_administrators_import_the_base(tiny_con):
    with pytest.raises(PermissionError):
        _run(tiny_con, "门牌地址.csv", CSV.encode("utf-8"), user=STREET)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("空.csv", b""),
        ("乱码.geojson", b"{not json"),
        ("无列.csv", "甲,乙\n1,2\n".encode()),
    ],
)
def test_hostile_base_files_get_a_chinese_message(tiny_con, name, data):
    try:
        result = _run(tiny_con, name, data)
    except ReadError as exc:
        assert name in str(exc)
    else:
        assert result.loaded == 0
    assert tiny_con.execute("SELECT count(*) FROM address_point").fetchone()[0] == 0


def test_a_roster_without_coordinates_is_located_by_the_base(tiny_con):
    _run(tiny_con, "门牌地址.csv", CSV.encode("utf-8"))
    roster = (
        "户号,姓名,地址,街道,社区\n"
        "R1,张三,长宁区虹桥路144弄3号201室,西街道,西南社区\n"
        "R2,李四,虹桥路144弄99号,西街道,西南社区\n"
        "R3,王五,不存在路1号,东街道,东北社区\n"
    )
    result = importing.run(
        tiny_con, "households", "花名册.csv", roster.encode(), TINY, ADMIN, commit=True
    )
    assert result.loaded == 3
    got = dict(
        tiny_con.execute(
            "SELECT household_id, loc_level FROM household WHERE household_id LIKE 'R%'"
        ).fetchall()
    )
    assert got == {"R1": "building", "R2": "estate", "R3": "community"}
    # And a base imported later improves what it can: R3's road now exists.
    more = "标准地址,经度,纬度\n不存在路1号,121.0170,31.0085\n"
    _run(tiny_con, "补充地址.csv", more.encode())
    assert tiny_con.execute(
        "SELECT loc_level, street_id FROM household WHERE household_id = 'R3'"
    ).fetchone() == ("building", "S2")
