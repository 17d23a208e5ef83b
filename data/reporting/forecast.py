"""When will the programme finish: a forecast that knows the S shape, the ceiling and the calendar.

Cumulative installs are counted per working day (the official calendar: weekends, holidays and
调休 make-up days, as batches plan them) and continued by the method that would have done best
4 weeks out at the last eight Fridays: a logistic or Gompertz curve saturating at what can
still be installed, or the straight line of the last four weeks. With too little history only
the straight line is left, and the forecast says so. The 80 % range comes from the same
backtest's errors. One function (`programme_forecast`) serves the 周报 page, the 周通报 files
and `anju forecast`; the maths is data.reporting.forecast_model.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

import chinese_calendar
import numpy as np
import pandas as pd

from data.reporting import briefing
from data.reporting import forecast_model as fm

BACKTEST_ORIGINS = 8  # the Fridays the 预测检验 reports on
HISTORY_ORIGINS = 16  # the Fridays whose errors build the 80 % range
FINISH_SHARE = 0.005  # done when less than 0.5 % of what can be installed is left
FINISH_YEARS = 3  # a finish further out than this is "not in sight"
LINE_WEEKS = 4  # the straight line's rate window
MIN_BACKTESTS = 3  # origins a curve must have been tested at before it may be chosen


def is_workday(d: date) -> bool:
    """A working day by the official calendar (调休 included); weekdays where it has no data."""
    try:
        return chinese_calendar.is_workday(d)
    except NotImplementedError:
        return d.weekday() < 5


def workdays(start: date, end: date) -> list[date]:
    """Working days from `start` to `end`, both included (as `is_workday`, in one pass: the
    calendar's holiday and make-up day tables, weekdays only outside the years it knows)."""
    days = pd.date_range(start, end)
    known = (days.year >= _FIRST_YEAR) & (days.year <= _LAST_YEAR)
    weekday = days.day_of_week < 5
    holiday = days.isin(_HOLIDAYS)
    makeup = days.isin(_MAKEUP)
    work = np.where(known, (weekday & ~holiday) | makeup, weekday)
    return list(days[work].date)


_HOLIDAYS = pd.DatetimeIndex(sorted(chinese_calendar.holidays))
_MAKEUP = pd.DatetimeIndex(sorted(chinese_calendar.workdays))
_FIRST_YEAR, _LAST_YEAR = _HOLIDAYS.min().year, _HOLIDAYS.max().year


@dataclass(frozen=True)
class Forecast:
    """Where one series (the programme, or one street) will be `horizon` weeks on, and when it
    finishes, with 80 % ranges and the backtest that chose the method."""

    as_of: date
    horizon: int  # weeks
    installed_at_as_of: int
    ceiling: int  # what can be installed at all: target − refused − unfixable − opted out
    predicted: int
    low: int
    high: int
    finish_date: date | None  # None: not in sight within FINISH_YEARS
    finish_low: date | None
    finish_high: date | None
    method: str  # logistic | gompertz | linear
    fallback: bool  # the straight line because the history is too short for a curve
    mape_pct: float | None  # backtest: mean absolute % error at the last BACKTEST_ORIGINS Fridays
    coverage_80: float | None  # ... share of them whose actual fell in the 80 % range
    tested: int  # how many Fridays the backtest had
    # The band drawn on the burn-up: dates and predicted / low / high cumulative installs.
    path: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False, compare=False)

    @property
    def done(self) -> bool:
        """Whether nothing installable is left."""
        return self.installed_at_as_of >= self.ceiling

    def as_json(self) -> dict:
        """The forecast as `anju forecast --json` prints it."""
        iso = lambda d: d.isoformat() if d else None  # noqa: E731
        return {
            "as_of": self.as_of.isoformat(),
            "horizon": self.horizon,
            "installed_at_as_of": self.installed_at_as_of,
            "predicted": self.predicted,
            "low": self.low,
            "high": self.high,
            "finish_date": iso(self.finish_date),
            "finish_low": iso(self.finish_low),
            "finish_high": iso(self.finish_high),
            "method": self.method,
            "backtest": {
                "mape_pct": None if self.mape_pct is None else round(self.mape_pct, 2),
                "coverage_80": None if self.coverage_80 is None else round(self.coverage_80, 3),
            },
        }


# Backtests keyed by the content of their input (series, ceilings, origins): the same data
# version gives the same key, new installs a new one. Shared by the page's sessions.
_CACHE: OrderedDict[tuple, dict[str, fm.Backtest]] = OrderedDict()
_CACHE_SIZE = 512
_LOCK = threading.Lock()


def _backtests(
    y: np.ndarray,
    ceilings: list[float],
    origins: list[int],
    horizons: list[int],
    window: int,
    methods: tuple[str, ...],
) -> dict[str, fm.Backtest]:
    digest = hashlib.blake2b(y.tobytes(), digest_size=16).hexdigest()
    key = (digest, tuple(ceilings), tuple(origins), tuple(horizons), window, methods)
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    found = {m: fm.backtest(m, y, ceilings, origins, horizons, window) for m in methods}
    with _LOCK:
        _CACHE[key] = found
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return found


