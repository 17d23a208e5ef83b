"""The weekly briefing's numbers (周通报, 月排名): one computation for the page, the CLI and the files.

Every number comes from a named query run as of a date, so a past Friday is re-shown exactly as
it was (records count only once they had reached Anju). Callers pass a `fetch(name, **params)`
that binds their scope: the page's is cached, the CLI's runs on its own connection.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

import queries
from data.setup import levels as level_words

if TYPE_CHECKING:
    from data.reporting.forecast import ProgrammeForecast

Fetch = Callable[..., pd.DataFrame]

PROJECTION_WEEKS = 4  # projection from the mean weekly installs of the last four weeks
FORECAST_WEEKS = 4  # the forecast's horizon on the page and in the bulletin
SLOWDOWN = 0.5  # a street "slowed" when this week's installs < half its 4-week weekly mean
KPI_KEYS = (
    "target",
    "surveyed",
    "installed",
    "verified",
    "completion",
    "plan",
    "gap_to_plan",
    "hazards_open",
    "gas_cut",
    "refused",
)


def as_published(fetch: Fetch, known_at: datetime | date | None) -> Fetch:
    """`fetch` counting only records known before `known_at` (None: business date, known now).

    A date means the end of that day. Only the queries with a `$known_at` take it.
    """
    if known_at is None:
        return fetch
    if not isinstance(known_at, datetime):
        known_at = datetime.combine(known_at + timedelta(days=1), datetime.min.time())

    def fetch_at(name: str, **params: object) -> pd.DataFrame:
        if "known_at" in queries.parameters(name):
            params = {"known_at": known_at, **params}
        return fetch(name, **params)

    return fetch_at


def fetcher(con: duckdb.DuckDBPyConnection, scope: list[str] | None) -> Fetch:
    """A `fetch` on a plain connection with the scope bound (CLI, tests).

    The scope is required, as in `queries.run`: None (the whole district) must be said.
    """

    def fetch(name: str, **params: object) -> pd.DataFrame:
        if "street_ids" in queries.parameters(name):
            params = {"street_ids": scope, **params}
        return queries.run(con, name, **params)

    return fetch


@dataclass(frozen=True)
class Rules:
    """Follow-up thresholds of a programme ([rules] of its template, stored in settings)."""

    gas_cut_overdue_days: int = 7
    restore_within_hours: int = 24
    install_after_survey_days: int = 30
    warranty_warning_days: int = 90
    report_name: str = "月度报表"  # each template names its own (seed 000: 加装报警器确认表)
    report_day: int | None = None


def _settings(settings: str | dict | None) -> dict:
    return json.loads(settings) if isinstance(settings, str) else (settings or {})


def rules(settings: str | dict | None) -> Rules:
    """Read the thresholds from programme.settings (JSON); missing keys keep the defaults."""
    found = _settings(settings).get("rules", {})
    known = {k: found[k] for k in Rules.__dataclass_fields__ if k in found}
    return Rules(**known)


def rule_text(settings: str | dict | None, key: str, default: str = "") -> str:
    """One [rules] value of a programme as text (lists joined with 、), or `default`."""
    data = json.loads(settings) if isinstance(settings, str) else (settings or {})
    value = data.get("rules", {}).get(key)
    if value is None or value == "":
        return default
    return "、".join(map(str, value)) if isinstance(value, list) else str(value)


def kpis(fetch: Fetch, programme_id: str, as_of: date) -> dict[str, float]:
    """Headline numbers as of a date, with completion, plan share and gap to plan derived."""
    return _kpis(fetch("programme_kpis", programme_id=programme_id, as_of=as_of).iloc[0].to_dict())


def kpis_on(
    fetch: Fetch, programme_id: str, dates: list[date], business: bool
) -> dict[date, dict[str, float]]:
    """`kpis` on each date. By business date one `programme_kpis_dates` call reads them all
    (the same row as programme_kpis on each date); as published (`business` False) one call
    per date."""
    days = sorted({_as_date(d) for d in dates})
    if not business:
        return {d: kpis(fetch, programme_id, d) for d in days}
    every = fetch("programme_kpis_dates", programme_id=programme_id, dates=days)
    on = pd.to_datetime(every["as_of"]).dt.date
    every = every.drop(columns="as_of")
    return {d: _kpis(every[on == d].iloc[0].to_dict()) for d in days}


def half_up(value: float) -> int:
    """Rounded as the bulletin rounds (四舍五入: 2.5 → 3), the same as DuckDB's round()."""
    return math.floor(value + 0.5)


