"""The briefing's numbers (data.reporting.briefing), the 周通报 files (anju.briefing) and the chart font."""

from __future__ import annotations

import io
import json
import re
import warnings
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from docx import Document
from openpyxl import load_workbook

import queries
from anju.cli import main
from data.demos import demo
from data.reporting import briefing, briefing_text
from data.store.connection import connect
from documents import bulletin as files
from documents import charts, fonts
from tests.conftest import TINY

MAY20, MAY31 = date(2023, 5, 20), date(2023, 5, 31)


# ---------------------------------------------------------------- on the tiny programme


def test_kpis_derive_completion_plan_and_gap(tiny_con):
    k = briefing.kpis(briefing.fetcher(tiny_con, None), TINY, MAY20)
    assert (k["target"], k["installed"], k["hazards_open"], k["gas_cut"]) == (10, 3, 2, 1)
    assert k["completion"] == pytest.approx(0.3)
    assert k["plan"] == pytest.approx(20 / 31)
    assert k["plan_installed"] == 6  # round(10 × 20/31 = 6.45)
    assert k["gap_to_plan"] == -3


def test_projection_from_the_last_four_weeks(tiny_con):
    fetch = briefing.fetcher(tiny_con, None)
    now = briefing.kpis(fetch, TINY, MAY20)
    p = briefing.projection(fetch, TINY, MAY20, now, MAY31)
    # 04-22: nothing installed; 05-20: 3 → 0.75 a week. 7 left: 7 / 0.75 × 7 = 65.3 → 66 days.
    assert (p.window_start, p.window_end) == (date(2023, 4, 23), MAY20)
    assert p.weekly_rate == pytest.approx(0.75)
    assert p.remaining == 7
    assert p.finish_on == date(2023, 7, 25)
    assert p.needed_weekly == 5  # 7 / (11 days to 05-31 / 7) = 4.45, rounded up: 4 would miss
    assert p.weekly_installs == 1  # 0.75 a week, printed as 1 everywhere
    assert not p.on_time
    late = briefing.projection(fetch, TINY, MAY31, briefing.kpis(fetch, TINY, MAY31), MAY31)
    assert late.needed_weekly is None  # deadline reached


def test_month_ends():
    assert briefing.month_ends(date(2023, 4, 1), MAY20) == [date(2023, 4, 30), MAY20]
    assert briefing.month_ends(date(2023, 4, 10), date(2023, 4, 30)) == [date(2023, 4, 30)]
    assert briefing.previous_month_end(date(2023, 1, 5)) == date(2022, 12, 31)


def test_rank_change_text():
    assert [briefing_text.rank_change(v) for v in (2, -1, 0, None)] == ["↑2", "↓1", "—", "新"]


def test_rules_from_settings():
    r = briefing.rules(json.dumps({"rules": {"gas_cut_overdue_days": 5, "other": 1}}))
    assert (r.gas_cut_overdue_days, r.restore_within_hours) == (5, 24)
    assert briefing.rules(None) == briefing.Rules()


def test_briefing_on_tiny(tiny_con):
    b = briefing.build(briefing.fetcher(tiny_con, None), TINY, MAY20)
    assert b.kpis["installed"] == 3
    assert b.kpis_week_ago["installed"] == 2  # 05-13: H4 (05-10) and H8 (05-05)
    assert b.change("installed") == 1  # H1 on 05-20
    assert b.series["installed"].iloc[-1] == 3
    assert b.behind.street_id.tolist() == ["S2", "S1"]  # -2, -1
    # The plan is the streets' plans (3 + 2, each rounded) and one part for the 3 households in
    # no street (1.94 → 2): 7, so 4 behind; the streets' 合计 is −3 and a note says why.
    assert (b.kpis["plan_installed"], b.kpis["gap_to_plan"]) == (7, -4)
    assert b.series["plan_installed"].iloc[-1] == 7  # the chart's and 周进度's last point
    text = briefing_text.summary(b)
    assert "截至2023年5月20日" in text and "落后计划4户" in text
    assert "东街道（落后2户）、西街道（落后1户）" in text
    assert briefing_text.ranking_total_row(b)[6] == "-3"
    note = briefing_text.total_note(b)
    assert "全区较计划-4户，与各街镇合计相差-1户" in note and "3户不在任何街镇" in note


