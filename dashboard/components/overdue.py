"""Pieces of the 逾期 page: one list (masked, exportable, rows link to the household or region)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial

import pandas as pd
import streamlit as st

from dashboard import context, db, exports, format
from dashboard.components import pager
from dashboard.i18n import t

PAGE = "overdue"
# Every column an overdue query returns, in display order; columns not listed are not shown.
# Their Chinese names (overdue.col.*) head the exported workbooks in either language.
COLUMNS = [
    "street_name",
    "community_name",
    "gap_to_plan",
    "target",
    "installed",
    "completion",
    "plan",
    "plan_installed",
    "household_id",
    "name",
    "address",
    "phone",
    "gas_type",
    "kind",
    "found_on",
    "due_on",
    "days_overdue",
    "gas_cut",
    "gas_cut_on",
    "rectified_on",
    "gas_restored_on",
    "days_cut",
    "hours_to_restore",
    "cut_too_long",
    "restore_late",
    "surveyed_on",
    "days_waiting",
    "hazard_open",
    "refused",
    "batch_id",
    "month",
    "households",
    "sent_on",
    "report",
    "period",
    "received_on",
    "status",
    "days_late",
    "device_name",
    "installed_on",
    "warranty_until",
    "days_left",
    "checked_on",
    "failed_items",
    "inspector",
    "days_open",
    "event_id",
    "service_kind",
    "reported_at",
    "resolution_due",
    "hours_overdue",
    "handler",
    "install_due_on",
    "due_basis",
]
# The lists of streets and communities behind plan: the region columns, less the plan's share.
REGION_COLUMNS = [c for c in COLUMNS[: COLUMNS.index("household_id")] if c != "plan"]


def column_headers() -> dict[str, str]:
    """The export's Chinese headers, read when used: they name the current programme's levels
    (街镇 / 苏木镇), which a table built when the module was first imported would freeze."""
    return {c: t(f"overdue.col.{c}", "zh") for c in COLUMNS}


# A list may name a column for what it is in that list: a report's due_on is its deadline.
LIST_HEADERS = {"reports": {"due_on": "overdue.col.reports.due_on"}}
# Coded values shown as words (overdue.val.<column>.<code>).
CODES = {
    "gas_type": ("piped", "lpg", "none"),
    "status": ("missing", "late"),
    "due_basis": ("batch", "deadline", "survey"),
}
VALUES = {
    col: {v: t(f"overdue.val.{col}.{v}", "zh") for v in codes} for col, codes in CODES.items()
}


# The household card's event words (household_detail.sql), for the English screen.
EVENTS = {
    "入户安检": "safety_check",
    "发现隐患": "hazard_found",
    "隐患整改": "rectified",
    "停气": "gas_cut",
    "恢复供气": "gas_restored",
    "安装": "installed",
    "验收": "verified",
}


def people_frame(
    frame: pd.DataFrame,
    columns: list[str] | None = None,
    headers: dict[str, str] | None = None,
    lang: str = "zh",
) -> pd.DataFrame:
    """A query result as shown: masked for this user, headers and values in `lang`.

    `columns` picks and orders the columns; by default every column `column_headers()` knows. `headers`
    overrides those for one list (Chinese only).
    """
    return _shown(context.present_people(frame, PAGE), columns, headers, lang)


def _shown(
    out: pd.DataFrame,
    columns: list[str] | None = None,
    headers: dict[str, str] | None = None,
    lang: str = "zh",
    key: str = "",
) -> pd.DataFrame:
    out = out.copy()
    # Dates as dates: a DATE read through pandas arrives as a midnight timestamp.
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            stamps = out[col]
            if (stamps.dropna() == stamps.dropna().dt.normalize()).all():
                out[col] = stamps.dt.strftime("%Y-%m-%d")
            else:
                out[col] = stamps.dt.strftime("%Y-%m-%d %H:%M")
    for col, mapping in VALUES.items():
        if col in out.columns and lang == "zh":
            out[col] = out[col].map(lambda v, m=mapping: m.get(v, v))
        elif col in out.columns:
            out[col] = out[col].map(
                lambda v, c=col, m=mapping: t(f"overdue.val.{c}.{v}", lang) if v in m else v
            )
    for col in ("completion", "plan"):
        if col in out.columns:
            out[col] = (out[col].astype(float) * 100).round(1)
    for col in ("plan_installed", "gap_to_plan"):
        if col in out.columns:
            out[col] = out[col].astype("Int64")
    keep = [c for c in (columns or COLUMNS) if c in out.columns]
    if lang == "zh":
        return out[keep].rename(columns=column_headers() | (headers or {}))
    # A list may name a column for what it is there (overdue.col.<list>.<column>).
    names = {
        c: t(f"overdue.col.{key}.{c}" if c in (headers or {}) else f"overdue.col.{c}", lang)
        for c in keep
    }
    return out[keep].rename(columns=names)


def overdue_list(
    key: str,
    title: str,
    frame: pd.DataFrame,
    *,
    rule: str,
    empty: str,
    about: dict[str, str],
    columns: list[str] | None = None,
    total: int | None = None,
    export: Callable[[], bytes] | None = None,
    label: str | None = None,
    lang: str = "zh",
) -> pd.DataFrame | None:
    """Show one list with its rule, a download, and row selection; return the selected row.

    `title` names the exported sheet and file (Chinese paperwork in either language); `label`
    names the list on screen (default `title`). A paged list passes its whole length as
    `total` and an `export` that builds the whole list's workbook when the button is clicked.
    """
    st.caption(rule)
    if frame.empty:
        st.success(empty, icon=":material/check_circle:")
        return None
    headers = {c: t(k, "zh") for c, k in LIST_HEADERS.get(key, {}).items()} or None
    shown = people_frame(frame, columns, headers)
    if lang != "zh":
        shown_here = _shown(context.present_people(frame, PAGE), columns, headers, lang, key)
    else:
        shown_here = shown
    event = st.dataframe(
        shown_here,
        hide_index=True,
        width="stretch",
        key=f"overdue_{key}",
        on_select="rerun",
        selection_mode="single-row",
    )
    rows_total = len(shown) if total is None else total
    if total is None or total == len(shown):
        st.caption(f"{t('overdue.rows', lang).format(n=rows_total)}{_pick_hint(frame, lang)}")
    if context.can(PAGE, "export"):
        st.download_button(
            t("overdue.export", lang).format(title=label or title),
            data=export or partial(exports.excel_bytes, shown, title[:31], about),
            file_name=f"逾期_{title}_{about.get('统计日期', '')}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key=f"overdue_{key}_download",
            on_click=lambda: context.audit_log("export", f"overdue_{key}", {"rows": rows_total}),
        )
    rows = (event.selection.rows if event is not None and hasattr(event, "selection") else []) or []
    return frame.iloc[rows[0]] if rows else None


def _pick_hint(frame: pd.DataFrame, lang: str = "zh") -> str:
    """What clicking a row does in this list, or nothing when a row opens nothing."""
    if "household_id" in frame.columns:
        return t("overdue.pick_household", lang)
    if "street_id" in frame.columns:
        return t("overdue.pick_region", lang)
    return ""


def household_card(
    pid: str, as_of: date, scope: list[str] | None, household_id: str, lang: str = "zh"
) -> None:
    """The selected household and its dated events as known on `as_of` (masked)."""
    detail = db.query(
        "household_detail", scope=scope, programme_id=pid, as_of=as_of, household_id=household_id
    )
    if detail.empty:
        st.warning(t("overdue.not_in_scope", lang))
        return
    head = context.present_people(detail.head(1), PAGE).iloc[0]
    st.markdown(  # every value is data from files: escaped, shown as text
        f"**{format.md(head['household_id'])}**　{format.md(head['street_name'] or '—')} · "
        f"{format.md(head['community_name'] or '—')}"
        f"　{format.md(head['name'] or '')}　{format.md(head['address'] or '')}"
    )
    events = detail.dropna(subset=["on_date"])[["on_date", "event", "detail", "recorded_at"]]
    if lang != "zh":
        events = events.assign(
            event=events["event"].map(
                lambda e: t(f"overdue.event.{EVENTS[e]}", lang) if e in EVENTS else e
            )
        )
    st.dataframe(
        events.rename(columns={c: t(f"overdue.card.{c}", lang) for c in events.columns}),
        hide_index=True,
        width="stretch",
        key=f"overdue_household_{household_id}",
    )


def region_link(street_id: str | None, label: str, lang: str = "zh") -> None:
    """A button that opens the coverage map drilled down to the selected street."""
    if not street_id:
        return
    if st.button(
        t("overdue.open_map", lang).format(name=label),
        key=f"overdue_open_{street_id}",
        icon=":material/map:",
    ):
        st.session_state["coverage_street"] = street_id
        st.switch_page("dashboard/pages/coverage.py")


# One page of the 排摸后久未安装 list: a leader at a million households must not pull half a
# million rows into the page; the export builds the whole list only when clicked.
PAGE_ROWS = pager.ROWS


def installs_summary(summary: pd.DataFrame, lang: str = "zh") -> str:
    """One sentence on the surveyed households not installed: how many are late (the list) and
    when the others are due, by what sets their date (a sent batch's day or the install
    phase's end)."""
    late = summary[summary["overdue"]]
    waiting = summary[~summary["overdue"]]
    total = int(summary["households"].sum())
    if not total:
        return t("overdue.installs_none", lang)
    text = t("overdue.installs_total", lang).format(
        total=f"{total:,}", late=f"{int(late.households.sum()):,}"
    )
    parts = []
    for row in waiting.itertuples():
        n = f"{row.households:,}"
        if row.due_basis == "batch":
            parts.append(
                t("overdue.installs_batch", lang).format(n=n, first=f"{row.first_due_on:%m-%d}")
            )
        elif row.due_basis == "deadline":
            parts.append(
                t("overdue.installs_deadline", lang).format(
                    n=n, deadline=f"{row.first_due_on:%Y-%m-%d}"
                )
            )
        else:
            parts.append(t("overdue.installs_survey", lang).format(n=n))
    if parts:
        text += t("overdue.installs_waiting", lang) + t("overdue.installs_sep", lang).join(parts)
    return text + t("overdue.installs_end", lang)


def installs_page(
    pid: str,
    as_of: date,
    scope: list[str] | None,
    days_after_survey: int,
    title: str,
    about: dict,
    lang: str = "zh",
) -> tuple[pd.DataFrame, int, Callable[[], bytes]]:
    """Search box and page picker for the overdue-installs list; return (this page's rows,
    the whole list's length, the whole-list export)."""
    params = {"programme_id": pid, "as_of": as_of, "days_after_survey": days_after_survey}
    left, right = st.columns([3, 1])
    search = left.text_input(
        t("overdue.search", lang), key="overdue_installs_search", max_chars=50
    ).strip()
    first = db.query(
        "overdue_installs_page", scope=scope, **params, search=search or None, limit=1, offset=0
    )
    total = int(first.total_rows.iloc[0]) if len(first) else 0
    page = pager.picker("overdue_installs_pageno", total, PAGE_ROWS, lang, right)
    st.caption(installs_summary(db.query("overdue_installs_summary", scope=scope, **params), lang))
    rows = db.query(
        "overdue_installs_page",
        scope=scope,
        **params,
        search=search or None,
        limit=PAGE_ROWS,
        offset=(page - 1) * PAGE_ROWS,
    )
    pager.caption(total, page, PAGE_ROWS, len(rows), lang)
    export = whole_export("overdue_installs", params, scope, title, about)
    return rows.drop(columns="total_rows"), total, export


def whole_export(
    name: str, params: dict, scope: list[str] | None, title: str, about: dict
) -> Callable[[], bytes]:
    """The whole list `name` as a workbook, built only when the button is clicked (on its own
    thread: this user's rights to see personal data are fixed now)."""
    present, whole = context.presenter(PAGE), db.later(name, scope=scope, **params)

    def export() -> bytes:
        return exports.excel_bytes(_shown(present(whole())), title[:31], about)

    return export


@dataclass
class Paged:
    """One page of a list cut in SQL (`<name>_page`): its rows, the whole list's length, and
    what the whole list is (for the export)."""

    key: str
    name: str
    params: dict
    rows: pd.DataFrame
    total: int
    page: int


def list_page(key: str, name: str, scope: list[str] | None, params: dict) -> Paged:
    """The page of list `name` the user picked (1 until a page picker is shown), read before
    the tabs are drawn so that each tab's title carries the whole list's length."""
    page, rows = pager.fetch(
        f"overdue_{key}_pageno",
        lambda n: db.query(
            f"{name}_page", scope=scope, **params, limit=PAGE_ROWS, offset=(n - 1) * PAGE_ROWS
        ),
    )
    total = int(rows.total_rows.iloc[0]) if len(rows) else 0
    return Paged(key, name, params, rows.drop(columns="total_rows"), total, page)


def page_picker(paged: Paged, lang: str = "zh") -> None:
    """The page picker and the rows shown, for a list longer than one page."""
    pager.picker(f"overdue_{paged.key}_pageno", paged.total, PAGE_ROWS, lang)
    pager.caption(paged.total, paged.page, PAGE_ROWS, len(paged.rows), lang)
