"""Seed 004's monthly statistics table (独居老人及居住场所消防安全相关情况统计表) as Excel.

The layout copies the seed's 附件: a title row, a 填报单位/填报人/联系电话/填报时间 row, a two-row
header whose first row groups columns (独居老人基本信息, 居住场所情况, 隐患问题情况, the helper,
物联感知体系建设情况) and whose single columns are merged over both rows, one row per registered
person, and the 备注 lines. Due on the last working day of each month (备注 2), 12:00.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

import queries
from data.setup import workdays
from data.users.accounts import Contact
from documents import excel

TITLE = "独居老人及居住场所消防安全相关情况统计表"
FILL_ROW = "填报单位：{unit}    填报人：{name}    联系电话：{phone}    填报时间：{filled}"
DUE_TIME = "12:00"
# A field the account does not record is printed as a labelled line to fill in by hand.
BLANK = "__________"

# (group header or None for a single column merged over both header rows, [sub-headers]),
# in the seed's order. Sub-header texts are the seed's, word for word.
GROUPS: tuple[tuple[str | None, tuple[str, ...]], ...] = (
    (None, ("序号",)),
    (None, ("科室",)),
    ("独居老人基本信息", ("独居老人姓名", "性别", "年龄", "联系电话")),
    (None, ("是否有吸烟抽烟情形",)),
    (None, ("是否有饮酒情形",)),
    ("居住场所情况", ("居住地址", "居住建筑性质", "居住建筑层数", "居住建筑建成年代")),
    ("隐患问题情况", ("发现隐患（处）", "整改隐患（处）")),
    (
        "村（社区）干部、网格员、志愿者“一对一”帮扶人员",
        ("姓名", "人员类型（村（社区）干部/网格员/志愿者/其他）", "联系电话"),
    ),
    (
        "物联感知体系建设情况",
        (
            "是否安装联网型独立式感烟探测器",
            "是否安装一键报警器或视频监控",
            "是否安装三级漏电保护装置",
            "是否安装燃气泄漏自动断阀装置",
            "其他设施",
        ),
    ),
    (None, ("开展宣传提示情况（次）",)),
)
# The query's column behind each sheet column, same order; None = left empty (free text).
# The 科室 column's query field is replaced by the filler's 科室 (sheet_values).
SOURCE = (
    "seq",
    "community_name",
    "name",
    "sex",
    "age",
    "phone",
    "smoker",
    "drinker",
    "address",
    "building_nature",
    "floors",
    "build_year",
    "hazards_found",
    "hazards_rectified",
    "helper_name",
    "helper_type",
    "helper_phone",
    "has_smoke_detector",
    "has_one_key_alarm",
    "has_rcd",
    "has_gas_autoshutoff",
    "other_facilities",  # 其他设施: water buckets/vats (三(8)) and training (三(9)), counted
    "visits",
)
HEADERS = tuple(h for _, subs in GROUPS for h in subs)
NOTES = (
    "备注：1. 此表由各相关科室填写；",
    "2. 从6月起，于每月最后一个工作日12：00前经主要领导签字盖章后扫描件及电子档上报。",
)
_YES_NO = (
    "smoker",
    "drinker",
    "has_smoke_detector",
    "has_one_key_alarm",
    "has_rcd",
    "has_gas_autoshutoff",
)


def parse_month(text: str) -> date:
    """'2023-07' → date(2023, 7, 1); a clear message otherwise (data.setup.workdays has the one rule)."""
    return workdays.month_start(text)


def last_working_day(month: date) -> date:
    """The month's last working day in mainland China (weekends, holidays and 调休 counted).

    Outside the official calendar's years it is the last weekday, an estimate: show
    `workdays.calendar_note` beside it (data.setup.workdays has the one policy)."""
    return workdays.last_working_day(month.year, month.month)[0]


def rows(
    con: duckdb.DuckDBPyConnection,
    programme_id: str,
    month: date,
    street_ids: list[str] | None = None,
) -> pd.DataFrame:
    """The table's rows with the query's column names (so privacy masking still applies)."""
    return queries.run(
        con, "monthly_table", programme_id=programme_id, month=month, street_ids=street_ids
    )


def _cell(column: str | None, value: object) -> object:
    if column is None or value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if column in _YES_NO:
        return "是" if value else "否"
    if hasattr(value, "item"):  # numpy scalars → plain Python for openpyxl
        return value.item()
    return value


def sheet_values(frame: pd.DataFrame, section: str | None = None) -> list[list[object]]:
    """Body rows in sheet order, yes/no fields as 是/否.

    科室 is the filling section's (seed 004: 此表由各相关科室填写 — 应急办, 经发办 ...): the
    filler's own 科室 when the account records one, else left for the section to write in. A
    村（社区） is not a 科室: the form places people by 填报单位 and 居住地址, not by community.
    """
    out = []
    where = SOURCE.index("community_name")
    for rec in frame.to_dict("records"):
        values = [_cell(col, rec.get(col) if col else None) for col in SOURCE]
        values[where] = section or None
        out.append(values)
    return out


def fill_row(unit: str, filler: Contact, filled: date) -> str:
    """The 填报单位 / 填报人 / 联系电话 / 填报时间 line; what is not known is a labelled blank."""
    return FILL_ROW.format(
        unit=unit or BLANK,
        name=filler.name or BLANK,
        phone=filler.phone or BLANK,
        filled=_cn(filled),
    )


def _cn(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def workbook_bytes(
    frame: pd.DataFrame,
    month: date,
    unit: str = "",
    filled: date | None = None,
    filler: Contact | None = None,
) -> bytes:
    """The statistics table for `month` as .xlsx bytes: title, 填报 row, merged header, rows, notes.

    填报人 / 联系电话 / 科室 come from `filler` (the signed-in account: display name, phone,
    科室), each a labelled blank when not recorded; 填报单位 is `unit` (the street or district);
    填报时间 is the month's due date (its last working day) unless `filled` is given.
    """
    filler = filler or Contact("")
    wb = Workbook()
    ws = wb.active
    ws.title = f"{month:%Y年%m月}"
    ncol = len(HEADERS)
    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)

    ws.cell(1, 1, TITLE).font = Font(bold=True, size=16)
    ws.cell(1, 1).alignment = centre
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    ws.row_dimensions[1].height = 30
    ws.cell(2, 1, fill_row(unit, filler, filled or last_working_day(month)))
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncol)

    col = 1
    for group, subs in GROUPS:
        if group is None:
            ws.cell(3, col, subs[0])
            ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
        else:
            ws.cell(3, col, group)
            ws.merge_cells(start_row=3, start_column=col, end_row=3, end_column=col + len(subs) - 1)
            for k, sub in enumerate(subs):
                ws.cell(4, col + k, sub)
        col += len(subs)
    for r in (3, 4):
        ws.row_dimensions[r].height = 48 if r == 3 else 72
        for c in range(1, ncol + 1):
            cell = ws.cell(r, c)
            cell.font = Font(bold=True)
            cell.alignment = centre
            cell.border = box

    body = sheet_values(frame, filler.unit)
    for i, values in enumerate(body, start=5):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(i, c, value)
            cell.border = box
            cell.alignment = Alignment(vertical="center", wrap_text=c in (9, 16))
    note_row = 5 + len(body) + 1
    for k, note in enumerate(NOTES):
        ws.cell(note_row + k, 1, note)
    widths = {1: 6, 2: 16, 3: 10, 6: 14, 9: 34, 16: 16, 17: 14, 15: 10}
    for c in range(1, ncol + 1):
        ws.column_dimensions[get_column_letter(c)].width = widths.get(c, 11)
    ws.freeze_panes = "C5"
    ws.print_title_rows = "3:4"
    ws.page_setup.orientation = "landscape"
    return excel.save(wb)
