"""Golden files (syrupy) of the documents users depend on: sheets, headers, cell types, number
formats, merged header cells and 合计 rows of each workbook; paragraphs and tables of each Word file.

A change to a document's structure shows up as a snapshot diff to review (`pytest
--snapshot-update` after checking it against the seed's own form). Volatile values (export time)
are left out; everything else comes from the tiny fixture, so the numbers are stable too.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import docx
import pandas as pd
from openpyxl import load_workbook

from data import batches
from data.money import settlement
from data.reporting import briefing
from data.users import accounts
from documents import batch_docs, bulletin, monthly_table, tables
from documents import settlement as settlement_doc
from tests.conftest import TINY

MAY20 = date(2023, 5, 20)


def _cell(cell) -> object:
    value = cell.value
    kind = type(value).__name__
    if value is None:
        return None
    return [
        kind,
        value if not hasattr(value, "isoformat") else value.isoformat(),
        cell.number_format,
    ]


def workbook_shape(data: bytes, body_rows: int = 3) -> dict:
    """What a reader sees of a workbook: per sheet, the head rows, the first body rows and the last
    row (a 合计 row where there is one), each cell as [type, value, number format]; merged ranges
    and frozen panes. The 说明 sheet's values are left out (they carry the export time)."""
    wb = load_workbook(io.BytesIO(data))
    out = {}
    for ws in wb.worksheets:
        rows = list(ws.iter_rows())
        if ws.title == "说明":
            out[ws.title] = {"items": [r[0].value for r in rows]}
            continue
        keep = rows[: 4 + body_rows] + (rows[-1:] if len(rows) > 4 + body_rows else [])
        out[ws.title] = {
            "size": [ws.max_row, ws.max_column],
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "freeze": ws.freeze_panes,
            "rows": [[_cell(c) for c in r] for r in keep],
        }
    return out


def document_shape(data: bytes) -> dict:
    """What a reader sees of a Word file: paragraphs, every table's cells, the footer."""
    doc = docx.Document(io.BytesIO(data))
    return {
        "paragraphs": [p.text for p in doc.paragraphs if p.text.strip()],
        "tables": [[[c.text for c in r.cells] for r in t.rows] for t in doc.tables],
        "page_number_field": "PAGE" in doc.sections[0].footer.paragraphs[0]._p.xml,
        "pictures": len(doc.inline_shapes),
    }


def _tiny_briefing(con) -> briefing.Briefing:
    return briefing.build(briefing.fetcher(con, None), TINY, MAY20)


def test_bulletin_workbook(tiny_con, snapshot):
    assert workbook_shape(bulletin.xlsx_bytes(_tiny_briefing(tiny_con))) == snapshot


def test_bulletin_document(tiny_con, snapshot):
    b = _tiny_briefing(tiny_con)
    assert document_shape(bulletin.docx_bytes(b, chart_png=_PNG)) == snapshot


def test_street_bulletin_document(tiny_con, snapshot):
    b = briefing.build(briefing.fetcher(tiny_con, ["S1"]), TINY, MAY20, "西街道")
    assert document_shape(bulletin.docx_bytes(b, chart_png=_PNG)) == snapshot


def test_monthly_table(tiny_con, snapshot):
    rows = monthly_table.rows(tiny_con, TINY, date(2023, 5, 1))
    filler = accounts.Contact("张三", "应急办", "023-44556677")
    data = monthly_table.workbook_bytes(rows, date(2023, 5, 1), "区D", filler=filler)
    assert workbook_shape(data, body_rows=8) == snapshot


_ITEMS = pd.DataFrame(
    {
        "household_id": ["H1", "H2"],
        "street_name": ["西街道", "西街道"],
        "community_name": ["东北社区", "河南村"],
        "address": ["某路1号", "某村2组"],
        "loc_level": ["building", "community"],
        "name": ["张三", "李四"],
        "phone": ["13800001111", "13800002222"],
        "gas_type": ["piped", "lpg"],
        "device_name": ["管道燃气技防设施", "液化石油气技防设施"],
        "day": [date(2024, 5, 6), date(2024, 5, 6)],
        "crew": [1, 1],
        "seq": [1, 2],
    }
)
_TERMS = batch_docs.SlipTerms(
    (
        batch_docs.Device(
            "管道燃气技防设施",
            "piped",
            ("燃气专用金属波纹管（一米）", "燃气自闭阀", "切断阀", "报警器"),
            Decimal(470),
        ),
        batch_docs.Device("液化石油气技防设施", "lpg", ("金属包覆管", "调压阀"), Decimal(223)),
    ),
    (("燃气企业", 0.4), ("政府", 0.3), ("居民", 0.3)),
)


def test_roster(snapshot):
    table = batches.roster(_ITEMS)
    assert workbook_shape(
        batch_docs.roster_xlsx(table, "西街道 2024-05 安装花名册", {"项目": "测试"})
    ) == (snapshot)


def test_confirmation_slips(snapshot):
    table = batches.roster(_ITEMS)
    assert document_shape(batch_docs.confirmation_slips(table, "乌审旗（2024）", "B1", _TERMS)) == (
        snapshot
    )


def test_page_table_export(snapshot):
    table = pd.DataFrame(
        {
            "街道": ["西街道", "东街道"],
            "目标户数": [5, 3],
            # As the page shows it (percentage points); Excel gets 0.6 under a % format.
            "完成率": [60.0, 33.3],
            "统计日期": [date(2023, 5, 20)] * 2,
        }
    )
    assert workbook_shape(tables.excel_bytes(table, "覆盖地图", {"项目": "测试"})) == snapshot


def test_settlement_workbook(snapshot):
    from tests.test_settlement import _seed002

    con = _seed002()
    try:
        result = settlement.compute(con, "fin002", "2024-Q3")
    finally:
        con.close()
    assert workbook_shape(settlement_doc.excel_bytes(result, "测试")) == snapshot


def _png() -> bytes:
    # A 1×1 PNG: the chart's pixels are not the contract (tests/test_briefing checks the chart).
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (1, 1), "white").save(buf, format="PNG")
    return buf.getvalue()


_PNG = _png()
