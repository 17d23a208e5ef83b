"""Planning a month (pure but for reading candidates): capacity, crew-days, visit order, travel."""

from __future__ import annotations

from collections import Counter
from datetime import date

import duckdb
import numpy as np
import pandas as pd

import queries
from data.batches import ordering
from data.batches.candidates import candidates, prioritise
from data.batches.common import DEFAULT_RULES, BatchError, Plan
from data.setup import workdays
from data.store import latest
from geo import routing


def naive_order(items: pd.DataFrame) -> pd.DataFrame:
    """The office's usual order: by community id, then address, then household id."""
    return items.sort_values(
        ["community_id", "address", "household_id"], kind="stable", na_position="last"
    )


def _with_point(items: pd.DataFrame) -> pd.DataFrame:
    return items[items["lon"].notna() & items["lat"].notna()]


def chunked_travel_m(ordered: pd.DataFrame, per_day: int) -> float:
    """Walk length when `ordered` is cut into crew-days of `per_day` in that order (its
    households with a point; the others have no distance to measure)."""
    total = 0.0
    ordered = _with_point(ordered)
    lon, lat = ordered["lon"].to_numpy(float), ordered["lat"].to_numpy(float)
    for start in range(0, len(ordered), per_day):
        total += routing.path_m(lon[start : start + per_day], lat[start : start + per_day])
    return total


def planned_travel_m(items: pd.DataFrame) -> float:
    """Walk length of a plan: each crew-day's households with a point, in visit order (seq)."""
    total = 0.0
    routed = _with_point(items).sort_values(["day", "crew", "seq"])
    for _, g in routed.groupby(["day", "crew"], sort=False):
        total += routing.path_m(g["lon"].to_numpy(float), g["lat"].to_numpy(float))
    return total


def _address_groups(chosen: pd.DataFrame, rows: np.ndarray, per_day: int) -> list[np.ndarray]:
    """Crew-days of the households without a point (`rows`, positions in `chosen`): each
    community's households in address order, cut every `per_day`; a day never mixes communities."""
    if not len(rows):
        return []
    walk = rows[ordering.by_address(chosen.iloc[rows])]
    comm = chosen["community_id"].fillna("").to_numpy()[walk]
    out = []
    for c in dict.fromkeys(comm):
        members = walk[comm == c]
        out += [members[i : i + per_day] for i in range(0, len(members), per_day)]
    return out


def _join_same_community(
    chosen: pd.DataFrame, routed: list[np.ndarray], by_address: list[np.ndarray], per_day: int
) -> list[np.ndarray]:
    """A part-full address-ordered day joins a routed day of the same (one) community that has
    room for it, the fullest first: one crew-day in the community instead of two, the crew
    walking its route and then the addresses. Other address days stay days of their own."""
    comm = chosen["community_id"].fillna("").to_numpy()
    routed = list(routed)
    alone = []
    for g in by_address:
        fits = [
            i
            for i, r in enumerate(routed)
            if len(r) + len(g) <= per_day and set(comm[r]) == {comm[g[0]]}
        ]
        if len(g) < per_day and fits:
            best = max(fits, key=lambda i: (len(routed[i]), -i))
            routed[best] = np.concatenate([routed[best], g])
        else:
            alone.append(g)
    return routed + alone


def _fit(chosen: pd.DataFrame, groups: list[np.ndarray], per_day: int, slots: int):
    """Groups that fit the month's crew-days. Communities kept apart can leave more part-full
    days than there are crew-days; then, and only then, the part-full days are walked one after
    another (same community next to each other, routed points before address-ordered ones) and
    cut again every `per_day`, which needs ceil(n / per_day) <= slots days."""
    if len(groups) <= slots:
        return groups
    full = [g for g in groups if len(g) >= per_day]
    part = [g for g in groups if len(g) < per_day]
    comm = chosen["community_id"].fillna("").to_numpy()
    has_point = (chosen["lon"].notna() & chosen["lat"].notna()).to_numpy()
    part.sort(key=lambda g: (Counter(comm[g]).most_common(1)[0][0], not has_point[g].any()))
    walk = np.concatenate([g[ordering.crew_day_order(chosen.iloc[g])] for g in part])
    return full + [walk[i : i + per_day] for i in range(0, len(walk), per_day)]


