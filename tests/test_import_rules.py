"""Importers on files built in code, on the tiny programme: rejections and street scope, files
that cannot be read, installations / inspections / hazards, the templates and odd workbooks.
(Parsers, file formats, placement and re-import: tests/test_importing.py.)"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from data import importing
from data.store import audit
from data.users import access
from documents import import_templates as templates
from tests.conftest import TINY
from tests.rosters import HEADER, ROWS, WEST, count, device_types, run, stored
from tests.workbooks import xlsx

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
    assert result.counts()["rejected"] == 1 and "不属于本街道" in result.rejections[0].reason
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


def test_installations(tiny_con):
    device_types(tiny_con)
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
    # not yours, and nothing of the other street's household (not even its street's name)
    assert "不属于本街道" in result.rejections[0].reason
    assert "东街道" not in result.rejections[0].reason


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
    device_types(tiny_con)
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
