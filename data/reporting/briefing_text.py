"""The weekly briefing's words: the summary paragraph, the counting basis, dates and the ranking
table as the page, the Word bulletin and the CLI print them (the numbers come from data.reporting.briefing).
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd

from data.reporting.briefing import PROJECTION_WEEKS, Briefing
from data.reporting.forecast import Forecast
from data.setup import levels


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


def against_plan(gap: int) -> str:
    """The gap to plan in the summary's words: 落后计划N户 / 超出计划N户 / 与计划持平."""
    if gap < 0:
        return f"落后计划{_count(-gap)}户。"
    return f"超出计划{_count(gap)}户。" if gap > 0 else "与计划持平。"


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
        + against_plan(gap)
        + f"尚有未整改隐患{_count(k['hazards_open'])}户，停气{_count(k['gas_cut'])}户，"
        f"拒绝安装{_count(k['refused'])}户。"
    )
    text += (
        f"近{PROJECTION_WEEKS}周（{p.window_start.month}月{p.window_start.day}日至"
        f"{p.window_end.month}月{p.window_end.day}日）平均每周安装{_count(p.weekly_installs)}户，"
    )
    if p.remaining == 0:
        text += "已全部完成。"
    elif b.forecast is None:
        text += _straight_line_zh(p)
    else:
        text += forecast_sentence(b.forecast.whole, p.deadline, p.needed_weekly)
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
        street = levels.level_names(b.district_name)["street"]  # 苏木镇 in a 旗
        text += f"落后于计划的有{named}，请相关{street}加快推进。"
    return text


def _straight_line_zh(p) -> str:
    if p.finish_on is None:
        return "按此速度无法完成任务。"
    verdict = "可按期完成" if p.on_time else "不能按期完成"
    text = f"按此速度预计{cn_date(p.finish_on)}完成，{verdict}"
    if p.needed_weekly is not None:
        text += f"；要在{cn_date(p.deadline)}前完成，每周需安装{_count(p.needed_weekly)}户"
    return text + "。"


def _straight_line_en(p) -> str:
    if p.finish_on is None:
        return "at this rate the work will not be finished."
    verdict = "on time" if p.on_time else "late"
    text = f"at this rate it will be finished on {en_date(p.finish_on)}, {verdict}"
    if p.needed_weekly is not None:
        text += (
            f"; finishing by {en_date(p.deadline)} needs {_count(p.needed_weekly)} installs a week"
        )
    return text + "."


METHOD_NAMES = {
    "zh": {
        "logistic": "S形曲线（logistic）",
        "gompertz": "S形曲线（Gompertz，尾段放缓）",
        "linear": f"近{PROJECTION_WEEKS}周平均速度直线外推",
    },
    "en": {
        "logistic": "an S curve (logistic)",
        "gompertz": "an S curve (Gompertz, slow last stretch)",
        "linear": f"a straight line at the last {PROJECTION_WEEKS} weeks' rate",
    },
}


def short_date(d: date, ref: date, lang: str = "zh") -> str:
    """'8月29日' ('29 August') within `ref`'s year, with the year otherwise."""
    if lang != "zh":
        return f"{d.day} {d:%B}" + ("" if d.year == ref.year else f" {d.year}")
    return f"{d.month}月{d.day}日" if d.year == ref.year else cn_date(d)


def verdict(f: Forecast, deadline: date, lang: str = "zh") -> str:
    """Whether the forecast meets the deadline, with how sure: the range's ends decide."""
    zh = lang == "zh"
    if f.done or (f.finish_high is not None and f.finish_high <= deadline):
        return "可按期完成" if zh else "on time"
    if f.finish_date is not None and f.finish_date <= deadline:
        return "有望按期完成，但有延期风险" if zh else "probably on time, with a risk of delay"
    if f.finish_low is not None and f.finish_low <= deadline:
        return "按期完成有困难" if zh else "unlikely to be on time"
    return "不能按期完成" if zh else "late"


