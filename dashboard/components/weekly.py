"""Pieces of the 周报 page: the briefing for the signed-in scope, KPI cards, ranking tables, charts."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from anju import briefing as files
from anju import charts
from dashboard import context, db, format
from dashboard.i18n import t
from data import briefing
from data.connection import db_path

# KPI cards in reading order; counts show a signed weekly change, shares a change in points.
CARDS = (
    ("target", "count"),
    ("surveyed", "count"),
    ("installed", "count"),
    ("verified", "count"),
    ("completion", "pct"),
    ("plan", "pct"),
    ("gap_to_plan", "signed"),
    ("hazards_open", "count"),
    ("gas_cut", "count"),
    ("refused", "count"),
)
# A rise is bad news for these, so Streamlit colours it red.
WORSE_WHEN_UP = {"hazards_open", "gas_cut", "refused"}


def fetch_for(scope: list[str] | None) -> briefing.Fetch:
    """A `fetch` for data.briefing that goes through the app's cache, keyed by scope."""

    def fetch(name: str, **params: object) -> pd.DataFrame:
        return db.query(name, scope, **params)

    return fetch


def build(pid: str, as_of: date, scope: list[str] | None, scope_label: str) -> briefing.Briefing:
    """The briefing as of a date for a scope (numbers from the cached named queries)."""
    return briefing.build(fetch_for(scope), pid, as_of, scope_label)


def kpi_cards(b: briefing.Briefing, lang: str = "zh") -> None:
    """Ten KPI cards in two rows, each with its change since the same day last week."""
    for row in (CARDS[:5], CARDS[5:]):
        cols = st.columns(5)
        for col, (key, kind) in zip(cols, row, strict=True):
            now, change = b.kpis[key], b.change(key)
            if kind == "pct":
                value, delta = format.pct(now), format.signed_pp(change)
            elif kind == "signed":
                value, delta = format.signed_count(now), format.signed_count(change)
            else:
                value, delta = format.count(now), format.signed_count(change)
            col.metric(
                t(f"weekly.kpi.{key}", lang),
                value,
                delta=delta if change else None,
                delta_color="inverse" if key in WORSE_WHEN_UP else "normal",
                help=t("weekly.kpi.help", lang),
            )


def projection_text(b: briefing.Briefing) -> str:
    """The projection in one line: rate window, finish date, rate needed for the deadline."""
    p = b.projection
    text = (
        f"按近{briefing.PROJECTION_WEEKS}周（{p.window_start:%m-%d} 至 {p.window_end:%m-%d}）"
        f"平均每周安装 **{format.count(p.weekly_rate)}** 户预测："
    )
    if p.remaining == 0:
        return text + "已全部完成。"
    if p.finish_on is None:
        text += "按此速度**无法完成**；"
    else:
        verdict = "可按期完成" if p.on_time else "**不能按期完成**"
        text += f"预计 **{briefing.cn_date(p.finish_on)}** 完成，{verdict}；"
    if p.needed_weekly is not None:
        text += (
            f"要在 {briefing.cn_date(p.deadline)} 前完成剩余 {format.count(p.remaining)} 户，"
            f"每周需安装 **{format.count(p.needed_weekly)}** 户。"
        )
    else:
        text += (
            f"截止日期 {briefing.cn_date(p.deadline)} 已过，尚余 {format.count(p.remaining)} 户。"
        )
    return text


def projection_panel(b: briefing.Briefing) -> None:
    """Finish date at the recent rate and the weekly rate the deadline needs, beside the chart."""
    p = b.projection
    st.metric(
        "按近4周速度预计完成",
        briefing.cn_date(p.finish_on) if p.finish_on else "无法完成",
        delta=None if p.finish_on is None else ("可按期" if p.on_time else "不能按期"),
        delta_color="normal" if p.on_time else "inverse",
        delta_arrow="off",
    )
    st.metric("近4周平均每周安装", f"{format.count(p.weekly_rate)} 户")
    st.metric(
        "按期完成每周需安装",
        "—" if p.needed_weekly is None else f"{format.count(p.needed_weekly)} 户",
        help=f"截止日期 {briefing.cn_date(p.deadline)}，剩余 {format.count(p.remaining)} 户",
    )
    st.caption(projection_text(b))


def ranking_table(b: briefing.Briefing) -> pd.DataFrame:
    """The street ranking as shown (and exported): Chinese headers, Chinese formats."""
    frame = pd.DataFrame(briefing.ranking_rows(b), columns=list(briefing.RANKING_COLUMNS.values()))
    st.dataframe(frame, hide_index=True, width="stretch", key="weekly_ranking")
    return frame


def monthly_table(b: briefing.Briefing) -> None:
    """月排名: rank of each street at each month end (the current month to date)."""
    if b.monthly.empty or len(b.monthly.columns) < 2:
        st.info("尚无安装记录，暂无月排名。")
        return
    frame = b.monthly.rename(columns={"street_name": "街镇"})
    st.dataframe(frame, hide_index=True, width="stretch", key="weekly_monthly")
    st.caption("各月月末名次（按完成率排名，本月为截至统计日期）。")


@st.cache_data(show_spinner=False, ttl=600, max_entries=64)
def _charts(path: str, pid: str, as_of: date, scope: tuple[str, ...] | None, label: str) -> tuple:
    # path is in the key: charts from one database never show for another.
    del path
    b = build(pid, as_of, None if scope is None else list(scope), label)
    return (
        charts.png_bytes(charts.burnup_figure(b)),
        charts.png_bytes(charts.street_multiples_figure(b)),
    )


def chart_images(pid: str, as_of: date, scope: list[str] | None, label: str) -> tuple[bytes, bytes]:
    """The burn-up and the per-street small multiples as PNG (cached per date and scope)."""
    key = None if scope is None else tuple(sorted(scope))
    return _charts(str(db_path()), pid, as_of, key, label)


def downloads(b: briefing.Briefing, chart_png: bytes) -> None:
    """Word 周通报 and Excel tables, built on click; each download is audit-logged.

    The Word file embeds the page's own chart: built off the script thread, it must not draw.
    """
    stem = f"周通报_{b.programme_name}_{b.as_of.isoformat()}"
    rows = len(b.ranking)
    c1, c2, _ = st.columns([1, 1, 3])
    c1.download_button(
        "下载周通报（Word）",
        data=lambda: files.docx_bytes(b, chart_png),
        file_name=f"{stem}.docx",
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        key="weekly_docx",
        icon=":material/description:",
        on_click=lambda: context.audit_log("export", "weekly_docx", {"rows": rows}),
        disabled=not context.can("weekly", "export"),
    )
    c2.download_button(
        "下载表格（Excel）",
        data=lambda: files.xlsx_bytes(b),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="weekly_xlsx",
        icon=":material/table:",
        on_click=lambda: context.audit_log("export", "weekly_xlsx", {"rows": rows}),
        disabled=not context.can("weekly", "export"),
    )
