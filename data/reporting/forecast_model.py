"""The forecast's arithmetic on a cumulative series counted per working day: curve fits, the
backtest that chooses between them, and the 80 % range. Pure numpy/scipy, no dates, no DuckDB.

A series `y` is cumulative installs at the end of working days 0..n-1 (weekends, holidays and
调休 already taken out by the caller), `ceiling` what can be installed at all. Curves saturate
at the ceiling: logistic (symmetric S) and Gompertz (slow last tenth), fitted on the whole
history; the straight line continues the mean daily rate of the last `window` working days.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import OptimizeWarning, curve_fit

METHODS = ("logistic", "gompertz", "linear")
Z80 = 1.2815515655446004  # the 90th percentile of the normal: an 80 % two-sided range
MIN_CURVE_POINTS = 15  # working days (three weeks) of history before a curve is fitted at all
MIN_CURVE_SHARE = 0.03  # ... and 3 % of the ceiling installed: before that the S has no shape
PRIOR_SPREAD = 0.25  # log-error spread assumed before the backtest has anything to say
PRIOR_WEIGHT = 2  # worth two backtest errors


def _logistic(t: np.ndarray, k: float, t0: float, ceiling: float) -> np.ndarray:
    return ceiling / (1.0 + np.exp(-k * (t - t0)))


def _logistic_jac(t: np.ndarray, k: float, t0: float, ceiling: float) -> np.ndarray:
    f = 1.0 / (1.0 + np.exp(-k * (t - t0)))
    g = ceiling * f * (1 - f)
    return np.column_stack([g * (t - t0), -g * k])


def _gompertz(t: np.ndarray, c: float, t0: float, ceiling: float) -> np.ndarray:
    return ceiling * np.exp(-np.exp(-c * (t - t0)))


def _gompertz_jac(t: np.ndarray, c: float, t0: float, ceiling: float) -> np.ndarray:
    e = np.exp(-c * (t - t0))
    g = ceiling * np.exp(-e) * e
    return np.column_stack([g * (t - t0), -g * c])


_CURVES = {"logistic": _logistic, "gompertz": _gompertz}
_JACOBIANS = {"logistic": _logistic_jac, "gompertz": _gompertz_jac}


def _linearised(method: str, y: np.ndarray, ceiling: float) -> tuple[float, float] | None:
    """A first guess (rate, t0) from a weighted straight line through the linearised curve:
    logit(y/K) = k(t − t0) for the logistic, −ln(−ln(y/K)) = c(t − t0) for Gompertz."""
    t = np.arange(len(y), dtype=float)
    share = y / ceiling
    ok = (share > 0.002) & (share < 0.998)
    if ok.sum() < 3:
        return None
    s = share[ok]
    if method == "logistic":
        z = np.log(s / (1 - s))
        w = s * (1 - s)  # dC/dz: the linearised points weighted as the curve's own scale
    else:
        z = -np.log(-np.log(s))
        w = -s * np.log(s)
    w = w * w
    tt = t[ok]
    sw = w.sum()
    mt, mz = (w * tt).sum() / sw, (w * z).sum() / sw
    var = (w * (tt - mt) ** 2).sum()
    if var <= 0:
        return None
    rate = (w * (tt - mt) * (z - mz)).sum() / var
    if not rate > 0:
        return None
    return float(rate), float(mt - mz / rate)


def fit(method: str, y: Sequence[float], ceiling: float) -> tuple[float, float] | None:
    """The curve's (rate, t0) fitted to the whole series by least squares, or None when the
    history cannot carry it (too short, too little installed, no fit)."""
    y = np.asarray(y, dtype=float)
    if len(y) < MIN_CURVE_POINTS or ceiling <= 0 or y[-1] < MIN_CURVE_SHARE * ceiling:
        return None
    if y[-1] >= ceiling:
        return None
    start = _linearised(method, y, ceiling)
    if start is None:
        return None
    f, jac = _CURVES[method], _JACOBIANS[method]
    t = np.arange(len(y), dtype=float)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", (OptimizeWarning, RuntimeWarning))
            (rate, t0), _ = curve_fit(
                lambda tt, r, c: f(tt, r, c, ceiling),
                t,
                y,
                p0=start,
                jac=lambda tt, r, c: jac(tt, r, c, ceiling),
                method="lm",
                maxfev=200,
            )
    except (RuntimeError, ValueError):
        rate, t0 = start
    if not (0 < rate < 5 and np.isfinite(t0)):
        rate, t0 = start  # the least-squares step wandered off: keep the linearised fit
    return float(rate), float(t0)


def path(
    method: str, y: Sequence[float], ceiling: float, steps: int, window: int = 20
) -> np.ndarray | None:
    """Predicted cumulative installs at working days n .. n+steps-1 (after the last point),
    never below the last value nor above the ceiling; None when `method` cannot be fitted."""
    y = np.asarray(y, dtype=float)
    last = float(y[-1]) if len(y) else 0.0
    ahead = np.arange(1, steps + 1, dtype=float)
    if method == "linear":
        w = min(window, len(y) - 1)
        rate = (last - y[-1 - w]) / w if w > 0 else 0.0
        out = last + max(rate, 0.0) * ahead
    else:
        params = fit(method, y, ceiling)
        if params is None:
            return None
        f = _CURVES[method]
        n = len(y) - 1
        # The curve's shape from today's count to the ceiling: the fitted level may sit a little
        # off today's, so its increments are scaled to close exactly the gap that is left.
        now = float(f(np.array([float(n)]), *params, ceiling)[0])
        inc = f(n + ahead, *params, ceiling) - now
        scale = (ceiling - last) / (ceiling - now) if ceiling > now else 1.0
        out = last + np.maximum(inc, 0.0) * max(scale, 0.0)
    return np.minimum(np.maximum(out, last), max(ceiling, last))


STRETCH_MAX = 3.0  # a time error beyond ×3 (or ÷3) counts as ×3


def stretched(predicted: np.ndarray, last: float, factor: float) -> np.ndarray:
    """The path run `factor` times as fast (factor < 1: slower): value at step t is the
    path's at step t·factor, interpolated, from `last` at step 0; held at its end."""
    p = np.asarray(predicted, dtype=float)
    steps = np.arange(0, len(p) + 1, dtype=float)
    return np.interp(np.arange(1, len(p) + 1) * factor, steps, np.r_[last, p])