def _day(d: np.datetime64) -> date:
    return d.astype(object)


@lru_cache(maxsize=64)
def _workday_array(start: date, end: date) -> np.ndarray:
    return np.array(workdays(start, end), dtype="datetime64[D]")


def _cumulative(daily: pd.Series, days: np.ndarray) -> np.ndarray:
    """Cumulative installs at the end of each of `days` (installs on days off count from the
    next day listed)."""
    if daily.empty:
        return np.zeros(len(days))
    on = np.array(daily.index, dtype="datetime64[D]")
    order = np.argsort(on)
    on, counts = on[order], np.cumsum(np.asarray(daily.values, dtype=float)[order])
    at = np.searchsorted(on, days, side="right")
    return np.where(at > 0, counts[np.maximum(at - 1, 0)], 0.0)


def _fridays(as_of: date, weeks: int, count: int) -> list[date]:
    """The last `count` Fridays whose forecast `weeks` ahead has happened by `as_of`, oldest first."""
    last = as_of - timedelta(weeks=weeks)
    last -= timedelta(days=(last.weekday() - 4) % 7)
    return [last - timedelta(weeks=k) for k in range(count - 1, -1, -1)]


def forecast_series(
    daily: pd.Series,
    ceiling_on: dict[date, float],
    as_of: date,
    weeks: int = 4,
    methods: tuple[str, ...] = fm.METHODS,
) -> Forecast:
    """The forecast of one series of daily installs (index: date) as of a date.

    `ceiling_on`: what can be installed at all, on `as_of` and on backtest Fridays (a missing
    Friday takes the next date given). `methods`: the candidates; the one with the lowest
    backtest error wins.
    """
    daily = daily[daily != 0]
    ceiling = float(ceiling_on.get(as_of, 0.0))
    first = min(min(daily.index), as_of) if len(daily) else as_of
    fridays = _fridays(as_of, weeks, HISTORY_ORIGINS)
    calendar = _workday_array(min(first, fridays[0]), as_of + timedelta(days=365 * FINISH_YEARS))
    today = np.datetime64(as_of, "D")
    cut = int(np.searchsorted(calendar, today, "right"))
    past, ahead_days = calendar[:cut], calendar[cut:]
    if not len(past) or past[-1] != today:
        past = np.r_[past, today]  # a day off as the date: its installs close the series
    # The history starts the working day before the first install (a long empty run before
    # it says nothing).
    begin = max(0, int(np.searchsorted(past, np.datetime64(first, "D"))) - 1)
    days = past[begin:]
    y = _cumulative(daily, days)
    installed = round(float(y[-1]))
    ceiling = max(ceiling, float(installed))
    window = int((days > np.datetime64(as_of - timedelta(weeks=LINE_WEEKS), "D")).sum())

    origins, horizons, ceilings = [], [], []
    ends = np.array([f + timedelta(weeks=weeks) for f in fridays], dtype="datetime64[D]")
    starts = np.searchsorted(days, np.array(fridays, dtype="datetime64[D]"), "right") - 1
    targets = np.searchsorted(days, ends, "right") - 1
    for f, o, t in zip(fridays, starts.tolist(), targets.tolist(), strict=True):
        if o < 0 or t <= o:
            continue
        origins.append(o)
        horizons.append(t - o)
        later = [d for d in ceiling_on if d >= f]
        then = ceiling_on[min(later)] if later else ceiling
        ceilings.append(float(max(then, y[o])))
    tests = _backtests(y, ceilings, origins, horizons, window, methods)
    first_recent = origins[-BACKTEST_ORIGINS:][0] if origins else 0
    recent = {m: bt.since(first_recent) for m, bt in tests.items()}
    scores = {
        m: bt.mape_pct()
        for m, bt in recent.items()
        if len(bt.origins) >= (1 if m == "linear" else MIN_BACKTESTS) and bt.mape_pct() is not None
    }
    steps = max(1, len(ahead_days))
    h = int((ahead_days <= np.datetime64(as_of + timedelta(weeks=weeks), "D")).sum())
    chosen, mid = "linear", None
    for m in sorted(scores, key=lambda k: (scores[k], fm.METHODS.index(k))):
        mid = fm.path(m, y, ceiling, steps, window)
        if mid is not None:
            chosen = m
            break
    if mid is None:
        mid = fm.path("linear", y, ceiling, steps, window)
    fallback = chosen == "linear" and not any(m in scores for m in methods if m != "linear")
    bt = tests.get(chosen, tests["linear"])
    at_h = float(mid[h - 1]) if h > 0 else float(installed)
    s = fm.spread(bt.log_errors(), at_h - installed)
    low, high = fm.band(float(installed), mid, s)
    shown = bt.since(first_recent)
    tested = len(shown.origins)
    mape = shown.mape_pct()
    coverage = fm.coverage(bt, first_recent)
    threshold = ceiling - max(0.5, FINISH_SHARE * ceiling)

    def finish(values: np.ndarray) -> date | None:
        if installed >= threshold:
            return as_of
        i = fm.first_reaching(values, threshold)
        return None if i is None else _day(ahead_days[i])

    reached = fm.first_reaching(low, threshold)
    band_end = min(steps, max(h, (steps - 1 if reached is None else reached) + 1))
    path = pd.DataFrame(
        {
            "day": [as_of, *ahead_days[:band_end].astype(object)],
            "predicted": [float(installed), *mid[:band_end]],
            "low": [float(installed), *low[:band_end]],
            "high": [float(installed), *high[:band_end]],
        }
    )
    return Forecast(
        as_of=as_of,
        horizon=weeks,
        installed_at_as_of=installed,
        ceiling=round(float(ceiling)),
        predicted=round(float(at_h)),
        low=round(float(low[h - 1])) if h > 0 else installed,
        high=round(float(high[h - 1])) if h > 0 else installed,
        finish_date=finish(mid),
        finish_low=finish(high),
        finish_high=finish(low),
        method=chosen,
        fallback=fallback,
        mape_pct=mape,
        coverage_80=coverage,
        tested=tested,
        path=path,
    )


