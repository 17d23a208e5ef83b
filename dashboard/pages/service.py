"""服务保障 (seed 003): are we answering in time? Volumes, timeliness against the standards,
open and overdue events, where they cluster; and recording an event."""

from __future__ import annotations

from datetime import datetime
from functools import partial

import streamlit as st

from dashboard import context, db, exports, format
from dashboard.components import aftercare as ui
from dashboard.components import coverage_map, map_view
from dashboard.components.as_of import as_of_input
from dashboard.components.credit import map_credit
from dashboard.i18n import t
from data.events import service
from data.importing.parse_events import SERVICE_KINDS

PAGE = "service"
lang, scope, pid = context.open_page(PAGE)
prog = db.query("programme_settings", scope=db.WHOLE_DISTRICT, programme_id=pid).iloc[0]
st.title(f"{t('page.service', lang)} · {format.md(prog['name'])}")
c1, c2, _ = st.columns([1, 1, 2])
as_of = as_of_input(
    c1,
    t("aftercare.as_of", lang),
    "service_as_of",
    prog,
    context.latest_date(pid),
    help=t("aftercare.as_of_help", lang),
)
days = c2.selectbox(
    t("service.days", lang),
    [7, 30, 90],
    index=1,
    format_func=lambda d: t("service.days_option", lang).format(d=d),
    key="service_days",
)
since = service.window_start(as_of, days)
stds = service.standards(prog["settings"])
# Uncached: an event recorded below shows at once.
timed = service.timeliness(
    db.query_fresh("service_events", scope=scope, programme_id=pid, date_from=since, as_of=as_of),
    stds,
    as_of,
)
window = timed[timed["reported_at"] >= str(since)]
k = st.columns(5)
k[0].metric(t("service.kpi.events", lang).format(d=days), f"{len(window):,}")
k[1].metric(t("service.kpi.open", lang), f"{int(timed['open'].sum()):,}")
k[2].metric(t("service.kpi.overdue", lang), f"{int((timed['overdue'] & timed['open']).sum()):,}")
resp, res = window["response_ok"].dropna(), window["resolution_ok"].dropna()
k[3].metric(t("service.kpi.response", lang), f"{resp.mean():.1%}" if len(resp) else "—")
k[4].metric(t("service.kpi.resolution", lang), f"{res.mean():.1%}" if len(res) else "—")

st.subheader(t("service.daily", lang))
volumes = service.daily_volumes(timed, since, as_of)
volumes.index = volumes.index.strftime("%m-%d")  # Chinese readers: 07-14, not "Fri 14"
volumes = volumes.rename(columns=lambda k: ui.kind_label(k, lang))  # the legend
st.bar_chart(
    volumes,
    height=260,
    x_label=t("service.daily.x", lang),
    y_label=t("service.daily.y", lang),
)

st.subheader(t("service.timeliness", lang))
kinds = ui.kind_table(service.timeliness_by_kind(window, stds), lang)
st.dataframe(kinds, hide_index=True, width="stretch", key="service_kinds")
st.caption(t("service.timeliness_rule", lang))

context.unmask_toggle(PAGE)
overdue = timed[timed["overdue"]].sort_values("hours_overdue", ascending=False)
opened = timed[timed["open"]].sort_values("reported_at")
tab_over, tab_open = st.tabs(
    [
        t("service.tab.overdue", lang).format(n=f"{len(overdue):,}"),
        t("service.tab.open", lang).format(n=f"{len(opened):,}"),
    ]
)
about = {
    "项目": str(prog["name"]),
    "统计日期": f"{as_of.isoformat()} 24:00（北京时间）",
    "数据": "演示数据（合成）" if context.is_demo(pid) else "正式数据",
}
lists = ((tab_over, overdue, "超时事件", "overdue"), (tab_open, opened, "未办结事件", "open"))
for tab, frame, name, which in lists:
    with tab:
        table = ui.service_table(frame, PAGE)  # Chinese: the Excel export's table
        st.dataframe(
            table if lang == "zh" else ui.service_table(frame, PAGE, lang),
            hide_index=True,
            width="stretch",
            key=f"service_{name}",
        )
        if context.can(PAGE, "export") and len(table):
            st.download_button(
                t(f"service.download.{which}", lang),
                data=partial(exports.excel_bytes, table, name, about),
                file_name=f"{name}_{as_of.isoformat()}.xlsx",
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                key=f"service_download_{name}",
                on_click=context.audit_log,
                args=("export", f"service:{name}", {"rows": len(table)}),
            )