def test_on_plan_is_said_so():
    assert briefing_text.against_plan(0) == "与计划持平。"
    assert briefing_text.against_plan(2) == "超出计划2户。"
    assert briefing_text.against_plan(-1) == "落后计划1户。"


def test_half_up_rounds_as_duckdb():
    assert [briefing.half_up(v) for v in (0.5, 1.5, 2.5, 406.5, 2.49)] == [1, 2, 3, 407, 2]


# ---------------------------------------------------------------- on the demo


@pytest.fixture(scope="module")
def demo_briefing(demo_db: Path) -> briefing.Briefing:
    con = connect(demo_db)
    try:
        return briefing.build(briefing.fetcher(con, None), demo.PROGRAMME, demo.AS_OF)
    finally:
        con.close()


def _ranking_truth(demo_db: Path) -> pd.DataFrame:
    con = connect(demo_db)
    try:
        return queries.run(
            con, "street_ranking", programme_id=demo.PROGRAMME, as_of=demo.AS_OF, street_ids=None
        )
    finally:
        con.close()


def test_docx_table_matches_the_ranking(demo_briefing, demo_db):
    doc = Document(io.BytesIO(files.docx_bytes(demo_briefing)))
    table = doc.tables[0]
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0] == list(briefing_text.RANKING_COLUMNS.values())
    assert cells[1:-1] == briefing_text.ranking_rows(demo_briefing)
    truth = _ranking_truth(demo_db)
    assert [r[1] for r in cells[1:-1]] == truth.street_name.tolist()  # order = SQL rank
    assert [int(r[3].replace(",", "")) for r in cells[1:-1]] == truth.installed.tolist()
    assert [r[5] for r in cells[1:-1]] == [f"{c * 100:.1f}%" for c in truth.completion]
    total = cells[-1]
    assert total[1] == "合计"
    assert int(total[3].replace(",", "")) == truth.installed.sum()
    assert total[5] == f"{truth.installed.sum() / truth.target.sum() * 100:.1f}%"
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "工作周通报" in text and briefing_text.summary(demo_briefing) in text
    assert "演示数据" in text
    assert "报送：" in text and "抄送：" in text
    assert "工作领导小组办公室" in text and "区领导小组办公室　" not in text
    assert len(doc.inline_shapes) == 1  # the burn-up chart
    footer = doc.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "fldChar" in footer  # live page numbers


def test_street_copy_is_headed_by_the_street_office(demo_db):
    con = connect(demo_db)
    try:
        streets = queries.run(
            con, "region_shapes", programme_id=demo.PROGRAMME, level="street", street_ids=None
        )
        sid, name = streets.iloc[0][["region_id", "name"]]
        b = briefing.build(briefing.fetcher(con, [sid]), demo.PROGRAMME, demo.AS_OF, name)
    finally:
        con.close()
    doc = Document(io.BytesIO(files.docx_bytes(b)))
    text = "\n".join(p.text for p in doc.paragraphs)
    office = f"{name}办事处" if name.endswith("街道") else f"{name}人民政府"
    assert f"　{office}　" in text
    assert "领导小组办公室　" not in text.split("一、总体进展")[0]
    assert "）（" not in text  # one pair of brackets: （2023，华阳路街道）
    cells = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert len(cells) == 2  # one street: no 合计 row
    wb = load_workbook(io.BytesIO(files.xlsx_bytes(b)))
    about = {r[0].value: r[1].value for r in wb["说明"].iter_rows(min_row=2)}
    assert about["范围"] == name and "全区" not in about["范围"]


def test_docx_sets_the_east_asian_font_on_runs(demo_briefing):
    doc = Document(io.BytesIO(files.docx_bytes(demo_briefing)))
    run = doc.paragraphs[0].runs[0]
    fonts = run._element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == (
        files.TITLE_FONT
    )


def test_summary_names_the_streets_behind_plan(demo_briefing, demo_db):
    truth = _ranking_truth(demo_db)
    behind = truth[truth.gap_to_plan < 0]
    text = briefing_text.summary(demo_briefing)
    assert len(behind) > 0
    for name in behind.street_name:
        assert name in text.split("落后于计划的有")[1]
    assert f"已安装{demo_briefing.kpis['installed']:,}户" in text


