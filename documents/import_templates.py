"""Templates users fill in: one .xlsx per KIND (Chinese header, one example row), and the
rejected-rows workbook (original columns + 原因) that can be fixed and imported again."""

from __future__ import annotations

import json

import pandas as pd

from data.importing import mapping
from documents import excel

EXAMPLES: dict[str, dict[str, object]] = {
    "households": {
        "household_id": "HY-0001",
        "name": "张三",
        "phone": "13812345678",
        "address": "华阳路街道某某路100弄1号101室",
        "street": "华阳路街道",
        "community": "某某居委会",
        "sex": "男",
        "age": 86,
        "lives_alone": "是",
        "gas_type": "管道天然气",
        "user_class": "居民",
        "lon": 121.4253,
        "lat": 31.2201,
        "crs_in": "WGS84",
    },
    "installations": {
        "household_id": "HY-0001",
        "name": "张三",
        "device_type": "燃气报警器+联动切断阀",
        "installed_on": "2023-07-14",
        "installer": "大众燃气",
        "signed_resident": "是",
        "verified_on": "2023-07-20",
        "verified_by": "李四",
        "device_serials": "863001000000001；863001000000002",
    },
    "inspections": {
        "household_id": "HY-0001",
        "name": "张三",
        "visited_on": "2023-06-01",
        "outcome": "有隐患",
        "note": "胶管老化",
    },
    "hazards": {
        "household_id": "HY-0001",
        "name": "张三",
        "kind": "胶管老化",
        "found_on": "2023-06-01",
        "due_on": "2023-06-30",
        "rectified_on": "2023-06-10",
    },
    "spot_checks": {
        "household_id": "HY-0001",
        "name": "张三",
        "checked_on": "2023-07-20",
        "result": "不合格",
        "failed_items": "切断阀未联动",
        "inspector": "王五",
    },
    "confirmations": {
        "household_id": "HY-0001",
        "name": "张三",
        "period": "2023-07",
        "street": "华阳路街道",
        "confirmed_on": "2023-07-24",
    },
    # the alarm platform's export and the hotline's export
    "device_events": {
        "serial": "863001000000001",
        "event_type": "报警",
        "event_at": "2023-07-14 08:30:00",
        "handled_at": "2023-07-14 08:52:00",
        "note": "燃气泄漏报警，已上门处置",
    },
    "service_events": {
        "event_id": "RX20230714001",
        "kind": "报修",
        "reported_at": "2023-07-14 08:30",
        "responded_at": "2023-07-14 09:10",
        "resolved_at": "2023-07-14 11:00",
        "household_id": "HY-0001",
        "address": "华阳路街道某某路100弄1号101室",
        "source": "热线",
        "handler": "大众燃气维修二班",
        "outcome": "更换燃气表，恢复用气",
        "description": "燃气表不走字",
    },
    # the district's standard address base: one point per building
    "address_points": {
        "address": "某某路100弄1号",
        "lon": 121.4253,
        "lat": 31.2201,
        "crs_in": "WGS84",
        "estate": "某某新村",
        "point_id": "310105001001",
    },
}
# Kinds whose template lists only some fields, in this order, under these headers: the address
# base is written either as 标准地址 or as 路名/弄/号, and two ways in one sheet would confuse.
COLUMNS: dict[str, dict[str, str]] = {
    "address_points": {
        "address": "标准地址",
        "lon": "经度",
        "lat": "纬度",
        "crs_in": "坐标系",
        "estate": "小区名称",
        "point_id": "门牌/楼栋编码",
    },
}
REQUIRED: dict[str, str] = {"address_points": "标准地址（或 路名、弄、号）、经度、纬度"}
NOTES: dict[str, list[str]] = {
    "address_points": [
        "每栋楼一行：标准地址（如 某某路100弄1号）和该楼的经度、纬度；不要写到室号。",
        "也可不填 标准地址，改用 路名、弄、号 三列；门牌/楼栋编码 不填时按地址自动编号。",
        "也可直接上传 GeoJSON、GeoPackage 或压缩的 Shapefile（点或楼栋面），投影坐标会自动换算。",
        "同一地址出现在相距 50 米以上的两处、或点位不在本区范围内的行不会导入，并列出原因。",
    ],
}


def _styled(frame: pd.DataFrame, sheet: str, notes: list[str] | None = None) -> bytes:
    wb, ws = excel.new_workbook(sheet)
    excel.write_table(ws, frame)
    # Phones and ids must stay text, or Excel turns 13812345678 into 1.38E+10.
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.number_format = "@"
    if notes:
        excel.write_table(wb.create_sheet("说明"), pd.DataFrame({"说明": notes}), freeze=False)
        wb["说明"].column_dimensions["A"].width = 100
    return excel.save(wb)  # rejected rows come straight from untrusted files: neutralised


def template_bytes(kind: str) -> bytes:
    """The template for KIND: .xlsx for tables, GeoJSON for boundaries."""
    if kind == "boundaries":
        return boundary_template()
    labels = {**mapping.labels(kind), **COLUMNS.get(kind, {})}
    example = EXAMPLES[kind]
    if kind in COLUMNS:
        cols = list(COLUMNS[kind])
    else:
        cols = [f for f in labels if f in example] + [f for f in labels if f not in example]
    required = {f.name for f in mapping.FIELDS[kind] if f.required}
    frame = pd.DataFrame([[example.get(f) for f in cols]], columns=[labels[f] for f in cols])
    notes = [
        f"{mapping.KIND_LABELS[kind]}模板：第一行是列名，第二行是示例，请删除示例后填写。",
        "必填列："
        + (
            REQUIRED.get(kind)
            or "、".join(labels[f] for f in cols if f in required)
            or "无（姓名和地址或电话至少填一项）"
        ),
        "列名也可用常见别名（如 手机、家庭住址、居委），导入页可手动调整对应关系。",
        "日期可写 2023-07-14、2023/7/14、2023.7.14、2023年7月14日；是/否 可写 有/无、√/×、Y/N、1/0。",
        "时间为北京时间，可写 2023-07-14 08:30、2023/7/14 8:30:00；设备编号多个时用 ；/, 分隔。",
        "坐标系：WGS84（GPS/天地图）、GCJ-02（高德/腾讯）、BD-09（百度），不填按导入时所选。",
        *NOTES.get(kind, []),
    ]
    return _styled(frame, mapping.KIND_LABELS[kind], notes)


def boundary_template() -> bytes:
    """A GeoJSON with one street and one community, showing the properties the importer reads."""
    square = [[121.40, 31.20], [121.41, 31.20], [121.41, 31.21], [121.40, 31.21], [121.40, 31.20]]
    feats = [
        {
            "type": "Feature",
            "properties": {
                "编码": "310105001",
                "名称": "华阳路街道",
                "级别": "街道",
                "上级编码": "",
            },
            "geometry": {"type": "Polygon", "coordinates": [square]},
        },
        {
            "type": "Feature",
            "properties": {
                "编码": "310105001001",
                "名称": "某某居委会",
                "级别": "社区",
                "上级编码": "310105001",
            },
            "geometry": {"type": "Polygon", "coordinates": [square]},
        },
    ]
    return json.dumps(
        {"type": "FeatureCollection", "features": feats}, ensure_ascii=False, indent=1
    ).encode("utf-8")


def rejected_bytes(frame: pd.DataFrame) -> bytes:
    """Rejected rows as .xlsx: the original columns, then 原行号 and 原因; fix and re-import."""
    return _styled(frame, "未导入的行")
