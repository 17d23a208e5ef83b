"""抽查核验: a month's sample (draw, progress, the printable form and its workbook, results), shown
on 资金结算 for finance and on its own page for the streets that check their own work."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboard import context, format
from dashboard.components import settlement_view as view
from dashboard.i18n import t
from data.money import finance_rules, spot_checks
from data.store import clock
from data.users import access
from documents import spot_check_docs

PAGE = spot_checks.PAGE


def _run(fn, lang: str, ok: str) -> bool:
    try:
        fn()
    except (ValueError, PermissionError) as exc:
        st.error(format.error_text(exc, lang))
        return False
    st.success(ok)
    return True


def show(con, pid: str, who, scope, lang: str, starts: date, latest: date) -> None:
    """The month picker, the draw, progress by street and crew, the sample and the result form."""
    rules = finance_rules.load(con, pid)
    editable = spot_checks.may_check(who, rules)
    month = st.selectbox(
        t("settlement.check.month", lang), finance_rules.months(starts, latest), key="check_month"
    )
    status = spot_checks.status(con, pid, month, scope)
    history = [d for d in spot_checks.draws(con, pid) if d["month"] == month]
    if history:
        st.caption(
            t("settlement.check.current", lang).format(
                seed=history[0]["seed"],
                population=history[0]["population"],
                size=history[0]["sample_size"],
                by=format.md(history[0]["drawn_by"]),
                at=f"{history[0]['drawn_at']:%Y-%m-%d %H:%M}",
            )
        )
    if editable:
        mine = status if who.role != "street" else status[status["street_id"] == who.street_id]
        c1, c2, c3 = st.columns([1, 2, 1])
        seed_text = c1.text_input(t("settlement.check.seed", lang), key="check_seed", max_chars=10)
        drawn = bool(len(mine)) if who.role == "street" else bool(history)
        reason = c2.text_input(
            t("settlement.check.reason", lang),
            key="check_reason",
            max_chars=200,
            disabled=not drawn,
        )
        label = "settlement.check.redraw" if drawn else "settlement.check.draw"
        if c3.button(t(label, lang), key="check_draw"):
            try:
                seed = int(seed_text) if seed_text.strip() else None
            except ValueError:
                st.error(t("settlement.check.seed_int", lang))
            else:
                _run(
                    lambda: spot_checks.draw(con, pid, month, who, seed=seed, reason=reason),
                    lang,
                    t("settlement.check.drawn", lang),
                )
                status = spot_checks.status(con, pid, month, scope)
    elif who is not None and who.role == "street" and context.can(PAGE, access.V):
        st.info(t("check.not_streets", lang).format(by=view.rule_word(rules.spot_check_by, lang)))
    if status.empty:
        st.info(t("check.none", lang).format(month=month))
    else:
        _sample(con, pid, who, status, month, rules, lang, latest, editable)
    if history:
        with st.expander(t("settlement.check.draws", lang).format(n=len(history))):
            view.table(pd.DataFrame(history), view.DRAW_HEADERS, "check_draws", lang)


def _sample(con, pid, who, status, month, rules, lang, latest, editable) -> None:
    st.subheader(t("settlement.check.progress", lang))
    left, right = st.columns(2)
    for where, by in ((left, "street_name"), (right, "installer")):
        where.dataframe(
            view.words(pd.DataFrame(spot_checks.progress(status, by)), lang),
            hide_index=True,
            width="stretch",
            key=f"check_progress_{by}",
        )
    st.subheader(t("settlement.check.sample", lang))
    context.unmask_toggle(PAGE)
    shown = context.present_people(status, PAGE)
    table = spot_check_docs.sample_table(shown, checks=True)
    table[spot_check_docs.RESULT] = table[spot_check_docs.RESULT].map(lambda v: view.word(v, lang))
    table = table.rename(columns=lambda c: t(f"check.col.{c}", lang))
    st.dataframe(table, hide_index=True, width="stretch", key="check_sample")
    if context.can(PAGE, access.E):
        _downloads(pid, shown, month, rules, lang)
    if editable:
        _result_form(con, pid, who, status, lang, latest)


def _downloads(pid: str, shown: pd.DataFrame, month: str, rules, lang: str) -> None:
    name = rules.name
    about = spot_check_docs.about(rules, month, context.unmasked(PAGE))
    words = context.level_names(pid)  # fixed now: the files are built off the script thread
    c1, c2 = st.columns(2)
    for where, kind, mime, build in (
        (
            c1,
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            lambda: spot_check_docs.docx(shown, name, month, rules.spot_check_by or "", words),
        ),
        (
            c2,
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            lambda: spot_check_docs.xlsx(shown, name, month, about, words),
        ),
    ):
        where.download_button(
            t(f"check.download.{kind}", lang),
            data=build,
            file_name=spot_check_docs.file_name(name, month, kind),
            mime=mime,
            key=f"check_download_{kind}",
            on_click=lambda k=kind: context.audit_log(
                "export",
                f"spot_check:{pid}:{month}",
                {"rows": len(shown), "format": k, "unmasked": context.unmasked(PAGE)},
            ),
        )


def _result_form(con, pid, who, status, lang, latest) -> None:
    ids = list(status["household_id"])
    if who.role == "street":
        ids = list(status.loc[status["street_id"] == who.street_id, "household_id"])
    if not ids:
        return
    with st.form("check_result_form"):
        c1, c2, c3 = st.columns(3)
        hid = c1.selectbox(view.header("household_id", lang), ids, key="check_hid")
        outcome = c2.radio(
            t("settlement.check.result", lang),
            spot_checks.RESULTS,
            format_func=lambda r: view.word(r, lang),
            horizontal=True,
            key="check_res",
        )
        on = c3.date_input(
            view.header("checked_on", lang), value=min(clock.today(), latest), key="check_on"
        )
        failed_items = st.text_input(
            view.header("failed_items", lang), max_chars=200, key="check_items"
        )
        c4, c5, c6 = st.columns(3)
        inspector = c4.text_input(
            view.header("inspector", lang), max_chars=50, key="check_inspector"
        )
        note = c5.text_input(view.header("note", lang), max_chars=200, key="check_note")
        photos = c6.text_input(
            t("settlement.check.photos", lang), max_chars=200, key="check_photos"
        )
        if st.form_submit_button(t("settlement.check.submit", lang)):
            _run(
                lambda: spot_checks.record_result(
                    con,
                    who,
                    pid,
                    hid,
                    on,
                    outcome,
                    failed_items or None,
                    inspector or None,
                    note or None,
                    photos or None,
                ),
                lang,
                t("settlement.check.recorded", lang).format(hid=hid),
            )
