"""Bench of every page: the named queries each page runs (with the page's own parameters) and
each page's script time in AppTest, signed in as the role that sees the most."""

from __future__ import annotations

import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stdout
from pathlib import Path

import numpy as np

import queries
from dashboard.navigation import PAGES
from data.demos import demo
from data.store import connection
from data.users import access

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "streamlit_app.py"
# The role whose view of a page is widest (the whole district, every section).
ROLE_ORDER = ("leader", "admin", "fire", "finance", "street")


def page_role(key: str) -> str:
    """The role that sees the most of a page: the first of ROLE_ORDER allowed to view it."""
    for role in ROLE_ORDER:
        if access.can(access.User("bench", role), key):
            return role
    raise ValueError(f"没有角色可以查看页面 {key}")


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


@contextmanager
def _recording(calls: list[tuple[str, str, dict]], page: list[str]) -> Iterator[None]:
    # Pages reach the database through queries.run (dashboard.db looks it up on the module),
    # so wrapping it records exactly the names and parameters each page uses.
    original = queries.run

    def recorder(con, name, **params):
        calls.append((page[0], name, dict(params)))  # named queries only read
        return original(con, name, **params)

    queries.run = recorder
    try:
        yield
    finally:
        queries.run = original


@contextmanager
def _db_env(db: Path) -> Iterator[None]:
    previous = os.environ.get("ANJU_DB")
    os.environ["ANJU_DB"] = str(db)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("ANJU_DB", None)
        else:
            os.environ["ANJU_DB"] = previous