def _kpis(row: dict) -> dict[str, float]:
    target = int(row["target"])
    plan_households = half_up(target * float(row["plan_fraction"]))
    return {
        **{k: int(row[k]) for k in ("target", "surveyed", "installed", "verified")},
        **{k: int(row[k]) for k in ("hazards_open", "gas_cut", "refused")},
        "completion": row["installed"] / target if target else math.nan,
        "plan": float(row["plan_fraction"]),
        "plan_installed": plan_households,
        "gap_to_plan": int(row["installed"]) - plan_households,
    }


def plan_of(street_plans: int, street_targets: int, target: int, plan: float) -> int:
    """Households the plan expects done: the streets' own plans (each rounded on its own, as
    street_ranking and weekly_progress give them) plus what no street holds (households outside
    every street, an official target above the registered households) planned as one more part.

    Rounding the whole target once would differ from the streets' sum by a household or two.
    """
    return street_plans + half_up((target - street_targets) * plan)


def by_streets(k: dict, streets: pd.DataFrame) -> dict:
    """`k` with its plan made of the streets' plans (`plan_of`), so their gaps add up to it.

    `outside_streets` says how far the district's gap is from the streets' sum (0 when they
    add up; else households outside every street or a target above the registered ones).
    """
    street_target = int(streets["target"].sum())
    plan_households = plan_of(
        int(streets["plan_installed"].sum()), street_target, int(k["target"]), k["plan"]
    )
    gap = int(k["installed"]) - plan_households
    return k | {
        "plan_installed": plan_households,
        "gap_to_plan": gap,
        "outside_target": int(k["target"]) - street_target,
        "outside_installed": int(k["installed"]) - int(streets["installed"].sum()),
        "outside_streets": gap - int(streets["gap_to_plan"].sum()),
    }


@dataclass(frozen=True)
class Projection:
    """Where the recent rate leads: finish date, and the rate needed to meet the deadline."""

    window_start: date  # first day of the rate window (exclusive of the day before)
    window_end: date
    weekly_rate: float  # mean installs per week over the window
    remaining: int
    deadline: date
    finish_on: date | None  # None: at this rate the work never finishes (rate 0)
    # Households a week the deadline needs, rounded up (fewer would miss it): every surface
    # prints this one integer. None: the deadline has passed.
    needed_weekly: int | None

    @property
    def weekly_installs(self) -> int:
        """The window's weekly rate as every surface prints it (四舍五入)."""
        return half_up(self.weekly_rate)

    @property
    def on_time(self) -> bool:
        """Whether the projected finish is on or before the deadline."""
        return self.remaining <= 0 or (
            self.finish_on is not None and self.finish_on <= self.deadline
        )


