"""The one Excel style of every workbook Anju writes: header, borders, widths, numbers, 说明 sheet.

Every cell is typed (a cadre sums, sorts and filters them in Excel): numbers as numbers with a
number format, percentages as fractions with a % format, dates as dates (yyyy-mm-dd), yes/no as
是/否; text stays text. write_table decides per column (`typed_columns`) so every export gets it.
Every writer ends with `save`, which neutralises formula-leading text (data.excel_safe) and
returns the bytes.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime

import numpy as np
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
DATETIME = "yyyy-mm-dd hh:mm"
DECIMAL = "#,##0.0"
YES, NO = "是", "否"
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


# A display table's percentage columns (完成率, 计划进度, 分担比例, 按时响应率（%）...) hold
# percentage points, as the screen shows them (62.1), or text such as "100%": Excel gets the
# fraction (0.621) under a % format, so 62.1% sums, sorts and charts as a share.
_PERCENT_NAME = re.compile(r"(率|比例|进度|占比)$|[（(]%[)）]")
_PERCENT_TEXT = re.compile(r"^\s*[-+]?\d+(?:\.\d+)?\s*%\s*$")
# Dates a display table wrote as text (2023-08-01, 2023-08-01 14:30): written back as dates.
_DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?$")
_BLANKS = ("", "—", "-")


def _blank(value: object) -> bool:
    return plain(value) is None or (isinstance(value, str) and value.strip() in _BLANKS)


def _typed_column(name: str, values: pd.Series) -> tuple[list[object], str | None] | None:
    """One column's cell values and number format by its dtype and name; None leaves it alone."""
    present = [v for v in values if not _blank(v)]
    if not present:
        return None
    if pd.api.types.is_bool_dtype(values) or all(isinstance(v, bool | np.bool_) for v in present):
        return [None if _blank(v) else (YES if bool(v) else NO) for v in values], None
    numeric = all(
        isinstance(v, int | float | np.integer | np.floating) and not isinstance(v, bool)
        for v in present
    )
    if _PERCENT_NAME.search(name):
        if numeric:
            return [None if _blank(v) else float(v) / 100 for v in values], PERCENT
        if all(isinstance(v, str) and _PERCENT_TEXT.match(v) for v in present):
            cells = [None if _blank(v) else float(v.strip().rstrip("%")) / 100 for v in values]
            return cells, PERCENT
    if pd.api.types.is_datetime64_any_dtype(values) or all(isinstance(v, date) for v in present):
        stamps = [pd.Timestamp(v) for v in present]
        if all(s == s.normalize() for s in stamps):
            return [None if _blank(v) else pd.Timestamp(v).date() for v in values], DATE
        return [None if _blank(v) else pd.Timestamp(v).to_pydatetime() for v in values], DATETIME
    if all(isinstance(v, str) for v in present):
        if all(_DATE_TEXT.match(v) for v in present):
            return [None if _blank(v) else date.fromisoformat(v) for v in values], DATE
        if all(_DATETIME_TEXT.match(v) for v in present):
            return [
                None if _blank(v) else datetime.fromisoformat(v.replace("T", " ")) for v in values
            ], DATETIME
        return None
    if numeric:
        floats = [float(v) for v in present]
        if all(f.is_integer() for f in floats):
            return [None if _blank(v) else int(v) for v in values], COUNT
        two = any(abs(f * 10 - round(f * 10)) > 1e-9 for f in floats)
        return [plain(v) for v in values], MONEY if two else DECIMAL
    return None


def typed_columns(
    frame: pd.DataFrame, formats: Mapping[str, str] | None = None
) -> tuple[list[list[object]], dict[str, str]]:
    """The frame's rows as typed cell values and the number format of each column.

    Columns named in `formats` are written as given (the caller knows best); the others are
    typed by convention: bool → 是/否; a 率/比例/进度/（%） column → fraction with a % format;
    datetimes, date objects and ISO date text → dates (yyyy-mm-dd, with hh:mm when a time
    is set); integers → #,##0; other numbers → one or two decimals. Other text stays text.
    """
    formats = dict(formats or {})
    columns: list[list[object]] = []
    for j, col in enumerate(frame.columns):
        values = frame.iloc[:, j]
        typed = None if str(col) in formats else _typed_column(str(col), values)
        if typed is None:
            columns.append([plain(v) for v in values])
            continue
        cells, number_format = typed
        columns.append(cells)
        if number_format:
            formats[str(col)] = number_format
    rows = [list(r) for r in zip(*columns, strict=True)] if columns else []
    return rows, formats


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

    `formats` maps column → number format; columns not named are typed by `typed_columns`.
    `total` maps column → value of the 合计 row (first column gets 合计 unless given).
    """
    columns = [str(c) for c in frame.columns]
    for j, col in enumerate(columns, start=1):
        ws.cell(start_row, j, col)
    style_header(ws, start_row, len(columns))
    given: dict[str, object] = {}
    if total is not None:
        # Typed with the body (a 合计 of 完成率 in points becomes a fraction too); the label
        # itself is set afterwards, so it does not turn a date or number column into text.
        given = {str(k): v for k, v in total.items()}
        label = given.pop(columns[0], TOTAL_LABEL)
        extra = pd.DataFrame([[given.get(c) for c in columns]], columns=frame.columns, dtype=object)
        frame = pd.concat([frame.astype(object), extra], ignore_index=True).infer_objects()
    body, formats = typed_columns(frame, formats)
    totals = None
    if total is not None:
        body, totals = body[:-1], body[-1]
        totals[0] = label
    r = start_row
    for r, values in enumerate(body, start=start_row + 1):
        for j, (col, value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = ws.cell(r, j, value)
            cell.border = BOX
            if col in formats and isinstance(value, int | float) and not isinstance(value, bool):
                cell.number_format = formats[col]
            elif isinstance(value, datetime):
                cell.number_format = formats.get(col, DATETIME)
            elif isinstance(value, date):
                cell.number_format = DATE
    if totals is not None:
        r += 1
        for j, (col, value) in enumerate(zip(columns, totals, strict=True), start=1):
            cell = ws.cell(r, j, value)
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