def test_xlsx_sheets(demo_briefing):
    wb = load_workbook(io.BytesIO(files.xlsx_bytes(demo_briefing)))
    assert wb.sheetnames == ["摘要", "街镇排名", "月排名", "周进度", "说明"]
    ws = wb["街镇排名"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0] == [*briefing_text.RANKING_COLUMNS.values(), "本周放缓"]
    printed = briefing_text.ranking_rows(demo_briefing)
    body, total = rows[1:-1], rows[-1]
    assert [r[1] for r in body] == [p[1] for p in printed]
    # Numbers are numbers, shown with number formats that print as the bulletin does.
    for r, p in zip(body, printed, strict=True):
        assert isinstance(r[0], int) and isinstance(r[2], int) and isinstance(r[3], int)
        assert isinstance(r[5], float) and f"{r[5] * 100:.1f}%" == p[5]
        assert isinstance(r[6], int) and f"{r[6]:+,}" == p[6]
    assert ws.cell(2, 6).number_format == "0.0%"
    assert ws.cell(2, 7).number_format == "+#,##0;-#,##0;0"
    assert total[1] == "合计"
    assert total[3] == sum(r[3] for r in body) and total[2] == sum(r[2] for r in body)
    assert abs(total[5] - total[3] / total[2]) < 1e-12
    assert wb["摘要"]["A2"].value == briefing_text.summary(demo_briefing)
    assert isinstance(wb["摘要"]["B5"].value, int)  # 目标户数


def test_chart_has_no_missing_glyphs(demo_briefing):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = charts.burnup_figure(demo_briefing)
        texts = charts.figure_texts(fig)
        png = charts.png_bytes(fig)  # drawing is when matplotlib reports missing glyphs
        multi = charts.street_multiples_figure(demo_briefing)
        texts += charts.figure_texts(multi)
        charts.png_bytes(multi)
    assert png.startswith(b"\x89PNG")
    assert any("安装进度" in t for t in texts) and any("周家桥" in t for t in texts)
    assert fonts.missing_glyphs(texts) == set()
    assert not [w for w in caught if "missing from" in str(w.message)]
    assert "CJK" in Path(fonts.chart_font_path()).name or "CJK" in fonts.chart_font().get_name()


def test_missing_glyphs_detects_boxes():
    # The Latin-only DejaVu font cannot draw Chinese: exactly what the check must catch.
    from matplotlib import font_manager

    dejavu = font_manager.findfont("DejaVu Sans")
    assert fonts.missing_glyphs(["进度 1,234"], dejavu) == {"进", "度"}


def test_no_cjk_font_fails_clearly(monkeypatch):
    monkeypatch.setattr(fonts, "CJK_FAMILIES", ("No Such Font",))
    fonts.chart_font.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="fonts-noto-cjk"):
            fonts.chart_font()
    finally:
        fonts.chart_font.cache_clear()


# ---------------------------------------------------------------- anju briefing


def test_cli_writes_docx_and_xlsx(demo_db, tmp_path, capsys):
    for suffix in ("docx", "xlsx"):
        out = tmp_path / f"bulletin.{suffix}"
        args = ["briefing", "--db", str(demo_db), "--programme", demo.PROGRAMME]
        assert main([*args, "--as-of", "2023-07-14", "--out", str(out)]) == 0
        result = json.loads(capsys.readouterr().out)
        assert result["out"] == str(out) and out.stat().st_size > 5000
        assert result["summary"].startswith("截至2023年7月14日")


def test_cli_rejects_unknown_format_and_programme(demo_db, tmp_path, capsys):
    args = ["briefing", "--db", str(demo_db), "--as-of", "2023-07-14"]
    assert main([*args, "--programme", demo.PROGRAMME, "--out", str(tmp_path / "x.pdf")]) == 2
    assert ".docx" in capsys.readouterr().err
    assert main([*args, "--programme", "nope", "--out", str(tmp_path / "x.docx")]) == 2
    assert "nope" in capsys.readouterr().err


