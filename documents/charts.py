"""Burn-up charts for the 周报 page and the 周通报 files, drawn with matplotlib in a CJK font.

No Streamlit here: the page, the CLI and the Word bulletin embed the same PNG bytes. Bare
`Figure` objects only (no pyplot, no global rcParams): Streamlit draws in many threads at once.
"""

from __future__ import annotations

import io
import math
from datetime import timedelta

import matplotlib

matplotlib.use("Agg")  # files only; no display on servers

import matplotlib.dates as mdates
import pandas as pd
from matplotlib import font_manager
from matplotlib.figure import Figure

from data.reporting.briefing import Briefing
from data.reporting.briefing_text import short_date
from data.setup import levels
from documents.fonts import chart_font

ACTUAL, PLAN, PROJECTED, BEHIND = "#1f4e79", "#7f7f7f", "#e67e22", "#c0392b"
METHOD_SHORT = {
    "zh": {"logistic": "S形曲线", "gompertz": "S形曲线，尾段放缓", "linear": "近4周速度直线"},
    "en": {"logistic": "S curve", "gompertz": "S curve, slow tail", "linear": "4-week rate"},
}

# The words drawn on the charts. Chinese for the files and the Chinese page; the English page
# passes lang="en" (documents sits below dashboard, so these cannot come from its catalogue).
TEXT = {
    "zh": {
        "day": "%-m月%-d日",
        "month": "%-m月",
        "plan": "计划",
        "installed": "实际安装",
        "projected": "按近{weeks}周速度预测（每周{rate:,}户）",
        "forecast": "预测（{method}）",
        "band": "80%区间",
        "ceiling": "可安装上限 {ceiling:,} 户",
        "check": "检验误差{mape:.0f}%·{hits}/{n}次在区间内",
        "target": "目标 {target:,} 户",
        "deadline": "截止 {d.month}月{d.day}日",
        "finish": "预计 {d}完成",
        "title": "{name} 安装进度（截至{d.month}月{d.day}日）",
        "households": "户数",
        "slowed": "（本周放缓）",
        "multiples": "各{street}安装完成率（%，虚线为计划；红色为落后于计划）",
    },
    "en": {
        "day": "%b %-d",
        "month": "%b",
        "plan": "Plan",
        "installed": "Installed",
        "projected": "Projection at the last {weeks} weeks' rate ({rate:,} a week)",
        "forecast": "Forecast ({method})",
        "band": "80% range",
        "ceiling": "Ceiling {ceiling:,} households",
        "check": "tested: {mape:.0f}% off, {hits}/{n} in range",
        "target": "Target {target:,} households",
        "deadline": "Deadline {d:%b} {d.day}",
        "finish": "Finish {d}",
        "title": "{name}: installs as of {d:%b} {d.day}",
        "households": "Households",
        "slowed": " (slowed this week)",
        "multiples": ("Completion by street or town (%; dashed line: plan; red: behind plan)"),
    },
}


def figure_texts(fig: Figure) -> list[str]:
    """Every piece of text drawn on a figure: titles, labels, ticks, legends, annotations."""
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_text()]


def _use_font(fig: Figure, font: font_manager.FontProperties) -> None:
    # Per figure, not through the global rcParams: Streamlit draws in many threads at once, and
    # pyplot's state and rcParams are shared by all of them.
    family = font.get_family()
    for text in fig.findobj(matplotlib.text.Text):
        text.set_fontfamily(family)
    for ax in fig.axes:
        ax.tick_params(labelfontfamily=family)


def _style(ax: matplotlib.axes.Axes, words: dict[str, str]) -> None:
    ax.grid(True, color="#dddddd", linewidth=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    ax.xaxis.set_major_formatter(mdates.DateFormatter(words["day"]))
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))


