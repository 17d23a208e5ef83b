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
    "export.sheet_about": {"zh": "说明", "en": "About"},
}


def t(key: str, lang: str = "zh") -> str:
    """The label for `key` in `lang`, falling back to Chinese, then to the key itself."""
    entry = LABELS.get(key)
    if entry is None:
        return key
    return entry.get(lang) or entry["zh"]
