"""Importers on files built in code, on the tiny programme: cell parsers, the households file
formats, coordinates and placement, duplicates and re-import. Rejections, street scope, files
that cannot be read, events and templates: tests/test_import_rules.py.

The tiny district (tests/conftest.py) has streets S1 西街道 / S2 东街道 and communities C11 西南社区,
C12 西北社区, C21 东南社区, C22 东北社区 over 121.00–121.02 E, 31.000–31.010 N.
(HEADER, ROWS, csv_bytes and xlsx are imported from here by other test files too.)
"""

from __future__ import annotations

import io
import json
from datetime import date

import pytest

from data.importing import parse
from data.store import audit
from geo import crs as gcrs
from tests.rosters import HEADER, ROWS, count, run, stored
from tests.workbooks import csv_bytes, xlsx

# ------------------------------------------------------------------ parsers


@pytest.mark.parametrize(
    "value",
    [
        45121,
        45121.0,
        "45121",
        "2023-07-14",
        "2023/7/14",
        "2023.7.14",
        "2023年7月14日",
        "20230714",
        date(2023, 7, 14),
    ],
)
def test_dates(value):
    assert parse.to_date(value) == date(2023, 7, 14)


@pytest.mark.parametrize(
    ("yes", "no"),
    [("是", "否"), ("有", "无"), ("√", "×"), ("Y", "N"), ("y", "n"), (1, 0), ("1", "0")],
)
def test_yes_no(yes, no):
    assert parse.to_bool(yes) is True and parse.to_bool(no) is False


def test_phones_numbers_and_names():
    assert parse.to_phone(13812345678.0) == "13812345678"  # Excel made it a float
    assert parse.to_phone("1.3812345678E+10") == "13812345678"
    assert parse.to_phone("021-62345678") == "02162345678"
    assert parse.to_int("６") == 6 and parse.to_int("6.0") == 6 and parse.to_int("6层") == 6
    assert parse.region_key("东北社区居委会") == parse.region_key("东北") == "东北"
    assert parse.region_key("ＡＢ村委会") == parse.region_key("ab村")
    assert parse.to_id_card("310105193805150019") == (1938, "男")
    with pytest.raises(ValueError, match="校验位"):
        parse.to_id_card("310105193805150018")
    with pytest.raises(ValueError, match="不是日期"):
        parse.to_date("七月")
    with pytest.raises(ValueError, match="是/否"):
        parse.to_bool("也许")


# ------------------------------------------------------------------ households: file formats


