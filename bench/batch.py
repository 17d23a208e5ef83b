"""`anju bench`: seconds to plan a 2,000-household month for one street (target ≤ 10 s)."""

from __future__ import annotations

import math
import time

import duckdb
import numpy as np
import pandas as pd

from data import batches
from data.demos import demo

STREET = "310105001"  # 华阳路街道
MONTH = "2023-08"  # 23 working days
PER_DAY = 8


def candidates_2000(con: duckdb.DuckDBPyConnection, n: int = 2000) -> tuple[pd.DataFrame, float]:
    """The street's real candidates, topped up to `n` with jittered copies; and the query seconds.

    A demo street has a few hundred households left; copies placed within ~100 m of a real one
    (new ids, same community) give a realistic 2,000-household month without a 20× database.
    """
    started = time.perf_counter()
    real = batches.candidates(con, demo.PROGRAMME, [STREET], MONTH, demo.AS_OF)
    queried = time.perf_counter() - started
    real = real[~(real["refused"] | real["gas_cut"]) & real["lon"].notna()].reset_index(drop=True)
    rng = np.random.default_rng(2000)
    pick = rng.integers(0, len(real), max(0, n - len(real)))
    extra = real.iloc[pick].copy()
    extra["household_id"] = [f"BENCH{i:05d}" for i in range(len(extra))]
    extra["lon"] = extra["lon"].to_numpy() + rng.normal(0, 0.001, len(extra))
    extra["lat"] = extra["lat"].to_numpy() + rng.normal(0, 0.001, len(extra))
    return pd.concat([real, extra], ignore_index=True).head(n), queried


def plan_2000_seconds(con: duckdb.DuckDBPyConnection, n: int = 2000) -> float:
    """Query + rank + crew-day grouping + visit orders for `n` households in one street."""
    cands, queried = candidates_2000(con, n)
    days = 23
    crews = math.ceil(n / (PER_DAY * days))  # capacity ≥ n: every household is planned
    started = time.perf_counter()
    plan = batches.propose(
        cands,
        programme_id=demo.PROGRAMME,
        street_id=STREET,
        month=MONTH,
        crews=crews,
        per_day=PER_DAY,
    )
    if len(plan.items) != n:
        raise RuntimeError(f"基准方案户数不符：{len(plan.items)} ≠ {n}")
    return round(queried + time.perf_counter() - started, 3)
