"""Seed 001 asks for 周通报、月排名: the Word bulletin carries the month-end ranks, as the .xlsx does."""

from __future__ import annotations

import io
from datetime import date

import docx

from data.reporting import briefing
from documents import bulletin
from tests.conftest import TINY


def _png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (1, 1), "white").save(buf, format="PNG")
    return buf.getvalue()


def test_word_bulletin_has_the_monthly_ranking(tiny_con):
    b = briefing.build(briefing.fetcher(tiny_con, None), TINY, date(2023, 5, 20))
    assert not b.monthly.empty
    doc = docx.Document(io.BytesIO(bulletin.docx_bytes(b, chart_png=_png())))
    texts = [p.text for p in doc.paragraphs]
    assert "月排名" in texts
    heads, rows = bulletin.monthly_table(b)
    ranked = [t for t in doc.tables if [c.text for c in t.rows[0].cells] == heads]
    assert len(ranked) == 1 and heads[0] == "街镇" and heads[-1] == "5月"
    body = [[c.text for c in r.cells] for r in ranked[0].rows[1:]]
    assert body == rows and {r[0] for r in body} == set(b.monthly["street_name"])