def test_xlsx_title_rows_totals_blanks_hidden_columns_and_text_numbers(tiny_con):
    def hide(ws):
        ws.column_dimensions["A"].hidden = True  # 序号 hidden: still read, not imported

    rows = [
        HEADER,
        [
            1,
            "张三",
            "男",
            "85",
            13812345678.0,
            "西路1号",
            "西街道",
            None,
            "121.005",
            "31.0025",
            "管道",
        ],
        [None] * len(HEADER),
        [2, "李四", "女", 90, "13900001111", "东路2号", None, "东北社区", None, None, "液化气"],
        ["合计", None, None, None, None, None],
        ["小计：2户"],
    ]
    result = run(tiny_con, xlsx(rows, title_rows=2, hooks=[hide]), commit=True)
    assert result.header_rows == [3]
    assert result.counts() == {"loaded": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    assert [r for r, _ in result.skipped] == [7, 8]
    z = stored(tiny_con, "张三")
    assert (z["phone"], z["birth_year"], z["street_id"], z["community_id"]) == (
        "13812345678",
        2023 - 85,
        "S1",
        "C11",
    )
    assert (z["lon"], z["lat"], z["crs_in"], z["placement"]) == (
        121.005,
        31.0025,
        "wgs84",
        "inside",
    )
    assert stored(tiny_con, "李四")["gas_type"] == "lpg"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings(tiny_con, encoding):
    result = run(tiny_con, csv_bytes([HEADER, *ROWS], encoding), name="花名册.csv", commit=True)
    assert result.counts()["loaded"] == 3, [r.reason for r in result.rejections]
    assert stored(tiny_con, "李四")["address"] == "东路2号"


def test_xls(tiny_con):
    import xlwt  # dev dependency (requirements.lock): under CI a missing tool must fail, not skip

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("花名册")
    for r, row in enumerate([["长宁区花名册"], HEADER, *ROWS]):
        for c, v in enumerate(row):
            if v is not None:
                ws.write(r, c, v)
    buf = io.BytesIO()
    wb.save(buf)
    result = run(tiny_con, buf.getvalue(), name="花名册.xls", commit=True)
    assert result.header_rows == [2]
    assert result.counts()["loaded"] == 3
    assert stored(tiny_con, "王五")["street_id"] == "S2"


def test_two_row_merged_header_seed_004(tiny_con):
    """The 独居老人及居住场所消防安全相关情况统计表 layout: parents merged over their children."""
    top = [
        "序号",
        "科室",
        "独居老人基本信息",
        None,
        None,
        None,
        "是否有吸烟抽烟情形",
        "是否有饮酒情形",
        "居住场所情况",
        None,
        None,
        None,
        "隐患问题情况",
        None,
        "村（社区）干部、网格员、志愿者“一对一”帮扶人员",
        None,
        None,
        "物联感知体系建设情况",
        None,
        None,
        None,
        "其他设施",
        "开展宣传提示情况（次）",
    ]
    sub = [
        None,
        None,
        "独居老人姓名",
        "性别",
        "年龄",
        "联系电话",
        None,
        None,
        "居住地址",
        "居住建筑性质",
        "居住建筑层数",
        "居住建筑建成年代",
        "发现隐患（处）",
        "整改隐患（处）",
        "姓名",
        "人员类型（村（社区）干部/网格员/志愿者/其他）",
        "联系电话",
        "是否安装联网型独立式感烟探测器",
        "是否安装一键报警器或视频监控",
        "是否安装三级漏电保护装置",
        "是否安装燃气泄漏自动断阀装置",
        None,
        None,
    ]
    row = [
        1,
        "应急办",
        "赵大娘",
        "女",
        82,
        "13700001111",
        "否",
        "是",
        "西南社区1号",
        "砖混",
        "6层",
        "1990年",
        1,
        1,
        "钱网格",
        "网格员",
        "13600002222",
        "√",
        "×",
        "有",
        "无",
        None,
        2,
    ]

    def merge(ws):
        for a, b in [
            ("A3", "A4"),
            ("B3", "B4"),
            ("C3", "F3"),
            ("G3", "G4"),
            ("H3", "H4"),
            ("I3", "L3"),
            ("M3", "N3"),
            ("O3", "Q3"),
            ("R3", "U3"),
        ]:
            ws.merge_cells(f"{a}:{b}")

    data = xlsx(
        [["独居老人及居住场所消防安全相关情况统计表"], ["填报单位："], top, sub, row], hooks=[merge]
    )
    result = run(tiny_con, data, name="统计表.xlsx", commit=True)
    assert result.header_rows == [3, 4]
    assert result.counts()["loaded"] == 1, [r.reason for r in result.rejections]
    h = stored(tiny_con, "赵大娘")
    assert (h["phone"], h["helper_name"], h["helper_phone"], h["helper_type"]) == (
        "13700001111",
        "钱网格",
        "13600002222",
        "网格员",
    )
    assert (h["smoker"], h["drinker"], h["floors"], h["build_year"]) == (False, True, 6, 1990)
    assert (
        h["has_smoke_detector"],
        h["has_one_key_alarm"],
        h["has_rcd"],
        h["has_gas_autoshutoff"],
    ) == (True, False, True, False)


# ------------------------------------------------------------------ coordinates and placement


def test_coordinates_crs_swapped_outside_and_community_names(tiny_con):
    g_lon, g_lat = gcrs.convert(121.015, 31.0075, "wgs84", "gcj02")
    b_lon, b_lat = gcrs.convert(121.005, 31.0075, "wgs84", "bd09")
    rows = [
        [*HEADER, "坐标系"],
        [1, "甲", "男", 80, "13800000001", "甲路", None, None, g_lon, g_lat, "管道", "高德"],
        [2, "乙", "男", 80, "13800000002", "乙路", None, None, b_lon, b_lat, "管道", "百度"],
        [3, "丙", "男", 80, "13800000003", "丙路", None, None, 31.0025, 121.015, "管道", None],
        [4, "丁", "男", 80, "13800000004", "丁路", None, None, 121.03, 31.005, "管道", None],
        [5, "戊", "男", 80, "13800000005", "戊路", None, "西北社区", None, None, "管道", None],
        [6, "己", "男", 80, "13800000006", "己路", None, "ｘ东南居委会", None, None, "管道", None],
        [
            7,
            "庚",
            "男",
            80,
            "13800000007",
            "庚路",
            "东街道",
            "东南社区居民委员会",
            None,
            None,
            "管道",
            None,
        ],
    ]
    rows[6][7] = "东南居委会"  # normalised: 居委会 suffix dropped
    rows[5][7] = "西北社区居委会"
    result = run(tiny_con, xlsx(rows), commit=True)
    assert result.counts()["loaded"] == 7, [r.reason for r in result.rejections]
    place = {
        n: (
            stored(tiny_con, n)["community_id"],
            stored(tiny_con, n)["placement"],
            stored(tiny_con, n)["crs_in"],
        )
        for n in "甲乙丙丁戊己庚"
    }
    assert place == {
        "甲": ("C22", "inside", "gcj02"),
        "乙": ("C12", "inside", "bd09"),
        "丙": ("C21", "inside", "wgs84"),
        "丁": (None, "outside", "wgs84"),
        "戊": ("C12", "unplaced", None),
        "己": ("C21", "unplaced", None),
        "庚": ("C21", "unplaced", None),
    }
    assert abs(stored(tiny_con, "甲")["lon"] - 121.015) < 1e-6  # stored in WGS84
    warnings = "\n".join(result.warnings)
    assert "第 4 行：经度、纬度填反了" in warnings
    assert "第 5 行：坐标在本区所有社区范围之外" in warnings


def test_chosen_crs_applies_to_rows_without_one(tiny_con):
    b_lon, b_lat = gcrs.convert(121.015, 31.0025, "wgs84", "bd09")
    rows = [HEADER, [1, "甲", "男", 80, "13800000001", "甲路", None, None, b_lon, b_lat, "管道"]]
    run(tiny_con, xlsx(rows), crs="bd09", commit=True)
    assert (stored(tiny_con, "甲")["community_id"], stored(tiny_con, "甲")["crs_in"]) == (
        "C21",
        "bd09",
    )


# ------------------------------------------------------------------ duplicates, re-import, updates


def test_reimport_changes_nothing_and_changes_are_audited(tiny_con):
    data = xlsx([HEADER, *ROWS])
    first = run(tiny_con, data, commit=True)
    assert first.counts() == {"loaded": 3, "updated": 0, "unchanged": 0, "rejected": 0}
    households = count(tiny_con, "household")
    again = run(tiny_con, data, commit=True)
    assert again.counts() == {"loaded": 0, "updated": 0, "unchanged": 3, "rejected": 0}
    assert count(tiny_con, "household") == households

    changed = [list(r) for r in ROWS]
    changed[0][5] = "西路1号"  # same household (same name + address + phone) …
    changed[0][10] = "液化气"  # … now on LPG
    changed[1][3] = None  # a blank cell never clears a stored value
    result = run(tiny_con, xlsx([HEADER, *changed]), commit=True)
    assert result.counts() == {"loaded": 0, "updated": 1, "unchanged": 2, "rejected": 0}
    assert stored(tiny_con, "张三")["gas_type"] == "lpg"
    assert stored(tiny_con, "李四")["birth_year"] == 2023 - 90
    detail = json.loads(
        tiny_con.execute(
            "SELECT detail FROM audit_log WHERE action = 'import_update' ORDER BY audit_id DESC LIMIT 1"
        ).fetchone()[0]
    )
    change = detail["changes"][0]
    assert (change["old"], change["new"]) == ({"gas_type": "piped"}, {"gas_type": "lpg"})
    assert audit.verify(tiny_con) == (True, None)
    kept = tiny_con.execute(
        "SELECT table_name, row_no, column_name, old_value, new_value FROM import_change"
    ).fetchall()
    assert kept == [("household", 2, "gas_type", "piped", "lpg")]
    log = tiny_con.execute(
        "SELECT kind, file_name, imported_by, loaded, updated, unchanged, rejected, length(sha256)"
        " FROM import_log WHERE imported_by = 't_admin' ORDER BY import_id"
    ).fetchall()
    assert log == [
        ("households", "花名册.xlsx", "t_admin", 3, 0, 0, 0, 64),
        ("households", "花名册.xlsx", "t_admin", 0, 0, 3, 0, 64),
        ("households", "花名册.xlsx", "t_admin", 0, 1, 2, 0, 64),
    ]


def test_duplicates_in_file_and_by_household_id(tiny_con):
    rows = [
        ["户号", *HEADER],
        ["H1", 1, "老一", "男", 80, "13800000001", "西路9号", None, None, None, None, "管道"],
        [None, 2, "张三", "男", 85, "138 1234 5678", " 西路1号 ", None, None, None, None, "管道"],
        [None, 3, "张三", "男", 85, "13812345678", "西路1号", None, None, None, None, "管道"],
    ]
    result = run(tiny_con, xlsx(rows), commit=True)
    assert result.counts() == {"loaded": 1, "updated": 1, "unchanged": 0, "rejected": 1}
    assert result.rejections[0].row_no == 4 and "第 3 行" in result.rejections[0].reason
    assert stored(tiny_con, "老一")["household_id"] == "H1"  # existing H1 updated, not duplicated
