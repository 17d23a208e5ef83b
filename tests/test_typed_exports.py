"""Exports are typed: what a cadre opens in Excel sums, sorts and filters — numbers with number
formats, shares as fractions under a % format, dates as dates, yes/no as 是/否.

Each export is built from the frame its page shows (the page's own display function), so a page
that starts writing text where a number belongs fails here.
"""

from __future__ import annotations

import io
from datetime import date, datetime

import openpyxl
import pandas as pd

from dashboard.components import aftercare, overdue
from dashboard.components.coverage_table import coverage_frame
from data import batches
from documents import batch_docs, excel, tables


def _sheet(data: bytes, name: str):
    return openpyxl.load_workbook(io.BytesIO(data))[name]


def _column(ws, header: str, header_row: int = 1) -> list:
    heads = [c.value for c in ws[header_row]]
    j = heads.index(header) + 1
    return [ws.cell(r, j) for r in range(header_row + 1, ws.max_row + 1)]


def test_coverage_export_holds_counts_and_shares_not_points():
    stats = pd.DataFrame(
        {
            "street_name": ["华阳路街道"],
            "target": [800],
            "surveyed": [700],
            "installed": [497],
            "verified": [400],
            "completion": [497 / 800],
            "plan": [0.7],
            "plan_installed": [560],
            "gap_to_plan": [-63],
            "hazards_open": [3],
            "gas_cut": [1],
            "refused": [2],
        }
    )
    ws = _sheet(tables.excel_bytes(coverage_frame(stats, "street"), "覆盖", {}), "覆盖")
    (rate,) = _column(ws, "完成率")
    assert rate.value == 0.621 and rate.number_format == excel.PERCENT
    (target,) = _column(ws, "目标户数")
    assert target.value == 800 and target.number_format == excel.COUNT


def test_overdue_export_dates_are_dates():
    frame = pd.DataFrame(
        {
            "street_name": ["华阳路街道", "华阳路街道"],
            "household_id": ["H1", "H2"],
            "found_on": pd.to_datetime(["2023-05-02", "2023-05-09"]),
            "due_on": pd.to_datetime(["2023-05-16", None]),
            "gas_type": ["piped", "lpg"],
        }
    )
    shown = overdue._shown(frame, ["street_name", "household_id", "found_on", "due_on"])
    ws = _sheet(tables.excel_bytes(shown, "逾期", {}), "逾期")
    found = _column(ws, overdue.column_headers()["found_on"])
    assert [c.value for c in found] == [datetime(2023, 5, 2), datetime(2023, 5, 9)]
    assert {c.number_format for c in found} == {excel.DATE}
    due = _column(ws, overdue.column_headers()["due_on"])
    assert due[0].value == datetime(2023, 5, 16) and due[1].value is None
    # 户号 stays text even though it looks like a code
    assert _column(ws, overdue.column_headers()["household_id"])[0].value == "H1"


def test_service_export_times_are_datetimes_and_hours_numbers(monkeypatch):
    monkeypatch.setattr(aftercare.context, "present_people", lambda frame, page: frame)
    frame = pd.DataFrame(
        {
            "event_id": ["E1"],
            "kind": ["repair"],
            "reported_at": [pd.Timestamp("2022-04-02 08:30")],
            "responded_at": [pd.Timestamp("2022-04-02 09:05")],
            "resolved_at": [pd.NaT],
            "street_name": ["岳阳街道"],
            "community_name": ["某社区"],
            "address": ["某路1号"],
            "source": ["hotline"],
            "handler": ["抢修一班"],
            "outcome": [None],
            "response_due": [pd.Timestamp("2022-04-02 09:30")],
            "resolution_due": [pd.Timestamp("2022-04-03 08:30")],
            "hours_overdue": [5.5],
        }
    )
    table = aftercare.service_table(frame, "service")
    ws = _sheet(tables.excel_bytes(table, "超时事件", {}), "超时事件")
    heads = [c.value for c in ws[1]]
    reported = ws.cell(2, heads.index(table.columns[2]) + 1)
    assert reported.value == datetime(2022, 4, 2, 8, 30)
    assert reported.number_format == excel.DATETIME
    hours = ws.cell(2, heads.index(table.columns[-1]) + 1)
    assert hours.value == 5.5 and hours.number_format == excel.DECIMAL


def test_roster_export_dates_and_sequence_are_typed():
    items = pd.DataFrame(
        {
            "household_id": ["H1"],
            "street_name": ["西街道"],
            "community_name": ["东北社区"],
            "address": ["某路1号"],
            "loc_level": ["building"],
            "name": ["张三"],
            "phone": ["13800001111"],
            "gas_type": ["piped"],
            "device_name": ["管道燃气技防设施"],
            "day": [date(2024, 5, 6)],
            "crew": [1],
            "seq": [1],
        }
    )
    data = batch_docs.roster_xlsx(batches.roster(items), "花名册", {})
    ws = _sheet(data, batch_docs.ROSTER_SHEET)
    (day,) = _column(ws, "计划日期", header_row=2)
    assert day.value == datetime(2024, 5, 6) and day.number_format == excel.DATE
    (n,) = _column(ws, "序号", header_row=2)
    assert n.value == 1 and n.number_format == excel.COUNT
    (phone,) = _column(ws, "联系电话", header_row=2)
    assert phone.value == "13800001111"  # a phone number is text, never a number


def test_booleans_are_shi_fou_and_share_text_is_a_fraction():
    frame = pd.DataFrame({"支付方": ["区财政"], "分担比例": ["100%"], "停气": [True]})
    ws = _sheet(tables.excel_bytes(frame, "表", {}), "表")
    assert ws["B2"].value == 1 and ws["B2"].number_format == excel.PERCENT
    assert ws["C2"].value == "是"
