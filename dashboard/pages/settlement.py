"""资金结算: spot checks, settlement by payer, reconciliation with the gas company (finance, admin)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import pandas as pd
import streamlit as st

from dashboard import context, db, format
from dashboard.components import settlement_view as view
from dashboard.components import spot_check_view as check_view
from dashboard.i18n import t
from data import importing
from data.money import finance_rules, reconciliation, resident_payments, settlement
from data.store import clock
from data.users import access

lang, scope, pid = context.open_page("settlement")
who = context.user()
can_edit = context.can("settlement", access.W)
con = db.cursor()  # not cached: this page writes, and must show its own writes at once
rules = finance_rules.load(con, pid)
prog = db.query("programme_settings", scope=db.WHOLE_DISTRICT, programme_id=pid).iloc[0]
latest = context.latest_date(pid)
starts = pd.Timestamp(prog["starts"]).date()
st.title(f"{t('page.settlement', lang)} · {format.md(rules.name)}")
cycle = "quarterly" if rules.payment_cycle == "quarterly" else "monthly"
st.caption(
    t("settlement.rules", lang).format(
        cycle=t(f"settlement.cycle.{cycle}", lang),
        scope=view.rule_word(rules.spot_check_scope, lang),
        rate=f"{rules.spot_check_rate or 0:.0%}",
        by=view.rule_word(rules.spot_check_by, lang),
        acceptance=view.rule_word(rules.acceptance_by, lang),
    )
)
sep = t("aftercare.sep", lang)


def _run(fn, *args, ok: str) -> None:
    try:
        fn(*args)
    except (ValueError, PermissionError) as exc:
        st.error(format.error_text(exc, lang))
    else:
        st.success(ok)


def _import_upload(kind: str, key: str) -> importing.Result | None:
    """The `kind` file the user uploads and asks to import (widgets keyed and worded by `key`),
    imported; None when there is none yet or it could not be read (the error shown)."""
    upload = st.file_uploader(
        t(f"settlement.{key}.upload", lang),
        type=list(importing.EXTENSIONS[kind]),
        max_upload_size=importing.MAX_BYTES // 1024 // 1024,
        key=f"{key}_upload",
    )
    if upload is None or not st.button(t(f"settlement.{key}.import", lang), key=f"{key}_import"):
        return None
    try:
        return importing.run(con, kind, upload.name, upload.getvalue(), pid, who, commit=True)
    except (importing.ReadError, PermissionError) as exc:
        st.error(format.error_text(exc, lang))
        return None


tab_settle, tab_check, tab_recon, tab_register = st.tabs(
    [t(f"settlement.tab.{k}", lang) for k in ("settle", "check", "recon", "register")]
)

# ---------------------------------------------------------------- 结算
with tab_settle:
    c1, c2, c3 = st.columns([1, 1, 1])
    period = c1.selectbox(
        t("settlement.period", lang),
        finance_rules.periods(starts, latest, rules.payment_cycle),
        key="settle_period",
    )
    checked = c2.checkbox(
        t("settlement.checked_only", lang),
        value=rules.settlement_requires_spot_check,
        key="settle_checked_only",
    )
    only = c3.checkbox(
        t("settlement.accepted_only", lang),
        value=rules.settlement_requires_acceptance,
        key="settle_accepted_only",
    )
    result = settlement.summary(
        con, pid, period, scope, accepted_months_only=only, checked_only=checked
    )
    if result.unchecked:
        by = view.rule_word(rules.spot_check_by, lang)
        lines = [
            settlement.gate_text(
                u["street_name"], u["month"], u["drawn"], u["sampled"], u["checked"], by, lang
            )
            + t("settlement.gate.installations", lang).format(n=f"{u['installations']:,}")
            for u in result.unchecked
        ]
        head = t("settlement.gate.waiting" if checked else "settlement.gate.unchecked", lang)
        st.warning(head + "\n\n" + "\n".join(f"- {format.md(x)}" for x in lines))
    elif rules.spot_check_rate:
        st.success(t("settlement.gate.all_checked", lang))
    if result.unaccepted:
        names = sep.join(f"{u['street_name']} {u['month']}" for u in result.unaccepted)
        st.info(
            t("settlement.unaccepted", lang).format(names=names)
            + (t("settlement.unaccepted_excluded", lang) if only else "")
        )
    m1, m2, m3 = st.columns(3)
    m1.metric(t("settlement.kpi.included", lang), f"{result.included:,}")
    m2.metric(t("settlement.kpi.total", lang), f"{result.total_cny:,.2f}")
    m3.metric(t("settlement.kpi.excluded", lang), f"{result.excluded:,}")
    st.subheader(t("settlement.by_payer", lang))
    st.dataframe(
        view.money(result.payer_frame(), lang),
        hide_index=True,
        width="stretch",
        key="settle_payers",
    )
    for u in result.unpriced_items:  # result.notes says the same, in Chinese only
        st.caption(
            t("settlement.note_unpriced", lang).format(
                item=view.word(settlement.ITEM_LABELS.get(u["item"], u["item"]), lang),
                payers=sep.join(u["payers"]),
            )
        )
    if context.can("settlement", access.E):
        st.download_button(
            t("settlement.download", lang),
            data=view.workbook(pid, result.period, scope, only, checked, rules.name),
            file_name=f"结算_{rules.name}_{result.period}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="settle_download",
            on_click=lambda: context.audit_log(
                "export",
                f"settlement:{pid}:{result.period}",
                {"rows": result.included, "total_cny": str(result.total_cny)},
            ),
        )
    with st.expander(t("settlement.excluded", lang).format(n=f"{result.excluded:,}")):
        view.unsettled(con, pid, result, scope, lang)
    if rules.resident_share_collected_by:
        st.subheader(
            t("settlement.residents", lang).format(
                by=view.rule_word(rules.resident_share_collected_by, lang)
            )
        )
        view.residents(con, result, scope, lang)
    if len(result.opted_out):
        st.subheader(t("settlement.opted_out", lang))
        view.table(result.opted_out, view.OPTED_OUT_HEADERS, "settle_opted_out", lang)

# ---------------------------------------------------------------- 抽查
with tab_check:
    check_view.show(con, pid, who, scope, lang, starts, latest)
    if can_edit:
        res = _import_upload("spot_checks", "check")
        if res is not None:
            st.success(t("settlement.imported", lang).format(**res.counts()))
            for r in res.rejections:
                st.warning(r.message(res.file_name))

# ---------------------------------------------------------------- 对账
with tab_recon:
    month = st.selectbox(
        t("settlement.recon.month", lang), finance_rules.months(starts, latest), key="recon_month"
    )
    by_street = reconciliation.streets(con, pid, month, scope)
    if by_street["confirmed"].isna().all():
        st.info(t("settlement.recon.none", lang).format(month=month))
    view.table(by_street, view.STREET_RECON_HEADERS, "recon_streets", lang)
    diff = reconciliation.households(con, pid, month, scope)
    st.subheader(t("settlement.recon.households", lang).format(n=f"{len(diff):,}"))
    view.table(diff, view.RECON_HEADERS, "recon_households", lang, people=True)
    if can_edit:
        res = _import_upload("confirmations", "recon")
        if res is not None:
            got = sep.join(res.extra.get("report_receipts", [])) or t(
                "settlement.recon.nothing_new", lang
            )
            st.success(t("settlement.recon.imported", lang).format(got=got, **res.counts()))
            for r in res.rejections:
                st.warning(r.message(res.file_name))
        st.subheader(t("settlement.receipt.title", lang))
        with st.form("receipt_form"):
            reports = [r for r in (rules.report_name, "花名册", "月度统计表") if r]
            c1, c2, c3 = st.columns(3)
            report = c1.selectbox(
                t("settlement.receipt.report", lang),
                reports,
                format_func=lambda r: view.report_name(r, lang),
                key="receipt_report",
            )
            r_month = c2.selectbox(
                t("settlement.receipt.month", lang),
                finance_rules.months(starts, latest),
                key="rc_m",
            )
            received = c3.date_input(
                t("settlement.receipt.on", lang), value=min(clock.today(), latest), key="rc_on"
            )
            note = st.text_input(view.header("note", lang), max_chars=200, key="receipt_note")
            if st.form_submit_button(t("settlement.receipt.go", lang)):
                _run(
                    reconciliation.record_receipt,
                    con,
                    who,
                    pid,
                    report,
                    r_month,
                    received,
                    note or None,
                    ok=t("settlement.receipt.done", lang).format(
                        month=r_month, report=view.report_name(report, lang)
                    ),
                )

# ---------------------------------------------------------------- 登记
with tab_register:
    if not can_edit:
        st.info(t("settlement.read_only", lang))
    else:
        with st.form("payment_form"):
            st.markdown(t("settlement.pay.title", lang))
            c1, c2, c3, c4 = st.columns(4)
            hid = c1.text_input(view.header("household_id", lang), max_chars=40, key="pay_hid")
            amount = c2.text_input(t("settlement.pay.amount", lang), max_chars=12, key="pay_amount")
            paid_on = c3.date_input(
                t("settlement.pay.on", lang), value=min(clock.today(), latest), key="pay_on"
            )
            by = c4.text_input(
                t("settlement.pay.by", lang),
                value=rules.resident_share_collected_by or "",
                key="pay_by",
            )
            if st.form_submit_button(t("settlement.pay.go", lang)):
                try:
                    value = Decimal(amount.strip())
                except InvalidOperation:
                    st.error(t("settlement.pay.not_number", lang).format(amount=format.md(amount)))
                else:
                    _run(
                        resident_payments.record_resident_payment,
                        con,
                        who,
                        pid,
                        hid.strip(),
                        value,
                        paid_on,
                        by or None,
                        ok=t("settlement.pay.done", lang).format(hid=hid),
                    )
        with st.form("opt_out_form"):
            st.markdown(t("settlement.opt.title", lang))
            c1, c2 = st.columns([1, 3])
            hid = c1.text_input(view.header("household_id", lang), max_chars=40, key="opt_hid")
            why = c2.text_input(view.header("reason", lang), max_chars=200, key="opt_reason")
            if st.form_submit_button(t("settlement.opt.go", lang)):
                _run(
                    resident_payments.record_opt_out,
                    con,
                    who,
                    pid,
                    hid.strip(),
                    why,
                    ok=t("settlement.opt.done", lang).format(hid=hid),
                )
