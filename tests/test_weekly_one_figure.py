"""One figure everywhere: the 周报 page, the Word 周通报 and the Excel tables print the same
weekly pace, the same gap to plan (with the streets' 合计 adding up to it, or a note saying why),
an issue number counted from 1, and each date's own weekday."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from data.demos import demo
from data.reporting import briefing, briefing_text, bulletins
from data.store.connection import connect
from data.users import access
from documents import bulletin as files
from tests import apptest
from tests.test_new_district import district  # noqa: F401 (the new district fixture)

LEADER = access.User("t_leader", "leader")
PNG = b""  # the files are read for their words: no chart needed


def _build(db: Path, pid: str, as_of: date) -> briefing.Briefing:
    con = connect(db)
    try:
        return briefing.build(briefing.fetcher(con, None), pid, as_of)
    finally:
        con.close()


def _docx(b: briefing.Briefing) -> tuple[str, list[list[str]]]:
    doc = Document(io.BytesIO(files.docx_bytes(b, _tiny_png())))
    text = "\n".join(p.text for p in doc.paragraphs)
    rows = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    return text, rows


def _tiny_png() -> bytes:
    # A 1×1 PNG: python-docx needs a real picture, drawing the burn-up is slow.
    import base64

    return base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
    )


def _xlsx(b: briefing.Briefing):
    return load_workbook(io.BytesIO(files.xlsx_bytes(b)))


def _about(wb) -> dict[str, str]:
    return {r[0].value: r[1].value for r in wb["说明"].iter_rows(min_row=2)}


def _check_files_agree(b: briefing.Briefing) -> None:
    p, k = b.projection, b.kpis
    summary = briefing_text.summary(b)
    text, rows = _docx(b)
    wb = _xlsx(b)
    about = _about(wb)
    # The pace the deadline needs and the recent rate: one integer each, everywhere.
    assert f"平均每周安装{p.weekly_installs:,}户" in summary
    assert f"平均每周安装 {p.weekly_installs:,} 户" in about["预测"]
    if p.needed_weekly is not None:
        assert f"每周需安装{p.needed_weekly:,}户" in summary
        assert f"每周需安装{p.needed_weekly:,}户" in text
        assert about["按期需每周安装"] == f"{p.needed_weekly:,}"
    # The gap to plan: summary, KPI sheet, 合计 rows of Word and Excel.
    gap = k["gap_to_plan"]
    assert briefing_text.against_plan(gap) in summary
    assert "超出计划0户" not in summary
    kpi = {r[0].value: r[1].value for r in wb["摘要"].iter_rows(min_row=5) if r[0].value}
    assert kpi["较计划（户）"] == gap
    total = briefing_text.ranking_total(b)
    if total is not None:
        street_sum = int(b.ranking["gap_to_plan"].sum())
        assert rows[-1][1] == "合计" and rows[-1][6] == f"{street_sum:+,}"
        sheet = list(wb[f"{b.levels['street']}排名"].iter_rows(values_only=True))
        header = list(sheet[0])
        assert sheet[-1][header.index("较计划（户）")] == street_sum
        if street_sum == gap:
            assert briefing_text.total_note(b) is None
        else:
            note = briefing_text.total_note(b)
            assert note and note in text and note in about["合计行"]
    # 周进度's last point is the cards' 按计划应完成.
    assert int(b.series["plan_installed"].iloc[-1]) == k["plan_installed"]


def _page(db: Path, monkeypatch, pid: str):
    monkeypatch.setenv("ANJU_DB", str(db))
    at = apptest.open_page(
        LEADER, "dashboard/pages/weekly.py", timeout=180, state={"programme_id": pid}
    )
    as_of = at.date_input(key="weekly_as_of").value
    return at, as_of


def _check_page_agrees(at, b: briefing.Briefing) -> None:
    p = b.projection
    shown = {m.label: m.value for m in at.metric}
    assert shown["较计划（户）"] == f"{b.kpis['gap_to_plan']:+,}"
    assert shown["近4周平均每周安装"] == f"{p.weekly_installs:,} 户"
    if p.needed_weekly is not None:
        assert shown["按期完成每周需安装"] == f"{p.needed_weekly:,} 户"
        captions = " ".join(c.value for c in at.caption)
        assert f"每周需安装{p.needed_weekly:,}户" in captions
        assert f"每周需安装{p.needed_weekly:,}户" in at.info[0].value
    assert briefing_text.against_plan(b.kpis["gap_to_plan"]) in at.info[0].value
    assert at.date_input(key="weekly_as_of").label == "统计日期"  # no weekday it may not have


@pytest.mark.parametrize("pid", [demo.PROGRAMME, "wushen_2024"])
def test_page_word_and_excel_agree_on_the_demo(demo_db, monkeypatch, pid):
    at, as_of = _page(demo_db, monkeypatch, pid)
    b = _build(demo_db, pid, as_of)
    assert b.projection.needed_weekly is not None  # the pace is printed and so checked
    _check_page_agrees(at, b)
    _check_files_agree(b)


def test_the_needed_pace_is_rounded_up_once_on_the_demo(demo_db):
    # 乌审旗 on 2024-07-12: 24,992 left, 171 days → 1,023.06 a week: 1,024 (1,023 misses it).
    b = _build(demo_db, "wushen_2024", date(2024, 7, 12))
    p = b.projection
    assert (p.remaining, (p.deadline - p.window_end).days) == (24_992, 171)
    assert p.needed_weekly == 1_024
    assert p.needed_weekly * (171 / 7) >= p.remaining > (p.needed_weekly - 1) * (171 / 7)


def test_page_word_and_excel_agree_on_a_new_district(district, monkeypatch):  # noqa: F811
    # Every household lies in a 苏木镇: the streets' gaps add up to the district's on every
    # Friday (rounding the whole target once gave 0 beside a 合计 of −1 on 2 May).
    for day in (date(2025, 4, 18), date(2025, 5, 2), date(2025, 7, 4), date(2025, 9, 5)):
        other = _build(district, "testqi_2025", day)
        assert other.kpis["gap_to_plan"] == int(other.ranking["gap_to_plan"].sum()), day
        _check_files_agree(other)
    at, as_of = _page(district, monkeypatch, "testqi_2025")
    b = _build(district, "testqi_2025", as_of)
    _check_page_agrees(at, b)
    _check_files_agree(b)
    assert briefing_text.total_note(b) is None


def test_issues_are_numbered_from_one(demo_copy):
    con = connect(demo_copy)
    try:
        fetch = briefing.fetcher(con, None)
        draft = briefing.build(fetch, demo.PROGRAMME, demo.AS_OF)
        assert files.issue_number(draft) == 1  # never the weeks reported so far
        assert "第1期" in _docx(draft)[0]
        done = bulletins.publish(con, demo.PROGRAMME, demo.AS_OF, "t_leader")
        assert done["issue_no"] == 1
        issued = bulletins.reshow(fetch, bulletins.issue(con, demo.PROGRAMME, 1))
        assert "第1期" in _docx(issued)[0]
        # The same week's draft keeps its place; the next week's is the second issue.
        assert files.issue_number(briefing.build(fetch, demo.PROGRAMME, demo.AS_OF)) == 1
        week = demo.AS_OF + timedelta(days=7)
        assert files.issue_number(briefing.build(fetch, demo.PROGRAMME, week)) == 2
        assert bulletins.publish(con, demo.PROGRAMME, week, "t_leader")["issue_no"] == 2
    finally:
        con.close()


def test_each_date_prints_its_own_weekday(demo_db):
    saturday = date(2023, 7, 15)
    assert saturday.weekday() == 5
    b = _build(demo_db, demo.PROGRAMME, saturday)
    rows = list(_xlsx(b)["周进度"].iter_rows(values_only=True))
    header = list(rows[0])
    assert "周末（周五）" not in header
    days = [(r[header.index("截止日期")], r[header.index("星期")]) for r in rows[1:]]
    names = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
    assert all(names[d.weekday()] == w for d, w in days)
    assert days[-1][1] == "周六" and {w for _, w in days[:-1]} == {"周五"}
