"""Excel downloads of what a page shows, with a second sheet saying what, when and for whom."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from data import clock, excel_safe

CELL_LIMIT = 32_767  # Excel keeps at most this many characters in a cell
LONG_SHEET = "超长内容"


def _split_long(table: pd.DataFrame, sheet: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cells too long for Excel: moved whole, in parts, to a side sheet (nothing is cut)."""
    parts: list[list] = []
    table = table.copy()
    for j, col in enumerate(table.columns):
        if pd.api.types.is_numeric_dtype(table[col]):
            continue
        for i, value in enumerate(table[col]):
            if isinstance(value, str) and len(value) > CELL_LIMIT:
                row = i + 2  # as Excel numbers it, under the header
                chunks = [value[k : k + CELL_LIMIT] for k in range(0, len(value), CELL_LIMIT)]
                parts += [[sheet, row, str(col), n, c] for n, c in enumerate(chunks, start=1)]
                table.iat[i, j] = (
                    f"（共 {len(value):,} 字符，超过 Excel 单元格上限，全文分 {len(chunks)} 段"
                    f"在「{LONG_SHEET}」工作表，第 {row} 行）{value[:1000]}…"
                )
    return table, pd.DataFrame(parts, columns=["工作表", "行", "列", "段", "内容"])


def excel_bytes(table: pd.DataFrame, sheet: str, about: dict[str, str]) -> bytes:
    """An .xlsx with `table` on `sheet` (bold frozen header, fitted widths) and an 说明 sheet.

    Lossless: a value longer than an Excel cell holds goes, in parts, to a 超长内容 sheet.
    """
    table, long = _split_long(table, sheet)
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        table.to_excel(xw, sheet_name=sheet, index=False)
        if not long.empty:
            long.to_excel(xw, sheet_name=LONG_SHEET, index=False)
        ws = xw.sheets[sheet]
        ws.freeze_panes = "A2"
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for idx, col in enumerate(table.columns, start=1):
            longest = max([_width(col), *(_width(v) for v in table[col].head(500))])
            ws.column_dimensions[get_column_letter(idx)].width = min(40, longest + 2)
        info = pd.DataFrame(
            list({**about, "导出时间": clock.now().strftime("%Y-%m-%d %H:%M")}.items()),
            columns=["项目", "内容"],
        )
        info.to_excel(xw, sheet_name="说明", index=False)
        xw.sheets["说明"].column_dimensions["A"].width = 14
        xw.sheets["说明"].column_dimensions["B"].width = 80
        excel_safe.neutralise(xw.book)
    return buf.getvalue()


def _width(value: object) -> int:
    # CJK characters take two columns in Excel.
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
