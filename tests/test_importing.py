"""Importers on files built in code: every input class of the import issue, on the tiny programme.

The tiny district (tests/conftest.py) has streets S1 西街道 / S2 东街道 and communities C11 西南社区,
C12 西北社区, C21 东南社区, C22 东北社区 over 121.00–121.02 E, 31.000–31.010 N.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from data import access, audit, importing
from data.importing import parse
from documents import import_templates as templates
from geo import crs as gcrs
from tests.conftest import TINY

ADMIN = access.User("t_admin", "admin")
WEST = access.User("t_west", "street", "S1")
HEADER = [
    "序号",
    "姓名",
    "性别",
    "年龄",
    "联系电话",
    "家庭住址",
    "街道",
    "社区",
    "经度",
    "纬度",
    "燃气类型",
]
ROWS = [
    [1, "张三", "男", 85, "13812345678", "西路1号", "西街道", None, 121.005, 31.0025, "管道天然气"],
    [2, "李四", "女", 90, "13900001111", "东路2号", None, "东北社区居委会", None, None, "液化气"],
    [3, "王五", "男", 80, "13900003333", "东路3号", "东街道", None, 121.015, 31.0025, "管道"],
]


def xlsx(rows: list[list], title_rows: int = 0, sheet: str = "花名册", **kw) -> bytes:
    """An .xlsx with optional title rows above the header."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for i in range(title_rows):
        ws.append([f"长宁区高龄独居老人花名册（第{i + 1}行标题）"])
    for r in rows:
        ws.append(r)
    for hook in kw.get("hooks", []):
        hook(ws)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(rows: list[list], encoding: str) -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode(encoding)


def run(con, data: bytes, name: str = "花名册.xlsx", kind: str = "households", **kw):
    kw.setdefault("user", ADMIN)
    return importing.run(con, kind, name, data, TINY, **kw)


def stored(con, name: str) -> dict:
    cur = con.execute("SELECT * FROM household WHERE name = ?", [name])
    cols = [d[0] for d in cur.description]
    row = cur.fetchone()
    return dict(zip(cols, row, strict=True)) if row else {}


def count(con, table: str) -> int:
    return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


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


# ------------------------------------------------------------------ rejections and street scope


def test_rejections_name_row_and_column_and_are_stored_raw(tiny_con):
    rows = [
        HEADER,
        [1, "张三", "男", 85, "139", "西路1号", None, None, None, None, "管道"],
        [2, "李四", "不详", 85, "13900001111", "东路2号", None, None, None, None, "管道"],
        [3, "王五", "男", 85, "13900003333", "东路3号", "北街道", None, None, None, "管道"],
        [4, None, "男", 85, "13900004444", "东路4号", None, None, None, None, "管道"],
        [5, "钱七", "男", 85, "13900005555", "东路5号", None, None, 200, 31, "管道"],
    ]
    result = run(tiny_con, xlsx(rows, title_rows=1), commit=True)
    msgs = [r.message("花名册.xlsx") for r in result.rejections]
    assert msgs[0].startswith("花名册.xlsx 第 3 行「联系电话」列：「139」不是电话号码")
    assert msgs[1].startswith("花名册.xlsx 第 4 行「性别」列：")
    assert "「街道」列：本区没有名为「北街道」" in msgs[2]
    assert "第 6 行" in msgs[3] and "缺少姓名" in msgs[3]
    assert "第 7 行" in msgs[4] and "不在中国范围内" in msgs[4]
    raw = tiny_con.execute(
        "SELECT row_no, raw, reason FROM rejected_row ORDER BY row_no"
    ).fetchall()
    assert [r[0] for r in raw] == [3, 4, 5, 6, 7]
    assert json.loads(raw[0][1])["联系电话"] == "139"

    # The rejected rows as Excel, fixed and imported again.
    frame = result.rejection_frame()
    assert list(frame.columns[-2:]) == ["原行号", "原因"]
    fixed = openpyxl.load_workbook(io.BytesIO(templates.rejected_bytes(frame)))
    ws = fixed.active
    ws["E2"] = "13900009999"  # 联系电话 of 张三
    buf = io.BytesIO()
    fixed.save(buf)
    again = run(tiny_con, buf.getvalue(), name="花名册_未导入.xlsx", commit=True)
    assert again.counts()["loaded"] == 1 and again.counts()["rejected"] == 4