def time_error(predicted: np.ndarray, start: float, actual: float, h: int) -> float:
    """log(τ / h), where τ is when the predicted path reached the actual count at step h:
    > 0 the work ran slower than forecast, < 0 faster. For a straight line it is the log of
    actual over predicted increment."""
    p = np.r_[start, np.asarray(predicted, dtype=float)]
    if actual <= start:
        tau = h / STRETCH_MAX
    elif actual > p[-1]:
        tau = len(p) - 1 + 1e9 * (actual - p[-1])  # never reached within the path: the cap
    else:
        i = int(np.searchsorted(p, actual, side="left"))  # p[i-1] < actual <= p[i]
        lo, hi = p[i - 1], p[i]
        tau = i - 1 + (actual - lo) / (hi - lo) if hi > lo else float(i)
    return float(np.clip(np.log(max(tau, 1e-9) / h), -np.log(STRETCH_MAX), np.log(STRETCH_MAX)))


@dataclass(frozen=True)
class Backtest:
    """How one method did: its forecasts at past origins against what happened."""

    method: str
    origins: tuple[int, ...]  # index of the last working day known at each origin
    horizons: tuple[int, ...]  # working days ahead
    start: tuple[float, ...]  # cumulative at the origin
    predicted: tuple[float, ...]  # at the horizon
    actual: tuple[float, ...]
    errors: tuple[float, ...]  # time errors (`time_error`)
    paths: tuple[np.ndarray, ...] = ()  # the forecast paths, STRETCH_MAX × horizon long

    def log_errors(self) -> np.ndarray:
        """The time errors as an array."""
        return np.asarray(self.errors, dtype=float)

    def since(self, first: int) -> Backtest:
        """The same backtest from origin index `first` on."""
        keep = [i for i, o in enumerate(self.origins) if o >= first]

        def pick(v: tuple) -> tuple:
            return tuple(v[i] for i in keep) if v else v

        return Backtest(
            self.method,
            *(pick(v) for v in (self.origins, self.horizons, self.start, self.predicted)),
            *(pick(v) for v in (self.actual, self.errors, self.paths)),
        )

    def mape_pct(self) -> float | None:
        """Mean absolute % error of the cumulative count over the origins (None: none)."""
        p, a = np.asarray(self.predicted), np.asarray(self.actual)
        keep = a > 0
        if not keep.any():
            return None
        return float(np.mean(np.abs(p[keep] - a[keep]) / a[keep]) * 100)


