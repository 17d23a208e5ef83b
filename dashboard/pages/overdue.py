"""逾期: who is behind plan, and every follow-up past its deadline, as of a date."""

from __future__ import annotations

import streamlit as st

from dashboard import context, db, format
from dashboard.components import coverage_map, map_view
from dashboard.components import overdue as ui
from dashboard.components.as_of import as_of_input
from dashboard.components.class_progress import class_table
from dashboard.components.credit import map_credit
from dashboard.i18n import t
from data import briefing
from data.events import service

lang, scope, pid = context.open_page("overdue")

prog = db.query("programme_settings", programme_id=pid).iloc[0]
rules = briefing.rules(prog["settings"])
report_from = briefing.rule_text(prog["settings"], "report_from", "报送单位")
latest = context.latest_date(pid)
st.title(f"{t('page.overdue', lang)} · {format.md(prog['name'])}")
context.require_data(pid, lang, streets=True, households=True)
pick, _ = st.columns([1, 3])
as_of = as_of_input(pick, t("overdue.as_of", lang), "overdue_as_of", prog, latest)
context.unmask_toggle(ui.PAGE)
params = {"programme_id": pid, "as_of": as_of}
about = {
    "项目": str(prog["name"]),
    "统计日期": as_of.isoformat(),
    "数据": "演示数据（合成）" if context.is_demo(pid) else "正式数据",
    "口径": "按业务日期（发生日期）统计，含事后补录的记录",
}

# ---------------------------------------------------------------- behind plan
class_table(pid, as_of, scope)
st.subheader(t("overdue.regions", lang))
streets = db.query("coverage_by_street", scope, **params)
communities = db.query("coverage_by_community", scope, **params)
behind_streets = streets[streets["gap_to_plan"] < 0].sort_values("gap_to_plan")
behind_comms = communities[communities["gap_to_plan"] < 0].sort_values("gap_to_plan")
shapes = db.query("region_shapes", scope, programme_id=pid, level="street")
district = db.query("region_shapes", programme_id=pid, level="district")
left, right = st.columns([1.1, 1])
with left:
    map_view.show(
        map_view.cached(
            ("overdue", pid, as_of, lang),
            scope,
            lambda: coverage_map.build_map(
                coverage_map.map_features(shapes, streets, "street_id", lang, colour_by="gap"),
                name_label=t("col.street_name", lang),
                lang=lang,
                outline=coverage_map.outline_frame(district),
                attribution=map_credit(district, shapes),
                colour_by="gap",
            ),
        ),
        key="overdue_map",
        height=420,
    )
    st.caption(t("overdue.map_hint", lang))
with right:
    street_row = ui.overdue_list(
        "streets",
        "落后街镇",
        behind_streets,
        rule="已安装少于计划应完成户数（计划按安装阶段逐日线性）的街镇，落后最多者在前。",
        empty="没有落后于计划的街镇。",
        about=about,
        columns=ui.REGION_COLUMNS,
    )
    if street_row is not None:
        ui.region_link(street_row["street_id"], street_row["street_name"])
with st.expander(f"落后于计划的社区（{len(behind_comms):,} 个）"):
    comm_row = ui.overdue_list(
        "communities",
        "落后社区",
        behind_comms,
        rule="按社区计算的同一口径。",
        empty="没有落后于计划的社区。",
        about=about,
        columns=ui.REGION_COLUMNS,
    )
    if comm_row is not None:
        ui.region_link(comm_row["street_id"], comm_row["street_name"])

