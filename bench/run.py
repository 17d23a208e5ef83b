"""The bench's entry: build (or reuse) a demo database and time what the pages do on it."""

from __future__ import annotations

import os
import platform
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

import numpy as np

import queries
from bench import batch as bench_batch
from bench import browser as bench_browser
from bench import geocode as bench_geocode
from bench import imports as bench_imports
from bench import pages as bench_pages
from dashboard.components import coverage_map
from data.demos import demo
from data.reporting import briefing, forecast
from data.store import connection

PROGRAMME = demo.PROGRAMME
# Queries the coverage page runs, with the parameters it gives them.
PAGE_QUERIES = (
    "programme_kpis",
    "coverage_by_street",
    "coverage_by_community",
    "region_shapes",
    "data_status",
    "programmes",
)


def _timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def _summary(ms: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(ms), 2),
        "p95_ms": round(float(np.percentile(ms, 95)), 2),
        "min_ms": round(min(ms), 2),
    }


def _query_params(name: str, as_of: date) -> dict:
    wanted = queries.parameters(name)
    params = {"programme_id": PROGRAMME, "as_of": as_of, "level": "street", "street_ids": None}
    return {k: v for k, v in params.items() if k in wanted}


def map_payload(con, as_of: date) -> dict[str, int]:
    """Bytes the browser receives for the district map and for one street's drill-down."""
    out = {}
    for view, level, scope, id_col, name in (
        ("district", "street", None, "street_id", "coverage_by_street"),
        ("street_310105001", "community", ["310105001"], "community_id", "coverage_by_community"),
    ):
        shapes = queries.run(
            con, "region_shapes", programme_id=PROGRAMME, level=level, street_ids=scope
        )
        stats = queries.run(con, name, programme_id=PROGRAMME, as_of=as_of, street_ids=scope)
        features = coverage_map.map_features(shapes, stats, id_col, "zh")
        fmap = coverage_map.build_map(features, name_label="名称")
        out[f"{view}_geojson_bytes"] = len(features.to_json().encode())
        out[f"{view}_html_bytes"] = len(fmap.get_root().render().encode())
    return out


def app_timings(db: Path, repeat: int = 5) -> dict[str, float]:
    """Coverage page script run time in AppTest: first run and median rerun, in ms."""
    from streamlit.testing.v1 import AppTest

    from data.users.access import User

    previous = os.environ.get("ANJU_DB")
    os.environ["ANJU_DB"] = str(db)
    try:
        at = AppTest.from_file(str(bench_pages.APP), default_timeout=120)
        # Signed in, so the coverage page itself is timed rather than the login form.
        at.session_state["_anju_user"] = User("bench", "leader")
        started = time.perf_counter()
        at.run()
        first = (time.perf_counter() - started) * 1000
        if at.exception:
            raise RuntimeError(f"页面运行出错：{at.exception[0].message}")
        if not at.metric:
            raise RuntimeError("页面没有显示指标：计时的不是覆盖地图页")
        reruns = _timed(at.run, repeat)
    finally:
        if previous is None:
            os.environ.pop("ANJU_DB", None)
        else:
            os.environ["ANJU_DB"] = previous
    return {
        "page_first_run_ms": round(first, 1),
        "page_rerun_median_ms": round(statistics.median(reruns), 1),
    }


