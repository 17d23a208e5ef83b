"""Pieces of the 周报 page: the briefing for the signed-in scope, KPI cards, ranking tables, charts."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard import context, db, format
from dashboard.i18n import t
from data import briefing, bulletins
from data.connection import db_path
from documents import bulletin as files
from documents import charts

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


def build(
    pid: str,
    as_of: date,
    scope: list[str] | None,
    scope_label: str,
    known_at: datetime | date | None = None,
    issue_no: int | None = None,
) -> briefing.Briefing:
    """The briefing as of a date for a scope (numbers from the cached named queries).

    `known_at` None: by business date as known now; else as published at that time.
    """
    b = briefing.build(fetch_for(scope), pid, as_of, scope_label, known_at=known_at)
    b.issue_no = issue_no
    return b


BASES = ("business", "as_published", "issue")


def basis_picker(where: DeltaGenerator, lang: str) -> str:
    """统计口径: by business date (default), as known on the day, or a published 第N期."""
    return where.radio(
        t("weekly.basis", lang),
        BASES,
        format_func=lambda k: t(f"weekly.basis_{k}", lang),
        horizontal=True,
        key="weekly_basis",
        help=t("weekly.basis_help", lang),
    )


def issue_picker(where: DeltaGenerator, pid: str, lang: str) -> dict | None:
    """The published issue chosen (newest first), or None when none has been published."""
    found = db.query_fresh("bulletin_issues", programme_id=pid)
    if found.empty:
        return None
    labels = {
        int(r.issue_no): f"第{int(r.issue_no)}期 · 截至{pd.Timestamp(r.as_of):%Y-%m-%d}"
        f"（{pd.Timestamp(r.published_at):%Y-%m-%d %H:%M} {r.published_by} 发布）"
        for r in found.itertuples()
    }
    chosen = where.selectbox(
        t("weekly.issue", lang), list(labels), format_func=labels.get, key="weekly_issue"
    )
    return bulletins.from_row(pid, found[found["issue_no"] == chosen].iloc[0])


def publish_button(pid: str, as_of: date, lang: str) -> None:
    """发布为第N期: stores the bulletin as known now (leaders and administrators)."""
    if not context.can("weekly", "edit"):
        return
    if st.button(t("weekly.publish", lang), key="weekly_publish", icon=":material/publish:"):
        who = context.user()
        done = bulletins.publish(db.cursor(), pid, as_of, who.username if who else "anonymous")
        st.success(
            f"已发布第{done['issue_no']}期（截至{done['as_of']}，按{done['known_at']}已录入的记录）。"
        )


def kpi_cards(b: briefing.Briefing, lang: str = "zh") -> None:
    """Ten KPI cards in two rows, each with its change since the same day last week."""
    for row in (CARDS[:5], CARDS[5:]):
        cols = st.columns(5)
        for col, (key, kind) in zip(cols, row, strict=True):
            now, change = b.kpis[key], b.change(key)
            if kind == "pct":
                value, delta = format.pct(now), format.signed_pp(change, lang)
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
def _charts(
    path: str,
    pid: str,
    as_of: date,
    scope: tuple[str, ...] | None,
    label: str,
    known_at: datetime | None = None,
) -> tuple:
    # path is in the key: charts from one database never show for another.
    del path
    b = build(pid, as_of, None if scope is None else list(scope), label, known_at)
    return (
        charts.png_bytes(charts.burnup_figure(b)),
        charts.png_bytes(charts.street_multiples_figure(b)),
    )


def chart_images(
    pid: str, as_of: date, scope: list[str] | None, label: str, known_at: datetime | None = None
) -> tuple[bytes, bytes]:
    """The burn-up and the per-street small multiples as PNG (cached per date, scope, basis)."""
    key = None if scope is None else tuple(sorted(scope))
    return _charts(str(db_path()), pid, as_of, key, label, known_at)


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
