"""Pieces of the 资金结算 page: tables with headers in the user's language, money to the fen."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

import pandas as pd
import streamlit as st

from dashboard import context, db
from dashboard.components import pager
from dashboard.i18n import LABELS, t
from data.money import resident_payments, settlement
from documents import settlement as settlement_doc

# Column → catalogue key of its header on screen (settlement.col.<key>).
SAMPLE_HEADERS = {
    "household_id": "household_id",
    "street_name": "街镇",
    "installer": "installer",
    "result": "result",
    "checked_on": "checked_on",
    "failed_items": "failed_items",
    "inspector": "inspector",
    "note": "note",
    "checks": "checks",
}
DRAW_HEADERS = {
    "month": "month",
    "seed": "seed",
    "rate": "rate",
    "scope": "scope",
    "population": "population",
    "sample_size": "sample_size",
    "drawn_by": "drawn_by",
    "drawn_at": "drawn_at",
    "reason": "redraw_reason",
}
RECON_HEADERS = {
    "household_id": "household_id",
    "street_name": "街镇",
    "name": "name",
    "address": "address",
    "difference": "difference",
    "confirmed_on": "confirmed_on",
    "installed_on": "installed_on",
}
STREET_RECON_HEADERS = {
    "street_name": "街镇",
    "confirmed": "confirmed",
    "recorded": "recorded",
    "difference": "street_difference",
}
EXCLUDED_HEADERS = {
    "household_id": "household_id",
    "street_name": "街镇",
    "device_name": "device_name",
    "verified_on": "verified_on",
    "原因": "why",
}
OPTED_OUT_HEADERS = {
    "household_id": "household_id",
    "street_name": "街镇",
    "reason": "reason",
    "opted_out_on": "opted_out_on",
}
# Interface words the data layer puts into cells (stored or generated in Chinese).
_WORDS = {
    "合计": "settlement.total",
    "设备费": "settlement.item.device",
    "安装及调试费": "settlement.item.installation",
    "已收取": "settlement.collected",
    "未收取": "settlement.not_collected",
    "未记录": "settlement.not_recorded",
    "合格": "settlement.result.合格",
    "不合格": "settlement.result.不合格",
    "确认未录入": "settlement.diff.确认未录入",
    "录入未确认": "settlement.diff.录入未确认",
}
# data.money.settlement.compute's reasons for leaving an installation out, as patterns.
_WHY = (
    (re.compile(r"^已选择不参加：(?P<reason>.*)$", re.S), "settlement.why.opted_out"),
    (
        re.compile(r"^抽查不合格（(?P<on>[^：]*)：(?P<items>.*)），复查合格前不结算$", re.S),
        "settlement.why.failed",
    ),
    (re.compile(r"^设备类型「(?P<device>.*)」没有单价$", re.S), "settlement.why.unpriced"),
    (
        re.compile(r"^(?P<street>.+) (?P<month>\d{4}-\d{2}) 尚未验收$", re.S),
        "settlement.why.unaccepted",
    ),
)


def word(value: object, lang: str) -> object:
    """An interface word stored or generated in Chinese, in `lang`; anything else unchanged."""
    key = _WORDS.get(value) if isinstance(value, str) else None
    return t(key, lang) if key else value


def why(value: object, lang: str) -> object:
    """A reason an installation is not settled, in `lang` (names and free text as recorded)."""
    if lang == "zh" or not isinstance(value, str):
        return value
    gate = settlement.waiting_parts(value)
    if gate is not None:
        kind, found = gate
        found["by"] = rule_word(found["by"], lang)
        return t(f"settlement.why.{kind}", lang).format(**found)
    for pattern, key in _WHY:
        hit = pattern.match(value)
        if hit:
            return t(key, lang).format(**hit.groupdict())
    return value


def header(column: str, lang: str) -> str:
    """A column header on screen: the catalogue's, else the column's own name."""
    key = f"settlement.col.{column}"
    return t(key, lang) if key in LABELS else column


def money(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """Decimal amounts as text with two decimals (exact; st.dataframe would show floats);
    interface words and headers in `lang`."""
    out = frame.copy()
    for col in out.columns:
        if "元" in str(col):
            out[col] = out[col].map(lambda v: "" if v is None else f"{Decimal(v):,.2f}")
        else:  # word() leaves numbers and names as they are
            out[col] = out[col].map(lambda v: word(v, lang))
    return out.rename(columns=lambda c: header(str(c), lang))


def words(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A table built by the data layer with Chinese headers and words, in `lang`."""
    out = frame.copy()
    for col in out.columns:
        out[col] = out[col].map(lambda v: word(v, lang))
    return out.rename(columns=lambda c: header(str(c), lang))


