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

from data.briefing import Briefing
from documents.fonts import chart_font

ACTUAL, PLAN, PROJECTED, BEHIND = "#1f4e79", "#7f7f7f", "#e67e22", "#c0392b"


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


def _style(ax: matplotlib.axes.Axes) -> None:
    ax.grid(True, color="#dddddd", linewidth=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%-m月%-d日"))
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))


def burnup_figure(b: Briefing) -> Figure:
    """Actual installs vs plan, and the projection from the last four weeks to the deadline."""
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
    ax.plot(plan_x, plan_y, color=PLAN, linestyle="--", linewidth=1.6, label="计划")
    ax.plot(
        x, s["installed"], color=ACTUAL, linewidth=2.4, marker="o", markersize=3, label="实际安装"
    )
    # The projection stops where it reaches the target, or at the deadline if it never does.
    end = pd.Timestamp(p.deadline if p.finish_on is None else max(p.finish_on, p.deadline))
    if p.weekly_rate > 0 and p.remaining > 0:
        stop = pd.Timestamp(p.finish_on if p.finish_on is not None else p.deadline)
        days = (stop - pd.Timestamp(b.as_of)).days
        ax.plot(
            [pd.Timestamp(b.as_of), stop],
            [b.kpis["installed"], min(b.kpis["installed"] + p.weekly_rate * days / 7, target)],
            color=PROJECTED,
            linestyle=":",
            linewidth=2,
            label=f"按近{math.ceil((p.window_end - p.window_start).days / 7)}周速度预测"
            f"（每周{p.weekly_rate:,.0f}户）",
        )
    ax.axhline(target, color="#444444", linewidth=0.8)
    ax.annotate(
        f"目标 {target:,} 户", (x.iloc[0], target), xytext=(2, 4), textcoords="offset points"
    )
    ax.axvline(pd.Timestamp(p.deadline), color=BEHIND, linewidth=0.8)
    ax.annotate(
        f"截止 {p.deadline.month}月{p.deadline.day}日",
        (pd.Timestamp(p.deadline), 0),
        xytext=(-4, 6),
        textcoords="offset points",
        ha="right",
        color=BEHIND,
    )
    if p.finish_on is not None and p.remaining > 0:
        ax.annotate(
            f"预计 {p.finish_on.month}月{p.finish_on.day}日完成",
            (pd.Timestamp(p.finish_on), target),
            xytext=(-6, 6),
            textcoords="offset points",
            ha="right",
            color=PROJECTED,
        )
        ax.plot([pd.Timestamp(p.finish_on)], [target], "o", color=PROJECTED, markersize=5)
    ax.set_title(f"{b.programme_name} 安装进度（截至{b.as_of.month}月{b.as_of.day}日）")
    ax.set_ylabel("户数")
    ax.set_ylim(0, target * 1.1)
    ax.set_xlim(x.iloc[0] - timedelta(days=3), end + timedelta(days=5))
    _style(ax)
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, 0.88), frameon=False)
    _use_font(fig, font)
    fig.tight_layout()
    return fig


def street_multiples_figure(b: Briefing, columns: int = 5) -> Figure:
    """One small burn-up per street (same scales), so a street whose line flattened stands out."""
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
        slowed = "（本周放缓）" if street.slowed else ""
        ax.plot(x, plan * 100, color=PLAN, linestyle="--", linewidth=1)
        ax.plot(x, share * 100, color=BEHIND if behind else ACTUAL, linewidth=1.8)
        ax.set_title(
            f"{street.rank}. {street.street_name} {street.completion * 100:.1f}%{slowed}",
            fontsize=9,
            color=BEHIND if behind else "#222222",
        )
        ax.set_ylim(0, 100)
        ax.grid(True, color="#eeeeee", linewidth=0.5)
        ax.xaxis.set_major_locator(mdates.MonthLocator())
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%-m月"))
        ax.tick_params(labelsize=7)
    for ax in axes[n:]:
        ax.set_visible(False)
    fig.suptitle("各街镇安装完成率（%，虚线为计划；红色为落后于计划）", fontsize=10)
    _use_font(fig, font)
    fig.tight_layout()
    return fig


def png_bytes(fig: Figure) -> bytes:
    """The figure as PNG bytes (a bare Figure: nothing registered in pyplot, nothing to close)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    return buf.getvalue()