# ---------------------------------------------------------------- follow-ups past their deadline
lists = {
    "hazards": db.query("overdue_hazards", scope, **params),
    "gas_cuts": db.query(
        "overdue_gas_cuts",
        scope,
        **params,
        cut_days=rules.gas_cut_overdue_days,
        restore_hours=rules.restore_within_hours,
    ),
    "installs": None,  # paged in SQL: filled in its own tab
    "batches": db.query("overdue_batches", scope, **params),
    "reports": db.query("overdue_reports", **params, report=rules.report_name),
    "warranties": db.query(
        "expiring_warranties", scope, **params, warning_days=rules.warranty_warning_days
    ),
    "spot_checks": db.query("spot_check_failed", scope, **params),  # issue 16
    # issue 13: service events open past their standard (reported that day, or still open)
    "service": service.overdue_frame(
        db.query("service_events", scope, **params, date_from=as_of),
        service.standards(prog["settings"]),
        as_of,
    ),
}
explain = {
    "hazards": ("已过整改期限仍未整改的隐患，逾期最久者在前。", "没有逾期未整改的隐患。"),
    "gas_cuts": (
        f"停气超过 {rules.gas_cut_overdue_days} 天仍未恢复的用户；以及隐患整改后未在 "
        f"{rules.restore_within_hours} 小时内恢复供气的用户（依据：整改后24小时内恢复供气）。",
        "没有超期停气或恢复供气超时的用户。",
    ),
    "installs": (
        "已过自己应安装日期仍未安装的住户，逾期最久者在前：应安装日期是所在已下发批次的计划日，"
        "未排批次的为安装期截止日；并标出隐患、停气、拒装等原因。未到期的住户只在表上方汇总。",
        "没有已过应安装日期仍未安装的住户。",
    ),
    "batches": (
        "已发给燃气公司、尚未确认的安装批次。",
        "没有待确认的批次。批次由街镇在“批次”页面编排发出后在此跟踪；尚无批次记录时本表为空。",
    ),
    "reports": (
        f"{report_from}应于每月 {prog['report_day'] or '—'} 日前报送“{rules.report_name}”；"
        "列出未收到或迟报的月份（全区口径）。",
        f"各月“{rules.report_name}”均已按时收到。"
        if prog["report_day"]
        else "本项目未设定月报日期（programme.report_day），无需跟踪。",
    ),
    "warranties": (
        f"质保将在 {rules.warranty_warning_days} 天内到期的已安装设备。",
        f"未来 {rules.warranty_warning_days} 天内没有到期的设备质保。",
    ),
    "spot_checks": (
        "最近一次抽查不合格、尚未复查合格的安装：复查合格前不计为验收，也不结算。",
        "没有抽查不合格待复查的安装。",
    ),
    "service": (
        "服务事件（热线、报修、抢修等）超过项目规定的响应或办结时限仍未完成的，超时最久者在前；"
        "时限见“服务保障”页。",
        "没有超时未办结的服务事件。",
    ),
}
st.subheader("逾期事项")
# The report tab is named after the programme's own report (seed 000: 加装报警器确认表).
titles = {k: t(f"overdue.{k}", lang) for k in lists} | {
    "reports": t("overdue.report_late", lang).format(report=rules.report_name)
}
install_total = db.query(
    "overdue_installs_page",
    scope,
    **params,
    days_after_survey=rules.install_after_survey_days,
    search=None,
    limit=1,
    offset=0,
)
counts = {k: len(v) for k, v in lists.items() if v is not None}
counts["installs"] = int(install_total.total_rows.iloc[0]) if len(install_total) else 0
tabs = st.tabs([f"{titles[k]}（{counts[k]:,}）" for k in lists])
for tab, (key, frame) in zip(tabs, lists.items(), strict=True):
    with tab:
        title = titles[key].replace(" / ", "与")
        paged = {}
        if key == "installs":
            frame, total, export = ui.installs_page(
                pid, as_of, scope, rules.install_after_survey_days, title, about
            )
            paged = {"total": total, "export": export}
        row = ui.overdue_list(
            key, title, frame, rule=explain[key][0], empty=explain[key][1], about=about, **paged
        )
        if row is not None and "household_id" in row.index:
            ui.household_card(pid, as_of, scope, row["household_id"])
        elif row is not None and "street_id" in row.index:
            ui.region_link(row["street_id"], row["street_name"])
