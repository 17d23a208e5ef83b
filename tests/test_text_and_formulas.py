"""Text from files is shown as text (never Markdown/HTML) and no Excel file Anju writes carries a
live formula from data (OWASP: =, +, -, @, tab, CR get a leading apostrophe)."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import exports, format
from data import excel_safe
from data.importing import parse
from data.users import access
from documents import batch_docs
from documents import import_templates as templates
from tests import hostile
from tests.apptest import open_page
from tests.rosters import HEADER
from tests.workbooks import csv_bytes

IMAGE = "![w](http://127.0.0.1:9/x.png)"
PAYLOADS = ['=HYPERLINK("http://x","点我")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def _cells(data: bytes) -> list[openpyxl.cell.Cell]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]


def _assert_inert(data: bytes, payloads: list[str]) -> None:
    cells = _cells(data)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = {c.value for c in cells}
    for p in payloads:
        assert "'" + p in values, p


def test_markdown_is_escaped():
    shown = format.md(IMAGE + " :red[x] $x$ <img src=x> **b**")
    assert "](" not in shown and "![" not in shown and ":red[" not in shown
    assert shown.replace("\\", "") == IMAGE + " :red[x] $x$ <img src=x> **b**"


def test_every_excel_writer_neutralises_formulas():
    frame = pd.DataFrame({"姓名": PAYLOADS, "说明": ["正常"] * len(PAYLOADS)})
    _assert_inert(exports.excel_bytes(frame, "表", {"范围": "=1+1"}), [*PAYLOADS, "=1+1"])
    _assert_inert(templates.rejected_bytes(frame), PAYLOADS)
    _assert_inert(batch_docs.roster_xlsx(frame, "花名册", {}), PAYLOADS)
    assert excel_safe.neutral("正常") == "正常" and excel_safe.neutral(5) == 5
    assert [excel_safe.neutral(v) for v in ("+96", "-3.5%", "-1+1")] == ["+96", "-3.5%", "'-1+1"]


def test_rejected_rows_round_trip_without_the_apostrophe():
    # The rejected-rows file is meant to be fixed and imported again: the value comes back whole.
    assert parse.text("'=HYPERLINK(1)") == "=HYPERLINK(1)"
    assert parse.text("'张三") == "'张三"


def _page(db: Path, monkeypatch) -> AppTest:
    monkeypatch.setenv("ANJU_DB", str(db))
    return open_page(access.User("t_admin", "admin"), "dashboard/pages/import.py", timeout=120)


def _markdown_texts(at: AppTest) -> list[str]:
    out = [m.value for m in at.markdown] + [c.value for c in at.caption]
    out += [e.value for e in at.error] + [e.value for e in at.warning] + [e.value for e in at.info]
    return out


def test_import_page_shows_file_values_as_text(tiny_db, monkeypatch):
    at = _page(tiny_db, monkeypatch)
    row = [1, "张三", "男", 85, "13812345678", "西路1号", "西街道", IMAGE, None, None, "管道"]
    bad = [
        2,
        '=HYPERLINK("http://x","点我")',
        "男",
        85,
        "139",
        "西路2号",
        None,
        None,
        None,
        None,
        "管道",
    ]
    at.file_uploader(key="import_file_households").upload(
        "花名册.csv", csv_bytes([HEADER, row, bad], "utf-8"), "text/csv"
    )
    at.run()
    assert not at.exception, at.exception
    assert not any(IMAGE in m for m in _markdown_texts(at))  # never handed to Markdown raw
    assert any(IMAGE in t.value for t in at.text)  # the warning names it, as plain text


@pytest.mark.parametrize(
    ("name", "make"),
    [("远端单元格.xlsx", hostile.far_cell_xlsx), (f"{IMAGE}.csv", hostile.long_field_csv)],
)
def test_import_page_refuses_hostile_files_with_a_message(tiny_db, monkeypatch, name, make):
    at = _page(tiny_db, monkeypatch)
    at.file_uploader(key="import_file_households").upload(name, make(), "application/octet-stream")
    at.run()
    assert not at.exception, at.exception
    assert len(at.error) == 1 and "未导入" in at.error[0].value
    assert IMAGE not in at.error[0].value
