"""The finish-date forecast: the pure maths on small synthetic series (data.reporting.forecast_model),
the working-day calendar, an S-shaped programme forecast 4 weeks out before, at and after its
midpoint, and the page summary, the Word 周通报 and `anju forecast` agreeing (one function)."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from docx import Document

from anju.cli import main
from data.demos import demo
from data.reporting import briefing, briefing_text
from data.reporting import forecast as fc
from data.reporting import forecast_model as fm
from data.store.connection import connect
from documents import bulletin as files

# ---------------------------------------------------------------- the pure maths


def _logistic(n: int, ceiling: float, k: float, t0: float) -> np.ndarray:
    return ceiling / (1 + np.exp(-k * (np.arange(n) - t0)))


def test_fit_recovers_a_clean_logistic():
    y = _logistic(80, 1000, 0.08, 60)
    rate, t0 = fm.fit("logistic", y, 1000)
    assert rate == pytest.approx(0.08, rel=1e-3) and t0 == pytest.approx(60, abs=0.05)


def test_fit_needs_history():
    assert fm.fit("gompertz", _logistic(10, 1000, 0.08, 60), 1000) is None  # too short
    assert fm.fit("logistic", np.zeros(60), 1000) is None  # nothing installed yet


def test_paths_never_fall_nor_pass_the_ceiling():
    y = _logistic(80, 1000, 0.08, 60)
    for method in fm.METHODS:
        p = fm.path(method, y, 1000, 300)
        assert np.all(np.diff(p) >= 0) and p[0] >= y[-1] and p[-1] <= 1000
    line = fm.path("linear", np.arange(0, 50, dtype=float) * 2, 1000, 10, window=20)
    assert line.tolist() == pytest.approx([98 + 2 * i for i in range(1, 11)])


def test_time_error_says_how_late_the_count_was_reached():
    path = np.array([10.0, 20, 30, 40])  # from 0, ten a step
    assert fm.time_error(path, 0, 40, 4) == pytest.approx(0)
    assert fm.time_error(path, 0, 20, 4) == pytest.approx(np.log(2 / 4))  # reached at step 2
    assert fm.time_error(path, 0, 1000, 4) == pytest.approx(np.log(fm.STRETCH_MAX))  # capped


def test_spread_shrinks_to_the_backtest_and_band_brackets_the_path():
    few, many = fm.spread([0.05], 1e6), fm.spread([0.05] * 40, 1e6)
    assert many < few < fm.PRIOR_SPREAD
    mid = np.linspace(110, 200, 10)
    low, high = fm.band(100, mid, 0.2)
    assert np.all(low <= mid) and np.all(mid <= high) and high[-1] == pytest.approx(200)


def test_backtest_of_a_straight_series_is_exact_and_covered():
    y = np.arange(0, 200, dtype=float) * 3
    origins = list(range(100, 180, 5))
    bt = fm.backtest("linear", y, [1e6] * len(origins), origins, [20] * len(origins))
    assert bt.mape_pct() == pytest.approx(0) and fm.coverage(bt) == 1.0


# ---------------------------------------------------------------- the calendar


def test_working_days_follow_the_official_calendar():
    days = fc.workdays(date(2023, 4, 22), date(2023, 5, 8))
    assert date(2023, 4, 23) in days  # a Sunday worked (调休) for 劳动节
    assert date(2023, 5, 1) not in days and date(2023, 5, 3) not in days  # 劳动节
    assert date(2023, 5, 6) in days  # Saturday 调休
    assert date(2023, 4, 29) not in days  # an ordinary Saturday
    far = fc.workdays(date(2031, 3, 3), date(2031, 3, 9))  # beyond the calendar: weekdays
    assert len(far) == 5


# ---------------------------------------------------------------- an S-shaped programme

TOTAL = 6000
START, END = date(2023, 3, 1), date(2024, 1, 31)


def s_programme(seed: int = 7) -> pd.Series:
    """Daily installs of an S-shaped programme on working days only (weekends, holidays and
    国庆 quiet, 调休 Saturdays worked): slow hiring, a fast middle, the last tenth dragging."""
    rng = np.random.default_rng(seed)
    days = fc.workdays(START, END)
    t = np.arange(len(days))
    mid = len(days) * 0.42
    core = 0.9 * TOTAL / (1 + np.exp(-0.045 * (t - mid)))
    tail = 0.1 * TOTAL * np.clip((t - mid) / (len(days) - mid), 0, 1) ** 2
    rate = np.diff(np.r_[0.0, core + tail])
    return pd.Series(rng.poisson(np.maximum(rate, 0)), index=days)


def _three_dates(daily: pd.Series) -> list[date]:
    cum = daily.cumsum()
    midpoint = cum.index[int(np.searchsorted(cum.to_numpy(), cum.iloc[-1] / 2))]
    return [midpoint - timedelta(weeks=6), midpoint, midpoint + timedelta(weeks=6)]


def _scores(methods: tuple[str, ...]) -> list[tuple[float, bool]]:
    daily = s_programme()
    cum = daily.cumsum()
    out = []
    for as_of in _three_dates(daily):
        f = fc.forecast_series(daily[daily.index <= as_of], {as_of: TOTAL}, as_of, 4, methods)
        actual = cum[cum.index <= as_of + timedelta(weeks=4)].iloc[-1]
        out.append((abs(f.predicted - actual) / actual, f.low <= actual <= f.high))
    return out


def test_s_shaped_programme_forecast_4_weeks_out():
    scores = _scores(fm.METHODS)
    assert all(err <= 0.05 for err, _ in scores), scores
    assert sum(inside for _, inside in scores) >= 2, scores


def test_the_straight_line_fails_the_same_test():
    scores = _scores(("linear",))
    assert not (all(err <= 0.05 for err, _ in scores) and sum(i for _, i in scores) >= 2)


def test_forecast_finishes_by_the_calendar_and_says_when_history_is_short():
    daily = s_programme()
    as_of = _three_dates(daily)[2]
    f = fc.forecast_series(daily[daily.index <= as_of], {as_of: TOTAL}, as_of)
    assert f.finish_low <= f.finish_date <= f.finish_high
    assert fc.is_workday(f.finish_date)
    assert f.method in ("logistic", "gompertz") and not f.fallback and f.tested == 8
    early = START + timedelta(weeks=3)
    short = fc.forecast_series(daily[daily.index <= early], {early: TOTAL}, early)
    assert short.method == "linear" and short.fallback
    assert "历史数据尚不足以拟合曲线" in briefing_text.forecast_sentence(short, END, None)


def test_backtest_is_cached_per_data_version():
    daily = s_programme()
    as_of = _three_dates(daily)[1]
    hist = daily[daily.index <= as_of]
    fc.forecast_series(hist, {as_of: TOTAL}, as_of)
    size = len(fc._CACHE)
    fc.forecast_series(hist, {as_of: TOTAL}, as_of)
    assert len(fc._CACHE) == size  # same data: the stored backtest
    more = hist.copy()
    more.iloc[-1] += 1  # one more install: a new data version
    fc.forecast_series(more, {as_of: TOTAL}, as_of)
    assert len(fc._CACHE) == size + 1


# ---------------------------------------------------------------- page, Word and CLI agree


@pytest.fixture(scope="module")
def demo_briefing(demo_db: Path) -> briefing.Briefing:
    con = connect(demo_db)
    try:
        return briefing.build(briefing.fetcher(con, None), demo.PROGRAMME, demo.AS_OF)
    finally:
        con.close()


def test_page_word_and_cli_agree(demo_briefing, demo_db, capsys):
    b = demo_briefing
    f = b.forecast.whole
    assert (
        main(
            [
                "forecast",
                "--db",
                str(demo_db),
                "--programme",
                demo.PROGRAMME,
                "--as-of",
                demo.AS_OF.isoformat(),
                "--weeks",
                "4",
                "--json",
            ]
        )
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {
        "as_of",
        "horizon",
        "installed_at_as_of",
        "predicted",
        "low",
        "high",
        "finish_date",
        "finish_low",
        "finish_high",
        "method",
        "backtest",
    }
    assert set(out["backtest"]) == {"mape_pct", "coverage_80"}
    assert out == f.as_json()
    assert out["installed_at_as_of"] == b.kpis["installed"]
    # The page's summary and the Word bulletin carry the same sentence and check.
    summary = briefing_text.summary(b)
    sentence = briefing_text.forecast_sentence(f, b.projection.deadline, b.projection.needed_weekly)
    assert sentence in summary and f"{f.predicted:,}" in summary
    doc = Document(io.BytesIO(files.docx_bytes(b, chart_png=b"")))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert summary in text and briefing_text.forecast_check(f) in text


def test_cli_street_and_refusals(demo_briefing, demo_db, capsys, tmp_path):
    b = demo_briefing
    sid, mine = next(iter(b.forecast.streets.items()))
    name = b.forecast.street_names[sid]
    args = ["forecast", "--db", str(demo_db), "--programme", demo.PROGRAMME]
    args += ["--as-of", demo.AS_OF.isoformat(), "--json"]
    assert main([*args, "--street", name]) == 0
    assert json.loads(capsys.readouterr().out) == mine.as_json()
    assert main([*args, "--street", "没有这个街道"]) == 2
    assert "没有名为" in capsys.readouterr().err
    missing = ["forecast", "--db", str(tmp_path / "none.duckdb"), "--programme", "x"]
    assert main([*missing, "--as-of", "2023-07-14", "--json"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：") and "不存在" in err
    assert not (tmp_path / "none.duckdb").exists()  # read-only: nothing created