st.subheader(t("service.maps", lang))
# Gi* over every community and two maps cost seconds at city scale: they are built once per
# view, keyed by the window's events per community, so a recorded event redraws them at once.
per_community = tuple(window.dropna(subset=["community_id"]).groupby("community_id").size().items())
built: list = []


def _maps(which: int):
    if not built:
        shapes = db.query("region_shapes", scope=scope, programme_id=pid, level="community")
        district = db.query(
            "region_shapes", scope=db.WHOLE_DISTRICT, programme_id=pid, level="district"
        )
        communities = db.query("coverage_by_community", scope=scope, programme_id=pid, as_of=as_of)
        spots = service.community_hotspots(service.community_rates(window, communities), shapes)
        outline = coverage_map.outline_frame(district)
        built.extend(
            ui.service_maps(shapes, spots, outline, lang, map_credit(district, shapes, lang))
        )
    return built[which]


view = ("service", pid, as_of, days, lang, per_community)
m1, m2 = st.columns(2)
for col, which, key, title in (
    (m1, 0, "service_map_rate", t("service.map.rate", lang)),
    (m2, 1, "service_map_gi", t("service.map.gi", lang)),
):
    col.markdown(f"**{title}**")
    with col:
        rendered = map_view.cached((*view, key), scope, lambda which=which: _maps(which))
        map_view.show(rendered, key=key, height=480)
st.caption(t("service.method", lang))

if context.can(PAGE, "edit"):
    recorded = st.session_state.pop("_service_recorded", None)
    with st.expander(t("service.record", lang), expanded=recorded is not None):
        if recorded:
            st.success(t("service.recorded", lang).format(id=recorded))
        streets = db.query("region_shapes", scope=scope, programme_id=pid, level="street")
        names = dict(zip(streets["region_id"], streets["name"], strict=True))
        with st.form("service_record", clear_on_submit=True):
            a, b, c = st.columns(3)
            kind = a.selectbox(
                ui.col("kind", lang),
                SERVICE_KINDS,
                format_func=lambda k: ui.kind_label(k, lang),
                key="rec_kind",
            )
            source = b.selectbox(
                ui.col("source", lang),
                service.SOURCES,
                format_func=lambda s: ui.source_label(s, lang),
                key="rec_source",
            )
            street = c.selectbox(
                ui.col("street_name", lang), list(names), format_func=names.get, key="rec_street"
            )
            d1, t1, d2, t2, d3, t3 = st.columns(6)
            rep_d = d1.date_input(t("service.form.reported_on", lang), value=as_of, key="rec_rep_d")
            rep_t = t1.time_input(
                t("service.form.reported_time", lang), value=None, key="rec_rep_t"
            )
            rsp_d = d2.date_input(t("service.form.responded_on", lang), value=None, key="rec_rsp_d")
            rsp_t = t2.time_input(
                t("service.form.responded_time", lang), value=None, key="rec_rsp_t"
            )
            res_d = d3.date_input(t("service.form.resolved_on", lang), value=None, key="rec_res_d")
            res_t = t3.time_input(
                t("service.form.resolved_time", lang), value=None, key="rec_res_t"
            )
            address = st.text_input(ui.col("address", lang), max_chars=200, key="rec_address")
            handler = st.text_input(ui.col("handler", lang), max_chars=50, key="rec_handler")
            outcome = st.text_input(ui.col("outcome", lang), max_chars=200, key="rec_outcome")
            if st.form_submit_button(t("service.form.go", lang)):
                try:
                    if rep_t is None:
                        raise ValueError(t("service.form.need_time", lang))
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
