"""Excel files Anju writes never carry a live formula from data (CSV/formula injection).

OWASP's rule: a text cell starting with =, +, -, @, tab or carriage return is prefixed with a
single quote, so Excel shows it as text and never evaluates it, also after the user edits it.
Every Excel writer (exports, rejected rows, rosters, the monthly table, the bulletin) passes its
workbook through `neutralise` just before saving.
"""

from __future__ import annotations

from openpyxl.workbook import Workbook

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutral(value: object) -> object:
    """The value to write: formula-leading text gets a leading apostrophe, the rest unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def neutralise(wb: Workbook) -> int:
    """Make every formula-leading text cell of WB plain text; return how many were changed."""
    changed = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and value.startswith(FORMULA_START):
                    cell.value = "'" + value
                    cell.data_type = "s"
                    changed += 1
    return changed
