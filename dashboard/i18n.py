"""Interface labels: Chinese by default, English available."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "app.title": {"zh": "安居 · 燃气与消防安全工作台", "en": "Anju · gas and fire safety"},
    "app.language": {"zh": "语言 / Language", "en": "Language / 语言"},
    "app.programme": {"zh": "工作项目", "en": "Programme"},
    "app.demo_banner": {
        "zh": "演示数据：本库为合成数据，长宁区外轮廓为真实边界，街道、社区划分和全部住户信息均为虚构，"
        "不得用于实际工作。",
        "en": "Synthetic demo data: the district outline is real; streets, communities and all "
        "households are invented. Do not use for real work.",
    },
    "app.no_programme": {
        "zh": "数据库中还没有工作项目。请先运行 `make demo` 生成演示库，或导入项目数据。",
        "en": "No programme in the database yet. Run `make demo` or import data first.",
    },
    "page.coverage": {"zh": "覆盖地图", "en": "Coverage map"},
    "coverage.as_of": {"zh": "统计日期", "en": "As of"},
    "coverage.street": {"zh": "街道（下钻到社区）", "en": "Street (drill down)"},
    "coverage.whole_district": {"zh": "全区（按街道）", "en": "Whole district (by street)"},
    "coverage.back": {"zh": "返回全区", "en": "Back to district"},
    "coverage.basemap": {"zh": "底图", "en": "Base map"},
    "coverage.map_hint": {
        "zh": "点击街道可下钻到社区；颜色为安装完成率，红色虚线边框表示落后于计划。",
        "en": "Click a street to drill down; colour is completion, a red dashed border means behind plan.",
    },
    "coverage.table": {"zh": "明细表", "en": "Table"},
    "coverage.download": {"zh": "导出 Excel", "en": "Export to Excel"},
    "coverage.tianditu_key": {
        "zh": "天地图需要密钥：请在环境变量 ANJU_TIANDITU_KEY 中配置后重启。",
        "en": "Tianditu needs a key: set ANJU_TIANDITU_KEY and restart.",
    },
    "coverage.tiles_online": {
        "zh": "在线底图需要访问互联网；内网环境请使用“无底图”。",
        "en": "Online base maps need internet access; on an intranet use 'none'.",
    },
    "basemap.none": {"zh": "无底图（离线）", "en": "None (offline)"},
    "basemap.osm": {"zh": "OpenStreetMap", "en": "OpenStreetMap"},
    "basemap.amap": {"zh": "高德地图（GCJ-02）", "en": "AMap (GCJ-02)"},
    "basemap.tianditu": {"zh": "天地图", "en": "Tianditu"},
    "kpi.target": {"zh": "目标户数", "en": "Target"},
    "kpi.surveyed": {"zh": "已排摸", "en": "Surveyed"},
    "kpi.installed": {"zh": "已安装", "en": "Installed"},
    "kpi.verified": {"zh": "已验收", "en": "Verified"},
    "kpi.completion": {"zh": "完成率", "en": "Completion"},
    "kpi.plan": {"zh": "计划应完成", "en": "Plan to date"},
    "kpi.vs_plan": {"zh": "较计划", "en": "vs plan"},
    "kpi.hazards_open": {"zh": "隐患未整改", "en": "Open hazards"},
    "kpi.gas_cut": {"zh": "停气中", "en": "Gas cut off"},
    "kpi.refused": {"zh": "拒绝安装", "en": "Refused"},
    "col.street_name": {"zh": "街道", "en": "Street"},
    "col.community_name": {"zh": "社区", "en": "Community"},
    "col.target": {"zh": "目标户数", "en": "Target"},
    "col.surveyed": {"zh": "已排摸", "en": "Surveyed"},
    "col.installed": {"zh": "已安装", "en": "Installed"},
    "col.verified": {"zh": "已验收", "en": "Verified"},
    "col.hazards_open": {"zh": "隐患未整改", "en": "Open hazards"},
    "col.gas_cut": {"zh": "停气中", "en": "Gas cut off"},
    "col.refused": {"zh": "拒绝安装", "en": "Refused"},
    "col.completion": {"zh": "完成率", "en": "Completion"},
    "col.plan": {"zh": "计划进度", "en": "Plan"},
    "col.plan_installed": {"zh": "计划应装户数", "en": "Planned installs"},
    "col.gap_to_plan": {"zh": "较计划（户）", "en": "vs plan (households)"},
    "col.vs_plan": {"zh": "较计划", "en": "vs plan"},
    "legend.title": {"zh": "安装完成率", "en": "Completion"},
    "legend.behind": {"zh": "落后于计划", "en": "Behind plan"},
    "legend.no_data": {"zh": "无目标户", "en": "No households"},
    "legend.gap_title": {"zh": "较计划（占目标户数）", "en": "vs plan (share of target)"},
    "legend.on_plan": {"zh": "达到或超过计划", "en": "On or ahead of plan"},
    "page.fire_risk": {"zh": "火灾风险", "en": "Fire risk"},
    "page.batch": {"zh": "批次", "en": "Batches"},
    "fire.meaning": {
        "zh": "热点是指老人平均火灾风险分连同周边一起显著高于全区随机分布所能解释的地方——"
        "看的是风险高低而不是人数多少，人多的地方不一定是热点。",
        "en": "A hotspot is a place whose elderly households' mean fire-risk score, together with "
        "its neighbours', is higher than chance would explain: risk, not head count.",
    },
    "fire.as_of": {"zh": "统计日期", "en": "As of"},
    "fire.level": {"zh": "分析单元", "en": "Unit of analysis"},
    "fire.level.h3": {"zh": "H3 六边形网格", "en": "H3 hexagons"},
    "fire.level.community": {"zh": "社区", "en": "Communities"},
    "fire.street": {"zh": "街道（筛选走访清单）", "en": "Street (visit list filter)"},
    "fire.community": {"zh": "社区（筛选走访清单）", "en": "Community (visit list filter)"},
    "fire.all": {"zh": "全部", "en": "All"},
    "fire.kpi.households": {"zh": "登记老人", "en": "Registered"},
    "fire.kpi.mean": {"zh": "平均风险分", "en": "Mean score"},
    "fire.kpi.hot_units": {"zh": "热点单元（≥95%）", "en": "Hotspot units (≥95%)"},
    "fire.kpi.hot_households": {"zh": "热点内老人", "en": "In hotspots"},
    "fire.map.count": {"zh": "原始户数（人多≠风险高）", "en": "Raw counts"},
    "fire.map.hotspot": {"zh": "Gi* 热点与冷点（FDR 校正）", "en": "Gi* hot and cold spots (FDR)"},
    "fire.legend.count": {"zh": "登记老人（户）", "en": "Households"},
    "fire.legend.hotspot": {"zh": "风险热点（置信度）", "en": "Hotspots (confidence)"},
    "fire.legend.suppressed": {
        "zh": "不足 5 户的单元不显示",
        "en": "Units with fewer than 5 households are hidden",
    },
    "fire.cls.hot_99": {"zh": "热点 99%", "en": "Hot 99%"},
    "fire.cls.hot_95": {"zh": "热点 95%", "en": "Hot 95%"},
    "fire.cls.hot_90": {"zh": "热点 90%", "en": "Hot 90%"},
    "fire.cls.ns": {"zh": "不显著", "en": "Not significant"},
    "fire.cls.cold_90": {"zh": "冷点 90%", "en": "Cold 90%"},
    "fire.cls.cold_95": {"zh": "冷点 95%", "en": "Cold 95%"},
    "fire.cls.cold_99": {"zh": "冷点 99%", "en": "Cold 99%"},
    "fire.cls.too_few": {"zh": "不足 5 户", "en": "Under 5 households"},
    "fire.col.unit": {"zh": "单元", "en": "Unit"},
    "fire.col.households": {"zh": "户数", "en": "Households"},
    "fire.col.mean_score": {"zh": "平均风险分", "en": "Mean score"},
    "fire.col.p_adj": {"zh": "校正后 p", "en": "Adjusted p"},
    "fire.col.class": {"zh": "类别", "en": "Class"},
    "fire.hotspots": {"zh": "显著的热点与冷点", "en": "Significant hot and cold spots"},
    "fire.visits": {"zh": "走访清单（热点内优先，风险分从高到低）", "en": "Visit list"},
    "fire.visits.limit": {"zh": "显示户数", "en": "Rows"},
    "fire.visits.download": {"zh": "导出走访清单 Excel", "en": "Export visit list"},
    "fire.explain": {"zh": "风险分解释", "en": "Why this score"},
    "fire.explain.pick": {"zh": "选择住户", "en": "Household"},
    "fire.weights": {"zh": "风险权重", "en": "Risk weights"},
    "fire.weights.save": {"zh": "保存权重（记入审计日志）", "en": "Save weights (audited)"},
    "fire.monthly": {"zh": "月度统计表（玉溪镇附件格式）", "en": "Monthly statistics table"},
    "fire.monthly.month": {"zh": "月份", "en": "Month"},
    "fire.monthly.download": {"zh": "下载月度统计表 Excel", "en": "Download monthly table"},
    "export.sheet_about": {"zh": "说明", "en": "About"},
    # 周报 (weekly briefing) and 逾期 (overdue)
    "page.weekly": {"zh": "周报", "en": "Weekly briefing"},
    "page.overdue": {"zh": "逾期", "en": "Overdue"},
    "weekly.as_of": {"zh": "统计日期（周五）", "en": "As of (Friday)"},
    "weekly.as_of_help": {
        "zh": "只计入该日结束前已录入系统的记录：选过去的周五，可原样重现当周通报。",
        "en": "Counts only records in Anju by the end of that day: a past Friday shows that week's bulletin.",
    },
    "weekly.kpi.target": {"zh": "目标户数", "en": "Target"},
    "weekly.kpi.surveyed": {"zh": "已排摸", "en": "Surveyed"},
    "weekly.kpi.installed": {"zh": "已安装", "en": "Installed"},
    "weekly.kpi.verified": {"zh": "已验收", "en": "Verified"},
    "weekly.kpi.completion": {"zh": "完成率", "en": "Completion"},
    "weekly.kpi.plan": {"zh": "计划进度", "en": "Plan"},
    "weekly.kpi.gap_to_plan": {"zh": "较计划（户）", "en": "vs plan (households)"},
    "weekly.kpi.hazards_open": {"zh": "隐患未整改（户）", "en": "Open hazards"},
    "weekly.kpi.gas_cut": {"zh": "停气中（户）", "en": "Gas cut off"},
    "weekly.kpi.refused": {"zh": "拒绝安装（户）", "en": "Refused"},
    "weekly.kpi.help": {
        "zh": "箭头为较上周同日（7天前）的变化",
        "en": "Change since 7 days earlier",
    },
    "weekly.burnup": {"zh": "安装进度与预测", "en": "Progress and projection"},
    "weekly.ranking": {"zh": "街镇排名", "en": "Street ranking"},
    "weekly.ranking_week": {"zh": "本周排名", "en": "This week"},
    "weekly.ranking_month": {"zh": "月排名", "en": "Monthly ranking"},
    "weekly.ranking_help": {
        "zh": "按完成率排名；较计划为已安装减计划应完成户数（负数为落后）；较上周、较上月为名次变化"
        "（↑上升 ↓下降，上月指上月末排名）；隐患整改率 = 已整改 ÷ 已发现。",
        "en": "Ranked by completion; rank change since last week and since last month's end.",
    },
    "weekly.multiples": {"zh": "各街镇进度", "en": "Progress by street"},
    "weekly.downloads": {"zh": "下载周通报", "en": "Download the bulletin"},
    "overdue.as_of": {"zh": "统计日期", "en": "As of"},
    "overdue.regions": {
        "zh": "落后于计划的街镇和社区",
        "en": "Streets and communities behind plan",
    },
    "overdue.hazards": {"zh": "隐患逾期未整改", "en": "Hazards past due"},
    "overdue.gas_cuts": {"zh": "停气超期 / 恢复供气超时", "en": "Gas cut-offs"},
    "overdue.installs": {"zh": "排摸后未安装", "en": "Surveyed, not installed"},
    "overdue.batches": {"zh": "批次未确认", "en": "Batches not confirmed"},
    "overdue.reports": {"zh": "确认表未按时报送", "en": "Monthly report late"},
    "overdue.warranties": {"zh": "质保即将到期", "en": "Warranty ending"},
    # issue 16
    "page.settlement": {"zh": "资金结算", "en": "Settlement"},
    "acceptance.title": {"zh": "月度验收（街道上报 / 区审核）", "en": "Monthly acceptance"},
    "acceptance.month": {"zh": "月份", "en": "Month"},
    "acceptance.street": {"zh": "街道", "en": "Street"},
    "acceptance.action": {"zh": "操作", "en": "Action"},
    "acceptance.reason": {"zh": "原因（退回、重开必填）", "en": "Reason (return, reopen)"},
    "acceptance.go": {"zh": "确认", "en": "Confirm"},
    "overdue.spot_checks": {"zh": "抽查不合格待复查", "en": "Failed spot checks awaiting re-check"},
    # issue 11
    "weekly.basis": {"zh": "统计口径", "en": "Counting basis"},
    "weekly.basis_business": {"zh": "按业务日期（含补录）", "en": "By business date"},
    "weekly.basis_as_published": {"zh": "按当日已录入（当时口径）", "en": "As known that day"},
    "weekly.basis_issue": {"zh": "已发布的周通报", "en": "Published issues"},
    "weekly.basis_help": {
        "zh": "按业务日期：安装、走访等按发生日期统计，事后补录的也计入；"
        "当时口径：只计入统计日当天结束前已录入系统的记录；已发布：按发布时已录入的记录原样重现。",
        "en": "Business date counts late records on their own dates; the other two re-show what "
        "was known then.",
    },
    "weekly.issue": {"zh": "期号", "en": "Issue"},
    "weekly.no_issues": {
        "zh": "本项目尚未发布周通报。选择“按业务日期”后可将当前周通报发布为第1期。",
        "en": "No bulletin has been published yet.",
    },
    "weekly.publish": {"zh": "发布为新一期周通报", "en": "Publish as a new issue"},
    "overdue.report_late": {"zh": "{report}未按时报送", "en": "{report} late"},
    "page.programme_settings": {"zh": "项目设置", "en": "Programme settings"},
    "empty.no_streets": {
        "zh": "本项目还没有街道（镇/苏木）边界。请管理员在“数据导入”页导入边界文件"
        "（或命令行 anju import boundaries 文件 --programme 项目编号），导入后本页即显示。",
        "en": "This programme has no street boundaries yet: import them on the import page.",
    },
    "empty.no_streets_in_scope": {
        "zh": "您的账号所属街道不在本项目的街道（镇/苏木）中，本页没有可显示的数据。"
        "请在侧栏切换项目，或联系管理员调整账号范围。",
        "en": "Your street is not part of this programme: switch programme in the sidebar.",
    },
    "empty.no_households": {
        "zh": "本项目还没有住户。请在“数据导入”页导入花名册"
        "（或命令行 anju import households 文件 --programme 项目编号），导入后本页即显示。",
        "en": "This programme has no households yet: import the roster on the import page.",
    },
    # issue 13
    "page.devices": {"zh": "设备状态", "en": "Device health"},
    "page.service": {"zh": "服务保障", "en": "Service continuity"},
    "overdue.service": {"zh": "服务事件超时未办结", "en": "Service events overdue"},
    # issue 12
    "page.field": {"zh": "入户登记", "en": "Field visits"},
    "field.search": {
        "zh": "户号、姓名、地址或手机号后四位",
        "en": "Household no., name, address or phone last 4",
    },
    "field.today": {"zh": "今日走访清单", "en": "Today's visit list"},
    "field.none_today": {
        "zh": "今天没有已下发批次的走访安排。",
        "en": "No crew-day of a sent batch today.",
    },
    "field.record": {"zh": "登记", "en": "Record"},
    "field.timeline": {"zh": "时间线", "en": "Timeline"},
    "field.devices": {"zh": "设备", "en": "Devices"},
    "field.risk": {"zh": "风险因素", "en": "Risk factors"},
    "field.withdraw": {"zh": "撤回登记", "en": "Withdraw an entry"},
    "field.saved": {
        "zh": "已登记（编号 {id}），各页统计已更新。",
        "en": "Recorded (no. {id}); every page counts it now.",
    },
}


def t(key: str, lang: str = "zh") -> str:
    """The label for `key` in `lang`, falling back to Chinese, then to the key itself."""
    entry = LABELS.get(key)
    if entry is None:
        return key
    return entry.get(lang) or entry["zh"]