def backtest(
    method: str,
    y: Sequence[float],
    ceilings: Sequence[float],
    origins: Sequence[int],
    horizons: Sequence[int],
    window: int = 20,
) -> Backtest:
    """The method's forecast from each origin (series cut after that index, ceiling then)
    `horizons[i]` working days ahead. Origins the method cannot fit are left out."""
    y = np.asarray(y, dtype=float)
    rows = []
    for o, ceiling, h in zip(origins, ceilings, horizons, strict=True):
        if o + h >= len(y) or h <= 0:
            continue
        p = path(method, y[: o + 1], ceiling, int(STRETCH_MAX * h) + 1, window)
        if p is None:
            continue
        a = float(y[o + h])
        rows.append((int(o), int(h), float(y[o]), float(p[h - 1]), a, time_error(p, y[o], a, h), p))
    if not rows:
        return Backtest(method, (), (), (), (), (), (), ())
    return Backtest(method, *(tuple(c) for c in zip(*rows, strict=True)))


def spread(log_errors: Sequence[float], increment: float) -> float:
    """The spread (log of time) of an 80 % range: the backtest's RMS time error shrunk
    towards PRIOR_SPREAD while it has few errors, never below counting noise."""
    e = np.asarray(log_errors, dtype=float)
    rms2 = (float((e * e).sum()) + PRIOR_WEIGHT * PRIOR_SPREAD**2) / (len(e) + PRIOR_WEIGHT)
    noise = 1.0 / math.sqrt(max(increment, 0.0) + 1.0)
    return min(math.sqrt(rms2 + noise * noise), math.log(STRETCH_MAX) / Z80)


def band(last: float, predicted: np.ndarray, s: float) -> tuple[np.ndarray, np.ndarray]:
    """(low, high) paths of the 80 % range: the predicted path run slower and faster by
    exp(±Z80·s), so both still end at the ceiling."""
    return stretched(predicted, last, math.exp(-Z80 * s)), stretched(
        predicted, last, math.exp(Z80 * s)
    )


def coverage(bt: Backtest, first: int = 0) -> float | None:
    """Share of the origins from index `first` on whose actual count fell inside the 80 % range
    built only from the errors known at that origin (earlier origins whose target date had
    passed), None when there are none."""
    hits = []
    for i, o in enumerate(bt.origins):
        if o < first:
            continue
        known = [bt.errors[j] for j in range(i) if bt.origins[j] + bt.horizons[j] <= o]
        s = spread(known, bt.predicted[i] - bt.start[i])
        h = bt.horizons[i]
        lo, hi = band(bt.start[i], bt.paths[i], s)
        hits.append(lo[h - 1] - 0.5 <= bt.actual[i] <= hi[h - 1] + 0.5)
    return float(np.mean(hits)) if hits else None


def first_reaching(values: np.ndarray, threshold: float) -> int | None:
    """Index of the first value ≥ threshold, None if none is."""
    hit = np.nonzero(np.asarray(values) >= threshold)[0]
    return int(hit[0]) if len(hit) else None
