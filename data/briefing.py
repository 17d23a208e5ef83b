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

import duckdb
import pandas as pd

import queries

Fetch = Callable[..., pd.DataFrame]

PROJECTION_WEEKS = 4  # projection from the mean weekly installs of the last four weeks
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


def rules(settings: str | dict | None) -> Rules:
    """Read the thresholds from programme.settings (JSON); missing keys keep the defaults."""
    data = json.loads(settings) if isinstance(settings, str) else (settings or {})
    found = data.get("rules", {})
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


def _kpis(row: dict) -> dict[str, float]:
    target = int(row["target"])
    plan_households = round(target * float(row["plan_fraction"]))
    return {
        **{k: int(row[k]) for k in ("target", "surveyed", "installed", "verified")},
        **{k: int(row[k]) for k in ("hazards_open", "gas_cut", "refused")},
        "completion": row["installed"] / target if target else math.nan,
        "plan": float(row["plan_fraction"]),
        "plan_installed": plan_households,
        "gap_to_plan": int(row["installed"]) - plan_households,
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
    needed_weekly: float | None  # None: the deadline has passed

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
    needed = remaining / (days_left / 7) if days_left > 0 else None
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


def series(fetch: Fetch, programme_id: str, as_of: date, target: int) -> pd.DataFrame:
    """The district burn-up: actual installs (and surveyed, verified) vs plan at each week end."""
    weekly = fetch("weekly_progress", programme_id=programme_id, as_of=as_of)
    if weekly.empty:
        return pd.DataFrame(
            columns=["week_end", "surveyed", "installed", "verified", "plan", "plan_installed"]
        )
    total = weekly.groupby("week_end", as_index=False)[["surveyed", "installed", "verified"]].sum()
    plan = weekly.groupby("week_end", as_index=False)["plan"].first()
    total = total.merge(plan, on="week_end")
    total["plan_installed"] = (total["plan"] * target).round()
    total["week_end"] = pd.to_datetime(total["week_end"]).dt.date
    return total


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
    # None: counted by business date as known now; else the as-published knowledge time.
    known_at: datetime | None = None
    issue_no: int | None = None  # 第N期 once published (data.bulletins)
    district_name: str = ""  # the district (区/旗) the programme belongs to

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
    if known_at is not None and not isinstance(known_at, datetime):
        known_at = datetime.combine(known_at + timedelta(days=1), datetime.min.time())
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
    district = progs.loc[progs["programme_id"] == programme_id, "district_name"]
    return Briefing(
        programme_id=programme_id,
        programme_name=str(prog["name"]),
        as_of=as_of,
        scope_label=scope_label,
        is_demo=bool(status["is_demo"]),
        kpis=now,
        kpis_week_ago=by_day[week_ago],
        projection=projection(
            fetch, programme_id, as_of, now, _as_date(deadline), then=by_day[window]
        ),
        series=series(fetch, programme_id, as_of, now["target"]),
        street_series=weekly[weekly["street_id"].notna()],
        ranking=ranking(by_date, as_of),
        monthly=monthly_ranking(by_date, starts, as_of),
        rules=rules(prog["settings"]),
        known_at=known_at,
        district_name="" if district.empty or pd.isna(district.iloc[0]) else str(district.iloc[0]),
    )


def _as_date(value: object) -> date:
    return pd.Timestamp(value).date()


def basis(b: Briefing, lang: str = "zh") -> str:
    """How the bulletin counts (口径), in the words of its footnote and 说明 sheet.

    `lang="en"` gives the page's English wording; the files always use Chinese.
    """
    if lang != "zh":
        if b.known_at is None:
            return (
                "by business date (the day of the install, visit, hazard found, ...), "
                "including records entered later"
            )
        return (
            f"only records entered before {b.known_at:%Y-%m-%d %H:%M} "
            "(as published; records entered later are not counted)"
        )
    if b.known_at is None:
        return "按业务日期（安装、走访、发现隐患等的发生日期）统计，含此后补录的记录"
    return f"只计入{b.known_at:%Y-%m-%d %H:%M}前已录入系统的记录（发布口径，此后补录的不计）"


def cn_date(d: date) -> str:
    """2023-07-14 → '2023年7月14日'."""
    return f"{d.year}年{d.month}月{d.day}日"


def scoped_name(name: str, scope_label: str) -> str:
    """The programme's name with the scope in ONE pair of brackets.

    ('长宁区…（2023）', '华阳路街道') → '长宁区…（2023，华阳路街道）', never '（2023）（华阳路街道）'.
    """
    if not scope_label:
        return name
    if name.endswith("）") and "（" in name:
        return f"{name[:-1]}，{scope_label}）"
    return f"{name}（{scope_label}）"


def _count(v: float) -> str:
    return f"{round(v):,}"


def _pct(v: float) -> str:
    return "—" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v * 100:.1f}%"