def forecast_sentence(
    f: Forecast, deadline: date, needed_weekly: int | None, lang: str = "zh"
) -> str:
    """The forecast in the bulletin's words: finish date with its 80 % range, the count
    `f.horizon` weeks on, the verdict, and the weekly pace the deadline needs (the
    projection's `needed_weekly`, printed as given)."""
    ref = f.as_of
    d = lambda x: short_date(x, ref, lang)  # noqa: E731
    method = METHOD_NAMES["zh" if lang == "zh" else "en"][f.method]
    if lang != "zh":
        text = f"forecast by {method}"
        if f.fallback:
            text += " (too little history for a curve yet)"
        if f.finish_date is None:
            text += f": not finished within {3} years at the present trend"
        else:
            text += f": finished around {d(f.finish_date)}"
            if f.finish_low and f.finish_high:
                text += f", 80% likely between {d(f.finish_low)} and {d(f.finish_high)}"
            elif f.finish_low:
                text += f", 80% likely not before {d(f.finish_low)}"
        text += (
            f"; in {f.horizon} weeks about {_count(f.predicted)} installed "
            f"(80% range {_count(f.low)} to {_count(f.high)}), {verdict(f, deadline, 'en')}"
        )
        if needed_weekly is not None:
            text += (
                f"; finishing by {en_date(deadline)} needs {_count(needed_weekly)} installs a week"
            )
        return text + "."
    text = f"按{method}预测"
    if f.fallback:
        text += "（历史数据尚不足以拟合曲线）"
    if f.finish_date is None:
        text += "，按当前走势三年内难以完成"
    else:
        text += f"，预计{d(f.finish_date)}前后完成"
        if f.finish_low and f.finish_high:
            text += f"，80%把握在{d(f.finish_low)}至{d(f.finish_high)}之间"
        elif f.finish_low:
            text += f"，80%把握不早于{d(f.finish_low)}"
    text += (
        f"；{f.horizon}周后累计安装约{_count(f.predicted)}户"
        f"（80%区间{_count(f.low)}至{_count(f.high)}户），{verdict(f, deadline)}"
    )
    if needed_weekly is not None:
        text += f"；要在{cn_date(deadline)}前完成，每周需安装{_count(needed_weekly)}户"
    return text + "。"


def forecast_line(f: Forecast) -> str:
    """The forecast alone, for `anju forecast` without --json: count now, finish, range."""
    if f.done:
        return f"截至{cn_date(f.as_of)}已安装{_count(f.installed_at_as_of)}户，可安装的已全部完成。"
    text = forecast_sentence(f, f.finish_date or f.as_of, None)
    return (
        f"截至{cn_date(f.as_of)}已安装{_count(f.installed_at_as_of)}户。"
        + text.split("，" + verdict(f, f.finish_date or f.as_of))[0]
        + "。"
    )


def forecast_check(f: Forecast, lang: str = "zh") -> str:
    """预测检验: how the same method did `f.horizon` weeks out at this programme's last Fridays."""
    if f.mape_pct is None or not f.tested:
        if lang != "zh":
            return "Forecast check: too little history to test the forecast on past Fridays yet."
        return "预测检验：历史数据尚短，还不能在以往的周五上检验预测。"
    hits = round((f.coverage_80 or 0) * f.tested)
    if lang != "zh":
        return (
            f"Forecast check: made the same way at the last {f.tested} Fridays, {f.horizon} "
            f"weeks ahead, it was off by {f.mape_pct:.1f}% on average; the actual count fell "
            f"in the 80% range {hits} times out of {f.tested}. Ceiling: {_count(f.ceiling)} "
            "households (target less refused, unfixable and opted out)."
        )
    return (
        f"预测检验：用同一方法在最近{f.tested}个周五各向后预测{f.horizon}周，"
        f"平均误差{f.mape_pct:.1f}%，实际落在80%区间内{hits}/{f.tested}次。"
        f"可安装上限{_count(f.ceiling)}户（目标减拒绝安装、无法整改、放弃安装）。"
    )


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
            else (f"{_households(gap)} ahead of plan. " if gap > 0 else "on plan. ")
        )
        + f"Open hazards: {_count(k['hazards_open'])} households; gas cut off: "
        f"{_count(k['gas_cut'])}; refused: {_count(k['refused'])}. "
    )
    text += (
        f"Over the last {PROJECTION_WEEKS} weeks ({p.window_start:%-d %B} to {p.window_end:%-d %B}) "
        f"installs averaged {_count(p.weekly_installs)} a week; "
    )
    if p.remaining == 0:
        text += "all done."
    elif b.forecast is None:
        text += _straight_line_en(p)
    else:
        text += forecast_sentence(b.forecast.whole, p.deadline, p.needed_weekly, "en")
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


def total_note(b: Briefing, lang: str = "zh") -> str | None:
    """Why the 合计 row's 较计划 is not the summary's gap, or None when they are equal.

    They differ only by what no street holds (data.reporting.briefing.by_streets): households
    outside every street, or an official target above the households registered in streets.
    """
    k = b.kpis
    diff = int(k.get("outside_streets", 0))
    if not diff or ranking_total(b) is None:
        return None
    outside, installed = int(k.get("outside_target", 0)), int(k.get("outside_installed", 0))
    if lang != "zh":
        return (
            f"The district is {k['gap_to_plan']:+,} against plan, {diff:+,} from the streets' "
            f"total: {_households(outside)} of the target are in no street's register "
            f"(outside every street or not yet registered), {_count(installed)} of them installed."
        )
    return (
        f"全区较计划{k['gap_to_plan']:+,}户，与各街镇合计相差{diff:+,}户："
        f"目标户数中有{_count(outside)}户不在任何街镇的登记户数内（未落入任何街镇或尚未登记），"
        f"其中已安装{_count(installed)}户。"
    )


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
