"""The demo's spot checks and acceptances (seed 000 五): a district four months into its programme.

Months before June are drawn, checked by the streets (a few installations fail) and re-confirmed
by the district street by street; June is drawn, half its streets have recorded their results and
submitted, none is re-confirmed yet; July is in progress and not drawn. 资金结算 thus shows every
state of the rule "根据审核结果每月拨付": paid, 待核验 (sample not fully checked), not drawn.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import duckdb
import numpy as np

import queries
from data.demos.demo_district import DEMO_ACTOR
from data.money import acceptance, finance_rules, spot_checks
from data.users import access

CHECKED_BEFORE = "2023-06"  # months before this are checked and re-confirmed
PARTIAL = "2023-06"  # drawn; half of its streets have checked and submitted
FAIL_SHARE = 0.04
FAILED_ITEMS = "报警器安装位置不符合要求"
STREAM = 31  # this module's random stream, apart from the others the demo draws


def add(con: duckdb.DuckDBPyConnection, programme_id: str, seed: int, as_of: date) -> dict:
    """Draw, check and accept the demo's past months; return counts."""
    rng = np.random.default_rng(seed + STREAM)
    office = access.User(DEMO_ACTOR, "admin")
    starts = date(as_of.year, 2, 1)
    months = sorted(m for m in finance_rules.months(starts, as_of) if m <= PARTIAL)
    results = 0
    checked_in_partial: set[str] = set()
    for n, month in enumerate(months):
        drawn = spot_checks.draw(con, programme_id, month, office, seed=seed + n)
        streets = [s for s in drawn["strata"] if s["sample_size"]]
        if month == PARTIAL:
            streets = streets[: len(streets) // 2]
            checked_in_partial = {s["street"] for s in streets}
        _, end = finance_rules.month_bounds(month)
        checked_on = min(end + timedelta(days=4), as_of - timedelta(days=1))
        rows = [
            {
                "programme_id": programme_id,
                "household_id": hid,
                "checked_on": checked_on,
                "result": "不合格" if failed else "合格",
                "failed_items": FAILED_ITEMS if failed else None,
                "inspector": f"{s['street']}抽查组",
                "note": None,
                "photos": None,
                "recorded_by": DEMO_ACTOR,
                "recorded_at": datetime.combine(checked_on, datetime.min.time()),
            }
            for s in streets
            for hid, failed in zip(
                s["households"], rng.random(len(s["households"])) < FAIL_SHARE, strict=True
            )
        ]
        queries.call_many(con, "spot_checks.insert_result", rows)
        results += len(rows)
    accepted = submitted = 0
    for month, street_id, street in queries.call(
        con, "demo.verified_streets", programme_id=programme_id
    ).fetchall():
        if month > PARTIAL or (month == PARTIAL and street not in checked_in_partial):
            continue
        acceptance.record(con, office, programme_id, street_id, month, "submitted")
        submitted += 1
        if month < CHECKED_BEFORE:
            acceptance.record(con, office, programme_id, street_id, month, "accepted")
            accepted += 1
    return {"draws": len(months), "results": results, "submitted": submitted, "accepted": accepted}