def fire_risk_timing(households: int = 100_000) -> dict[str, float | int]:
    """Seconds to score `households` elderly households and find Gi* hotspots (H3 and community).

    Built in a temporary demo database of that size (not timed); the timed part is what the
    火灾风险 page and `anju hotspots` do: the query, the scores, the H3 cells and Gi*.
    """
    from data.firerisk import fire_risk, risk

    communities = max(180, households // 100)
    with tempfile.TemporaryDirectory(prefix="anju-fire-") as tmp:
        path = Path(tmp) / "fire.duckdb"
        demo.build(path, households=households, communities=communities)
        con = connection.connect(path)
        try:
            # Scores are stored at build time: the timed part reads them, explains
            # them and runs Gi* (H3), as the page does on a cache miss.
            started = time.perf_counter()
            scored = risk.scored_households(con, PROGRAMME, demo.AS_OF, None)
            queried = score_done = time.perf_counter()
            found = fire_risk.find_hotspots(con, PROGRAMME, demo.AS_OF, "h3", None)
            cells, resolution = found.units, found.resolution
            done = time.perf_counter()
            community_started = time.perf_counter()
            fire_risk.find_hotspots(con, PROGRAMME, demo.AS_OF, "community", None)
            community_done = time.perf_counter()
            del scored
        finally:
            con.close()
    return {
        "households": households,
        "communities": communities,
        "h3_resolution": resolution,
        "h3_cells": len(cells),
        "query_seconds": round(queried - started, 3),
        "score_seconds": round(score_done - queried, 3),
        "h3_gi_star_seconds": round(done - score_done, 3),
        "seconds": round(done - started, 3),
        "community_gi_star_seconds": round(community_done - community_started, 3),
    }


def forecast_timing(con, as_of, repeat: int) -> dict:
    """The 周报 forecast for the programme and every street (target ≤ 300 ms at 10⁶): the first
    call (backtests computed) and the median of later calls (backtests cached)."""
    fetch = briefing.fetcher(con, None)
    first = _timed(lambda: forecast.programme_forecast(fetch, PROGRAMME, as_of), 1)[0]
    later = _summary(_timed(lambda: forecast.programme_forecast(fetch, PROGRAMME, as_of), repeat))
    return {"first_ms": round(first, 1), "cached": later}


def run(
    db: Path,
    households: int = 6460,
    communities: int = 180,
    repeat: int = 20,
    reuse: bool = False,
    app: bool = True,
    fire_households: int = 100_000,
    import_rows: int = 100_000,
    geocode_rows: int = 100_000,
    browser: bool = False,
    pages: list[str] | None = None,
) -> dict:
    """Build (or reuse) a demo database at `db` and time what the coverage page does."""
    result: dict = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "households": households,
        "communities": communities,
    }
    if not (reuse and db.exists()):
        built = demo.build(db, households=households, communities=communities, overwrite=True)
        result["demo_build_seconds"] = built["seconds"]
    con = connection.connect(db)
    try:
        as_of = demo.AS_OF
        result["queries"] = {
            name: _summary(
                _timed(lambda n=name: queries.run(con, n, **_query_params(n, as_of)), repeat)
            )
            for name in PAGE_QUERIES
        }
        result["placement_reference_seconds"] = round(
            _timed(lambda: queries.run(con, "placement_reference", programme_id=PROGRAMME), 1)[0]
            / 1000,
            3,
        )
        result["placement"] = bench_pages.placement_timing(con, PROGRAMME)
        result["map_payload"] = map_payload(con, as_of)
        # One street's 2,000-household month, target ≤ 10 s.
        result["plan_batch_2000_seconds"] = bench_batch.plan_2000_seconds(con)
        result["forecast"] = forecast_timing(con, as_of, repeat)
    finally:
        con.close()
    # Every page, then every (query, parameters) the pages ran; at a million households the
    # pages may be skipped (app=False) and the calls recorded on a demo-size database instead.
    timed, calls = bench_pages.recorded_calls(db if app else None, pages)
    if timed is not None:
        result["pages"] = timed
    # `queries`: every named query a page runs, with the page's parameters (the coverage-page
    # entries timed above stay where a page did not run that query under the same name).
    result["queries"] |= bench_pages.time_queries(db, calls, repeat)
    if app:
        result["app"] = app_timings(db)
    if browser:
        # Every page in a local Chromium, and the server's memory.
        bench_pages.release_connections()
        result |= bench_browser.browser_timings(db, pages)
    if import_rows:
        # A 100,000-row roster .xlsx, target ≤ 30 s.
        result["import"] = bench_imports.import_timing(import_rows)
    if geocode_rows:
        # Roster rows matched against a base of twice as many buildings (100,000 vs 200,000).
        result["geocode"] = bench_geocode.geocode_timing(geocode_rows)
    if fire_households:
        # Scores + Gi* (H3) for that many households, target ≤ 10 s at 100,000.
        result["fire_risk"] = fire_risk_timing(fire_households)
        if fire_households == 100_000:
            result["fire_risk_100k_seconds"] = result["fire_risk"]["seconds"]
    result["peak_rss_mb"] = bench_pages.peak_rss_mb()
    return result
