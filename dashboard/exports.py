"""Excel downloads of what a page shows, with a second sheet saying what, when and for whom."""

from __future__ import annotations

import io
from datetime import datetime

import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from data import excel_safe


def excel_bytes(table: pd.DataFrame, sheet: str, about: dict[str, str]) -> bytes:
    """An .xlsx with `table` on `sheet` (bold frozen header, fitted widths) and an 说明 sheet."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        table.to_excel(xw, sheet_name=sheet, index=False)
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
            list({**about, "导出时间": datetime.now().strftime("%Y-%m-%d %H:%M")}.items()),
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
