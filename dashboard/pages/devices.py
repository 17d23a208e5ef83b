"""设备状态: which installed alarms are not working, as of a date (end of day, Beijing time)."""

from __future__ import annotations

import streamlit as st

from dashboard import context, db, format
from dashboard.components import aftercare as ui
from dashboard.components import coverage_map, map_view, pager
from dashboard.components.as_of import as_of_input
from dashboard.components.credit import map_credit
from dashboard.i18n import t
from data.events import devices

PAGE = "devices"
lang, scope, pid = context.open_page(PAGE)
prog = db.query("programme_settings", scope=db.WHOLE_DISTRICT, programme_id=pid).iloc[0]
st.title(f"{t('page.devices', lang)} · {format.md(prog['name'])}")
pick, _ = st.columns([1, 3])
as_of = as_of_input(
    pick,
    t("aftercare.as_of", lang),
    "devices_as_of",
    prog,
    context.latest_date(pid),
    help=t("aftercare.as_of_help", lang),
)
# Counted in SQL: the page pulls the groups and the devices to visit, not every device.
health = {"programme_id": pid, "as_of": as_of}
streets = db.query("device_health_groups", scope=scope, **health, group="street")
if streets.empty:
    st.info(t("devices.empty", lang))
    st.stop()
hours = float(streets["offline_hours"].max())
total = devices.totals(streets)
alarms = db.query(
    "device_alarms",
    scope=scope,
    programme_id=pid,
    as_of=as_of,
    date_from=devices.alarms_from(as_of),
)
k = st.columns(5)
k[0].metric(t("devices.kpi.devices", lang), f"{total['devices']:,}")
k[1].metric(t("devices.status.online", lang), f"{total['online']:,}")
k[2].metric(
    t("devices.status.offline", lang),
    f"{total['offline']:,}",
    f"{total['offline'] / total['devices']:.1%}",
    delta_color="off",
    delta_arrow="off",
)
k[3].metric(t("devices.status.never_reported", lang), f"{total['never_reported']:,}")
k[4].metric(
    t("devices.kpi.alarms", lang),
    f"{len(alarms):,}",
    t("devices.kpi.open_alarms", lang).format(n=int(alarms["handled_at"].isna().sum())),
    delta_color="off",
    delta_arrow="off",
)
st.caption(t("devices.rule", lang).format(hours=f"{hours:g}"))

left, right = st.columns([1.1, 1])
with left:
    st.markdown(f"**{t('devices.map', lang)}**")

    def _health_map():
        shapes = db.query("region_shapes", scope=scope, programme_id=pid, level="community")
        district = db.query(
            "region_shapes", scope=db.WHOLE_DISTRICT, programme_id=pid, level="district"
        )
        return ui.health_map(
            shapes,
            devices.community_frame(
                db.query("device_health_groups", scope=scope, **health, group="community")
            ),
            coverage_map.outline_frame(district),
            lang,
            map_credit(district, shapes, lang),
        )

    # Every community of the city drawn once per (date, language, scope), not on every rerun.
    map_view.show(
        map_view.cached(("devices", pid, as_of, hours, lang), scope, _health_map),
        key="devices_map",
        height=420,
    )
with right:
    group = st.radio(
        t("devices.group", lang),
        list(devices.GROUPS),
        format_func={g: t(f"devices.group.{g}", lang) for g in devices.GROUPS}.get,
        horizontal=True,
        key="devices_group",
    )
    st.dataframe(
        ui.group_table(
            devices.group_frame(
                db.query("device_health_groups", scope=scope, **health, group=group), group
            ),
            group,
            lang,
        ),
        hide_index=True,
        width="stretch",
        key="devices_groups",
    )

context.unmask_toggle(PAGE)
about = {
    "项目": str(prog["name"]),
    "统计日期": f"{as_of.isoformat()} 24:00（北京时间）",
    "口径": f"离线超过 {hours:g} 小时、平台报告离线/拆除、从未上报、报警未处置、近30天低电量或故障",
    "用途": "请燃气公司安排上门检查、更换电池或维修",
    "数据": "演示数据（合成）" if context.is_demo(pid) else "正式数据",
}
heading = st.empty()  # the list's length is known once its page is read
st.caption(t("devices.revisit_rule", lang))
# Searched and paged in SQL; the export builds the whole list when clicked.
revisit, total, page_no, export = ui.revisit_page(
    pid, as_of, scope, PAGE, ("需上门设备", about), lang
)
heading.subheader(t("devices.revisit", lang).format(n=f"{total:,}"))
pager.caption(total, page_no, ui.REVISIT_PAGE_ROWS, len(revisit), lang)
st.dataframe(
    ui.device_table(revisit, PAGE, lang), hide_index=True, width="stretch", key="devices_revisit"
)
if context.can(PAGE, "export"):
    st.download_button(
        t("devices.download", lang),
        data=export,
        file_name=f"需上门设备_{as_of.isoformat()}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="devices_download",
        on_click=lambda: context.audit_log("export", "device_revisit_list", {"rows": total}),
    )

st.subheader(t("devices.alarms", lang).format(n=f"{len(alarms):,}"))
handled = alarms["minutes_to_handle"].dropna()
st.caption(
    (
        t("devices.alarms_handled", lang).format(
            n=len(handled), median=f"{handled.median():g}", longest=f"{handled.max():g}"
        )
        if len(handled)
        else ""
    )
    + t("devices.alarms_note", lang)
)
st.dataframe(
    ui.alarm_table(alarms, PAGE, lang), hide_index=True, width="stretch", key="devices_alarms"
)
