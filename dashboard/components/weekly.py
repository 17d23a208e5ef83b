"""Pieces of the 周报 page: the briefing for the signed-in scope, KPI cards, ranking tables, charts."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard import context, db, format
from dashboard.i18n import t
from data.reporting import briefing, briefing_text, bulletins
from data.store.connection import db_path
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
    """A `fetch` for data.reporting.briefing that goes through the app's cache, keyed by scope."""

    def fetch(name: str, **params: object) -> pd.DataFrame:
        return db.query(name, scope=scope, **params)

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
    # The cached list may predate an issue just published: the draft's 第N期 reads it fresh.
    issues = db.query_fresh("bulletin_issues", scope=db.WHOLE_DISTRICT, programme_id=pid)
    b.draft_issue_no = briefing.draft_issue_no(issues, as_of)
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
    found = db.query_fresh("bulletin_issues", scope=db.WHOLE_DISTRICT, programme_id=pid)
    if found.empty:
        return None
    labels = {
        int(r.issue_no): t("weekly.issue_label", lang).format(
            no=int(r.issue_no),
            as_of=f"{pd.Timestamp(r.as_of):%Y-%m-%d}",
            at=f"{pd.Timestamp(r.published_at):%Y-%m-%d %H:%M}",
            by=r.published_by,
        )
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
        st.success(t("weekly.published", lang).format(**done))


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


def _date(d: date, lang: str) -> str:
    return briefing_text.cn_date(d) if lang == "zh" else briefing_text.en_date(d)


def projection_text(b: briefing.Briefing, lang: str = "zh") -> str:
    """The projection in one line: rate window, finish date, rate needed for the deadline."""
    p = b.projection
    text = t("weekly.proj.rate", lang).format(
        weeks=briefing.PROJECTION_WEEKS,
        start=f"{p.window_start:%m-%d}",
        end=f"{p.window_end:%m-%d}",
        rate=format.count(p.weekly_installs),
    )
    if p.remaining == 0:
        return text + t("weekly.proj.done", lang)
    if p.finish_on is None:
        text += t("weekly.proj.never", lang)
    else:
        verdict = t("weekly.proj.on_time" if p.on_time else "weekly.proj.late", lang)
        text += t("weekly.proj.finish", lang).format(date=_date(p.finish_on, lang), verdict=verdict)
    left = {"deadline": _date(p.deadline, lang), "remaining": format.count(p.remaining)}
    if p.needed_weekly is not None:
        text += t("weekly.proj.needed", lang).format(**left, rate=format.count(p.needed_weekly))
    else:
        text += t("weekly.proj.past", lang).format(**left)
    return text


def projection_panel(b: briefing.Briefing, lang: str = "zh") -> None:
    """Beside the chart: the forecast finish date (80 % range), the recent weekly rate, the rate
    the deadline needs, and the 预测检验 note (how the method did at the last Fridays)."""
    p, f = b.projection, None if b.forecast is None else b.forecast.whole
    households = t("weekly.households", lang)
    if f is None:
        st.metric(
            t("weekly.proj.finish_label", lang),
            _date(p.finish_on, lang) if p.finish_on else t("weekly.proj.no_finish", lang),
            delta=None
            if p.finish_on is None
            else t("weekly.proj.in_time" if p.on_time else "weekly.proj.not_in_time", lang),
            delta_color="normal" if p.on_time else "inverse",
            delta_arrow="off",
        )
    else:
        on_time = f.done or (f.finish_date is not None and f.finish_date <= p.deadline)
        st.metric(
            t("weekly.fc.finish_label", lang),
            _date(f.finish_date, lang) if f.finish_date else t("weekly.proj.no_finish", lang),
            delta=briefing_text.verdict(f, p.deadline, lang),
            delta_color="normal" if on_time else "inverse",
            delta_arrow="off",
            help=t("weekly.fc.finish_help", lang),
        )
    st.metric(
        t("weekly.proj.rate_label", lang), households.format(n=format.count(p.weekly_installs))
    )
    st.metric(
        t("weekly.proj.needed_label", lang),
        "—" if p.needed_weekly is None else households.format(n=format.count(p.needed_weekly)),
        help=t("weekly.proj.needed_help", lang).format(
            deadline=_date(p.deadline, lang), remaining=format.count(p.remaining)
        ),
    )
    if f is None:
        st.caption(projection_text(b, lang))
        return
    sentence = briefing_text.forecast_sentence(f, p.deadline, p.needed_weekly, lang)
    st.caption(format.md(sentence[0].upper() + sentence[1:] if lang != "zh" else sentence))
    st.caption(format.md(briefing_text.forecast_check(f, lang)))


def ranking_table(b: briefing.Briefing, lang: str = "zh") -> pd.DataFrame:
    """The street ranking as shown: the bulletin's formats, headers in the page's language."""
    headers = [
        # 街镇 in the programme's own words (苏木镇 in a 旗) through the catalogue.
        label if lang == "zh" and key != "street_name" else t(f"weekly.col.{key}", lang)
        for key, label in briefing_text.RANKING_COLUMNS.items()
    ]
    frame = pd.DataFrame(briefing_text.ranking_rows(b, lang), columns=headers)
    st.dataframe(frame, hide_index=True, width="stretch", key="weekly_ranking")
    note = briefing_text.total_note(b, lang)
    if note:
        st.caption(format.md(note))
    return frame


def monthly_table(b: briefing.Briefing, lang: str = "zh") -> None:
    """月排名: rank of each street at each month end (the current month to date)."""
    if b.monthly.empty or len(b.monthly.columns) < 2:
        st.info(t("weekly.no_monthly", lang))
        return
    frame = b.monthly.rename(columns={"street_name": t("col.street_name", lang)})
    st.dataframe(frame, hide_index=True, width="stretch", key="weekly_monthly")
    st.caption(t("weekly.monthly_help", lang))


@st.cache_data(show_spinner=False, ttl=600, max_entries=64)
def _charts(
    path: str,
    pid: str,
    as_of: date,
    scope: tuple[str, ...] | None,
    label: str,
    known_at: datetime | None = None,
    lang: str = "zh",
) -> tuple:
    # path is in the key: charts from one database never show for another.
    del path
    b = build(pid, as_of, None if scope is None else list(scope), label, known_at)
    return (
        charts.png_bytes(charts.burnup_figure(b, lang)),
        charts.png_bytes(charts.street_multiples_figure(b, lang=lang)),
    )


def chart_images(
    pid: str,
    as_of: date,
    scope: list[str] | None,
    label: str,
    known_at: datetime | None = None,
    lang: str = "zh",
) -> tuple[bytes, bytes]:
    """The burn-up and the per-street small multiples as PNG (cached per date, scope, basis,
    language)."""
    key = None if scope is None else tuple(sorted(scope))
    return _charts(str(db_path()), pid, as_of, key, label, known_at, lang)


def downloads(b: briefing.Briefing, chart_png: bytes, lang: str = "zh") -> None:
    """Word 周通报 and Excel tables, built on click; each download is audit-logged.

    The files are Chinese paperwork in either language, so the Word file embeds a Chinese chart
    (`chart_png`). Built off the script thread, the file must not draw.
    """
    stem = f"周通报_{b.programme_name}_{b.as_of.isoformat()}"
    rows = len(b.ranking)
    downloads = (
        (
            "docx",
            lambda: files.docx_bytes(b, chart_png),
            "wordprocessingml.document",
            "description",
        ),
        ("xlsx", lambda: files.xlsx_bytes(b), "spreadsheetml.sheet", "table"),
    )
    for col, (ext, data, mime, icon) in zip(st.columns([1, 1, 3]), downloads, strict=False):
        col.download_button(
            t(f"weekly.download_{ext}", lang),
            data=data,
            file_name=f"{stem}.{ext}",
            mime=f"application/vnd.openxmlformats-officedocument.{mime}",
            key=f"weekly_{ext}",
            icon=f":material/{icon}:",
            on_click=lambda ext=ext: context.audit_log("export", f"weekly_{ext}", {"rows": rows}),
            disabled=not context.can("weekly", "export"),
        )
