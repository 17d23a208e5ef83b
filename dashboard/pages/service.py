"""服务保障 (seed 003): are we answering in time? Volumes, timeliness against the standards,
open and overdue events, where they cluster; and recording an event."""

from __future__ import annotations

from datetime import datetime

import streamlit as st
from streamlit_folium import st_folium

from dashboard import context, db, exports, format
from dashboard.components import aftercare as ui
from dashboard.components import coverage_map
from dashboard.components.as_of import as_of_input
from dashboard.i18n import t
from data.events import service
from data.importing.parse_events import SERVICE_KINDS

PAGE = "service"
lang, scope, pid = context.open_page(PAGE)
prog = db.query("programme_settings", programme_id=pid).iloc[0]
st.title(f"{t('page.service', lang)} · {prog['name']}")
c1, c2, _ = st.columns([1, 1, 2])
as_of = as_of_input(
    c1,
    "统计日期",
    "service_as_of",
    prog,
    context.latest_date(pid),
    help="按当日 24:00（北京时间）统计",
)
days = c2.selectbox(
    "统计天数", [7, 30, 90], index=1, format_func=lambda d: f"近 {d} 天", key="service_days"
)
since = service.window_start(as_of, days)
stds = service.standards(prog["settings"])
# Uncached: an event recorded below shows at once.
timed = service.timeliness(
    db.query_fresh("service_events", scope, programme_id=pid, date_from=since, as_of=as_of),
    stds,
    as_of,
)
window = timed[timed["reported_at"] >= str(since)]
k = st.columns(5)
k[0].metric(f"近 {days} 天事件", f"{len(window):,}")
k[1].metric("未办结", f"{int(timed['open'].sum()):,}")
k[2].metric("已超时未办结", f"{int((timed['overdue'] & timed['open']).sum()):,}")
resp, res = window["response_ok"].dropna(), window["resolution_ok"].dropna()
k[3].metric("按时响应率", f"{resp.mean():.1%}" if len(resp) else "—")
k[4].metric("按时办结率", f"{res.mean():.1%}" if len(res) else "—")

st.subheader("每日事件量（按类别）")
volumes = service.daily_volumes(timed, since, as_of)
volumes.index = volumes.index.strftime("%m-%d")  # Chinese readers: 07-14, not "Fri 14"
st.bar_chart(volumes, height=260, x_label="报告日期", y_label="事件数")

st.subheader("时效：对照项目标准")
kinds = ui.kind_table(service.timeliness_by_kind(window, stds))
st.dataframe(kinds, hide_index=True, width="stretch", key="service_kinds")
st.caption(
    "按时率只计已到期的事件（已完成的看是否在时限内完成；未完成且已过时限的计为超时）。时限依据见最后一列。"
)

context.unmask_toggle(PAGE)
overdue = timed[timed["overdue"]].sort_values("hours_overdue", ascending=False)
opened = timed[timed["open"]].sort_values("reported_at")
tab_over, tab_open = st.tabs([f"已超时（{len(overdue):,}）", f"未办结（{len(opened):,}）"])
about = {
    "项目": str(prog["name"]),
    "统计日期": f"{as_of.isoformat()} 24:00（北京时间）",
    "数据": "演示数据（合成）" if context.is_demo(pid) else "正式数据",
}
for tab, frame, name in ((tab_over, overdue, "超时事件"), (tab_open, opened, "未办结事件")):
    with tab:
        table = ui.service_table(frame, PAGE)
        st.dataframe(table, hide_index=True, width="stretch", key=f"service_{name}")
        if context.can(PAGE, "export") and len(table):
            st.download_button(
                f"导出{name} Excel",
                data=exports.excel_bytes(table, name, about),
                file_name=f"{name}_{as_of.isoformat()}.xlsx",
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                key=f"service_download_{name}",
                on_click=context.audit_log,
                args=("export", f"service:{name}", {"rows": len(table)}),
            )

st.subheader("事件分布与热点（按社区，每千户事件数）")
shapes = db.query("region_shapes", scope, programme_id=pid, level="community")
district = db.query("region_shapes", programme_id=pid, level="district")
communities = db.query("coverage_by_community", scope, programme_id=pid, as_of=as_of)
spots = service.community_hotspots(service.community_rates(window, communities), shapes)
rate_map, gi_map = ui.service_maps(shapes, spots, coverage_map.outline_frame(district))
m1, m2 = st.columns(2)
for col, fmap, key, title in (
    (m1, rate_map, "service_map_rate", "每千户事件数"),
    (m2, gi_map, "service_map_gi", "Gi\\* 热点"),
):
    col.markdown(f"**{title}**")
    with col:
        st_folium(fmap, key=key, height=480, use_container_width=True, returned_objects=[])
st.caption(
    "Getis-Ord Gi*（与火灾风险页相同方法）：变量为社区每千户事件数，Queen 邻接，9,999 次条件置换，"
    "Benjamini–Hochberg 校正；不足 5 户的社区不参与分析。"
)

if context.can(PAGE, "edit"):
    recorded = st.session_state.pop("_service_recorded", None)
    with st.expander("登记服务事件", expanded=recorded is not None):
        if recorded:
            st.success(f"已登记，编号 {recorded}。")
        streets = db.query("region_shapes", scope, programme_id=pid, level="street")
        names = dict(zip(streets["region_id"], streets["name"], strict=True))
        with st.form("service_record", clear_on_submit=True):
            a, b, c = st.columns(3)
            kind = a.selectbox("类别", SERVICE_KINDS, key="rec_kind")
            source = b.selectbox("来源", service.SOURCES, key="rec_source")
            street = c.selectbox("街镇", list(names), format_func=names.get, key="rec_street")
            d1, t1, d2, t2, d3, t3 = st.columns(6)
            rep_d = d1.date_input("报告日期", value=as_of, key="rec_rep_d")
            rep_t = t1.time_input("报告时间", value=None, key="rec_rep_t")
            rsp_d = d2.date_input("响应日期（未响应留空）", value=None, key="rec_rsp_d")
            rsp_t = t2.time_input("响应时间", value=None, key="rec_rsp_t")
            res_d = d3.date_input("办结日期（未办结留空）", value=None, key="rec_res_d")
            res_t = t3.time_input("办结时间", value=None, key="rec_res_t")
            address = st.text_input("地址", max_chars=200, key="rec_address")
            handler = st.text_input("处理人", max_chars=50, key="rec_handler")
            outcome = st.text_input("处理结果", max_chars=200, key="rec_outcome")
            if st.form_submit_button("登记"):
                try:
                    if rep_t is None:
                        raise ValueError("请填写报告时间。")
                    eid = service.record(
                        db.cursor(),
                        context.user(),
                        pid,
                        {
                            "kind": kind,
                            "source": source,
                            "street_id": street,
                            "reported_at": datetime.combine(rep_d, rep_t),
                            "responded_at": datetime.combine(rsp_d, rsp_t)
                            if rsp_d and rsp_t
                            else None,
                            "resolved_at": datetime.combine(res_d, res_t)
                            if res_d and res_t
                            else None,
                            "address": address or None,
                            "handler": handler or None,
                            "outcome": outcome or None,
                        },
                    )
                    st.session_state["_service_recorded"] = eid
                    st.rerun()  # every number above now includes the new event
                except (ValueError, PermissionError) as exc:
                    st.error(format.error_text(exc, lang))