def projection(
    fetch: Fetch,
    programme_id: str,
    as_of: date,
    now: dict,
    deadline: date,
    then: dict | None = None,
) -> Projection:
    """Project the installs of the last PROJECTION_WEEKS weeks forward to the deadline.

    `then`: the `kpis` of PROJECTION_WEEKS weeks before `as_of` when already read.
    """
    start = as_of - timedelta(weeks=PROJECTION_WEEKS)
    if then is None:
        then = kpis(fetch, programme_id, start)
    rate = (now["installed"] - then["installed"]) / PROJECTION_WEEKS
    remaining = max(0, now["target"] - now["installed"])
    if remaining == 0:
        finish = as_of
    elif rate > 0:
        finish = as_of + timedelta(days=math.ceil(remaining / rate * 7))
    else:
        finish = None
    days_left = (deadline - as_of).days
    # remaining / (days_left / 7) rounded up, in integers so 306.0000001 never becomes 307.
    needed = -(-remaining * 7 // days_left) if days_left > 0 else None
    return Projection(start + timedelta(days=1), as_of, rate, remaining, deadline, finish, needed)


def month_ends(starts: date, as_of: date) -> list[date]:
    """Last day of each month from `starts` up to `as_of` (the 月排名 dates), `as_of` last."""
    out, cursor = [], date(starts.year, starts.month, 1)
    while True:
        nxt = date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
        end = nxt - timedelta(days=1)
        if end >= as_of:
            out.append(as_of)
            return out
        out.append(end)
        cursor = nxt


def previous_month_end(as_of: date) -> date:
    """The last day of the month before `as_of` (last month's ranking)."""
    return date(as_of.year, as_of.month, 1) - timedelta(days=1)


def ranking_dates(starts: date, as_of: date) -> list[date]:
    """Every date the ranking and 月排名 read: `as_of`, a week, four weeks and a month ago, and
    each month's end of the year so far (`month_ends`), sorted, each once."""
    return sorted(
        {
            as_of,
            as_of - timedelta(days=7),
            as_of - timedelta(weeks=PROJECTION_WEEKS),
            previous_month_end(as_of),
            *month_ends(max(starts, date(as_of.year, 1, 1)), as_of),
        }
    )


Rankings = dict[date, pd.DataFrame]


def rankings(fetch: Fetch, programme_id: str, dates: list[date], business: bool) -> Rankings:
    """street_ranking on each date. By business date one `street_rankings` call reads them all
    (the same rows as street_ranking on each date); as published (`business` False: `fetch`
    counts only records known by then, which street_rankings cannot) one call per date."""
    days = sorted({_as_date(d) for d in dates})
    if not business:
        return {d: fetch("street_ranking", programme_id=programme_id, as_of=d) for d in days}
    every = fetch("street_rankings", programme_id=programme_id, dates=days)
    on = pd.to_datetime(every["as_of"]).dt.date
    every = every.drop(columns="as_of")
    return {d: every[on == d].reset_index(drop=True) for d in days}


def ranking(by_date: Rankings, as_of: date) -> pd.DataFrame:
    """Street ranking as of a date with rank change since last week and since last month's end.

    Positive change = moved up. Changes compare with the ranking as it was published then.
    `by_date` holds the rankings of `ranking_dates` (see `rankings`).
    """
    as_of = _as_date(as_of)
    now = by_date[as_of]
    week = by_date[as_of - timedelta(days=7)]
    month = by_date[previous_month_end(as_of)]
    window = by_date[as_of - timedelta(weeks=PROJECTION_WEEKS)]
    out = now.copy()
    # This week's installs, and whether they fell below half the street's recent weekly mean
    # (with work left to do): the street whose line flattened.
    before = dict(zip(week["street_id"], week["installed"], strict=True))
    earlier = dict(zip(window["street_id"], window["installed"], strict=True))
    out["installed_week"] = [
        i - before.get(s, 0) for s, i in zip(out["street_id"], out["installed"], strict=True)
    ]
    mean = [
        (i - earlier.get(s, 0)) / PROJECTION_WEEKS
        for s, i in zip(out["street_id"], out["installed"], strict=True)
    ]
    out["slowed"] = [
        bool(m > 0 and w < SLOWDOWN * m and t > i)
        for w, m, t, i in zip(
            out["installed_week"], mean, out["target"], out["installed"], strict=True
        )
    ]
    for label, then in (("week", week), ("month", month)):
        prev = dict(zip(then["street_id"], then["rank"], strict=True))
        out[f"rank_{label}_ago"] = [prev.get(s) for s in out["street_id"]]
        out[f"rank_change_{label}"] = [
            None if p is None else int(p) - int(r)
            for p, r in zip(out[f"rank_{label}_ago"], out["rank"], strict=True)
        ]
    return out


def monthly_ranking(by_date: Rankings, starts: date, as_of: date) -> pd.DataFrame:
    """月排名: one row per street, one rank column per month end (the last one is `as_of`)."""
    frames = []
    as_of = _as_date(as_of)
    for end in month_ends(max(starts, date(as_of.year, 1, 1)), as_of):
        df = by_date[end]
        if not df["installed"].any():
            continue  # nothing installed yet: a ranking of zeros says nothing
        frames.append(df.assign(month=end.strftime("%Y-%m"))[["street_name", "month", "rank"]])
    if not frames:
        return pd.DataFrame(columns=["street_name"])
    long = pd.concat(frames)
    wide = long.pivot(index="street_name", columns="month", values="rank").reset_index()
    wide.columns.name = None
    return wide.sort_values(wide.columns[-1]).reset_index(drop=True)


def series(
    fetch: Fetch,
    programme_id: str,
    as_of: date,
    target: int,
    weekly: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The district burn-up: actual installs (and surveyed, verified) vs plan at each week end.

    The plan is `plan_of` the streets' plans each week, so the last point (`as_of`) is the KPI
    card's 按计划应完成. `weekly`: weekly_progress when already read.
    """
    if weekly is None:
        weekly = fetch("weekly_progress", programme_id=programme_id, as_of=as_of)
    if weekly.empty:
        return pd.DataFrame(
            columns=["week_end", "surveyed", "installed", "verified", "plan", "plan_installed"]
        )
    total = weekly.groupby("week_end", as_index=False)[["surveyed", "installed", "verified"]].sum()
    plan = weekly.groupby("week_end", as_index=False)["plan"].first()
    named = weekly[weekly["street_id"].notna()].groupby("week_end")
    parts = pd.DataFrame(
        {"street_plans": named["plan_installed"].sum(), "street_targets": named["target"].sum()}
    ).reset_index()
    total = (
        total.merge(plan, on="week_end")
        .merge(parts, on="week_end", how="left")
        .fillna({"street_plans": 0, "street_targets": 0})
    )
    total["plan_installed"] = [
        plan_of(int(p), int(t), int(target), float(f))
        for p, t, f in zip(
            total["street_plans"], total["street_targets"], total["plan"], strict=True
        )
    ]
    total["week_end"] = pd.to_datetime(total["week_end"]).dt.date
    return total.drop(columns=["street_plans", "street_targets"])


@dataclass
class Briefing:
    """Everything the 周报 page and the 周通报 files show for one programme, scope and date."""

    programme_id: str
    programme_name: str
    as_of: date
    scope_label: str
    is_demo: bool
    kpis: dict
    kpis_week_ago: dict
    projection: Projection
    series: pd.DataFrame
    street_series: pd.DataFrame
    ranking: pd.DataFrame
    monthly: pd.DataFrame
    rules: Rules = field(default_factory=Rules)
    # The finish-date forecast (S curve or straight line, 80 % range, backtest) of the scope
    # and its streets: data.reporting.forecast.
    forecast: ProgrammeForecast | None = None
    # None: counted by business date as known now; else the as-published knowledge time.
    known_at: datetime | None = None
    issue_no: int | None = None  # 第N期 once published (data.reporting.bulletins)
    draft_issue_no: int = 1  # 第N期 it would be while unpublished (`draft_issue_no`)
    district_name: str = ""  # the district (区/旗) the programme belongs to
    # What the programme calls its levels (全区/街镇/社区, 全旗/苏木镇/嘎查): data.setup.levels.
    levels: dict[str, str] = field(default_factory=lambda: dict(level_words.DEFAULT))

    @property
    def is_street_copy(self) -> bool:
        """Whether this is a street office's copy (its own streets), not the district's."""
        return bool(self.scope_label)

    def change(self, key: str) -> float:
        """Week-over-week change of one KPI (as_of vs as_of − 7 days)."""
        return self.kpis[key] - self.kpis_week_ago[key]

    @property
    def behind(self) -> pd.DataFrame:
        """Streets behind plan, furthest behind first."""
        rows = self.ranking[self.ranking["gap_to_plan"] < 0]
        return rows.sort_values(["gap_to_plan", "street_id"])


def build(
    fetch: Fetch,
    programme_id: str,
    as_of: date,
    scope_label: str = "",
    known_at: datetime | date | None = None,
) -> Briefing:
    """Compute the whole briefing as of a date.

    By default every record counts on its business date as known now; `known_at` (a moment,
    or a date meaning the end of that day) gives the view as it was published then.
    """
    from data.reporting import forecast  # it reads this module's fetch helpers

    if known_at is not None and not isinstance(known_at, datetime):
        known_at = datetime.combine(known_at + timedelta(days=1), datetime.min.time())
    unpublished = fetch
    fetch = as_published(fetch, known_at)
    prog = fetch("programme_settings", programme_id=programme_id).iloc[0]
    status = fetch("data_status", programme_id=programme_id).iloc[0]
    deadline = prog["install_ends"] if pd.notna(prog["install_ends"]) else prog["ends"]
    day = _as_date(as_of)
    week_ago, window = day - timedelta(days=7), day - timedelta(weeks=PROJECTION_WEEKS)
    by_day = kpis_on(fetch, programme_id, [day, week_ago, window], business=known_at is None)
    now = by_day[day]
    weekly = fetch("weekly_progress", programme_id=programme_id, as_of=as_of)
    weekly = weekly.assign(week_end=pd.to_datetime(weekly["week_end"]).dt.date)
    progs = fetch("programmes")
    starts = _as_date(prog["starts"])
    dates = ranking_dates(starts, day)
    by_date = rankings(fetch, programme_id, dates, business=known_at is None)
    # The cards' plan is the streets' plans summed, so the ranking's 合计 is the cards' gap.
    now = by_streets(now, by_date[day])
    district = progs.loc[progs["programme_id"] == programme_id, "district_name"]
    district_name = "" if district.empty or pd.isna(district.iloc[0]) else str(district.iloc[0])
    return Briefing(
        programme_id=programme_id,
        programme_name=str(prog["name"]),
        as_of=as_of,
        scope_label=scope_label,
        is_demo=bool(status["is_demo"]),
        kpis=now,
        kpis_week_ago=by_streets(by_day[week_ago], by_date[week_ago]),
        projection=projection(
            fetch, programme_id, as_of, now, _as_date(deadline), then=by_day[window]
        ),
        series=series(fetch, programme_id, as_of, now["target"], weekly),
        street_series=weekly[weekly["street_id"].notna()],
        ranking=ranking(by_date, as_of),
        monthly=monthly_ranking(by_date, starts, as_of),
        rules=rules(prog["settings"]),
        known_at=known_at,
        district_name=district_name,
        levels=level_words.for_settings(_settings(prog["settings"]), district_name),
        forecast=forecast.programme_forecast(
            unpublished, programme_id, day, FORECAST_WEEKS, known_at=known_at
        ),
        draft_issue_no=draft_issue_no(
            unpublished("bulletin_issues", programme_id=programme_id), day
        ),
    )


def draft_issue_no(issues: pd.DataFrame, as_of: date) -> int:
    """第N期 of an unpublished bulletin: 1 + the programme's issues published for earlier dates,
    so the first ever is 第1期 and a draft of a published week keeps that issue's place.

    `issues`: the bulletin_issues rows."""
    if issues.empty:
        return 1
    return 1 + int((pd.to_datetime(issues["as_of"]).dt.date < _as_date(as_of)).sum())


def _as_date(value: object) -> date:
    return pd.Timestamp(value).date()
