"""The 抽查核验表: a month's spot-check sample as the checkers take it to the door (Word, printed
with boxes to tick) and as a workbook (Excel, typed: dates as dates)."""

from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Cm
from openpyxl.styles import Font

from documents import excel
from documents.fonts import BODY_FONT as BODY
from documents.fonts import TITLE_FONT as TITLE
from documents.fonts import docx_run

TITLE_TEXT = "加装报警器抽查核验表"
# The sample's columns as printed, in order; the checker fills the last four by hand.
COLUMNS = {
    "street_name": "街镇",
    "community_name": "社区",
    "household_id": "户号",
    "address": "地址",
    "name": "姓名",
    "phone": "联系电话",
    "devices": "安装设备",
    "installed_on": "安装日期",
    "installer": "安装班组",
}
RESULT = "核验结果"
TO_FILL = (RESULT, "不合格项", "核验人", "核验日期")
BOXES = "□合格  □不合格"


def _columns(words: Mapping[str, str] | None) -> dict[str, str]:
    # 街镇/社区 in the programme's own words (苏木镇/嘎查 in a 旗) when the caller knows them.
    if not words:
        return COLUMNS
    return COLUMNS | {"street_name": words["street"], "community_name": words["community"]}


def about(rules, month: str, unmasked: bool) -> dict[str, str]:
    """The 说明 sheet: programme, month, the rule the sample follows, whether people are masked."""
    return {
        "项目": rules.name,
        "月份": month,
        "抽查比例": f"{rules.spot_check_rate or 0:.0%}",
        "抽查范围": rules.spot_check_scope,
        "核验单位": rules.spot_check_by or "",
        "个人信息": "完整（已记入审计日志）" if unmasked else "已脱敏",
    }


def file_name(programme: str, month: str, kind: str) -> str:
    """抽查核验表_<programme>_<month>.<docx|xlsx>."""
    return f"抽查核验表_{programme}_{month}.{kind}"


def sample_table(
    status: pd.DataFrame, checks: bool = False, words: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """The sample (spot_check_status rows, masked as the user must see them) with Chinese
    headers and the columns the checker fills: a recorded result is printed, not a box.
    checks adds how many times each household was checked (the page shows re-checks); `words`
    (data.setup.levels) names the street and community columns as the programme does."""
    keep = [c for c in COLUMNS if c in status.columns]
    out = status[keep].rename(columns=_columns(words)).copy()
    if "安装日期" in out:
        out["安装日期"] = pd.to_datetime(out["安装日期"]).dt.date
    result = status["result"] if "result" in status else pd.Series(None, index=status.index)
    out["核验结果"] = [r if isinstance(r, str) else "" for r in result]
    out["不合格项"] = [f if isinstance(f, str) else "" for f in status.get("failed_items", result)]
    out["核验人"] = [i if isinstance(i, str) else "" for i in status.get("inspector", result)]
    checked = status.get("checked_on", result)
    out["核验日期"] = [pd.Timestamp(c).date() if pd.notna(c) else None for c in checked]
    if checks:
        out["抽查次数"] = status["checks"].to_numpy()
    return out.reset_index(drop=True)


def xlsx(
    status: pd.DataFrame,
    programme: str,
    month: str,
    about: dict[str, str],
    words: Mapping[str, str] | None = None,
) -> bytes:
    """The 抽查核验表 as a workbook: a title row, the header frozen on row 2, a 说明 sheet."""
    table = sample_table(status, words=words)
    wb, ws = excel.new_workbook("抽查核验表")
    ws.cell(row=1, column=1, value=f"{programme} {month} {TITLE_TEXT}").font = Font(
        bold=True, size=14
    )
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(1, len(table.columns)))
    excel.write_table(ws, table, start_row=2)
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    excel.about_sheet(wb, about)
    return excel.save(wb)


def docx(
    status: pd.DataFrame,
    programme: str,
    month: str,
    checker: str,
    words: Mapping[str, str] | None = None,
) -> bytes:
    """The 抽查核验表 to print: one landscape table, a box to tick per household, signatures."""
    table = sample_table(status, words=words)
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    _put(doc.add_paragraph(), f"{programme} {month} {TITLE_TEXT}", TITLE, 16, bold=True)
    _put(doc.add_paragraph(), f"核验单位：{checker}　　样本 {len(table)} 户", BODY, 10.5)
    grid = doc.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    for cell, head in zip(grid.rows[0].cells, table.columns, strict=True):
        _put(cell.paragraphs[0], head, BODY, 9, bold=True)
    for row in table.itertuples(index=False):
        cells = grid.add_row().cells
        for cell, head, value in zip(cells, table.columns, row, strict=True):
            text = "" if value is None or (isinstance(value, float) and value != value) else value
            if head == "核验结果" and not text:
                text = BOXES
            _put(cell.paragraphs[0], str(text), BODY, 9)
    _put(doc.add_paragraph(), "核验人签字：　　　　　　　　日期：　　　　　　", BODY, 10.5)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _put(paragraph, text: str, font: str, size: float, bold: bool = False) -> None:
    docx_run(paragraph.add_run(text), font, size=size, bold=bold)
