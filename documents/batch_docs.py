"""Documents of a batch: the 花名册 (Excel) for the gas company and the 确认单 (Word) per household.

Seed 002 (乌审旗): each installation is confirmed on a slip signed by the community secretary,
the grid worker, the installer and the resident. Both documents take frames already masked or
not by the caller (the page applies the user's unmask choice).
"""

from __future__ import annotations

import io

import pandas as pd
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from data import clock, excel_safe

SIGNERS = ("社区书记", "网格员", "安装人员", "居民")
ROSTER_SHEET = "花名册"
_WIDTHS = {"序号": 6, "地址": 36, "设备类型": 40, "联系电话": 14, "计划日期": 12}


def roster_xlsx(table: pd.DataFrame, title: str, about: dict[str, str]) -> bytes:
    """The roster as .xlsx: a title row, the header on row 2 (frozen), thin borders, a 说明 sheet."""
    wb = Workbook()
    ws = wb.active
    ws.title = ROSTER_SHEET
    ncol = len(table.columns)
    ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for j, col in enumerate(table.columns, start=1):
        cell = ws.cell(row=2, column=j, value=col)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.border = border
        ws.column_dimensions[get_column_letter(j)].width = _WIDTHS.get(col, 12)
    for i, row in enumerate(table.itertuples(index=False), start=3):
        for j, value in enumerate(row, start=1):
            cell = ws.cell(row=i, column=j, value=None if pd.isna(value) else _plain(value))
            cell.border = border
    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    info = wb.create_sheet("说明")
    rows = {**about, "导出时间": clock.now().strftime("%Y-%m-%d %H:%M")}
    info.append(["项目", "内容"])
    for k, v in rows.items():
        info.append([k, str(v)])
    info.column_dimensions["A"].width = 14
    info.column_dimensions["B"].width = 80
    excel_safe.neutralise(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def read_roster(data: bytes) -> pd.DataFrame:
    """Read a roster written by roster_xlsx back (tests, re-import)."""
    return pd.read_excel(
        io.BytesIO(data), sheet_name=ROSTER_SHEET, header=1, dtype=str, engine="openpyxl"
    )


def _plain(value: object) -> object:
    # numpy scalars → Python, so openpyxl stores numbers as numbers.
    return value.item() if hasattr(value, "item") else value


def _cjk(run, size: float | None = None, bold: bool = False) -> None:
    run.font.name = "SimSun"
    run._element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")  # CJK text needs the eastAsia font
    if size:
        run.font.size = Pt(size)
    run.bold = bold


def confirmation_slips(table: pd.DataFrame, programme_name: str, batch_label: str) -> bytes:
    """One A4 page per household: who, where, what, when — and four signature boxes (seed 002).

    `table` has the roster columns (序号, 街道, 社区, 地址, 姓名, 联系电话, 燃气类型, 设备类型,
    计划日期, 班组, 顺序).
    """
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    records = table.to_dict("records")
    for i, rec in enumerate(records):
        head = doc.add_paragraph()
        head.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _cjk(head.add_run("燃气安全装置安装确认单"), 18, bold=True)
        sub = doc.add_paragraph()
        sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _cjk(sub.add_run(f"{programme_name}　批次 {batch_label}　第 {rec['序号']} 户"), 10)
        info = doc.add_table(rows=0, cols=4)
        info.style = "Table Grid"
        info.alignment = WD_TABLE_ALIGNMENT.CENTER
        pairs = [
            ("街道", rec["街道"], "社区", rec["社区"]),
            ("姓名", rec["姓名"], "联系电话", rec["联系电话"]),
            ("地址", rec["地址"], "燃气类型", rec["燃气类型"]),
            ("设备类型", rec["设备类型"], "计划日期", rec["计划日期"]),
            ("班组", rec["班组"], "顺序", rec["顺序"]),
            ("实际安装日期", "", "设备编号", ""),
        ]
        for a, b, c, d in pairs:
            cells = info.add_row().cells
            for cell, text, bold in (
                (cells[0], a, True),
                (cells[1], b, False),
                (cells[2], c, True),
                (cells[3], d, False),
            ):
                _cjk(cell.paragraphs[0].add_run("" if _missing(text) else str(text)), 11, bold)
        doc.add_paragraph()
        note = doc.add_paragraph()
        _cjk(
            note.add_run(
                "经现场确认，上述住户已按要求安装燃气安全装置，并完成安全检查与使用告知。"
            ),
            11,
        )
        sign = doc.add_table(rows=3, cols=len(SIGNERS))
        sign.style = "Table Grid"
        sign.alignment = WD_TABLE_ALIGNMENT.CENTER
        for j, who in enumerate(SIGNERS):
            _cjk(sign.cell(0, j).paragraphs[0].add_run(f"{who}（签字）"), 11, bold=True)
            sign.cell(1, j).paragraphs[0].add_run("\n\n\n")  # room for a handwritten signature
            _cjk(sign.cell(2, j).paragraphs[0].add_run("日期：____年__月__日"), 10)
        if i < len(records) - 1:
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value))
