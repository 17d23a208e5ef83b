"""The audit export is complete: the page shows the newest 2,000 entries and says so, the Excel
download holds every entry that matches, however many."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import pytest

import queries
from dashboard.components import audit_view
from data.store import clock
from data.store.connection import connect
from data.store.unit_of_work import unit_of_work
from data.users import access
from tests.apptest import fetch_one, open_page

N = 2_620


@pytest.fixture
def busy_db(tiny_db):
    con = connect(tiny_db)
    with unit_of_work(con, "t_admin") as uow:
        for i in range(N):
            uow.audit("export", f"obj{i}", {"rows": i})
    con.close()
    return tiny_db


def _search(con, limit):
    return queries.run(
        con,
        "audit_search",
        actor=None,
        action="export",
        text=None,
        date_from=clock.today() - timedelta(days=30),
        date_to=clock.today(),
        limit=limit,
    )


def test_the_download_holds_every_matching_entry(busy_db):
    con = connect(busy_db)
    try:
        shown = _search(con, audit_view.SHOWN)
        assert len(shown) == audit_view.SHOWN and shown["total"].iloc[0] == N
        data = audit_view.export_bytes(
            lambda: _search(con, None), "zh", "审计日志", {"筛选": "export"}
        )
    finally:
        con.close()
    sheet = openpyxl.load_workbook(io.BytesIO(data))["审计日志"]
    ids = [r[0] for r in sheet.iter_rows(min_row=2, values_only=True) if isinstance(r[0], int)]
    assert len(ids) == N and len(set(ids)) == N


def test_the_page_says_the_table_is_cut_and_the_download_is_not(busy_db, monkeypatch):
    monkeypatch.setenv("ANJU_DB", str(busy_db))
    at = open_page(access.User("t_admin", "admin"), "dashboard/pages/audit.py", timeout=120)
    (total,) = fetch_one(busy_db, "SELECT count(*) FROM audit_log")  # N and the fixture's own
    captions = " ".join(c.value for c in at.caption)
    assert f"共 {total:,} 条" in captions and "最新的 2,000 条" in captions, captions
    assert f"包含全部 {total:,} 条" in captions, captions