def test_street_user_imports_only_their_street(tiny_con):
    result = run(tiny_con, xlsx([HEADER, *ROWS]), user=WEST, commit=True)
    assert result.counts() == {"loaded": 1, "updated": 0, "unchanged": 0, "rejected": 2}
    assert all("不是您所在的街道" in r.reason for r in result.rejections)
    assert stored(tiny_con, "张三")["street_id"] == "S1" and not stored(tiny_con, "王五")


def test_street_user_cannot_move_another_streets_household(tiny_con):
    # H5 is stored in 东街道 (S2); a 西街道 row claiming it is refused, H5 stays where it was.
    rows = [["户号", "姓名", "街道", "地址"], ["H5", "冒名", "西街道", "西路5号"]]
    result = run(tiny_con, xlsx(rows), user=WEST, commit=True)
    assert result.counts()["rejected"] == 1 and "已登记在「东街道」" in result.rejections[0].reason
    assert tiny_con.execute(
        "SELECT street_id, name FROM household WHERE household_id = 'H5'"
    ).fetchone() == ("S2", None)


def test_roles_without_edit_cannot_import(tiny_con):
    with pytest.raises(PermissionError):
        run(tiny_con, xlsx([HEADER, *ROWS]), user=access.User("t_leader", "leader"))


# ------------------------------------------------------------------ files that cannot be read


def _formula(ws):
    ws["L2"] = "=D2+1"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("空.xlsx", b"", "文件是空的"),
        ("照片.xlsx", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "PNG 图片，不是表格"),
        ("照片.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 100, "JPEG 图片"),
        ("公式.xlsx", xlsx([HEADER, ROWS[0]], hooks=[_formula]), "含公式（如 L2"),
        ("无表头.xlsx", xlsx([["a", "b"], [1, 2]]), "找不到表头"),
        ("空表.xlsx", xlsx([]), "没有任何内容"),
        ("坏.xlsx", b"PK\x03\x04garbage", "已损坏"),
    ],
)
def test_unreadable_files_write_nothing(tiny_con, name, data, message):
    before = [count(tiny_con, t) for t in ("household", "import_log", "rejected_row", "audit_log")]
    with pytest.raises(importing.ReadError, match=message) as err:
        run(tiny_con, data, name=name, commit=True)
    assert name in str(err.value)
    after = [count(tiny_con, t) for t in ("household", "import_log", "rejected_row", "audit_log")]
    assert after == before


def test_a_200_mb_file_is_refused_before_it_is_parsed(tiny_con):
    data = b"PK\x03\x04" + bytes(200 * 1024 * 1024)  # built here, not at collection time
    with pytest.raises(importing.ReadError, match="文件过大（200 MB）"):
        run(tiny_con, data, name="大.xlsx", commit=True)
    assert count(tiny_con, "import_log") == 1  # the fixture's own


def test_wrong_sheet(tiny_con):
    with pytest.raises(importing.ReadError, match="没有名为「汇总」的工作表；现有：花名册"):
        run(tiny_con, xlsx([HEADER, *ROWS]), sheet="汇总")