def propose(
    cands: pd.DataFrame,
    *,
    programme_id: str,
    street_id: str,
    month: str,
    crews: int,
    per_day: int,
    rules: tuple[str, ...] = DEFAULT_RULES,
) -> Plan:
    """A batch from candidates (rows of the batch_candidates query, risk_score included): no
    database access.

    1. Refusals and gas cut-offs are held back (shown apart); households already in an open
       batch are skipped; the rest — with a point or placed only by community — are ranked by
       `rules` and cut to capacity.
    2. Households with a point are split into compact groups of at most `per_day`
       (geo.routing.compact_groups; households of one building share its point, cost nothing
       to go between and so stay together unless the building alone exceeds a day). Those
       without a point make their community's own crew-days, in address order (路/弄 or 小区,
       then 号 and 室 by number); a part-full one joins a routed day of the same community with
       room for it. The groups holding the most urgent households go first:
       group i is crew (i mod crews) + 1 on working day i div crews.
    3. Each crew-day gets a short visit order (geo.routing.visit_order) for its points, then its
       households without a point in address order; `order_basis` says which (按路线,
       按地址排序, or 地址待核实 where nothing could be read from the address).
    """
    if crews < 1 or per_day < 1:
        raise BatchError("batch.bad_capacity")
    days = workdays.working_days(month)
    mine = cands[cands["street_id"] == street_id]
    blocked = mine["refused"].fillna(False).astype(bool) | mine["gas_cut"].fillna(False).astype(
        bool
    )
    held_back = mine[blocked].copy()
    free = mine[~blocked & mine["open_batch_id"].isna()]
    ranked = prioritise(free.reset_index(drop=True), rules)
    capacity = crews * per_day * len(days)
    chosen = ranked.head(capacity).copy().reset_index(drop=True)
    waiting = ranked.iloc[capacity:].copy()

    has_point = (chosen["lon"].notna() & chosen["lat"].notna()).to_numpy()
    pts = np.flatnonzero(has_point)
    point_groups = []
    if len(pts):
        labels = routing.compact_groups(
            chosen["lon"].to_numpy(float)[pts],
            chosen["lat"].to_numpy(float)[pts],
            per_day,
            community=chosen["community_id"].fillna("").to_numpy()[pts],
        )
        point_groups = [pts[labels == g] for g in range(labels.max() + 1)]
    groups = _fit(
        chosen,
        _join_same_community(
            chosen,
            point_groups,
            _address_groups(chosen, np.flatnonzero(~has_point), per_day),
            per_day,
        ),
        per_day,
        crews * len(days),
    )
    ranks = chosen["rank"].to_numpy()
    urgency = sorted(
        range(len(groups)),
        key=lambda i: (ranks[groups[i]].min(), ranks[groups[i]].mean(), i),
    )
    chosen["crew"] = 0
    chosen["day"] = None
    chosen["seq"] = 0
    for slot, i in enumerate(urgency):
        idx = groups[i]
        order = ordering.crew_day_order(chosen.iloc[idx])
        chosen.iloc[idx, chosen.columns.get_loc("crew")] = slot % crews + 1
        chosen.iloc[idx, chosen.columns.get_loc("day")] = days[slot // crews]
        chosen.iloc[idx[order], chosen.columns.get_loc("seq")] = np.arange(1, len(idx) + 1)
    chosen["order_basis"] = ordering.basis(chosen)
    items = chosen.sort_values(["day", "crew", "seq"]).reset_index(drop=True)
    travel = planned_travel_m(items)
    naive = chunked_travel_m(naive_order(_with_point(items)), per_day)
    stats = {
        # Planned without a point (placed by community only): ordered by address, not routed;
        # travel_km and naive_km measure the households with a point only.
        "by_address": int((items["order_basis"] != ordering.BY_ROUTE).sum()),
        "address_unverified": int((items["order_basis"] == ordering.UNVERIFIED).sum()),
        "communities": int(items["community_id"].nunique()),
        "crew_days_per_community": round(
            float(
                items.groupby("community_id")[["day", "crew"]]
                .apply(lambda g: len(g.drop_duplicates()))
                .mean()
            )
            if len(items)
            else 0.0,
            2,
        ),
    }
    return Plan(
        programme_id=programme_id,
        street_id=street_id,
        month=month,
        crews=crews,
        per_day=per_day,
        rules=tuple(rules),
        workdays=days,
        items=items,
        held_back=held_back.reset_index(drop=True),
        waiting=waiting.reset_index(drop=True),
        travel_km=travel / 1000,
        naive_km=naive / 1000,
        stats=stats,
    )


def plan(
    con: duckdb.DuckDBPyConnection,
    programme_id: str,
    street_id: str,
    month: str,
    crews: int,
    per_day: int,
    rules: tuple[str, ...] = DEFAULT_RULES,
    as_of: date | None = None,
) -> Plan:
    """Read candidates for one street and propose its batch for `month`."""
    as_of = as_of or latest_date(con, programme_id)
    cands = candidates(con, programme_id, [street_id], month, as_of)
    return propose(
        cands,
        programme_id=programme_id,
        street_id=street_id,
        month=month,
        crews=crews,
        per_day=per_day,
        rules=rules,
    )


def latest_date(con: duckdb.DuckDBPyConnection, programme_id: str) -> date:
    """The latest date with data (what the planner knows), or today for an empty programme."""
    return latest.latest_date(con, programme_id)


def street_id_for(con: duckdb.DuckDBPyConnection, name_or_id: str) -> str:
    """A street's region_id from its name (华阳路街道, 华阳路) or id."""
    row = queries.call(con, "batches.street_id_for", s=name_or_id).fetchone()
    if row is None:
        raise BatchError("batch.no_street", street=name_or_id)
    return row[0]
