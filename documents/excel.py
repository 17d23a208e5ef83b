"""The one Excel style of every workbook Anju writes: header, borders, widths, numbers, 说明 sheet.

Numbers are written as numbers with a number format (a cadre sums and sorts them in Excel);
text is text. Every writer ends with `save`, which neutralises formula-leading text
(data.excel_safe) and returns the bytes.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from data import excel_safe
from data.store import clock

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
TOTAL_LABEL = "合计"

# Number formats by kind of column.
COUNT = "#,##0"
SIGNED = "+#,##0;-#,##0;0"
PERCENT = "0.0%"
MONEY = "#,##0.00"
DATE = "yyyy-mm-dd"
# A rank change stored as a signed integer and shown as the bulletin prints it (↑2 / ↓1 / —).
RANK_CHANGE = '"↑"0;"↓"0;"—"'


def display_width(value: object) -> int:
    """Columns a value takes in Excel: CJK characters take two."""
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def plain(value: object) -> object:
    """A cell value openpyxl stores faithfully: numpy scalars → Python, NaN/NaT/NA → empty."""
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, str):
        return value.item()
    return value


def style_header(ws: Worksheet, row: int, ncol: int, *, height: float | None = None) -> None:
    """Bold, shaded, centred, boxed header cells on `row`."""
    for c in range(1, ncol + 1):
        cell = ws.cell(row, c)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = CENTRE
        cell.border = BOX
    if height:
        ws.row_dimensions[row].height = height


def fit_widths(
    ws: Worksheet,
    columns: Sequence[str],
    values: Iterable[Sequence[object]] = (),
    *,
    fixed: Mapping[str, float] | None = None,
    most: int = 40,
) -> None:
    """Column widths from the header and the first rows' values, capped at `most`."""
    widths = [display_width(c) for c in columns]
    for n, row in enumerate(values):
        if n >= 500:
            break
        for j, v in enumerate(row):
            text = f"{v:,}" if isinstance(v, int | float) and not isinstance(v, bool) else v
            widths[j] = max(widths[j], display_width(text))
    for j, col in enumerate(columns):
        width = (fixed or {}).get(col, min(most, widths[j] + 2))
        ws.column_dimensions[get_column_letter(j + 1)].width = max(6, width)


def write_table(
    ws: Worksheet,
    frame: pd.DataFrame,
    *,
    start_row: int = 1,
    formats: Mapping[str, str] | None = None,
    total: Mapping[str, object] | None = None,
    fixed_widths: Mapping[str, float] | None = None,
    freeze: bool = True,
) -> int:
    """`frame` as a boxed table from `start_row` (header there), optional 合计 row; last row used.

    `formats` maps column → number format (columns not named keep Excel's General).
    `total` maps column → value of the 合计 row (first column gets 合计 unless given).
    """
    formats = formats or {}
    columns = [str(c) for c in frame.columns]
    for j, col in enumerate(columns, start=1):
        ws.cell(start_row, j, col)
    style_header(ws, start_row, len(columns))
    body = [[plain(v) for v in row] for row in frame.itertuples(index=False, name=None)]
    r = start_row
    for r, values in enumerate(body, start=start_row + 1):
        for j, (col, value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = ws.cell(r, j, value)
            cell.border = BOX
            if col in formats and isinstance(value, int | float) and not isinstance(value, bool):
                cell.number_format = formats[col]
            elif isinstance(value, datetime | date):
                cell.number_format = DATE
    if total is not None:
        r += 1
        given = {columns[0]: TOTAL_LABEL, **{str(k): v for k, v in total.items()}}
        for j, col in enumerate(columns, start=1):
            cell = ws.cell(r, j, plain(given.get(col)))
            cell.font = Font(bold=True)
            cell.fill = TOTAL_FILL
            cell.border = BOX
            if col in formats and isinstance(cell.value, int | float):
                cell.number_format = formats[col]
    fit_widths(ws, columns, body, fixed=fixed_widths)
    if freeze:
        ws.freeze_panes = ws.cell(start_row + 1, 1).coordinate
    return r


def about_sheet(wb: Workbook, about: Mapping[str, object], title: str = "说明") -> Worksheet:
    """The 说明 sheet: what, when and for whom (项目 / 内容), with the export time last."""
    ws = wb.create_sheet(title)
    ws.append(["项目", "内容"])
    style_header(ws, 1, 2)
    rows = {**about}
    rows.setdefault("导出时间", clock.now().strftime("%Y-%m-%d %H:%M"))
    for k, v in rows.items():
        ws.append([str(k), "" if v is None else str(v)])
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 80
    for row in ws.iter_rows(min_row=2):
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    return ws


def new_workbook(first_sheet: str) -> tuple[Workbook, Worksheet]:
    """An empty workbook whose first sheet is named `first_sheet`."""
    wb = Workbook()
    ws = wb.active
    ws.title = first_sheet[:31]
    return wb, ws


def save(wb: Workbook) -> bytes:
    """Neutralise formula-leading text, then the workbook's bytes."""
    excel_safe.neutralise(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
