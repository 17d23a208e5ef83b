"""The `anju` console script: demo and bench print JSON a script can read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from anju.cli import main
from data.store.connection import connect


def test_demo_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "small.duckdb"
    assert (
        main(["demo", "--db", str(db), "--households", "500", "--communities", "30", "--seed", "7"])
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert out["households"] == 500 and out["communities"] >= 30
    con = connect(db)
    try:
        assert con.execute("SELECT count(*) FROM household").fetchone()[0] == 500
    finally:
        con.close()


def test_bench_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "bench.duckdb"
    args = ["bench", "--db", str(db), "--households", "400", "--communities", "20", "--repeat", "3"]
    args += ["--fire-households", "800"]  # the default, 100,000, takes ~10 s to build and time
    args += ["--import-rows", "300"]  # the default, 100,000, takes ~25 s
    args += ["--geocode-rows", "300"]  # the default, 100,000 against 200,000 buildings, ~30 s
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["demo_build_seconds"] > 0
    assert set(out["queries"]) >= {"programme_kpis", "coverage_by_street", "coverage_by_community"}
    assert all(q["median_ms"] > 0 for q in out["queries"].values())
    assert out["map_payload"]["district_geojson_bytes"] > 1000
    assert out["app"]["page_first_run_ms"] > 0 and out["app"]["page_rerun_median_ms"] > 0
    assert out["fire_risk"]["households"] == 800 and out["fire_risk"]["seconds"] > 0
    assert "fire_risk_100k_seconds" not in out  # only reported for 100,000 households
    assert out["import"]["loaded"] == 300 and out["import"]["recheck_unchanged"] == 300
    geocode = out["geocode"]
    assert geocode["buildings"] == 600 and 250 <= geocode["rows"] <= 300  # a few draws are skipped
    assert geocode["rows_per_second"] > 0 and geocode["peak_mb"] > 0


def test_unknown_command_fails() -> None:
    with pytest.raises(SystemExit):
        main(["nope"])


def test_no_progress_bar_in_printed_json(tmp_path: Path) -> None:
    # DuckDB draws a progress bar on stdout for queries over two seconds (seen at 1M
    # households), which broke the JSON that `anju bench > file` writes.
    from data.store import connection

    con = connection.connect(tmp_path / "x.duckdb")
    try:
        assert con.execute("SELECT current_setting('enable_progress_bar')").fetchone()[0] is False
    finally:
        con.close()
