"""A household's own money records: its resident share collected by the community, or its
opting out (seed 002 三: a household with unexpired devices may decline); and the residents' list
of a settlement, one page at a time."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pandas as pd

import queries
from data.messages import UserError, UserPermissionError
from data.money import finance_rules
from data.money.settlement import FEN, RESIDENT, RESIDENT_COLUMNS, Summary, _period
from data.store import audit, clock
from data.users import access


def residents_page(
    con: duckdb.DuckDBPyConnection,
    result: Summary,
    street_ids: list[str] | None,
    limit: int,
    offset: int = 0,
) -> tuple[pd.DataFrame, int]:
    """One page of `compute(...).residents` for the same period (same rows, order and amounts)
    and the whole list's length."""
    rules = finance_rules.load(con, result.programme_id)
    shares = {r["item"]: r["share"] for r in result.payers if r["payer"] == RESIDENT}
    if not rules.resident_share_collected_by or not shares:
        return pd.DataFrame(columns=RESIDENT_COLUMNS), 0
    _, start, end, only, checked = _period(
        rules, result.period, result.accepted_months_only, result.checked_only
    )
    rows = queries.run(
        con,
        "settlement_residents_page",
        programme_id=result.programme_id,
        start=start,
        end=end,
        street_ids=street_ids,
        accepted_only=only,
        checked_only=checked,
        items=list(shares),
        num=[s.numerator for s in shares.values()],
        den=[s.denominator for s in shares.values()],
        limit=limit,
        offset=offset,
    )
    total = int(rows["total_rows"].iloc[0]) if len(rows) else 0
    out = [
        {
            "户号": r.household_id,
            "应收（元）": Decimal(int(r.owed_fen)).scaleb(-2),
            "收取状态": "已收取" if isinstance(r.amount_cny, str) else "未收取",
            "实收（元）": Decimal(r.amount_cny) if isinstance(r.amount_cny, str) else None,
            "收取日期": pd.Timestamp(r.collected_on).date()
            if isinstance(r.amount_cny, str)
            else None,
            "收取单位": _collector(r, rules.resident_share_collected_by),
        }
        for r in rows.itertuples()
    ]
    return pd.DataFrame(out, columns=RESIDENT_COLUMNS), total


def _collector(r, default: str) -> str | None:
    """收取单位 as compute shows it: the payment's collector, else the programme's; a payment
    recorded without a collector shows none (compute reads it as NaN, which `or` keeps)."""
    if not isinstance(r.amount_cny, str):
        return default
    if not isinstance(r.collected_by, str):
        return None
    return r.collected_by or default


def _known(con: duckdb.DuckDBPyConnection, programme_id: str, household_id: str) -> None:
    if not queries.call(
        con, "settlement.household_exists", programme_id=programme_id, household_id=household_id
    ).fetchone():
        raise UserError("settlement.unknown_household", household=household_id)


def _once(con, statement: str, programme_id: str, household_id: str, what: str) -> None:
    if queries.call(
        con, statement, programme_id=programme_id, household_id=household_id
    ).fetchone():
        raise UserError(what, household=household_id)


def record_resident_payment(
    con: duckdb.DuckDBPyConnection,
    user: access.User,
    programme_id: str,
    household_id: str,
    amount_cny: Decimal,
    collected_on,
    collected_by: str | None,
) -> None:
    """Record that the community collected a household's resident share (audit-logged)."""
    if not access.can(user, "settlement", access.W):
        raise UserPermissionError("settlement.payment_right", username=user.username)
    _known(con, programme_id, household_id)
    amount = Decimal(str(amount_cny))
    if amount <= 0 or amount != amount.quantize(FEN):
        raise UserError("settlement.bad_amount", amount=amount_cny)
    _once(con, "settlement.paid", programme_id, household_id, "settlement.already_paid")
    audit.logged_call(
        con,
        user.username,
        "resident_payment",
        f"{programme_id}:{household_id}",
        {"amount_cny": str(amount), "collected_on": collected_on, "by": collected_by},
        "settlement.insert_payment",
        programme_id=programme_id,
        household_id=household_id,
        amount_cny=amount,
        collected_on=collected_on,
        collected_by=collected_by,
        recorded_by=user.username,
        recorded_at=clock.now(),
    )


def record_opt_out(
    con: duckdb.DuckDBPyConnection,
    user: access.User,
    programme_id: str,
    household_id: str,
    reason: str,
    opted_out_on=None,
) -> None:
    """Record that a household opted out (seed 002 三), with its reason (audit-logged)."""
    if not access.can(user, "settlement", access.W):
        raise UserPermissionError("settlement.opt_out_right", username=user.username)
    _known(con, programme_id, household_id)
    reason = (reason or "").strip()
    if not reason:
        raise UserError("settlement.opt_out_reason")
    _once(con, "settlement.opted_out", programme_id, household_id, "settlement.already_opted_out")
    audit.logged_call(
        con,
        user.username,
        "opt_out",
        f"{programme_id}:{household_id}",
        {"reason": reason},
        "settlement.insert_opt_out",
        programme_id=programme_id,
        household_id=household_id,
        reason=reason,
        opted_out_on=opted_out_on,
        recorded_by=user.username,
        recorded_at=clock.now(),
    )