def burnup_figure(b: Briefing, lang: str = "zh") -> Figure:
    """Actual installs vs plan, and the projection from the last four weeks to the deadline."""
    words = TEXT[lang]
    font = chart_font()
    fig = Figure(figsize=(9, 4.6), dpi=150)
    ax = fig.subplots()
    s = b.series
    p = b.projection
    target = b.kpis["target"]
    x = pd.to_datetime(s["week_end"])
    # The plan line runs to the deadline: linear over the install phase.
    plan_x = [*x, pd.Timestamp(p.deadline)]
    plan_y = [*s["plan_installed"], target]
    ax.plot(plan_x, plan_y, color=PLAN, linestyle="--", linewidth=1.6, label=words["plan"])
    ax.plot(
        x,
        s["installed"],
        color=ACTUAL,
        linewidth=2.4,
        marker="o",
        markersize=3,
        label=words["installed"],
    )
    f = None if b.forecast is None else b.forecast.whole
    finish = p.finish_on if f is None else f.finish_date
    end = pd.Timestamp(p.deadline if finish is None else max(finish, p.deadline))
    if f is not None and p.remaining > 0 and len(f.path) > 1:
        # The forecast and its 80 % range, drawn to where the slow end of the range finishes.
        days = pd.to_datetime(f.path["day"])
        ax.fill_between(
            days,
            f.path["low"],
            f.path["high"],
            color=PROJECTED,
            alpha=0.18,
            linewidth=0,
            label=words["band"],
        )
        ax.plot(
            days,
            f.path["predicted"],
            color=PROJECTED,
            linestyle=":",
            linewidth=2,
            label=words["forecast"].format(method=METHOD_SHORT[lang][f.method]),
        )
        end = max(end, days.iloc[-1])
        if f.ceiling < target:
            ax.axhline(f.ceiling, color=PROJECTED, linewidth=0.7, linestyle="--")
            ax.annotate(
                words["ceiling"].format(ceiling=f.ceiling),
                (x.iloc[0], f.ceiling),
                xytext=(2, -11),
                textcoords="offset points",
                color=PROJECTED,
                fontsize=8,
            )
    elif p.weekly_rate > 0 and p.remaining > 0:
        # No forecast: the straight line of the last four weeks, stopping at the target.
        stop = pd.Timestamp(p.finish_on if p.finish_on is not None else p.deadline)
        days = (stop - pd.Timestamp(b.as_of)).days
        ax.plot(
            [pd.Timestamp(b.as_of), stop],
            [b.kpis["installed"], min(b.kpis["installed"] + p.weekly_rate * days / 7, target)],
            color=PROJECTED,
            linestyle=":",
            linewidth=2,
            label=words["projected"].format(
                weeks=math.ceil((p.window_end - p.window_start).days / 7),
                rate=p.weekly_installs,
            ),
        )
    ax.axhline(target, color="#444444", linewidth=0.8)
    ax.annotate(
        words["target"].format(target=target),
        (x.iloc[0], target),
        xytext=(2, 4),
        textcoords="offset points",
    )
    ax.axvline(pd.Timestamp(p.deadline), color=BEHIND, linewidth=0.8)
    ax.annotate(
        words["deadline"].format(d=p.deadline),
        (pd.Timestamp(p.deadline), 0),
        xytext=(-4, 6),
        textcoords="offset points",
        ha="right",
        color=BEHIND,
    )
    if finish is not None and p.remaining > 0:
        mark = target if f is None else f.ceiling
        ax.annotate(
            # the year too when the finish falls after the as-of year (a tail into next year)
            words["finish"].format(d=short_date(finish, b.as_of, lang)),
            (pd.Timestamp(finish), mark),
            xytext=(-6, 6),
            textcoords="offset points",
            ha="right",
            color=PROJECTED,
        )
        ax.plot([pd.Timestamp(finish)], [mark], "o", color=PROJECTED, markersize=5)
    ax.set_title(words["title"].format(name=b.programme_name, d=b.as_of))
    ax.set_ylabel(words["households"])
    ax.set_ylim(0, target * 1.1)
    ax.set_xlim(x.iloc[0] - timedelta(days=3), end + timedelta(days=5))
    _style(ax, words)
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, 0.88), frameon=False)
    _use_font(fig, font)
    fig.tight_layout()
    return fig


def street_multiples_figure(b: Briefing, columns: int = 5, lang: str = "zh") -> Figure:
    """One small burn-up per street (same scales), so a street whose line flattened stands out."""
    words = TEXT[lang]
    font = chart_font()
    streets = b.ranking.sort_values("rank")
    n = max(1, len(streets))
    rows = math.ceil(n / columns)
    fig = Figure(figsize=(2.3 * columns, 2.0 * rows), dpi=130)
    axes = fig.subplots(rows, columns, sharex=True, sharey=True, squeeze=False)
    axes = list(getattr(axes, "flat", [axes]))
    weekly = b.street_series
    for ax, street in zip(axes, streets.itertuples(), strict=False):
        mine = weekly[weekly["street_id"] == street.street_id]
        x = pd.to_datetime(mine["week_end"])
        share = mine["installed"] / street.target if street.target else mine["installed"] * 0
        plan = mine["plan"]
        behind = street.gap_to_plan < 0
        slowed = words["slowed"] if street.slowed else ""
        ax.plot(x, plan * 100, color=PLAN, linestyle="--", linewidth=1)
        ax.plot(x, share * 100, color=BEHIND if behind else ACTUAL, linewidth=1.8)
        f = None if b.forecast is None else b.forecast.streets.get(street.street_id)
        if f is not None and street.target and len(f.path) > 1:
            # The next `horizon` weeks only: a small multiple shows direction, not the finish.
            ahead = f.path[f.path["day"] <= f.as_of + timedelta(weeks=f.horizon)]
            days = pd.to_datetime(ahead["day"])
            ax.fill_between(
                days,
                ahead["low"] / street.target * 100,
                ahead["high"] / street.target * 100,
                color=PROJECTED,
                alpha=0.25,
                linewidth=0,
            )
            ax.plot(days, ahead["predicted"] / street.target * 100, color=PROJECTED, linewidth=1)
            if f.mape_pct is not None and f.tested:
                ax.text(
                    0.03,
                    0.95,
                    words["check"].format(
                        mape=f.mape_pct, hits=round((f.coverage_80 or 0) * f.tested), n=f.tested
                    ),
                    transform=ax.transAxes,
                    fontsize=6.5,
                    va="top",
                    color="#555555",
                )
        ax.set_title(
            f"{street.rank}. {street.street_name} {street.completion * 100:.1f}%{slowed}",
            fontsize=9,
            color=BEHIND if behind else "#222222",
        )
        ax.set_ylim(0, 100)
        ax.grid(True, color="#eeeeee", linewidth=0.5)
        ax.xaxis.set_major_locator(mdates.MonthLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter(words["month"]))
        ax.tick_params(labelsize=7)
    for ax in axes[n:]:
        ax.set_visible(False)
    street = levels.level_names(b.district_name)["street"]  # 苏木镇 in a 旗
    fig.suptitle(words["multiples"].format(street=street), fontsize=10)
    _use_font(fig, font)
    fig.tight_layout()
    return fig


def png_bytes(fig: Figure) -> bytes:
    """The figure as PNG bytes (a bare Figure: nothing registered in pyplot, nothing to close)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    return buf.getvalue()