def en_date(d: date) -> str:
    """2023-07-14 → '14 July 2023' (the English page's dates in sentences)."""
    return f"{d.day} {d:%B} {d.year}"


def summary(b: Briefing, lang: str = "zh") -> str:
    """The bulletin's summary paragraph: key numbers, the projection and the lagging streets.

    `lang="en"` gives the page's English paragraph; the bulletin files always use Chinese.
    """
    if lang != "zh":
        return _summary_en(b)
    k, p = b.kpis, b.projection
    week = b.change("installed")
    gap = k["gap_to_plan"]
    text = (
        f"截至{cn_date(b.as_of)}，{scoped_name(b.programme_name, b.scope_label)}"
        f"目标{_count(k['target'])}户，"
        f"已排摸{_count(k['surveyed'])}户，已安装{_count(k['installed'])}户"
        f"（本周新增{_count(week)}户），已验收{_count(k['verified'])}户，"
        f"完成率{_pct(k['completion'])}；按计划应完成{_count(k['plan_installed'])}户"
        f"（计划进度{_pct(k['plan'])}），"
        + (f"落后计划{_count(-gap)}户。" if gap < 0 else f"超出计划{_count(gap)}户。")
        + f"尚有未整改隐患{_count(k['hazards_open'])}户，停气{_count(k['gas_cut'])}户，"
        f"拒绝安装{_count(k['refused'])}户。"
    )
    text += (
        f"近{PROJECTION_WEEKS}周（{p.window_start.month}月{p.window_start.day}日至"
        f"{p.window_end.month}月{p.window_end.day}日）平均每周安装{_count(p.weekly_rate)}户，"
    )
    if p.remaining == 0:
        text += "已全部完成。"
    elif p.finish_on is None:
        text += "按此速度无法完成任务。"
    else:
        verdict = "可按期完成" if p.on_time else "不能按期完成"
        text += f"按此速度预计{cn_date(p.finish_on)}完成，{verdict}"
        if p.needed_weekly is not None:
            text += f"；要在{cn_date(p.deadline)}前完成，每周需安装{_count(math.ceil(p.needed_weekly))}户"
        text += "。"
    behind = b.behind
    if len(b.ranking) > 1:
        top = "、".join(b.ranking.sort_values("rank")["street_name"].head(3))
        text += f"完成率居前的是{top}。"
    slowed = b.ranking[b.ranking["slowed"]]
    if not slowed.empty:
        text += (
            f"本周安装明显放缓（不足近{PROJECTION_WEEKS}周周均一半）的有"
            f"{'、'.join(slowed['street_name'])}。"
        )
    if not behind.empty:
        named = "、".join(
            f"{r.street_name}（落后{_count(-r.gap_to_plan)}户）" for r in behind.itertuples()
        )
        text += f"落后于计划的有{named}，请相关街镇加快推进。"
    return text


def _households(v: float) -> str:
    n = round(v)
    return f"{n:,} household" + ("" if n == 1 else "s")


def _summary_en(b: Briefing) -> str:
    """The summary paragraph in English: same facts, same order as the Chinese one."""
    k, p = b.kpis, b.projection
    gap = k["gap_to_plan"]
    name = b.programme_name + (f" ({b.scope_label})" if b.scope_label else "")
    text = (
        f"As of {en_date(b.as_of)}, {name} has a target of {_households(k['target'])}: "
        f"{_count(k['surveyed'])} surveyed, {_count(k['installed'])} installed "
        f"({_count(b.change('installed'))} this week), {_count(k['verified'])} verified, "
        f"completion {_pct(k['completion'])}. The plan calls for {_count(k['plan_installed'])} "
        f"(plan {_pct(k['plan'])}), so the programme is "
        + (
            f"{_households(-gap)} behind plan. "
            if gap < 0
            else f"{_households(gap)} ahead of plan. "
        )
        + f"Open hazards: {_count(k['hazards_open'])} households; gas cut off: "
        f"{_count(k['gas_cut'])}; refused: {_count(k['refused'])}. "
    )
    text += (
        f"Over the last {PROJECTION_WEEKS} weeks ({p.window_start:%-d %B} to {p.window_end:%-d %B}) "
        f"installs averaged {_count(p.weekly_rate)} a week; "
    )
    if p.remaining == 0:
        text += "all done."
    elif p.finish_on is None:
        text += "at this rate the work will not be finished."
    else:
        verdict = "on time" if p.on_time else "late"
        text += f"at this rate it will be finished on {en_date(p.finish_on)}, {verdict}"
        if p.needed_weekly is not None:
            text += (
                f"; finishing by {en_date(p.deadline)} needs "
                f"{_count(math.ceil(p.needed_weekly))} installs a week"
            )
        text += "."
    if len(b.ranking) > 1:
        top = ", ".join(b.ranking.sort_values("rank")["street_name"].head(3))
        text += f" Highest completion: {top}."
    slowed = b.ranking[b.ranking["slowed"]]
    if not slowed.empty:
        text += (
            f" Installs slowed markedly this week (below half the {PROJECTION_WEEKS}-week "
            f"weekly mean) in {', '.join(slowed['street_name'])}."
        )
    behind = b.behind
    if not behind.empty:
        named = ", ".join(
            f"{r.street_name} ({_count(-r.gap_to_plan)} behind)" for r in behind.itertuples()
        )
        text += f" Behind plan: {named}; these streets and towns should speed up."
    return text