def test_a_past_friday_is_reshown_as_it_was(demo_db):
    # The demo's records reach Anju 0–3 days late (some 2–3 weeks): the bulletin of 06-30
    # counts fewer installs than are known today for 06-30, and exactly its own.
    con = connect(demo_db)
    try:
        fetch = briefing.fetcher(con, None)
        b = briefing.build(fetch, demo.PROGRAMME, date(2023, 6, 30), known_at=date(2023, 6, 30))
        today = briefing.build(fetch, demo.PROGRAMME, date(2023, 6, 30))
        # the demo holds other programmes too (seeds 001–004): count Changning's own
        known_now = con.execute(
            "SELECT count(DISTINCT household_id) FROM installation"
            " WHERE programme_id = ? AND installed_on <= DATE '2023-06-30'",
            [demo.PROGRAMME],
        ).fetchone()[0]
        known_then = con.execute(
            "SELECT count(DISTINCT household_id) FROM installation WHERE programme_id = ?"
            " AND installed_on <= DATE '2023-06-30' AND recorded_at < DATE '2023-07-01'",
            [demo.PROGRAMME],
        ).fetchone()[0]
    finally:
        con.close()
    assert b.kpis["installed"] == known_then < known_now == today.kpis["installed"]


def test_the_late_uploaded_week_shows_as_a_slowdown_then_a_catch_up(demo_db):
    # data.demos.demo.BACKLOG_*: 周家桥's installs of 06-24..06-30 reached Anju on 07-10: as published
    # then, 06-30 shows the street flattening; by 07-14 the week is known and it is not.
    con = connect(demo_db)
    try:
        fetch = briefing.fetcher(con, None)
        june, july = (
            briefing.build(fetch, demo.PROGRAMME, day, known_at=day).ranking.set_index("street_id")
            for day in (date(2023, 6, 30), date(2023, 7, 14))
        )
    finally:
        con.close()
    assert june["slowed"].tolist().count(True) == 1 and june.loc["310105004", "slowed"]
    assert not july.loc["310105004", "slowed"]
    assert july.loc["310105004", "installed_week"] > june.loc["310105004", "installed_week"]


def test_charts_use_the_figure_api_not_shared_pyplot_state(demo_briefing):
    import threading

    import matplotlib
    import matplotlib.pyplot as plt

    before = (list(matplotlib.rcParams["font.family"]), matplotlib.rcParams["axes.unicode_minus"])
    pngs: list[bytes] = []

    def draw() -> None:  # Streamlit sessions draw in threads of one process
        pngs.append(charts.png_bytes(charts.burnup_figure(demo_briefing)))
        pngs.append(charts.png_bytes(charts.street_multiples_figure(demo_briefing)))

    threads = [threading.Thread(target=draw) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(pngs) == 8 and all(p.startswith(b"\x89PNG") for p in pngs)
    assert plt.get_fignums() == []  # nothing registered in pyplot
    assert (
        list(matplotlib.rcParams["font.family"]),
        matplotlib.rcParams["axes.unicode_minus"],
    ) == before


def test_english_summary_and_charts_for_the_page(demo_briefing):
    """The English page's paragraph and charts: the same facts, no Chinese but data names."""
    b = demo_briefing
    names = [b.programme_name, *b.ranking["street_name"]]

    def interface(text: str) -> str:
        for name in sorted(names, key=len, reverse=True):
            text = text.replace(name, "")
        return re.sub(r"[^\u3400-\u9fff\u3000-\u303f\uff01-\uff5e]", "", text)

    text = briefing_text.summary(b, "en")
    assert text.startswith("As of 14 July 2023, ") and interface(text) == ""
    assert f"{b.kpis['installed']:,} installed" in text
    assert f"{-b.behind.gap_to_plan.iloc[0]:,.0f} behind)" in text  # furthest behind named
    assert interface(briefing_text.basis(b, "en")) == ""
    assert [briefing_text.rank_change(v, "en") for v in (2, None)] == ["↑2", "new"]
    texts = charts.figure_texts(charts.burnup_figure(b, "en"))
    texts += charts.figure_texts(charts.street_multiples_figure(b, lang="en"))
    assert "Plan" in texts and "Installed" in texts
    assert [t for t in texts if interface(t)] == []
    # The files keep Chinese: the default is the bulletin's wording.
    assert briefing_text.summary(b).startswith("截至2023年7月14日")
