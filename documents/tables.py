"""Excel downloads of what a page shows, with a 说明 sheet saying what, when and for whom.

Numbers stay numbers (pandas dtypes decide); the one style is documents.excel.
"""

from __future__ import annotations

import pandas as pd

from documents import excel

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
    """An .xlsx with `table` on `sheet` (styled frozen header, fitted widths) and an 说明 sheet.

    Lossless: a value longer than an Excel cell holds goes, in parts, to a 超长内容 sheet.
    """
    table, long = _split_long(table, sheet)
    wb, ws = excel.new_workbook(sheet)
    formats = {
        str(c): excel.COUNT
        for c in table.columns
        if pd.api.types.is_integer_dtype(table[c]) and not pd.api.types.is_bool_dtype(table[c])
    }
    excel.write_table(ws, table, formats=formats)
    if not long.empty:
        excel.write_table(wb.create_sheet(LONG_SHEET), long)
    excel.about_sheet(wb, about)
    return excel.save(wb)


def scope_label(
    names: dict[str, str], chosen: str | None, scope: list[str] | None, whole: str
) -> str:
    """What an export covers, truly: the chosen street, else the user's own streets, else `whole`.

    A street user's file never says 全区 (its rows are its own streets only).
    """
    if chosen and chosen in names:
        return names[chosen]
    if scope is not None:
        return "、".join(names[s] for s in scope if s in names) or "（无）"
    return whole
