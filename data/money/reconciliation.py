"""Reconciliation with the gas company (seed 000 六: 加装报警器确认表 by the 25th) and report receipts.

The confirmation table comes in by import (kind `confirmations`), per household or per street
with a count; Anju compares it with the month's installations. Receipts of the programme's
periodic reports (确认表, 花名册, 月度统计表) go to `report_receipt`, which the 逾期 page reads.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

import queries
from data.money import finance_rules
from data.store import audit, clock
from data.store.unit_of_work import unit_of_work
from data.users import access


def households(
    con: duckdb.DuckDBPyConnection, programme_id: str, month: str, street_ids: list[str] | None
) -> pd.DataFrame:
    """Household-by-household differences: 确认未录入 and 录入未确认."""
    start, end = finance_rules.month_bounds(month)
    return queries.run(
        con,
        "reconciliation_households",
        programme_id=programme_id,
        period=month,
        month_start=start,
        month_end=end,
        street_ids=street_ids,
    )


def streets(
    con: duckdb.DuckDBPyConnection, programme_id: str, month: str, street_ids: list[str] | None
) -> pd.DataFrame:
    """Per street: confirmed by the gas company, recorded in Anju, difference (NULL: no table)."""
    start, end = finance_rules.month_bounds(month)
    return queries.run(
        con,
        "reconciliation_streets",
        programme_id=programme_id,
        period=month,
        month_start=start,
        month_end=end,
        street_ids=street_ids,
    )


def record_receipt(
    con: duckdb.DuckDBPyConnection,
    user: access.User,
    programme_id: str,
    report: str,
    period: str,
    received_on: date,
    note: str | None = None,
) -> None:
    """Record that a periodic report arrived (audit-logged); the 逾期 late-report list clears."""
    if not access.can(user, "settlement", access.W):
        raise PermissionError(f"用户 {user.username} 没有登记报表收到的权限。")
    finance_rules.month_bounds(period)
    report = (report or "").strip()
    if not report:
        raise ValueError("须填写报表名称")
    if received_on > clock.today():
        raise ValueError(f"收到日期 {received_on} 晚于今天")
    with unit_of_work(con, user.username):
        if queries.call(
            con,
            "reconciliation.receipt_exists",
            programme_id=programme_id,
            report=report,
            period=period,
        ).fetchone():
            raise ValueError(f"{period}「{report}」已登记收到")
        audit.logged_call(
            con,
            user.username,
            "report_receipt",
            f"{programme_id}:{report}:{period}",
            {"received_on": received_on, "note": note},
            "reconciliation.insert_receipt",
            programme_id=programme_id,
            report=report,
            period=period,
            received_on=received_on,
            received_by=user.username,
            note=note,
            recorded_at=clock.now(),
        )
