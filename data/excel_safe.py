"""Excel files Anju writes never carry a live formula from data (CSV/formula injection).

OWASP's rule: a text cell starting with =, +, -, @, tab or carriage return is prefixed with a
single quote, so Excel shows it as text and never evaluates it, also after the user edits it.
Every Excel writer (exports, rejected rows, rosters, the monthly table, the bulletin) passes its
workbook through `neutralise` just before saving.
"""

from __future__ import annotations

import re

from openpyxl.workbook import Workbook

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A signed number Anju itself writes ("+96", "-3.5%", "+1.2 个百分点") is no formula: kept as is.
_SIGNED_NUMBER = re.compile(r"[+-][0-9][0-9,]*(\.[0-9]+)?\s*(%|个百分点|户)?")


def dangerous(value: object) -> bool:
    """Whether VALUE is text a spreadsheet could take for a formula."""
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_START)
        and not _SIGNED_NUMBER.fullmatch(value)
    )


def neutral(value: object) -> object:
    """The value to write: formula-leading text gets a leading apostrophe, the rest unchanged."""
    return "'" + value if dangerous(value) else value


def neutralise(wb: Workbook) -> int:
    """Make every formula-leading text cell of WB plain text; return how many were changed."""
    changed = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if dangerous(value):
                    cell.value = "'" + value
                    cell.data_type = "s"
                    changed += 1
    return changed