def _ms(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return round((time.perf_counter() - started) * 1000, 1)


def page_runs(
    db: Path, reruns: int = 3, only: list[str] | None = None
) -> tuple[dict, list[tuple[str, str, dict]]]:
    """Time every page's script (first run with empty caches, then the median rerun) and
    record the named queries it ran with their parameters."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    calls: list[tuple[str, str, dict]] = []
    current = [""]
    pages: dict[str, dict] = {}
    # A page that fails has Streamlit print its traceback on stdout, which would break the JSON
    # `anju bench > file` writes there: it goes to stderr, and the error into the page's entry.
    with _db_env(db), _recording(calls, current), redirect_stdout(sys.stderr):
        # Pages by key, opened by their script as the app's navigation lists them.
        by_key = {p.key: p for p in PAGES}
        for key in only or access.PAGE_TITLES:
            spec = by_key.get(key)
            if spec is None:
                raise ValueError(f"没有页面 {key}：可用的页面键为 {'、'.join(by_key)}")
            role = page_role(spec.key)
            current[0] = spec.key
            st.cache_data.clear()
            at = AppTest.from_file(str(APP), default_timeout=900)
            at.session_state["_anju_user"] = access.User("bench", role)
            at.run()  # the landing page, not timed
            first = _ms(lambda at=at, spec=spec: at.switch_page(spec.path).run())
            entry = {"role": role, "first_run_ms": first}
            if at.exception:
                entry["error"] = at.exception[0].message[:300]
            else:
                entry["rerun_ms"] = statistics.median(_ms(at.run) for _ in range(reruns))
            pages[spec.key] = entry
    return pages, calls


def release_connections() -> None:
    """Close the database connections the page runs left open (the app caches one per process):
    DuckDB lets one process at a time open a file for writing, and the browser's server is
    another process."""
    import gc

    import streamlit as st

    st.cache_resource.clear()
    gc.collect()


def _key(name: str, params: dict) -> str:
    shown = {k: (v if not isinstance(v, (list, tuple)) else list(v)) for k, v in params.items()}
    return f"{name} {sorted((k, str(v)) for k, v in shown.items())}"


def time_queries(db: Path, calls: list[tuple[str, str, dict]], repeat: int) -> dict:
    """Median / p95 ms and row count of every distinct (query, parameters) a page ran."""
    seen: dict[str, tuple[str, str, dict]] = {}
    for page, name, params in calls:
        seen.setdefault(_key(name, params), (page, name, params))
    con = connection.connect(db)
    out: dict[str, dict] = {}
    try:
        for key, (page, name, params) in sorted(seen.items(), key=lambda kv: kv[1][1]):
            times, rows = [], 0
            for _ in range(repeat):
                started = time.perf_counter()
                rows = len(queries.run(con, name, **params))
                times.append((time.perf_counter() - started) * 1000)
            label = name if name not in out else f"{name}#{sum(k.startswith(name) for k in out)}"
            out[label] = {
                "median_ms": round(statistics.median(times), 2),
                "p95_ms": round(float(np.percentile(times, 95)), 2),
                "rows": rows,
                "page": page,
                "params": key[len(name) + 1 :],
            }
    finally:
        con.close()
    return out


def recorded_calls(
    db: Path | None, only: list[str] | None = None
) -> tuple[dict | None, list[tuple[str, str, dict]]]:
    """The pages' query calls: recorded on `db` itself, or (db None: pages not timed there,
    e.g. at a million households) on a demo-size database built aside, whose programme, dates
    and months are the same."""
    if db is not None:
        return page_runs(db, only=only)
    with tempfile.TemporaryDirectory(prefix="anju-record-") as tmp:
        path = Path(tmp) / "record.duckdb"
        demo.build(path)
        _, calls = page_runs(path, reruns=1, only=only)
    return None, calls


def placement_timing(con, programme_id: str) -> dict[str, float]:
    """Seconds to place every household: Anju's placement, a bare DuckDB spatial join of the same
    points and communities, and geopandas `sjoin` on them (same run, same data).

    `project_s` is the whole write path (`assign_households`: read the points and where they
    are now, point-in-polygon, write and refresh only the households whose place changed, count);
    on an already placed database nothing changes, so it writes nothing. `locate_s` is the
    placement alone (read and point-in-polygon, `placement.place`), timed after the others.
    """
    import geopandas as gpd

    from data.households import placement

    started = time.perf_counter()
    placement.assign_households(con, programme_id, actor="anju bench")
    project = time.perf_counter() - started
    communities_sql = (
        "SELECT c.region_id, c.geom FROM region c JOIN region st ON c.parent_id = st.region_id"
        " JOIN programme p ON st.parent_id = p.district_id"
        " WHERE p.programme_id = $pid AND c.level = 'community'"
    )
    started = time.perf_counter()
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _bench_join AS"
        f" WITH c AS ({communities_sql})"
        " SELECT h.household_id, c.region_id FROM household h"
        " JOIN c ON ST_Intersects(c.geom, ST_Point(h.lon, h.lat))"
        " WHERE h.programme_id = $pid AND h.lon IS NOT NULL AND h.lat IS NOT NULL",
        {"pid": programme_id},
    )
    duckdb_join = time.perf_counter() - started
    con.execute("DROP TABLE _bench_join")
    points = con.execute(
        "SELECT household_id, lon, lat FROM household"
        " WHERE programme_id = ? AND lon IS NOT NULL AND lat IS NOT NULL",
        [programme_id],
    ).df()
    shapes = con.execute(
        f"SELECT region_id, ST_AsWKB(geom) AS wkb FROM ({communities_sql})", {"pid": programme_id}
    ).df()
    polys = gpd.GeoDataFrame(
        {"region_id": shapes["region_id"]},
        geometry=gpd.GeoSeries.from_wkb(shapes["wkb"].map(bytes)),
        crs=4326,
    )
    started = time.perf_counter()
    pts = gpd.GeoDataFrame(
        points[["household_id"]], geometry=gpd.points_from_xy(points.lon, points.lat), crs=4326
    )
    gpd.sjoin(pts, polys, how="inner", predicate="intersects")
    sjoin = time.perf_counter() - started
    started = time.perf_counter()
    placement.place(con, programme_id)
    locate = time.perf_counter() - started
    return {
        "project_s": round(project, 3),
        "duckdb_join_s": round(duckdb_join, 3),
        "geopandas_sjoin_s": round(sjoin, 3),
        "locate_s": round(locate, 3),
        "households": len(points),
    }