def table(
    frame: pd.DataFrame,
    headers: dict[str, str],
    key: str,
    lang: str,
    people: bool = False,
) -> None:
    """A read-only table with the given columns, headers in `lang` (personal data masked)."""
    shown = context.present_people(frame, "settlement") if people else frame
    keep = [c for c in headers if c in shown.columns]
    out = shown[keep].astype(object)
    out = out.where(out.notna(), "")  # blank, not "None", for what is not there yet
    for col in ("result", "difference"):
        if col in out and headers.get(col) != "street_difference":
            out[col] = out[col].map(lambda v: word(v, lang))
    if "原因" in out:
        out["原因"] = out["原因"].map(lambda v: why(v, lang))
    out = out.rename(columns={c: header(headers[c], lang) for c in keep})
    st.dataframe(out, hide_index=True, width="stretch", key=key)


def report_name(report: str, lang: str) -> str:
    """A periodic report's name: the standard ones in `lang`, the programme's own as named."""
    key = f"settlement.report.{report}"
    return t(key, lang) if key in LABELS else report


def rule_word(value: str | None, lang: str) -> str:
    """A programme rule's value: its standard words in `lang`, an organisation as named."""
    if value is None:
        return "—"
    key = f"settlement.rule.{value}"
    return t(key, lang) if key in LABELS else value


# One page of the unsettled list: at a million households a month has ~100,000 installations,
# all of them unsettled when only accepted months count and none is accepted yet.
PAGE_ROWS = pager.ROWS


def unsettled(con, pid: str, result: settlement.Summary, scope, lang: str) -> None:
    """The unsettled installations of `result`, a page at a time (searched and cut in SQL)."""
    total = result.excluded
    if not total:  # nothing to fetch: the empty table with its headers
        empty = pd.DataFrame(columns=[*EXCLUDED_HEADERS])
        table(empty, EXCLUDED_HEADERS, "settle_excluded", lang)
        return
    page = pager.picker("settle_excluded_page", total, PAGE_ROWS, lang)
    rows, _ = settlement.unsettled_page(
        con,
        pid,
        result.period,
        scope,
        result.accepted_months_only,
        PAGE_ROWS,
        (page - 1) * PAGE_ROWS,
        checked_only=result.checked_only,
    )
    pager.caption(total, page, PAGE_ROWS, len(rows), lang)
    table(rows, EXCLUDED_HEADERS, "settle_excluded", lang)


def residents(con, result: settlement.Summary, scope, lang: str) -> None:
    """Each household's resident share and whether the community collected it, a page at a
    time (summed in SQL)."""
    totals: list[int] = []  # each page read carries the whole list's length

    def cut(number: int) -> pd.DataFrame:
        rows, total = resident_payments.residents_page(
            con, result, scope, PAGE_ROWS, (number - 1) * PAGE_ROWS
        )
        totals.append(total)
        return rows

    # One read for the picked page, as 逾期 and 设备状态 do: no first page just for the length.
    page, rows = pager.fetch("settle_residents_page", cut)
    pager.picker("settle_residents_page", totals[-1], PAGE_ROWS, lang)
    pager.caption(totals[-1], page, PAGE_ROWS, len(rows), lang)
    st.dataframe(money(rows, lang), hide_index=True, width="stretch", key="settle_residents")


def workbook(
    pid: str, period: str, scope, accepted_only: bool, checked_only: bool, programme_name: str
) -> Callable[[], bytes]:
    """The settlement workbook, built from every installation only when the button is clicked
    (on its own thread, with its own cursor)."""
    base = db.cursor()
    words = context.level_names(pid)  # read now: the build has no session

    def build() -> bytes:
        con = base.cursor()
        try:
            result = settlement.compute(
                con,
                pid,
                period,
                scope,
                accepted_months_only=accepted_only,
                checked_only=checked_only,
            )
            return settlement_doc.excel_bytes(result, programme_name, words)
        finally:
            con.close()

    return build
