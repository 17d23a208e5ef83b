"""设备状态: which installed alarms are not working, as of a date (end of day, Beijing time)."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from dashboard import context, db, exports
from dashboard.components import aftercare as ui
from dashboard.components import coverage_map
from dashboard.components.as_of import as_of_input
from dashboard.i18n import t
from data.events import devices

PAGE = "devices"
lang, scope, pid = context.open_page(PAGE)
prog = db.query("programme_settings", programme_id=pid).iloc[0]
st.title(f"{t('page.devices', lang)} · {prog['name']}")
pick, _ = st.columns([1, 3])
as_of = as_of_input(
    pick,
    "统计日期",
    "devices_as_of",
    prog,
    context.latest_date(pid),
    help="按当日 24:00（北京时间）统计",
)
# Counted in SQL (issue 17): the page pulls the groups and the devices to visit, not every device.
health = {"programme_id": pid, "as_of": as_of}
streets = db.query("device_health_groups", scope, **health, group="street")
if streets.empty:
    st.info(
        "所选范围内还没有登记设备编号的已安装设备。导入安装确认表（含“设备编号”列）后在此显示。"
    )
    st.stop()
hours = float(streets["offline_hours"].max())
total = devices.totals(streets)
alarms = db.query(
    "device_alarms", scope, programme_id=pid, as_of=as_of, date_from=devices.alarms_from(as_of)
)
k = st.columns(5)
k[0].metric("设备数", f"{total['devices']:,}")
k[1].metric("在线", f"{total['online']:,}")
k[2].metric(
    "离线",
    f"{total['offline']:,}",
    f"{total['offline'] / total['devices']:.1%}",
    delta_color="off",
    delta_arrow="off",
)
k[3].metric("从未上报", f"{total['never_reported']:,}")
k[4].metric(
    "近30天报警",
    f"{len(alarms):,}",
    f"未处置 {int(alarms['handled_at'].isna().sum())}",
    delta_color="off",
    delta_arrow="off",
)
st.caption(
    f"离线：最后一条事件为“离线/拆除”，或最后一次上报早于统计日 24:00 前 {hours:g} 小时"
    "（项目规则 device_offline_hours）；从未上报：安装后平台没有任何事件。数据来自燃气报警平台导出。"
)

left, right = st.columns([1.1, 1])
with left:
    st.markdown("**各社区未在线比例**")
    shapes = db.query("region_shapes", scope, programme_id=pid, level="community")
    district = db.query("region_shapes", programme_id=pid, level="district")
    st_folium(
        ui.health_map(
            shapes,
            devices.community_frame(
                db.query("device_health_groups", scope, **health, group="community")
            ),
            coverage_map.outline_frame(district),
        ),
        key="devices_map",
        height=420,
        use_container_width=True,
        returned_objects=[],
    )
with right:
    group = st.radio(
        "分组",
        list(devices.GROUPS),
        format_func={"street": "按街镇", "installer": "按安装班组", "batch": "按批次"}.get,
        horizontal=True,
        key="devices_group",
    )
    st.dataframe(
        ui.group_table(
            devices.group_frame(
                db.query("device_health_groups", scope, **health, group=group), group
            )
        ),
        hide_index=True,
        width="stretch",
        key="devices_groups",
    )

context.unmask_toggle(PAGE)
revisit = devices.revisit(db.query("device_revisit", scope, **health))
st.subheader(f"需上门的设备（{len(revisit):,}）")
st.caption(
    "离线、从未上报、报警未处置、近30天低电量或故障的设备；报警未处置、独居老人、无上报最久者在前。"
)
table = ui.device_table(revisit, PAGE)
st.dataframe(table, hide_index=True, width="stretch", key="devices_revisit")
if context.can(PAGE, "export"):
    about = {
        "项目": str(prog["name"]),
        "统计日期": f"{as_of.isoformat()} 24:00（北京时间）",
        "口径": f"离线超过 {hours:g} 小时、平台报告离线/拆除、从未上报、报警未处置、近30天低电量或故障",
        "用途": "请燃气公司安排上门检查、更换电池或维修",
        "数据": "演示数据（合成）" if context.is_demo(pid) else "正式数据",
    }
    st.download_button(
        "导出需上门设备清单 Excel（交燃气公司）",
        data=exports.excel_bytes(table, "需上门设备", about),
        file_name=f"需上门设备_{as_of.isoformat()}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="devices_download",
        on_click=lambda: context.audit_log("export", "device_revisit_list", {"rows": len(table)}),
    )

st.subheader(f"近30天报警（{len(alarms):,}）")
handled = alarms["minutes_to_handle"].dropna()
st.caption(
    (
        f"已处置 {len(handled)} 次，处置用时中位数 {handled.median():g} 分钟、最长 {handled.max():g} 分钟。"
        if len(handled)
        else ""
    )
    + "处置时间来自平台或燃气公司；未处置的报警请立即联系。"
)
st.dataframe(ui.alarm_table(alarms, PAGE), hide_index=True, width="stretch", key="devices_alarms")
