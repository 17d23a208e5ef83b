"""A programme's finance rules (seed [rules] keys agreed in TEMPLATE_KEYS) and period arithmetic."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date

import duckdb

import queries

DEFAULT_ACCEPTANCE_BY = "区领导小组办公室"


@dataclass(frozen=True)
class Rules:
    """The settlement and spot-check rules of one programme, with the agreed defaults."""

    programme_id: str
    name: str
    spot_check_rate: float | None
    spot_check_scope: str
    spot_check_by: str | None
    payment_cycle: str
    acceptance_by: str
    settlement_requires_acceptance: bool
    settlement_requires_spot_check: bool
    opt_out_if_under_warranty: bool
    resident_share_collected_by: str | None
    report_name: str | None
    report_day: int | None


def load(con: duckdb.DuckDBPyConnection, programme_id: str) -> Rules:
    """Read the rules from programme.settings; ValueError with a Chinese message if unknown."""
    row = queries.call(con, "finance_rules.programme", programme_id=programme_id).fetchone()
    if row is None:
        raise ValueError(f"没有编号为「{programme_id}」的项目。")
    name, rate, report_day, settings = row
    rules = (json.loads(settings) if settings else {}).get("rules", {})
    return Rules(
        programme_id=programme_id,
        name=name,
        spot_check_rate=rules.get("spot_check_rate", rate),
        spot_check_scope=rules.get("spot_check_scope", "当月完工"),
        spot_check_by=rules.get("spot_check_by"),
        payment_cycle=rules.get("payment_cycle", "monthly"),
        acceptance_by=rules.get("acceptance_by", DEFAULT_ACCEPTANCE_BY),
        settlement_requires_acceptance=bool(rules.get("settlement_requires_acceptance", False)),
        # Seeds 000/002 pay "根据审核结果": where a programme samples its work, a month is paid
        # only once its sample is checked, unless the programme says otherwise.
        settlement_requires_spot_check=bool(
            rules.get("settlement_requires_spot_check", bool(rules.get("spot_check_rate", rate)))
        ),
        opt_out_if_under_warranty=bool(rules.get("opt_out_if_under_warranty", False)),
        resident_share_collected_by=rules.get("resident_share_collected_by"),
        report_name=rules.get("report_name"),
        report_day=rules.get("report_day", report_day),
    )


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)


def month_bounds(month: str) -> tuple[date, date]:
    """'2024-07' → (2024-07-01, 2024-08-01): start inclusive, end exclusive."""
    m = _MONTH.match(month or "")
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"月份「{month}」格式不对，应为 YYYY-MM，例如 2023-07。")
    y, mo = int(m.group(1)), int(m.group(2))
    return date(y, mo, 1), date(y + mo // 12, mo % 12 + 1, 1)


def period_months(period: str) -> list[str]:
    """'2024-07' → ['2024-07']; '2024-Q3' → ['2024-07', '2024-08', '2024-09']."""
    q = _QUARTER.match(period or "")
    if q:
        y, n = int(q.group(1)), int(q.group(2))
        return [f"{y}-{m:02d}" for m in range(3 * n - 2, 3 * n + 1)]
    month_bounds(period)  # validates
    return [period]


def period_bounds(period: str) -> tuple[date, date]:
    """Start (inclusive) and end (exclusive) of a month or quarter."""
    months = period_months(period)
    return month_bounds(months[0])[0], month_bounds(months[-1])[1]


def normal_period(period: str) -> str:
    """'2024-q3' → '2024-Q3'; months unchanged."""
    return period.upper() if _QUARTER.match(period or "") else period


def period_of(day: date, cycle: str) -> str:
    """The payment period containing a day: '2024-07' (monthly) or '2024-Q3' (quarterly)."""
    if cycle == "quarterly":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


def periods(starts: date, until: date, cycle: str) -> list[str]:
    """Payment periods from the programme start to `until`, newest first."""
    out: list[str] = []
    y, m = starts.year, starts.month
    while (y, m) <= (until.year, until.month):
        p = period_of(date(y, m, 1), cycle)
        if p not in out:
            out.append(p)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out[::-1]


def months(starts: date, until: date) -> list[str]:
    """Months from the programme start to `until`, newest first."""
    return periods(starts, until, "monthly")
