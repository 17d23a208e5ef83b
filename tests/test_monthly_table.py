"""Seed 004's monthly statistics table: due date, workbook layout, and the CLI commands."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from anju.cli import main
from data import importing
from data.demos import demo
from data.store.connection import connect
from data.users import access, accounts
from documents import monthly_table
from tests.conftest import TINY


@pytest.mark.parametrize(
    ("month", "due"),
    [
        (date(2023, 7, 1), date(2023, 7, 31)),  # a Monday
        (date(2023, 9, 1), date(2023, 9, 28)),  # 29th 中秋 and 30th 国庆 holidays
        (date(2023, 12, 1), date(2023, 12, 29)),  # 30/31 are a weekend
        (date(2024, 6, 1), date(2024, 6, 28)),  # 29/30 are a weekend
        (date(2024, 9, 1), date(2024, 9, 30)),  # a Monday (the 29th was a 调休 Sunday)
    ],
)
def test_due_on_the_last_working_day(month: date, due: date) -> None:
    assert monthly_table.last_working_day(month) == due


def test_month_parsing() -> None:
    assert monthly_table.parse_month("2023-07") == date(2023, 7, 1)
    with pytest.raises(ValueError, match="YYYY-MM"):
        monthly_table.parse_month("July")


def test_seed_columns_in_order() -> None:
    assert len(monthly_table.HEADERS) == len(monthly_table.SOURCE) == 23
    assert monthly_table.HEADERS[:6] == ("序号", "科室", "独居老人姓名", "性别", "年龄", "联系电话")
    assert monthly_table.HEADERS[-2:] == ("其他设施", "开展宣传提示情况（次）")


def _open(data: bytes) -> openpyxl.worksheet.worksheet.Worksheet:
    return openpyxl.load_workbook(io.BytesIO(data)).active


def test_workbook_has_the_merged_two_row_header(tiny_con) -> None:
    rows = monthly_table.rows(tiny_con, TINY, date(2023, 5, 1))
    ws = _open(monthly_table.workbook_bytes(rows, date(2023, 5, 1), unit="区D"))
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:W1", "A2:W2"} <= merged  # title and 填报单位 rows
    # single columns span both header rows; groups span their sub-columns in row 3
    assert {"A3:A4", "B3:B4", "G3:G4", "H3:H4", "W3:W4"} <= merged
    assert {"C3:F3", "I3:L3", "M3:N3", "O3:Q3", "R3:V3"} <= merged
    assert ws["A1"].value == "独居老人及居住场所消防安全相关情况统计表"
    assert ws["A2"].value.startswith("填报单位：区D")
    assert [ws.cell(3, c).value for c in (1, 3, 7, 9, 13, 15, 18, 23)] == [
        "序号",
        "独居老人基本信息",
        "是否有吸烟抽烟情形",
        "居住场所情况",
        "隐患问题情况",
        "村（社区）干部、网格员、志愿者“一对一”帮扶人员",
        "物联感知体系建设情况",
        "开展宣传提示情况（次）",
    ]
    assert [ws.cell(4, c).value for c in range(3, 7)] == [
        "独居老人姓名",
        "性别",
        "年龄",
        "联系电话",
    ]
    assert ws.cell(4, 22).value == "其他设施"
    body = [[c.value for c in r] for r in ws.iter_rows(min_row=5, max_row=12)]
    assert [r[0] for r in body] == list(range(1, 9))  # 序号, one row per registered person
    h6 = next(r for r in body if r[0] == 6)  # H6: visited 05-21
    # No filler's 科室 recorded: left for the section to write (a community is not a 科室).
    assert h6[1] is None and h6[22] == 1
    h2 = body[1]  # H2: one hazard found, rectified 05-25
    assert h2[12:14] == [1, 1]
    assert ws.cell(14, 1).value.startswith("备注")
    assert "填报时间：2023年5月31日" in ws["A2"].value  # the month's due date, not today
    # No account given: 填报人 and 联系电话 are labelled lines to fill in, not silent blanks.
    blank = monthly_table.BLANK
    assert f"填报人：{blank}" in ws["A2"].value and f"联系电话：{blank}" in ws["A2"].value


def test_filled_in_by_the_signed_in_user(tiny_con) -> None:
    rows = monthly_table.rows(tiny_con, TINY, date(2023, 5, 1))
    filler = accounts.Contact("张三", "应急办", "023-44556677")
    ws = _open(monthly_table.workbook_bytes(rows, date(2023, 5, 1), "玉溪镇", filler=filler))
    assert ws["A2"].value == (
        "填报单位：玉溪镇    填报人：张三    联系电话：023-44556677    填报时间：2023年5月31日"
    )
    body = [r for r in ws.iter_rows(min_row=5, values_only=True) if isinstance(r[0], int)]
    assert {r[1] for r in body} == {"应急办"}  # 科室: the filler's own unit


def test_contact_is_read_from_the_account(tiny_con) -> None:
    accounts.add_user(tiny_con, "fire1", "fire", display_name="李四")
    assert accounts.contact(tiny_con, "fire1") == accounts.Contact("李四")
    accounts.set_contact(tiny_con, "fire1", " 应急办 ", "13800001111", actor="test")
    assert accounts.contact(tiny_con, "fire1") == accounts.Contact("李四", "应急办", "13800001111")
    assert accounts.contact(tiny_con, None) == accounts.Contact("")


def test_display_name_fills_in_and_missing_phone_is_a_labelled_blank(tiny_con) -> None:
    accounts.add_user(tiny_con, "fire2", "fire", display_name="王五")
    filler = accounts.contact(tiny_con, "fire2")
    rows = monthly_table.rows(tiny_con, TINY, date(2023, 5, 1))
    ws = _open(monthly_table.workbook_bytes(rows, date(2023, 5, 1), "玉溪镇", filler=filler))
    assert ws["A2"].value == (
        f"填报单位：玉溪镇    填报人：王五    联系电话：{monthly_table.BLANK}    "
        "填报时间：2023年5月31日"
    )


def test_reimporting_the_own_table_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "small.duckdb"
    demo.build(db, households=300, communities=20)
    con = connect(db)
    try:
        frame = monthly_table.rows(con, demo.PROGRAMME, date(2023, 7, 1))
        data = monthly_table.workbook_bytes(frame, date(2023, 7, 1), "长宁区")
        result = importing.run(
            con, "households", "月报.xlsx", data, demo.PROGRAMME, access.User("t", "admin")
        )
    finally:
        con.close()
    assert result.counts() == {"loaded": 0, "updated": 0, "unchanged": 300, "rejected": 0}
    assert [why for _, why in result.skipped] == ["备注行，已跳过"] * 2


def test_yes_no_and_empty_other() -> None:
    frame = pd.DataFrame(
        [
            {c: None for c in monthly_table.SOURCE if c}
            | {"seq": 1, "smoker": True, "drinker": False, "has_rcd": None}
        ]
    )
    values = monthly_table.sheet_values(frame)[0]
    assert values[6:8] == ["是", "否"]
    assert values[19] is None and values[21] is None  # unknown RCD stays empty; 其他 is free text


# ---------------------------------------------------------------- CLI


def test_cli_monthly_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "small.duckdb"
    demo.build(db, households=600, communities=30)
    out = tmp_path / "月报.xlsx"
    args = ["monthly-table", "--db", str(db), "--programme", demo.PROGRAMME]
    assert main([*args, "--month", "2023-07", "--out", str(out)]) == 0
    printed = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert printed == {"out": str(out), "rows": 600, "month": "2023-07", "due": "2023-07-31 12:00"}
    ws = _open(out.read_bytes())
    assert "A3:A4" in {str(r) for r in ws.merged_cells.ranges}
    body = [r for r in ws.iter_rows(min_row=5, values_only=True) if isinstance(r[0], int)]
    assert len(body) == 600  # one row per registered person
    con = connect(db)
    try:
        logged = con.execute(
            "SELECT actor, object, detail->>'rows' FROM audit_log WHERE action = 'export'"
        ).fetchall()
    finally:
        con.close()
    assert logged == [("cli", "monthly_table:changning_2023:2023-07", "600")]
    with pytest.raises(ValueError, match="YYYY-MM"):
        main([*args, "--month", "2023/07", "--out", str(out)])


def test_cli_hotspots_json(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["hotspots", "--db", str(demo_db), "--programme", demo.PROGRAMME, "--json"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["level"] == "h3" and out["resolution"] == 9 and out["as_of"] == "2023-07-14"
    assert out["tested"] > 250
    sig = out["significant"]
    assert sig and all(r["p_adj"] <= 0.10 for r in sig)
    assert {r["class"] for r in sig} <= {f"{k}_{c}" for k in ("hot", "cold") for c in (90, 95, 99)}
    assert sum(r["class"] == "hot_99" for r in sig) >= 5
    assert all(r["households"] >= 5 for r in sig)


def test_cli_hotspots_by_community_text(demo_db: Path, capsys) -> None:
    args = ["hotspots", "--db", str(demo_db), "--programme", demo.PROGRAMME]
    assert main([*args, "--level", "community"]) == 0
    text = capsys.readouterr().out
    assert "社区：检验" in text and "热点（99%）" in text and "华阳路" in text
