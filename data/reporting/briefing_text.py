"""The weekly briefing's words: the summary paragraph, the counting basis, dates and the ranking
table as the page, the Word bulletin and the CLI print them (the numbers come from data.reporting.briefing).
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd

from data.reporting.briefing import PROJECTION_WEEKS, Briefing


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
