"""资金结算: spot checks, settlement by payer, reconciliation with the gas company (finance, admin)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import pandas as pd
import streamlit as st

from dashboard import context, db, format
from dashboard.components import settlement_view as view
from data import (
    access,
    clock,
    finance_rules,
    importing,
    reconciliation,
    settlement,
    spot_checks,
)
from documents import settlement as settlement_doc

lang, scope, pid = context.open_page("settlement")
who = context.user()
can_edit = context.can("settlement", access.W)
con = db.cursor()  # not cached: this page writes, and must show its own writes at once
rules = finance_rules.load(con, pid)
prog = db.query("programme_settings", programme_id=pid).iloc[0]
latest = context.latest_date(pid)
starts = pd.Timestamp(prog["starts"]).date()
st.title(f"资金结算 · {rules.name}")
cycle = "按季度" if rules.payment_cycle == "quarterly" else "按月"
st.caption(
    f"结算周期：{cycle}；抽查：{rules.spot_check_scope} {rules.spot_check_rate or 0:.0%}"
    f"（{rules.spot_check_by or '—'}）；验收：{rules.acceptance_by}。"
)


def _run(fn, *args, ok: str) -> None:
    try:
        fn(*args)
    except (ValueError, PermissionError) as exc:
        st.error(format.error_text(exc, lang))
    else:
        st.success(ok)


tab_settle, tab_check, tab_recon, tab_register = st.tabs(["结算", "抽查", "对账", "登记"])

# ---------------------------------------------------------------- 结算
with tab_settle:
    c1, c2 = st.columns([1, 2])
    period = c1.selectbox(
        "结算期间",
        finance_rules.periods(starts, latest, rules.payment_cycle),
        key="settle_period",
    )
    only = c2.checkbox(
        "只结算已验收（已审核）的街镇月份",
        value=rules.settlement_requires_acceptance,
        key="settle_accepted_only",
    )
    result = settlement.compute(con, pid, period, scope, accepted_months_only=only)
    gate = [
        (m, spot_checks.status(con, pid, m, scope))
        for m in finance_rules.period_months(result.period)
    ]
    for month, frame in gate:
        done = int(frame["result"].notna().sum())
        failed = int((frame["result"] == "不合格").sum())
        if frame.empty:
            st.warning(f"{month}：尚未抽取抽查样本（抽查结果决定哪些安装可以结算）。")
        elif done < len(frame) or failed:
            st.warning(f"{month}：抽查 {done}/{len(frame)} 户已完成，{failed} 户不合格待复查。")
        else:
            st.success(f"{month}：抽查 {done}/{len(frame)} 户全部合格。")
    if result.unaccepted:
        names = "、".join(f"{u['street_name']} {u['month']}" for u in result.unaccepted)
        st.info(f"尚未验收：{names}" + ("（已排除）" if only else ""))
    m1, m2, m3 = st.columns(3)
    m1.metric("结算安装（套）", f"{len(result.included):,}")
    m2.metric("合计（元）", f"{result.total_cny:,.2f}")
    m3.metric("未结算（套）", f"{len(result.excluded):,}")
    st.subheader("按付款方")
    st.dataframe(
        view.money(result.payer_frame()), hide_index=True, width="stretch", key="settle_payers"
    )
    for note in result.notes:
        st.caption(note)
    if context.can("settlement", access.E):
        st.download_button(
            "导出 Excel：结算表",
            data=settlement_doc.excel_bytes(result, rules.name),
            file_name=f"结算_{rules.name}_{result.period}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="settle_download",
            on_click=lambda: context.audit_log(
                "export",
                f"settlement:{pid}:{result.period}",
                {"rows": len(result.included), "total_cny": str(result.total_cny)},
            ),
        )
    with st.expander(f"未结算的安装（{len(result.excluded):,}）"):
        view.table(result.excluded, view.EXCLUDED_HEADERS, "settle_excluded")
    if rules.resident_share_collected_by:
        st.subheader(f"居民分担（由{rules.resident_share_collected_by}收取）")
        st.dataframe(
            view.money(result.residents), hide_index=True, width="stretch", key="settle_residents"
        )
    if len(result.opted_out):
        st.subheader("选择不参加的住户")
        view.table(
            result.opted_out,
            {
                "household_id": "户号",
                "street_name": "街镇",
                "reason": "原因",
                "opted_out_on": "日期",
            },
            "settle_opted_out",
        )

# ---------------------------------------------------------------- 抽查
with tab_check:
    month = st.selectbox("抽查月份", finance_rules.months(starts, latest), key="check_month")
    status = spot_checks.status(con, pid, month, scope)
    history = [d for d in spot_checks.draws(con, pid) if d["month"] == month]
    if history:
        st.caption(
            f"现行样本：种子 {history[0]['seed']}，总体 {history[0]['population']} 户，"
            f"抽取 {history[0]['sample_size']} 户（{history[0]['drawn_by']}，"
            f"{history[0]['drawn_at']:%Y-%m-%d %H:%M}）。"
        )
    if can_edit:
        c1, c2, c3 = st.columns([1, 2, 1])
        seed_text = c1.text_input("随机种子（可不填）", key="check_seed", max_chars=10)
        reason = c2.text_input(
            "重新抽取的原因", key="check_reason", max_chars=200, disabled=not history
        )
        if c3.button("重新抽取" if history else "抽取样本", key="check_draw"):
            try:
                seed = int(seed_text) if seed_text.strip() else None
            except ValueError:
                st.error("随机种子须为整数")
            else:
                _run(
                    lambda: spot_checks.draw(con, pid, month, who, seed=seed, reason=reason),
                    ok="已抽取并记入审计日志",
                )
                status = spot_checks.status(con, pid, month, scope)
    if not status.empty:
        st.subheader("抽查进度与合格率")
        left, right = st.columns(2)
        for where, by in ((left, "street_name"), (right, "installer")):
            where.dataframe(
                pd.DataFrame(spot_checks.progress(status, by)),
                hide_index=True,
                width="stretch",
                key=f"check_progress_{by}",
            )
        st.subheader("样本")
        view.table(status, view.SAMPLE_HEADERS, "check_sample")
        if can_edit:
            with st.form("check_result_form"):
                c1, c2, c3 = st.columns(3)
                hid = c1.selectbox("户号", list(status["household_id"]), key="check_hid")
                outcome = c2.radio("结果", spot_checks.RESULTS, horizontal=True, key="check_res")
                on = c3.date_input("抽查日期", value=min(clock.today(), latest), key="check_on")
                failed_items = st.text_input("不合格项", max_chars=200, key="check_items")
                c4, c5, c6 = st.columns(3)
                inspector = c4.text_input("抽查人", max_chars=50, key="check_inspector")
                note = c5.text_input("备注", max_chars=200, key="check_note")
                photos = c6.text_input("照片（文件名或编号）", max_chars=200, key="check_photos")
                if st.form_submit_button("录入结果（复查也在此录入）"):
                    _run(
                        spot_checks.record_result,
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
                        ok=f"已录入 {hid} 的抽查结果",
                    )
    if history:
        with st.expander(f"抽取记录（{len(history)} 次）"):
            view.table(pd.DataFrame(history), view.DRAW_HEADERS, "check_draws")
    if can_edit:
        upload = st.file_uploader(
            "导入抽查结果（.xlsx/.xls/.csv：户号、抽查日期、抽查结果、不合格项、抽查人）",
            type=list(importing.EXTENSIONS["spot_checks"]),
            max_upload_size=importing.MAX_BYTES // 1024 // 1024,
            key="check_upload",
        )
        if upload is not None and st.button("确认导入抽查结果", key="check_import"):
            try:
                res = importing.run(
                    con, "spot_checks", upload.name, upload.getvalue(), pid, who, commit=True
                )
            except (importing.ReadError, PermissionError) as exc:
                st.error(format.error_text(exc, lang))
            else:
                c = res.counts()
                st.success(f"新增 {c['loaded']}，更新 {c['updated']}，未变 {c['unchanged']}")
                for r in res.rejections:
                    st.warning(r.message(res.file_name))

# ---------------------------------------------------------------- 对账
with tab_recon:
    month = st.selectbox("对账月份", finance_rules.months(starts, latest), key="recon_month")
    by_street = reconciliation.streets(con, pid, month, scope)
    if by_street["confirmed"].isna().all():
        st.info(f"尚未导入 {month} 的燃气公司确认表：下方可导入，或登记纸质报表收到。")
    view.table(by_street, view.STREET_RECON_HEADERS, "recon_streets")
    diff = reconciliation.households(con, pid, month, scope)
    st.subheader(f"逐户差异（{len(diff):,}）")
    view.table(diff, view.RECON_HEADERS, "recon_households", people=True)
    if can_edit:
        upload = st.file_uploader(
            "导入燃气公司确认表（按户：月份、户号；或按街镇：月份、街镇、确认户数）",
            type=list(importing.EXTENSIONS["confirmations"]),
            max_upload_size=importing.MAX_BYTES // 1024 // 1024,
            key="recon_upload",
        )
        if upload is not None and st.button("确认导入确认表", key="recon_import"):
            try:
                res = importing.run(
                    con, "confirmations", upload.name, upload.getvalue(), pid, who, commit=True
                )
            except (importing.ReadError, PermissionError) as exc:
                st.error(format.error_text(exc, lang))
            else:
                c = res.counts()
                got = "、".join(res.extra.get("report_receipts", [])) or "无新增"
                st.success(f"新增 {c['loaded']}，未变 {c['unchanged']}；登记收到：{got}")
                for r in res.rejections:
                    st.warning(r.message(res.file_name))
        st.subheader("登记报表收到")
        with st.form("receipt_form"):
            reports = [r for r in (rules.report_name, "花名册", "月度统计表") if r]
            c1, c2, c3 = st.columns(3)
            report = c1.selectbox("报表", reports, key="receipt_report")
            r_month = c2.selectbox("所属月份", finance_rules.months(starts, latest), key="rc_m")
            received = c3.date_input("收到日期", value=min(clock.today(), latest), key="rc_on")
            note = st.text_input("备注", max_chars=200, key="receipt_note")
            if st.form_submit_button("登记收到"):
                _run(
                    reconciliation.record_receipt,
                    con,
                    who,
                    pid,
                    report,
                    r_month,
                    received,
                    note or None,
                    ok=f"已登记 {r_month}「{report}」收到",
                )

# ---------------------------------------------------------------- 登记
with tab_register:
    if not can_edit:
        st.info("只读。")
    else:
        with st.form("payment_form"):
            st.markdown("**居民分担收款**（由社区收取后登记）")
            c1, c2, c3, c4 = st.columns(4)
            hid = c1.text_input("户号", max_chars=40, key="pay_hid")
            amount = c2.text_input("金额（元）", max_chars=12, key="pay_amount")
            paid_on = c3.date_input("收取日期", value=min(clock.today(), latest), key="pay_on")
            by = c4.text_input(
                "收取单位", value=rules.resident_share_collected_by or "", key="pay_by"
            )
            if st.form_submit_button("登记收款"):
                try:
                    value = Decimal(amount.strip())
                except InvalidOperation:
                    st.error(f"金额「{amount}」不是数字")
                else:
                    _run(
                        settlement.record_resident_payment,
                        con,
                        who,
                        pid,
                        hid.strip(),
                        value,
                        paid_on,
                        by or None,
                        ok=f"已登记 {hid} 收款",
                    )
        with st.form("opt_out_form"):
            st.markdown("**选择不参加**（已安装设备尚在质保期内的住户可自主选择）")
            c1, c2 = st.columns([1, 3])
            hid = c1.text_input("户号", max_chars=40, key="opt_hid")
            why = c2.text_input("原因", max_chars=200, key="opt_reason")
            if st.form_submit_button("登记不参加"):
                _run(
                    settlement.record_opt_out,
                    con,
                    who,
                    pid,
                    hid.strip(),
                    why,
                    ok=f"已登记 {hid} 不参加",
                )
