"""批次: a street's monthly installation batch — propose, edit, send, confirm, export, track."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from dashboard import context, db, format
from dashboard.components import batch_view as view
from dashboard.components.credit import map_credit
from data import access, batches, workdays
from documents import batch_docs

_, scope, pid = context.open_page("batch")
who = context.user()
can_edit = context.can("batch", access.W)
can_export = context.can("batch", access.E)
prog = db.query("programmes").set_index("programme_id").loc[pid]
latest = context.latest_date(pid)
st.title(f"批次 · {format.md(prog['name'])}")
st.caption(batches.page_note(db.query("programme_settings", programme_id=pid).iloc[0]["settings"]))

streets = db.query("region_shapes", scope, programme_id=pid, level="street")
names = dict(zip(streets["region_id"], streets["name"], strict=True))
if not names:
    st.info("您的范围内没有街镇。")
    st.stop()
street = st.selectbox("街镇", list(names), format_func=names.get, key="batch_street")
view_scope = access.narrow(scope, [street])
communities = db.query("region_shapes", view_scope, programme_id=pid, level="community")
street_shape = streets[streets["region_id"] == street]
attribution = map_credit(
    db.query("region_shapes", programme_id=pid, level="district"), streets, context.lang()
)
context.unmask_toggle("batch")


def _people(frame: pd.DataFrame) -> pd.DataFrame:
    return context.present_people(frame, "batch")


def _show_map(items: pd.DataFrame, key: str) -> None:
    days = sorted({pd.Timestamp(d).date() for d in items["day"]})
    pick = st.selectbox(
        "地图显示",
        [None, *days],
        format_func=lambda d: "整月" if d is None else f"{d}",
        key=f"{key}_day",
    )
    shown = items if pick is None else items[[pd.Timestamp(d).date() == pick for d in items["day"]]]
    fmap = view.plan_map(shown, street_shape, communities, attribution)
    st_folium(fmap, key=key, height=520, use_container_width=True, returned_objects=[])


def _downloads(items: pd.DataFrame, label: str, key: str) -> None:
    if not can_export or items.empty:
        return
    devices = batches.device_names(db.cursor(), pid)
    roster = batches.roster(items, devices if "device_name" not in items else None)
    table = _people(roster)
    # The 确认单 is signed by the resident: printed with the full name for roles that may unmask.
    named = context.can("batch", access.U)
    slip_people = roster if named else table
    if not context.unmasked("batch"):
        st.caption(
            "花名册和确认单按当前显示导出：交燃气公司需完整姓名电话时，请先打开“显示完整个人信息”。"
        )
    about = {"项目": prog["name"], "街镇": names[street], "批次": label, "户数": str(len(table))}
    c1, c2 = st.columns(2)
    c1.download_button(
        "下载花名册（Excel）",
        data=batch_docs.roster_xlsx(table, f"{names[street]} {label} 安装花名册", about),
        file_name=f"花名册_{names[street]}_{label}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_roster",
        on_click=lambda: context.audit_log(
            "export", "batch_roster", {"rows": len(table), "batch": label}
        ),
    )
    # A Word page per household takes ~25 ms: built on request, not on every rerun.
    slips_key = f"{key}_slips_doc"
    wanted = (label, len(table), named)
    held = st.session_state.get(slips_key)
    stale = held is None or held[0] != wanted
    if stale and c2.button("生成确认单（Word，每户一页）", key=f"{key}_slips_make"):
        with st.spinner("正在生成确认单…"):
            terms = batch_docs.slip_terms(db.cursor(), pid)
            held = (wanted, batch_docs.confirmation_slips(slip_people, prog["name"], label, terms))
        st.session_state[slips_key] = held
    if held is not None and held[0] == wanted:
        c2.download_button(
            "下载确认单（Word，每户一页）",
            data=held[1],
            file_name=f"确认单_{names[street]}_{label}.docx",
            mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            key=f"{key}_slips",
            on_click=lambda: context.audit_log(
                "export", "batch_slips", {"rows": len(table), "batch": label, "names": named}
            ),
        )


def _run(action, *args, ok: str) -> None:
    """Run a data.batches action as the signed-in user; show its Chinese refusal if any."""
    try:
        action(db.cursor(), *args)
    except batches.BatchError as exc:
        st.session_state["batch_flash"] = ("error", format.error_text(exc, context.lang()))
    else:
        st.session_state["batch_flash"] = ("success", ok)


if flash := st.session_state.pop("batch_flash", None):
    getattr(st, flash[0])(flash[1])

PLAN_TAB, SAVED_TAB = "编排新批次", "已有批次"


def _save_draft(plan: batches.Plan) -> None:
    """Save the plan and land on the batch just saved, not on an emptied planning tab.

    A button callback: it runs before the tabs are drawn, so it may choose the open tab.
    """
    try:
        saved = batches.save(db.cursor(), plan, who.username)
    except batches.BatchError as exc:
        st.session_state["batch_flash"] = ("error", format.error_text(exc, context.lang()))
        return
    st.session_state["batch_flash"] = ("success", f"已保存为草稿批次 {saved}")
    st.session_state["batch_tab"] = SAVED_TAB
    st.session_state["batch_pick"] = saved
    st.session_state.pop("batch_plan", None)


plan_tab, saved_tab = st.tabs([PLAN_TAB, SAVED_TAB], key="batch_tab", on_change="rerun")

with plan_tab:
    c1, c2, c3 = st.columns(3)
    every = view.month_options(latest)
    months = workdays.plannable(every)  # only months whose working days are officially known
    if not months:
        st.warning(workdays.calendar_note(every[0]) or "没有可编排的月份。")
        st.stop()
    if len(months) < len(every):
        st.caption(
            f"{'、'.join(m for m in every if m not in months)} 未列出："
            + (workdays.calendar_note(every[-1]) or "")
        )
    month = c1.selectbox("计划月份", months, index=min(1, len(months) - 1), key="batch_month")
    crews = int(c2.number_input("安装班组数", 1, 50, 3, key="batch_crews"))
    per_day = int(c3.number_input("每组每日户数", 1, 40, 8, key="batch_per_day"))
    rules = st.multiselect(
        "优先规则（按选择先后排序，可去掉）",
        list(batches.RULES),
        default=list(batches.DEFAULT_RULES),
        format_func=batches.RULES.get,
        key="batch_rules",
    )
    wanted = (pid, street, month, crews, per_day, tuple(rules), latest)
    if st.button("生成方案", type="primary", key="batch_propose"):
        with st.spinner("正在分组和排路线…"):
            st.session_state["batch_plan"] = (
                wanted,
                batches.plan(db.cursor(), pid, street, month, crews, per_day, tuple(rules), latest),
            )
    held = st.session_state.get("batch_plan")
    plan = held[1] if held and held[0] == wanted else None
    if plan is None:
        st.info(f"以 {latest} 的数据为准；选好月份、班组和规则后点“生成方案”。")
        st.table(view.calendar_frame(month))
    else:
        k = st.columns(6)
        k[0].metric("工作日", f"{len(plan.workdays)} 天")
        k[1].metric("容量", f"{plan.capacity} 户", help="班组数 × 每组每日户数 × 工作日")
        k[2].metric("排入", f"{len(plan.items)} 户")
        k[3].metric("待以后月份", f"{len(plan.waiting)} 户")
        k[4].metric("拒装/停气另列", f"{len(plan.held_back)} 户")
        saving = 1 - plan.travel_km / plan.naive_km if plan.naive_km else 0.0
        k[5].metric(
            "路程",
            f"{plan.travel_km:.1f} km",
            delta=f"-{saving * 100:.0f}%",
            delta_color="inverse",
            help="各班组日内相邻两户直线距离之和",
        )
        st.caption(
            f"对照：同一批住户按社区、地址顺序每 {per_day} 户排一个班组日，路程 {plan.naive_km:.1f} km；"
            f"本方案 {plan.travel_km:.1f} km，少走 {saving * 100:.0f}%。"
        )
        if plan.stats["no_coordinates"]:
            st.warning(
                f"{len(plan.stats['no_coordinates'])} 户没有坐标，无法排路线，未排入："
                + "、".join(plan.stats["no_coordinates"][:20])
            )
        st.subheader("工作日历")
        st.caption("周末、法定节假日和调休上班日按国务院办公厅安排（chinesecalendar）。")
        st.table(view.calendar_frame(month, plan.items.groupby("day").size()))
        st.subheader("方案地图")
        _show_map(plan.items, "batch_plan_map")
        st.subheader("排入住户与理由")
        st.dataframe(_people(view.items_table(plan.items)), hide_index=True, key="batch_plan_table")
        if len(plan.held_back):
            st.subheader("拒装、停气户（不自动排入，需先做工作）")
            st.dataframe(_people(view.held_back_table(plan.held_back)), hide_index=True)
        if can_edit:
            st.button("保存为草稿", key="batch_save", on_click=_save_draft, args=(plan,))
        _downloads(plan.items, f"{month}（方案）", "batch_plan")

with saved_tab:
    listed = db.query_fresh("batch_list", view_scope, programme_id=pid)
    if listed.empty:
        st.info("本街镇还没有保存的批次。")
        st.stop()
    show = listed.assign(状态=listed["status"].map(batches.STATUSES))
    st.dataframe(
        show[
            [
                "batch_id",
                "month",
                "状态",
                "revision",
                "planned",
                "done",
                "created_by",
                "sent_at",
                "confirmed_at",
            ]
        ].rename(
            columns={
                "batch_id": "批次号",
                "month": "月份",
                "revision": "版次",
                "planned": "计划户数",
                "done": "已完成",
                "created_by": "编制人",
                "sent_at": "下发时间",
                "confirmed_at": "确认时间",
            }
        ),
        hide_index=True,
    )
    bid = st.selectbox("查看批次", listed["batch_id"], key="batch_pick")
    b = listed.set_index("batch_id").loc[bid]
    st.markdown(
        f"**{format.md(bid)}** · {batches.STATUSES[b['status']]}（第 {b['revision']} 版）"
        f"· 编制 {format.md(b['created_by'])} {b['created_at']}"
        + (f" · 下发 {format.md(b['sent_by'])} {b['sent_at']}" if b["sent_by"] else "")
        + (
            f" · 确认 {format.md(b['confirmed_by'])} {b['confirmed_at']}"
            if b["confirmed_by"]
            else ""
        )
    )
    frame = batches.items(db.cursor(), pid, bid, view_scope)
    live = frame[frame["removed_at"].isna()]
    st.subheader("各班组日计划与完成")
    st.dataframe(view.progress_table(live), hide_index=True, key="batch_progress")
    _show_map(live, "batch_saved_map")
    st.dataframe(_people(view.items_table(live)), hide_index=True, key="batch_items")
    if can_edit and b["status"] == "draft":
        with st.expander("调整草稿（移出、加入、调到其他班组日）"):
            days = workdays.working_days(b["month"])
            act = st.radio(
                "操作", ["调到其他班组日", "移出", "加入"], horizontal=True, key="batch_edit_action"
            )
            hh = st.text_input("住户编号", key="batch_edit_hh").strip()
            c1, c2 = st.columns(2)
            crew = int(c1.number_input("班组", 1, int(b["crews"]), 1, key="batch_edit_crew"))
            day = c2.selectbox("日期", days, key="batch_edit_day")
            why = st.text_input("理由（移出时必填）", key="batch_edit_why")
            if st.button("执行", key="batch_edit_go") and hh:
                if act == "移出":
                    _run(batches.remove_item, bid, hh, who.username, why, scope, ok=f"已移出 {hh}")
                elif act == "加入":
                    _run(
                        batches.add_item, bid, hh, crew, day, who.username, scope, ok=f"已加入 {hh}"
                    )
                else:
                    _run(
                        batches.move_item,
                        bid,
                        hh,
                        crew,
                        day,
                        who.username,
                        scope,
                        ok=f"已调整 {hh}",
                    )
                st.rerun()
        if st.button("下发给燃气公司", type="primary", key="batch_send"):
            _run(batches.send, bid, who.username, scope, ok="已下发，批次已锁定")
            st.rerun()
    elif can_edit:
        if b["status"] == "sent" and st.button(
            "燃气公司已确认", type="primary", key="batch_confirm"
        ):
            _run(batches.confirm, bid, who.username, scope, ok="已确认")
            st.rerun()
        reason = st.text_input("退回草稿的理由（将记入审计日志）", key="batch_reopen_reason")
        if st.button("退回草稿", key="batch_reopen"):
            _run(
                batches.reopen, bid, who.username, reason, scope, ok="已退回草稿，可修改后重新下发"
            )
            st.rerun()
    _downloads(frame, bid, "batch_saved")
