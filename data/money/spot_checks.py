"""Spot checks (抽查): draw a month's sample by the programme's rule, record results, re-checks.

Seed 000 五: streets check 3% of the month's completed installs (当月完工); seed 002 七: 30% of
the month's signed confirmation slips (当月确认单). The sample is stratified by street:
ceil(rate × population) households per street, spread over the street's installers in
proportion (largest remainder) where installers are recorded, so every crew is looked at without
inflating the rate. The draw is reproducible: each installer group is sampled by
`random.Random("seed|street|installer")` from its households in id order.
"""

from __future__ import annotations

import hashlib
import math
import random
import secrets
from collections import defaultdict
from datetime import date

import duckdb

import queries
from data.messages import UserError, UserPermissionError
from data.money import finance_rules
from data.store import audit, clock
from data.store.unit_of_work import unit_of_work
from data.users import access

RESULTS = ("合格", "不合格")
PAGE = "spot_check"
# Who checks, as a programme names it (spot_check_by): these words mean the street level.
STREET_LEVEL = ("街", "镇", "乡", "苏木")


class DrawExists(UserError):
    """The month already has a draw; drawing again needs a reason."""


def _allocate(total: int, sizes: dict[str, int]) -> dict[str, int]:
    """Split `total` over groups in proportion to their sizes (largest remainder, ties by name)."""
    n = sum(sizes.values())
    exact = {g: total * s / n for g, s in sizes.items()}
    out = {g: math.floor(v) for g, v in exact.items()}
    left = total - sum(out.values())
    for g in sorted(sizes, key=lambda g: (-(exact[g] - out[g]), g))[:left]:
        out[g] += 1
    return out


