"""Labels of 周报 (weekly) and 逾期 (overdue), in both languages."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------ 周报 (weekly)
    "weekly.issue_label": {
        "zh": "第{no}期 · 截至{as_of}（{at} {by} 发布）",
        "en": "Issue {no} · as of {as_of} (published {at} by {by})",
    },
    "weekly.published": {
        "zh": "已发布第{issue_no}期（截至{as_of}，按{known_at}已录入的记录）。",
        "en": "Published issue {issue_no} (as of {as_of}, records entered by {known_at}).",
    },
    "weekly.basis_caption": {"zh": "统计口径：{basis}", "en": "Counting basis: {basis}"},
    "weekly.households": {"zh": "{n} 户", "en": "{n} households"},
    "weekly.proj.rate": {
        "zh": "按近{weeks}周（{start} 至 {end}）平均每周安装 **{rate}** 户预测：",
        "en": "At the last {weeks} weeks' mean ({start} to {end}) of **{rate}** installs a week: ",
    },
    "weekly.proj.done": {"zh": "已全部完成。", "en": "all done."},
    "weekly.proj.never": {
        "zh": "按此速度**无法完成**；",
        "en": "**never finished** at this rate; ",
    },
    "weekly.proj.on_time": {"zh": "可按期完成", "en": "on time"},
    "weekly.proj.late": {"zh": "**不能按期完成**", "en": "**late**"},
    "weekly.proj.finish": {
        "zh": "预计 **{date}** 完成，{verdict}；",
        "en": "finished on **{date}**, {verdict}; ",
    },
    "weekly.proj.needed": {
        "zh": "要在 {deadline} 前完成剩余 {remaining} 户，每周需安装 **{rate}** 户。",
        "en": "finishing the remaining {remaining} households by {deadline} needs **{rate}** "
        "installs a week.",
    },
    "weekly.proj.past": {
        "zh": "截止日期 {deadline} 已过，尚余 {remaining} 户。",
        "en": "the deadline {deadline} has passed with {remaining} households left.",
    },
    "weekly.proj.finish_label": {
        "zh": "按近4周速度预计完成",
        "en": "Finish at the last 4 weeks' rate",
    },
    "weekly.proj.no_finish": {"zh": "无法完成", "en": "Never"},
    "weekly.proj.in_time": {"zh": "可按期", "en": "on time"},
    "weekly.proj.not_in_time": {"zh": "不能按期", "en": "late"},
    "weekly.proj.rate_label": {"zh": "近4周平均每周安装", "en": "Installs a week (last 4 weeks)"},
    "weekly.proj.needed_label": {
        "zh": "按期完成每周需安装",
        "en": "Installs a week needed for the deadline",
    },
    "weekly.proj.needed_help": {
        "zh": "截止日期 {deadline}，剩余 {remaining} 户",
        "en": "Deadline {deadline}, {remaining} households left",
    },
    "weekly.col.rank": {"zh": "排名", "en": "Rank"},
    "weekly.col.street_name": {"zh": "街镇", "en": "Street/town"},
    "weekly.col.target": {"zh": "目标户数", "en": "Target"},
    "weekly.col.installed": {"zh": "已安装", "en": "Installed"},
    "weekly.col.installed_week": {"zh": "本周新增", "en": "This week"},
    "weekly.col.completion": {"zh": "完成率", "en": "Completion"},
    "weekly.col.gap_to_plan": {"zh": "较计划（户）", "en": "vs plan (households)"},
    "weekly.col.rectification_rate": {"zh": "隐患整改率", "en": "Hazards rectified"},
    "weekly.col.rank_change_week": {"zh": "较上周", "en": "vs last week"},
    "weekly.col.rank_change_month": {"zh": "较上月", "en": "vs last month"},
    "weekly.no_monthly": {
        "zh": "尚无安装记录，暂无月排名。",
        "en": "No installs recorded yet, so no monthly ranking.",
    },
    "weekly.monthly_help": {
        "zh": "各月月末名次（按完成率排名，本月为截至统计日期）。",
        "en": "Rank at each month's end (by completion; this month up to the as-of date).",
    },
    "weekly.download_docx": {"zh": "下载周通报（Word）", "en": "Download bulletin (Word)"},
    "weekly.download_xlsx": {"zh": "下载表格（Excel）", "en": "Download tables (Excel)"},
    # ------------------------------------------------------------ 分类进度 (on 周报 and 逾期)
    "class.title": {
        "zh": "**分类进度**（各类用户按各自目标和期限）",
        "en": "**Progress by user class** (each class against its own target and deadline)",
    },
    "class.col.name": {"zh": "用户类别", "en": "User class"},
    "class.col.target": {"zh": "目标户数", "en": "Target"},
    "class.col.installed": {"zh": "已安装", "en": "Installed"},
    "class.col.completion": {"zh": "完成率", "en": "Completion"},
    "class.col.plan": {"zh": "计划进度", "en": "Plan"},
    "class.col.deadline": {"zh": "完成期限", "en": "Deadline"},
    "class.col.state": {"zh": "状态", "en": "State"},
    "class.late": {"zh": "已过期限未完成", "en": "Past deadline, not done"},
    # ------------------------------------------------------------ 逾期 (overdue)
    "overdue.report_from": {"zh": "报送单位", "en": "The reporting unit"},
    "overdue.streets_title": {"zh": "落后街镇", "en": "Streets/towns behind plan"},
    "overdue.streets_rule": {
        "zh": "已安装少于计划应完成户数（计划按安装阶段逐日线性）的街镇，落后最多者在前。",
        "en": "Streets and towns with fewer installs than planned (the plan is linear over the "
        "install phase), furthest behind first.",
    },
    "overdue.streets_empty": {
        "zh": "没有落后于计划的街镇。",
        "en": "No street or town is behind plan.",
    },
    "overdue.communities_behind": {
        "zh": "落后于计划的社区（{n} 个）",
        "en": "Communities behind plan ({n})",
    },
    "overdue.communities_title": {"zh": "落后社区", "en": "Communities behind plan"},
    "overdue.communities_rule": {
        "zh": "按社区计算的同一口径。",
        "en": "The same rule, by community.",
    },
    "overdue.communities_empty": {
        "zh": "没有落后于计划的社区。",
        "en": "No community is behind plan.",
    },
    "overdue.follow_ups": {"zh": "逾期事项", "en": "Follow-ups past their deadline"},
    "overdue.tab": {"zh": "{title}（{n}）", "en": "{title} ({n})"},
    "overdue.hazards_rule": {
        "zh": "已过整改期限仍未整改的隐患，逾期最久者在前。",
        "en": "Hazards past their rectification deadline and not yet rectified, longest overdue "
        "first.",
    },
    "overdue.hazards_empty": {
        "zh": "没有逾期未整改的隐患。",
        "en": "No hazard is past its rectification deadline.",
    },
    "overdue.gas_cuts_rule": {
        "zh": "停气超过 {cut_days} 天仍未恢复的用户；以及隐患整改后未在 "
        "{restore_hours} 小时内恢复供气的用户（依据：整改后24小时内恢复供气）。",
        "en": "Households with gas cut off for more than {cut_days} days, and households whose "
        "gas was not restored within {restore_hours} hours of rectification (rule: restore "
        "within 24 hours of rectification).",
    },
    "overdue.gas_cuts_empty": {
        "zh": "没有超期停气或恢复供气超时的用户。",
        "en": "No gas cut-off too long and no restoration late.",
    },
    "overdue.installs_rule": {
        "zh": "已过自己应安装日期仍未安装的住户，逾期最久者在前：应安装日期是所在已下发批次的计划日，"
        "未排批次的为安装期截止日；并标出隐患、停气、拒装等原因。未到期的住户只在表上方汇总。",
        "en": "Households past their own install date and not installed, longest overdue first: "
        "the date is the planned day of their sent batch, or the install phase's end when they "
        "are in no batch; hazards, gas cut-offs and refusals are marked. Households not yet due "
        "are only summarised above the table.",
    },
    "overdue.installs_empty": {
        "zh": "没有已过应安装日期仍未安装的住户。",
        "en": "No household is past its install date.",
    },
    "overdue.batches_rule": {
        "zh": "已发给燃气公司、尚未确认的安装批次。",
        "en": "Install batches sent to the gas company and not yet confirmed.",
    },
    "overdue.batches_empty": {
        "zh": "没有待确认的批次。批次由街镇在“批次”页面编排发出后在此跟踪；尚无批次记录时本表为空。",
        "en": "No batch awaits confirmation. Batches sent by streets and towns on the Batches "
        "page are tracked here; with no batch yet this list is empty.",
    },
    "overdue.reports_rule": {
        "zh": "{report_from}应于每月 {report_day} 日前报送“{report}”；列出未收到或迟报的月份（全区口径）。",
        "en": "{report_from} submits “{report}” by day {report_day} of each month; months not "
        "received or late are listed (whole district).",
    },
    "overdue.reports_empty": {
        "zh": "各月“{report}”均已按时收到。",
        "en": "Every month's “{report}” was received on time.",
    },
    "overdue.reports_no_day": {
        "zh": "本项目未设定月报日期（programme.report_day），无需跟踪。",
        "en": "This programme sets no report day (programme.report_day): nothing to track.",
    },
    "overdue.warranties_rule": {
        "zh": "质保将在 {warning_days} 天内到期的已安装设备。",
        "en": "Installed devices whose warranty ends within {warning_days} days.",
    },
    "overdue.warranties_empty": {
        "zh": "未来 {warning_days} 天内没有到期的设备质保。",
        "en": "No device warranty ends in the next {warning_days} days.",
    },
    "overdue.spot_checks_rule": {
        "zh": "最近一次抽查不合格、尚未复查合格的安装：复查合格前不计为验收，也不结算。",
        "en": "Installs whose latest spot check failed and have not passed a re-check: until "
        "then they count as neither verified nor payable.",
    },
    "overdue.spot_checks_empty": {
        "zh": "没有抽查不合格待复查的安装。",
        "en": "No failed spot check awaits a re-check.",
    },
    "overdue.service_rule": {
        "zh": "服务事件（热线、报修、抢修等）超过项目规定的响应或办结时限仍未完成的，超时最久者在前；"
        "时限见“服务保障”页。",
        "en": "Service events (hotline, repair, emergency, ...) past the programme's response or "
        "resolution limit and not done, longest overdue first; limits are on the Service "
        "continuity page.",
    },
    "overdue.service_empty": {
        "zh": "没有超时未办结的服务事件。",
        "en": "No service event is past its limit.",
    },
    "overdue.rows": {"zh": "共 {n:,} 条。", "en": "Rows: {n:,}. "},
    "overdue.pick_household": {
        "zh": "点选一行查看该户。",
        "en": "Select a row to see the household.",
    },
    "overdue.pick_region": {"zh": "点选一行查看该区域。", "en": "Select a row to see the area."},
    "overdue.export": {"zh": "导出 Excel：{title}", "en": "Export to Excel: {title}"},
    "overdue.not_in_scope": {
        "zh": "该户不在您的查看范围内。",
        "en": "This household is outside your scope.",
    },
    "overdue.card.on_date": {"zh": "日期", "en": "Date"},
    "overdue.card.event": {"zh": "事件", "en": "Event"},
    "overdue.card.detail": {"zh": "说明", "en": "Details"},
    "overdue.card.recorded_at": {"zh": "录入时间", "en": "Entered"},
    "overdue.event.safety_check": {"zh": "入户安检", "en": "Safety check"},
    "overdue.event.hazard_found": {"zh": "发现隐患", "en": "Hazard found"},
    "overdue.event.rectified": {"zh": "隐患整改", "en": "Hazard rectified"},
    "overdue.event.gas_cut": {"zh": "停气", "en": "Gas cut off"},
    "overdue.event.gas_restored": {"zh": "恢复供气", "en": "Gas restored"},
    "overdue.event.installed": {"zh": "安装", "en": "Installed"},
    "overdue.event.verified": {"zh": "验收", "en": "Verified"},
    "overdue.open_map": {"zh": "在覆盖地图中查看 {name}", "en": "Show {name} on the coverage map"},
    "overdue.installs_none": {
        "zh": "没有已排摸、尚未安装的住户。",
        "en": "No household is surveyed and not installed.",
    },
    "overdue.installs_total": {
        "zh": "已排摸、尚未安装 {total} 户，其中已过各自应安装日期 {late} 户（下表）",
        "en": "{total} households surveyed and not installed, {late} of them past their own "
        "install date (the table)",
    },
    "overdue.installs_batch": {
        "zh": "已排入批次、计划日未到 {n} 户（最早 {first}）",
        "en": "{n} in a batch whose day has not come (first {first})",
    },
    "overdue.installs_deadline": {
        "zh": "未排批次、须在安装期截止日 {deadline} 前安装 {n} 户",
        "en": "{n} in no batch, due by the install phase's end {deadline}",
    },
    "overdue.installs_survey": {
        "zh": "排摸后尚在规定天数内 {n} 户",
        "en": "{n} still within the allowed days after the survey",
    },
    "overdue.installs_waiting": {"zh": "；未到期：", "en": "; not yet due: "},
    "overdue.installs_sep": {"zh": "，", "en": "; "},
    "overdue.installs_end": {"zh": "。", "en": "."},
    "overdue.search": {
        "zh": "查找（户号、街镇、社区、地址或姓名）",
        "en": "Search (household, street/town, community, address or name)",
    },
    # overdue lists on screen: headers (the exports keep HEADERS) and interface values
    "overdue.col.street_name": {"zh": "街镇", "en": "Street/town"},
    "overdue.col.community_name": {"zh": "社区", "en": "Community"},
    "overdue.col.gap_to_plan": {"zh": "较计划（户）", "en": "vs plan (households)"},
    "overdue.col.target": {"zh": "目标户数", "en": "Target"},
    "overdue.col.installed": {"zh": "已安装", "en": "Installed"},
    "overdue.col.completion": {"zh": "完成率（%）", "en": "Completion (%)"},
    "overdue.col.plan": {"zh": "计划进度（%）", "en": "Plan (%)"},
    "overdue.col.plan_installed": {"zh": "计划应装户数", "en": "Planned installs"},
    "overdue.col.household_id": {"zh": "户号", "en": "Household"},
    "overdue.col.name": {"zh": "姓名", "en": "Name"},
    "overdue.col.address": {"zh": "地址", "en": "Address"},
    "overdue.col.phone": {"zh": "联系电话", "en": "Phone"},
    "overdue.col.gas_type": {"zh": "气种", "en": "Gas"},
    "overdue.col.kind": {"zh": "隐患类型", "en": "Hazard type"},
    "overdue.col.found_on": {"zh": "发现日期", "en": "Found on"},
    "overdue.col.due_on": {"zh": "整改期限", "en": "Rectify by"},
    "overdue.col.days_overdue": {"zh": "逾期天数", "en": "Days overdue"},
    "overdue.col.gas_cut": {"zh": "停气中", "en": "Gas cut off"},
    "overdue.col.gas_cut_on": {"zh": "停气日期", "en": "Cut off on"},
    "overdue.col.rectified_on": {"zh": "整改日期", "en": "Rectified on"},
    "overdue.col.gas_restored_on": {"zh": "恢复供气日期", "en": "Restored on"},
    "overdue.col.days_cut": {"zh": "停气天数", "en": "Days cut off"},
    "overdue.col.hours_to_restore": {
        "zh": "整改后恢复用时（小时）",
        "en": "Hours to restore after rectification",
    },
    "overdue.col.cut_too_long": {"zh": "停气超期", "en": "Cut off too long"},
    "overdue.col.restore_late": {"zh": "恢复超时", "en": "Restored late"},
    "overdue.col.surveyed_on": {"zh": "排摸日期", "en": "Surveyed on"},
    "overdue.col.days_waiting": {"zh": "已等待天数", "en": "Days waiting"},
    "overdue.col.hazard_open": {"zh": "隐患未整改", "en": "Open hazard"},
    "overdue.col.refused": {"zh": "拒绝安装", "en": "Refused"},
    "overdue.col.batch_id": {"zh": "批次号", "en": "Batch"},
    "overdue.col.month": {"zh": "批次月份", "en": "Batch month"},
    "overdue.col.households": {"zh": "户数", "en": "Households"},
    "overdue.col.sent_on": {"zh": "发出日期", "en": "Sent on"},
    "overdue.col.report": {"zh": "报表", "en": "Report"},
    "overdue.col.period": {"zh": "所属月份", "en": "Month"},
    "overdue.col.received_on": {"zh": "收到日期", "en": "Received on"},
    "overdue.col.status": {"zh": "状态", "en": "Status"},
    "overdue.col.days_late": {"zh": "逾期天数", "en": "Days late"},
    "overdue.col.device_name": {"zh": "设备", "en": "Device"},
    "overdue.col.installed_on": {"zh": "安装日期", "en": "Installed on"},
    "overdue.col.warranty_until": {"zh": "质保到期", "en": "Warranty until"},
    "overdue.col.days_left": {"zh": "剩余天数", "en": "Days left"},
    "overdue.col.checked_on": {"zh": "抽查日期", "en": "Checked on"},
    "overdue.col.failed_items": {"zh": "不合格项", "en": "Failed items"},
    "overdue.col.inspector": {"zh": "抽查人", "en": "Inspector"},
    "overdue.col.days_open": {"zh": "待复查天数", "en": "Days awaiting re-check"},
    "overdue.col.event_id": {"zh": "工单号", "en": "Ticket"},
    "overdue.col.service_kind": {"zh": "事件类别", "en": "Event type"},
    "overdue.col.reported_at": {"zh": "报告时间", "en": "Reported at"},
    "overdue.col.resolution_due": {"zh": "应办结时限", "en": "Resolve by"},
    "overdue.col.hours_overdue": {"zh": "超时（小时）", "en": "Hours overdue"},
    "overdue.col.handler": {"zh": "处理人", "en": "Handler"},
    "overdue.col.install_due_on": {"zh": "应安装日期", "en": "Install by"},
    "overdue.col.due_basis": {"zh": "期限依据", "en": "Date set by"},
    "overdue.col.reports.due_on": {"zh": "应报送日期", "en": "Due on"},
    "overdue.val.gas_type.piped": {"zh": "管道气", "en": "Piped gas"},
    "overdue.val.gas_type.lpg": {"zh": "液化气", "en": "LPG"},
    "overdue.val.gas_type.none": {"zh": "无", "en": "None"},
    "overdue.val.status.missing": {"zh": "未收到", "en": "Not received"},
    "overdue.val.status.late": {"zh": "迟报", "en": "Late"},
    "overdue.val.due_basis.batch": {"zh": "批次计划日", "en": "Batch day"},
    "overdue.val.due_basis.deadline": {"zh": "安装期截止", "en": "Install phase end"},
    "overdue.val.due_basis.survey": {"zh": "排摸后天数", "en": "Days after survey"},
}
