"""Spot-check results (抽查结果) and the gas company's confirmation table (确认表).

Both are finance work (page 资金结算): the import right comes from that page. Spot-check rows
must name a household of a draw; confirmation rows name a household, or a street with a count.
Importing a confirmation table also records the receipt of the programme's periodic report for
each month it covers, so the 逾期 list of late reports clears.
"""

from __future__ import annotations

import duckdb

import queries
from data.importing import parse
from data.importing.core import Context, KindSpec
from data.importing.events import _resolve
from data.importing.results import Planned
from data.money import finance_rules, spot_checks
from data.store import clock

DEFAULT_REPORT = "加装报警器确认表"  # seed 000 六


def prepare_spot_checks(ctx: Context, records: list[tuple[int, dict]]) -> list[Planned]:
    """One result per household and check date; only households of a draw."""
    sampled = spot_checks.sampled(ctx.con, ctx.programme_id)
    col = {f: c for c, f in ctx.mapping.items()}
    today = clock.today()
    out = []
    for row_no, hid, _home, rec in _resolve(ctx, records):
        if hid not in sampled:
            ctx.reject(row_no, col.get("household_id"), f"户号「{hid}」不在本项目的抽查样本中")
        elif rec["result"] == "不合格" and not parse.text(rec.get("failed_items")):
            ctx.reject(row_no, col.get("failed_items"), "不合格时须填写不合格项")
        elif rec["checked_on"] > today:
            ctx.reject(row_no, col.get("checked_on"), f"抽查日期 {rec['checked_on']} 晚于今天")
        else:
            out.append(Planned(row_no, (hid, rec.pop("checked_on")), rec))
    return out


def _streets(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    rows = queries.call(con, "import_checks.streets").fetchall()
    out = {}
    for rid, name in rows:
        for key in (rid, name, name.removesuffix("街道"), name.removesuffix("镇")):
            out[parse.norm_key(key)] = rid
    return out


def prepare_confirmations(ctx: Context, records: list[tuple[int, dict]]) -> list[Planned]:
    """Household rows (户号 or name + address) count 1; street rows carry 确认户数."""
    col = {f: c for c, f in ctx.mapping.items()}
    streets = _streets(ctx.con)
    per_home, out = [], []
    for row_no, rec in records:
        if any(rec.get(f) for f in ("household_id", "name")):
            per_home.append((row_no, rec))
            continue
        street = parse.text(rec.get("street"))
        sid = streets.get(parse.norm_key(street)) if street else None
        if sid is None:
            why = f"街道「{street}」不是本区的街道" if street else "须填写户号（或姓名）或街道"
            ctx.reject(row_no, col.get("street"), why)
        elif ctx.user.role == "street" and sid != ctx.user.street_id:
            ctx.reject(row_no, col.get("street"), "不是您所在的街道，不能导入")
        elif rec.get("confirmed_count") is None:
            ctx.reject(row_no, col.get("confirmed_count"), "按街道汇总的行须填写确认户数")
        else:
            values = {"confirmed_count": rec["confirmed_count"]}
            values["confirmed_on"] = rec.get("confirmed_on")
            out.append(Planned(row_no, (rec["period"], "", sid), values))
    for row_no, hid, home, rec in _resolve(ctx, per_home):
        values = {"confirmed_count": 1, "confirmed_on": rec.get("confirmed_on")}
        out.append(Planned(row_no, (rec["period"], hid, home[4] or ""), values))
    return out


def record_receipts(con: duckdb.DuckDBPyConnection, programme_id: str, keys: list[tuple]) -> dict:
    """A report_receipt for each confirmed month that has none (same transaction as the import)."""
    report = finance_rules.load(con, programme_id).report_name or DEFAULT_REPORT
    added = queries.call(
        con,
        "import_checks.record_receipts",
        programme_id=programme_id,
        report=report,
        recorded_at=clock.now(),
    ).fetchall()
    return {"report_receipts": sorted(r[0] for r in added)}


SPOT_CHECKS = KindSpec(
    "spot_check_result",
    ("household_id", "checked_on"),
    prepare_spot_checks,
    page="settlement",
)
CONFIRMATIONS = KindSpec(
    "gas_confirmation",
    ("period", "household_id", "street_id"),
    prepare_confirmations,
    record_receipts,
    page="settlement",
)
