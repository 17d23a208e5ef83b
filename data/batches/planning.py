"""Planning a month (pure but for reading candidates): capacity, crew-days, visit order, travel."""

from __future__ import annotations

from datetime import date

import duckdb
import numpy as np
import pandas as pd

import queries
from data import latest, workdays
from data.batches.candidates import candidates, prioritise
from data.batches.common import DEFAULT_RULES, BatchError, Plan
from geo import routing


def naive_order(items: pd.DataFrame) -> pd.DataFrame:
    """The office's usual order: by community id, then address, then household id."""
    return items.sort_values(
        ["community_id", "address", "household_id"], kind="stable", na_position="last"
    )


def chunked_travel_m(ordered: pd.DataFrame, per_day: int) -> float:
    """Walk length when `ordered` is cut into crew-days of `per_day` in that order."""
    total = 0.0
    lon, lat = ordered["lon"].to_numpy(float), ordered["lat"].to_numpy(float)
    for start in range(0, len(ordered), per_day):
        total += routing.path_m(lon[start : start + per_day], lat[start : start + per_day])
    return total


def planned_travel_m(items: pd.DataFrame) -> float:
    """Walk length of a plan: each crew-day in its visit order (seq)."""
    total = 0.0
    for _, g in items.sort_values(["day", "crew", "seq"]).groupby(["day", "crew"], sort=False):
        total += routing.path_m(g["lon"].to_numpy(float), g["lat"].to_numpy(float))
    return total


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
       batch are skipped; the rest are ranked by `rules` and cut to capacity.
    2. The chosen households are split into compact groups of at most `per_day`
       (geo.routing.compact_groups); the groups holding the most urgent households go first:
       group i is crew (i mod crews) + 1 on working day i div crews.
    3. Each crew-day gets a short visit order (geo.routing.visit_order).
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
    unplaced = free["lon"].isna() | free["lat"].isna()
    ranked = prioritise(free[~unplaced].reset_index(drop=True), rules)
    capacity = crews * per_day * len(days)
    chosen = ranked.head(capacity).copy()
    waiting = ranked.iloc[capacity:].copy()

    lon = chosen["lon"].to_numpy(float)
    lat = chosen["lat"].to_numpy(float)
    groups = routing.compact_groups(
        lon, lat, per_day, community=chosen["community_id"].fillna("").to_numpy()
    )
    chosen["_group"] = groups
    urgency = chosen.groupby("_group")["rank"].agg(["min", "mean"])
    group_order = urgency.sort_values(["min", "mean"], kind="stable").index.tolist()
    slot = {g: i for i, g in enumerate(group_order)}
    chosen["crew"] = [slot[g] % crews + 1 for g in groups]
    chosen["day"] = [days[slot[g] // crews] for g in groups]
    chosen["seq"] = 0
    for g in group_order:
        idx = np.flatnonzero(groups == g)
        order = routing.visit_order(lon[idx], lat[idx])
        chosen.iloc[idx[order], chosen.columns.get_loc("seq")] = np.arange(1, len(idx) + 1)
    items = chosen.drop(columns="_group").sort_values(["day", "crew", "seq"]).reset_index(drop=True)
    travel = planned_travel_m(items)
    naive = chunked_travel_m(naive_order(items), per_day)
    stats = {
        # Placed in the street by the roster but without coordinates: cannot be routed, so not
        # planned; the page names them so they are fixed, not forgotten.
        "no_coordinates": free.loc[unplaced, "household_id"].tolist(),
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