def sample(population: list[dict], rate: float, seed: int) -> list[dict]:
    """Strata (one per street) with population, sample size and the drawn household ids.

    Pure: `population` rows carry household_id, street_id, street_name, installer (or None).
    """
    by_street: dict[tuple, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in population:
        key = (row["street_name"], row["street_id"] or "")
        by_street[key][row["installer"] or ""].append(row["household_id"])
    strata = []
    for (street_name, street_id), groups in sorted(by_street.items()):
        size = sum(len(v) for v in groups.values())
        want = min(size, math.ceil(round(rate * size, 9)))  # 0.03 × 100 is 3, not 3.0000000004
        quota = _allocate(want, {g: len(v) for g, v in groups.items()})
        drawn = []
        for installer in sorted(groups):
            ids = sorted(groups[installer])
            rng = random.Random(f"{seed}|{street_id}|{installer}")
            drawn.extend(sorted(rng.sample(ids, quota[installer])))
        strata.append(
            {
                "street": street_name,
                "street_id": street_id or None,
                "population": size,
                "sample_size": len(drawn),
                "households": drawn,
                "installers": {g: quota[g] for g in sorted(groups) if g},
            }
        )
    return strata


def street_checks(rules: finance_rules.Rules) -> bool:
    """Whether the programme has the streets check their own work (seed 000: 街镇)."""
    return any(word in (rules.spot_check_by or "") for word in STREET_LEVEL)


def may_check(user: access.User | None, rules: finance_rules.Rules) -> bool:
    """Whether this user may draw and record spot checks on this programme: finance and admin
    always, a street user for its own street where the programme gives the checks to streets."""
    if user is None or not access.can(user, PAGE, access.W):
        return False
    return user.role != "street" or street_checks(rules)


def draw(
    con: duckdb.DuckDBPyConnection,
    programme_id: str,
    month: str,
    user: access.User,
    seed: int | None = None,
    reason: str | None = None,
) -> dict:
    """Draw and store the month's sample; return {programme_id, month, seed, strata, ...}.

    A street user draws its own street's stratum only. A second draw covering the same streets
    raises DrawExists unless a reason is given; the earlier draws stay stored, for each street
    the latest draw that covers it is in force.
    """
    rules = finance_rules.load(con, programme_id)
    if not may_check(user, rules):
        raise UserPermissionError("spot.draw_right", username=user.username)
    if not rules.spot_check_rate:
        raise UserError("spot.no_rate", programme=rules.name)
    start, end = finance_rules.month_bounds(month)
    streets = [user.street_id] if user.role == "street" else None
    reason = (reason or "").strip() or None
    before = queries.call(
        con, "spot_checks.draw_count", programme_id=programme_id, month=month, street_ids=streets
    ).fetchone()[0]
    if before and not reason:
        raise DrawExists("spot.drawn", month=month)
    if seed is None:
        seed = secrets.randbelow(2**31)
    population = queries.run(
        con,
        "spot_check_population",
        programme_id=programme_id,
        month_start=start,
        month_end=end,
        scope=rules.spot_check_scope,
        street_ids=streets,  # the whole district, or the street drawing its own
    ).to_dict("records")
    population = [{k: (None if v != v else v) for k, v in r.items()} for r in population]
    strata = sample(population, rules.spot_check_rate, seed)
    now = clock.now()
    with unit_of_work(con, user.username):
        draw_id = queries.call(
            con,
            "spot_checks.insert_draw",
            programme_id=programme_id,
            month=month,
            seed=seed,
            rate=rules.spot_check_rate,
            scope=rules.spot_check_scope,
            population=len(population),
            sample_size=sum(s["sample_size"] for s in strata),
            drawn_by=user.username,
            drawn_at=now,
            reason=reason,
        ).fetchone()[0]
        installer_of = {r["household_id"]: r["installer"] for r in population}
        rows = [
            {
                "draw_id": draw_id,
                "programme_id": programme_id,
                "household_id": hid,
                "street_id": s["street_id"],
                "installer": installer_of.get(hid),
            }
            for s in strata
            for hid in s["households"]
        ]
        queries.call_many(con, "spot_checks.insert_sample", rows)
        audit.log(
            con,
            user.username,
            "spot_check_draw",
            f"{programme_id}:{month}",
            {
                "draw_id": draw_id,
                "seed": seed,
                "population": len(population),
                "sample_size": len(rows),
                "redraw": bool(before),
                "reason": reason,
                "streets": streets,
                # `anju check` recomputes this from the stored sample: an edited sample shows
                "sample_digest": sample_digest(rows),
            },
        )
    return {
        "programme_id": programme_id,
        "month": month,
        "seed": seed,
        "strata": [
            {k: s[k] for k in ("street", "population", "sample_size", "households")} for s in strata
        ],
        "draw_id": draw_id,
        "rate": rules.spot_check_rate,
        "scope": rules.spot_check_scope,
        "installers": {s["street"]: s["installers"] for s in strata},
    }


def sample_digest(rows: list[dict]) -> str:
    """SHA-256 of a draw's sample (household, street, installer per line, in household order)."""
    lines = sorted(
        f"{r['household_id']}|{r['street_id'] or ''}|{r['installer'] or ''}" for r in rows
    )
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def differences(con: duckdb.DuckDBPyConnection, limit: int = 20) -> tuple[int, list[tuple]]:
    """Draws whose stored sample no longer matches the digest logged when it was drawn:
    (count, first `limit` as (programme_id, month, draw_id, what differs)). Draws logged before
    digests were kept are not compared."""
    logged = dict(queries.call(con, "spot_checks.audited_draws").fetchall())
    cur = queries.call(con, "spot_checks.sample_rows")
    cols = [c[0] for c in cur.description]
    by_draw: dict[int, list[dict]] = defaultdict(list)
    where: dict[int, tuple[str, str]] = {}
    for row in cur.fetchall():
        r = dict(zip(cols, row, strict=True))
        by_draw[r["draw_id"]].append(r)
        where[r["draw_id"]] = (r["programme_id"], r["month"])
    found = []
    for draw_id in sorted(by_draw):
        if draw_id not in logged:
            found.append((*where[draw_id], draw_id, "审计日志中没有这次抽样"))
        elif logged[draw_id] and logged[draw_id] != sample_digest(by_draw[draw_id]):
            found.append((*where[draw_id], draw_id, "样本与抽样时记入审计日志的不一致"))
    return len(found), found[:limit]


def draws(con: duckdb.DuckDBPyConnection, programme_id: str) -> list[dict]:
    """Every draw of a programme, newest first (who, when, seed, population, reason)."""
    cur = queries.call(con, "spot_checks.draws", programme_id=programme_id)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def sampled(con: duckdb.DuckDBPyConnection, programme_id: str) -> set[str]:
    """Households in any draw of the programme (results may be recorded only for these)."""
    return {
        r[0] for r in queries.call(con, "spot_checks.sampled", programme_id=programme_id).fetchall()
    }


def record_result(
    con: duckdb.DuckDBPyConnection,
    user: access.User,
    programme_id: str,
    household_id: str,
    checked_on: date,
    result: str,
    failed_items: str | None = None,
    inspector: str | None = None,
    note: str | None = None,
    photos: str | None = None,
) -> None:
    """Record one check (or re-check) of a sampled household, audit-logged; a street user only
    in its own street's sample."""
    if not may_check(user, finance_rules.load(con, programme_id)):
        raise UserPermissionError("spot.result_right", username=user.username)
    if user.role == "street":
        streets = queries.call(
            con, "spot_checks.sample_streets", programme_id=programme_id, household_id=household_id
        ).fetchall()
        if (user.street_id,) not in streets:
            raise UserPermissionError("spot.result_right", username=user.username)
    problem = check_result(con, programme_id, household_id, checked_on, result, failed_items)
    if problem:
        raise ValueError(problem)
    audit.logged_call(
        con,
        user.username,
        "spot_check_result",
        f"{programme_id}:{household_id}",
        {"checked_on": checked_on, "result": result, "failed_items": failed_items},
        "spot_checks.insert_result",
        programme_id=programme_id,
        household_id=household_id,
        checked_on=checked_on,
        result=result,
        failed_items=failed_items,
        inspector=inspector,
        note=note,
        photos=photos,
        recorded_by=user.username,
        recorded_at=clock.now(),
    )


def check_result(
    con: duckdb.DuckDBPyConnection,
    programme_id: str,
    household_id: str,
    checked_on: date | None,
    result: str | None,
    failed_items: str | None,
) -> str | None:
    """Why a result cannot be recorded (Chinese), or None when it can."""
    if result not in RESULTS:
        return f"抽查结果「{result}」无效，应为 合格 或 不合格"
    if result == "不合格" and not (failed_items or "").strip():
        return "不合格时须填写不合格项"
    if checked_on is None:
        return "缺少抽查日期"
    if checked_on > clock.today():
        return f"抽查日期 {checked_on} 晚于今天"
    if household_id not in sampled(con, programme_id):
        return f"户号「{household_id}」不在本项目的抽查样本中"
    dup = queries.call(
        con,
        "spot_checks.result_exists",
        programme_id=programme_id,
        household_id=household_id,
        checked_on=checked_on,
    ).fetchone()
    if dup:
        return f"户号「{household_id}」{checked_on} 的抽查结果已录入"
    return None


def status(
    con: duckdb.DuckDBPyConnection, programme_id: str, month: str, street_ids: list[str] | None
):
    """The month's sample with each household's latest result (DataFrame)."""
    return queries.run(
        con, "spot_check_status", programme_id=programme_id, period=month, street_ids=street_ids
    )


def progress(frame, by: str = "street_name") -> list[dict]:
    """Sampled / checked / passed / failed and pass rate per street ("street_name") or installer."""
    label = {"street_name": "街镇", "installer": "安装班组"}[by]
    out = []
    for key, g in frame.groupby(by, sort=True):
        checked = int(g["result"].notna().sum())
        passed = int((g["result"] == "合格").sum())
        out.append(
            {
                label: key or "未记录",
                "样本户数": len(g),
                "已抽查": checked,
                "合格": passed,
                "不合格": checked - passed,
                "合格率": f"{passed / checked:.0%}" if checked else "—",
            }
        )
    return out


def failed_households(
    con: duckdb.DuckDBPyConnection, programme_id: str, as_of: date, street_ids: list[str] | None
):
    """Households whose latest check is 不合格 as of a date (not accepted; shown on 逾期)."""
    return queries.run(
        con, "spot_check_failed", programme_id=programme_id, as_of=as_of, street_ids=street_ids
    )