@dataclass(frozen=True)
class ProgrammeForecast:
    """The forecast of a programme (within a scope) and of each of its streets."""

    whole: Forecast
    streets: dict[str, Forecast]  # street_id → forecast
    street_names: dict[str, str]

    def street(self, name_or_id: str) -> Forecast:
        """One street's forecast by its name or id (ValueError in Chinese if unknown)."""
        if name_or_id in self.streets:
            return self.streets[name_or_id]
        for sid, name in self.street_names.items():
            if name == name_or_id and sid in self.streets:
                return self.streets[sid]
        raise ValueError(
            f"没有名为 {name_or_id!r} 的街镇；可选：{'、'.join(self.street_names.values())}"
        )


def programme_forecast(
    fetch: briefing.Fetch,
    programme_id: str,
    as_of: date,
    weeks: int = 4,
    known_at: datetime | date | None = None,
    streets: bool = True,
) -> ProgrammeForecast:
    """The forecast of the programme within `fetch`'s scope and, with `streets`, of each street.

    Reads per-street daily sums and per-street ceilings only (never the households), so it stays
    fast at city scale; the backtests are cached per data version.
    """
    if known_at is not None and not isinstance(known_at, datetime):
        known_at = datetime.combine(known_at + timedelta(days=1), datetime.min.time())
    fetch = briefing.as_published(fetch, known_at)
    as_of = pd.Timestamp(as_of).date()
    daily = fetch("forecast_daily_installs", programme_id=programme_id, as_of=as_of)
    daily = daily.assign(on_day=pd.to_datetime(daily["on_day"]).dt.date)
    # Ceilings on the reported Fridays only; older origins (whose errors only widen the range)
    # take the earliest of these, so the SQL reads 9 dates, not 17.
    dates = [as_of, *_fridays(as_of, weeks, BACKTEST_ORIGINS)]
    lost = fetch("forecast_ceiling", programme_id=programme_id, dates=dates)
    lost = lost.assign(as_of=pd.to_datetime(lost["as_of"]).dt.date)
    lost["cannot"] = lost["refused"] + lost["unfixable"] + lost["opted_out"]
    on = lost.groupby("as_of")
    registered = on["households"].sum()
    # The official target, but never fewer than the households registered: a registry that
    # outgrew the plan figure can still all be installed.
    target = np.maximum(on["scope_target"].first().fillna(registered), registered)
    whole_ceiling = (target - on["cannot"].sum()).astype(float).to_dict()
    whole = forecast_series(daily.groupby("on_day")["installed"].sum(), whole_ceiling, as_of, weeks)
    by_street: dict[str, Forecast] = {}
    named = lost[lost["street_id"].notna()]
    street_names = dict(zip(named["street_id"], named["street_name"], strict=False))
    if streets:
        per = lost[lost["street_id"].notna()]
        for sid, rows in per.groupby("street_id"):
            ceiling = dict(zip(rows["as_of"], rows["households"] - rows["cannot"], strict=True))
            if as_of not in ceiling:
                continue
            mine = daily[daily["street_id"] == sid].set_index("on_day")["installed"]
            # Streets are checked with the programme's chosen method only: cheap, and a
            # street's short, noisy history is a poor judge between curves.
            by_street[str(sid)] = forecast_series(
                mine, ceiling, as_of, weeks, methods=tuple(dict.fromkeys([whole.method, "linear"]))
            )
    return ProgrammeForecast(whole, by_street, {str(k): str(v) for k, v in street_names.items()})