def test_an_import_lands_whole_or_not_at_all(tiny_con, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    before = [count(tiny_con, t) for t in ("household", "import_log", "rejected_row")]
    monkeypatch.setattr(audit, "log", boom)
    with pytest.raises(RuntimeError):
        run(tiny_con, xlsx([HEADER, *ROWS, [9, "坏", "?", 1, "1", "x"]]), commit=True)
    assert [count(tiny_con, t) for t in ("household", "import_log", "rejected_row")] == before


# ------------------------------------------------------------------ installations, inspections, hazards


def _device_types(con):
    con.execute(
        "INSERT INTO device_type (programme_id, device_type, name, gas_type, unit_price_cny,"
        " warranty_years, planned_units) VALUES (?, 'ng_alarm_valve', '燃气报警器+联动切断阀', 'piped', 890, 5, 8),"
        " (?, 'lpg_alarm', '液化气报警器', 'lpg', 350, 5, 2)",
        [TINY, TINY],
    )


def test_installations(tiny_con):
    _device_types(tiny_con)
    run(tiny_con, xlsx([HEADER, *ROWS]), commit=True)
    rows = [
        ["户号", "姓名", "家庭住址", "联系电话", "设备类型", "安装日期", "居民签字", "验收日期"],
        ["H2", None, None, None, "燃气报警器+联动切断阀", "2023/6/1", "√", "2023年6月5日"],
        [None, "李四", "东路2号", None, "液化气报警器", 45108, "是", None],
        [None, "无名", "无址", None, "燃气报警器+联动切断阀", "2023-06-01", "是", None],
        ["H5", None, None, None, "电磁炉", "2023-06-01", "是", None],
        ["H2", None, None, None, "燃气报警器+联动切断阀", None, "是", None],
    ]
    data = xlsx(rows)
    result = run(tiny_con, data, name="确认表.xlsx", kind="installations", commit=True)
    assert result.counts() == {"loaded": 2, "updated": 0, "unchanged": 0, "rejected": 3}
    reasons = {r.row_no: r.reason for r in result.rejections}
    assert (
        "找不到此户" in reasons[4] and "不是本项目的设备" in reasons[5] and "安装日期" in reasons[6]
    )
    got = tiny_con.execute(
        "SELECT device_type, installed_on, warranty_until, signed_resident, verified_on"
        " FROM installation WHERE household_id = 'H2'"
    ).fetchone()
    assert got == ("ng_alarm_valve", date(2023, 6, 1), date(2028, 6, 1), True, date(2023, 6, 5))
    again = run(tiny_con, data, name="确认表.xlsx", kind="installations", commit=True)
    assert again.counts() == {"loaded": 0, "updated": 0, "unchanged": 2, "rejected": 3}


def test_inspections_and_hazards(tiny_con):
    rows = [
        ["户号", "安检日期", "安检结果", "备注"],
        ["H5", "2023.6.2", "有隐患", "胶管老化"],
        ["H6", "2023-06-03", "拒绝安检", None],
    ]
    result = run(tiny_con, xlsx(rows), name="安检.xlsx", kind="inspections", commit=True)
    assert result.counts()["loaded"] == 2
    again = run(tiny_con, xlsx(rows), name="安检.xlsx", kind="inspections", commit=True)
    assert again.counts() == {"loaded": 0, "updated": 0, "unchanged": 2, "rejected": 0}
    assert tiny_con.execute(
        "SELECT outcome FROM inspection WHERE household_id = 'H6' AND visited_on = '2023-06-03'"
    ).fetchone() == ("refused",)
    hz = [
        ["户号", "隐患类型", "发现日期", "整改日期", "停气日期"],
        ["H5", "胶管老化", "2023-06-02", None, "2023-06-09"],
    ]
    first = run(tiny_con, xlsx(hz), name="隐患.xlsx", kind="hazards", commit=True)
    assert first.counts()["loaded"] == 1
    hz[1][3] = "2023-06-20"  # rectified later: the same hazard is updated, not added
    second = run(tiny_con, xlsx(hz), name="隐患.xlsx", kind="hazards", commit=True)
    assert second.counts() == {"loaded": 0, "updated": 1, "unchanged": 0, "rejected": 0}
    assert tiny_con.execute(
        "SELECT rectified_on, gas_cut_on FROM hazard WHERE household_id = 'H5'"
    ).fetchall() == [(date(2023, 6, 20), date(2023, 6, 9))]


def test_street_user_events_only_their_street(tiny_con):
    rows = [
        ["户号", "安检日期", "安检结果"],
        ["H1", "2023-06-02", "正常"],
        ["H5", "2023-06-02", "正常"],
    ]
    result = run(tiny_con, xlsx(rows), kind="inspections", user=WEST, commit=True)
    assert result.counts()["loaded"] == 1
    assert "东街道" in result.rejections[0].reason


# ------------------------------------------------------------------ templates


@pytest.mark.parametrize("kind", ["households", "installations", "inspections", "hazards"])
def test_templates_import_as_they_are(tiny_con, kind):
    """Each template's header is recognised with no manual mapping."""
    data = templates.template_bytes(kind)
    result = run(tiny_con, data, name=f"{kind}.xlsx", kind=kind)
    assert result.header_rows == [1]
    labels = importing.mapping.labels(kind)
    assert set(result.mapping.values()) >= {f for f in labels if f in templates.EXAMPLES[kind]}


def test_boundary_template_is_geojson():
    assert json.loads(templates.template_bytes("boundaries"))["type"] == "FeatureCollection"


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n, b in files.items():
            z.writestr(n, b)
    return buf.getvalue()


def test_zip_that_is_not_a_workbook(tiny_con):
    with pytest.raises(importing.ReadError, match="不是 Excel"):
        run(tiny_con, _zip({"a.txt": b"x"}), name="a.xlsx")


def test_installations_mark_batch_items_done(tiny_con):
    _device_types(tiny_con)
    tiny_con.execute(
        "INSERT INTO batch (batch_id, programme_id, street_id, month, crews, per_day, created_by)"
        " VALUES ('BX', ?, 'S1', '2023-06', 1, 5, 't')",
        [TINY],
    )
    tiny_con.execute(
        "INSERT INTO batch_item (batch_id, household_id, crew, day, seq)"
        " VALUES ('BX', 'H2', 1, '2023-06-01', 1)"
    )
    rows = [["户号", "设备类型", "安装日期"], ["H2", "燃气报警器+联动切断阀", "2023-06-01"]]
    result = run(tiny_con, xlsx(rows), kind="installations", commit=True)
    assert result.extra.get("batch_items_done", 0) >= 1
    assert tiny_con.execute("SELECT done_on FROM batch_item WHERE batch_id = 'BX'").fetchone() == (
        date(2023, 6, 1),
    )


def test_id_card_gives_birth_year_and_sex_and_is_not_kept(tiny_con):
    rows = [
        ["姓名", "身份证号", "联系电话", "地址"],
        ["孙八", "310105193805150019", "13800000008", "西路8号"],
    ]
    result = run(tiny_con, xlsx(rows), commit=True)
    assert result.counts()["loaded"] == 1
    h = stored(tiny_con, "孙八")
    assert (h["birth_year"], h["sex"]) == (1938, "男")
    assert "310105193805150019" not in repr(h)


def test_hidden_sheet_is_skipped_for_the_first_visible_one(tiny_con):
    wb = openpyxl.Workbook()
    old = wb.active
    old.title = "旧表"
    old.append(["姓名", "地址", "电话"])
    old.sheet_state = "hidden"
    ws = wb.create_sheet("花名册")
    for r in [HEADER, *ROWS]:
        ws.append(r)
    wb.active = 1
    buf = io.BytesIO()
    wb.save(buf)
    result = run(tiny_con, buf.getvalue())
    assert (result.sheet, result.sheets, result.loaded) == ("花名册", ["旧表", "花名册"], 3)


def test_formulas_on_another_sheet_do_not_matter(tiny_con):
    wb = openpyxl.Workbook()
    summary = wb.active
    summary.title = "汇总"
    summary["A1"] = "=1+1"
    ws = wb.create_sheet("花名册")
    for r in [HEADER, *ROWS]:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    assert run(tiny_con, buf.getvalue(), sheet="花名册").loaded == 3
    ws["L2"] = "=D2*2"
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(importing.ReadError, match="工作表「花名册」含公式（如 L2"):
        run(tiny_con, buf.getvalue(), sheet="花名册")


def test_xls_that_is_really_an_html_table(tiny_con):
    """What many government systems export as "xls": an HTML table, often GBK, with a title row."""
    cells = "".join(f"<th>{h}</th>" for h in HEADER)
    body = "".join(
        "<tr>" + "".join(f"<td>{'' if v is None else v}</td>" for v in r) + "</tr>" for r in ROWS
    )
    page = (
        '<html><head><meta charset="gbk"></head><body><table>'
        f'<tr><td colspan="{len(HEADER)}">长宁区花名册</td></tr><tr>{cells}</tr>{body}'
        "</table></body></html>"
    )
    result = run(tiny_con, page.encode("gbk"), name="导出.xls", commit=True)
    assert result.header_rows == [2] and result.loaded == 3
    assert stored(tiny_con, "李四")["community_id"] == "C22"


def test_readme_templates_match_the_code(tmp_path):
    """The template files linked from docs/manual-admin.md are what `anju import-template` writes."""
    from anju.cli import main

    docs = Path(__file__).resolve().parents[1] / "docs" / "templates"
    for kind, name in [
        ("households", "住户花名册模板.xlsx"),
        ("installations", "安装确认表模板.xlsx"),
        ("inspections", "安检记录模板.xlsx"),
        ("hazards", "隐患台账模板.xlsx"),
        ("boundaries", "边界模板.geojson"),
        ("address_points", "标准地址库模板.xlsx"),
    ]:
        fresh = tmp_path / name
        assert main(["import-template", kind, "--out", str(fresh)]) == 0
        if name.endswith(".geojson"):
            assert json.loads((docs / name).read_text("utf-8")) == json.loads(
                fresh.read_text("utf-8")
            )
        else:
            rows = [
                [list(r) for r in openpyxl.load_workbook(p).active.iter_rows(values_only=True)]
                for p in (docs / name, fresh)
            ]
            assert rows[0] == rows[1], name
