"""Files built in code for the importers' tests: an .xlsx from rows, a CSV in a given encoding."""

from __future__ import annotations

import csv
import io

import openpyxl


def xlsx(rows: list[list], title_rows: int = 0, sheet: str = "花名册", **kw) -> bytes:
    """An .xlsx of one sheet holding `rows`, with optional title rows above them; each of
    kw["hooks"] is called with the sheet before it is saved."""
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
    """A CSV of `rows` in `encoding` (Excel in China saves GBK)."""
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode(encoding)