RANKING_COLUMNS = {
    "rank": "排名",
    "street_name": "街镇",
    "target": "目标户数",
    "installed": "已安装",
    "installed_week": "本周新增",
    "completion": "完成率",
    "gap_to_plan": "较计划（户）",
    "rectification_rate": "隐患整改率",
    "rank_change_week": "较上周",
    "rank_change_month": "较上月",
}


def rank_change(value: object, lang: str = "zh") -> str:
    """+2 → '↑2', -1 → '↓1', 0 → '—', unknown → '新' ('new' in English)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "新" if lang == "zh" else "new"
    v = int(value)
    return "—" if v == 0 else (f"↑{v}" if v > 0 else f"↓{-v}")


def ranking_rows(b: Briefing, lang: str = "zh") -> list[list[str]]:
    """The ranking as the bulletin prints it: Chinese number formats, one list per street.

    `lang="en"` words the page's English table (new, slowed); the files always use Chinese.
    """
    slowed = "（放缓）" if lang == "zh" else " (slowed)"
    out = []
    for r in b.ranking.sort_values("rank").itertuples():
        out.append(
            [
                str(r.rank),
                r.street_name,
                _count(r.target),
                _count(r.installed),
                _count(r.installed_week) + (slowed if r.slowed else ""),
                _pct(r.completion),
                f"{round(r.gap_to_plan):+,}",
                _pct(r.rectification_rate),
                rank_change(r.rank_change_week, lang),
                rank_change(r.rank_change_month, lang),
            ]
        )
    return out


# The ranking as numbers (Excel): column → number format kind, in RANKING_COLUMNS order.
RANKING_NUMBER_KINDS = {
    "rank": "count",
    "target": "count",
    "installed": "count",
    "installed_week": "count",
    "completion": "percent",
    "gap_to_plan": "signed",
    "rectification_rate": "percent",
    "rank_change_week": "rank_change",
    "rank_change_month": "rank_change",
}


def ranking_values(b: Briefing) -> pd.DataFrame:
    """The ranking with RANKING_COLUMNS' Chinese headers, numbers kept as numbers.

    Shares are fractions (0.61 = 61.0%), rank changes signed integers (+ = moved up, empty =
    new), and the street whose installs slowed is flagged in its own 本周放缓 column.
    """
    frame = b.ranking.sort_values("rank")
    out = pd.DataFrame(
        {
            label: [
                None if v is None or (isinstance(v, float) and math.isnan(v)) else v
                for v in frame[key].tolist()
            ]
            for key, label in RANKING_COLUMNS.items()
        }
    )
    for key in ("rank", "target", "installed", "installed_week", "gap_to_plan"):
        out[RANKING_COLUMNS[key]] = [int(v) for v in frame[key].round()]
    out["本周放缓"] = ["是" if s else "" for s in frame["slowed"]]
    return out


def ranking_total(b: Briefing) -> dict[str, object] | None:
    """The 合计 row of the ranking (keys are RANKING_COLUMNS' labels), None for one street.

    Completion and rectification rates are recomputed from the sums, never averaged.
    """
    r = b.ranking
    if len(r) < 2:
        return None
    target, installed = int(r["target"].sum()), int(r["installed"].sum())
    found, fixed = int(r["hazards_found"].sum()), int(r["hazards_rectified"].sum())
    c = RANKING_COLUMNS
    return {
        c["rank"]: None,
        c["street_name"]: "合计",
        c["target"]: target,
        c["installed"]: installed,
        c["installed_week"]: int(r["installed_week"].sum()),
        c["completion"]: installed / target if target else None,
        c["gap_to_plan"]: int(r["gap_to_plan"].round().sum()),
        c["rectification_rate"]: fixed / found if found else None,
        c["rank_change_week"]: None,
        c["rank_change_month"]: None,
    }


def ranking_total_row(b: Briefing) -> list[str] | None:
    """The 合计 row as the bulletin prints it (same formats as `ranking_rows`)."""
    total = ranking_total(b)
    if total is None:
        return None
    c = RANKING_COLUMNS
    return [
        "",
        "合计",
        _count(total[c["target"]]),
        _count(total[c["installed"]]),
        _count(total[c["installed_week"]]),
        _pct(total[c["completion"]]),
        f"{total[c['gap_to_plan']]:+,}",
        _pct(total[c["rectification_rate"]]),
        "",
        "",
    ]
