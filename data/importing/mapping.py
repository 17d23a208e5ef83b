"""What each KIND imports: its fields, their Chinese column names (aliases) and parsers.

A column maps to a field when its normalised name equals an alias. Aliases written
"上级|下级" match a two-row header only under a parent containing 上级 (seed 004 has 姓名 and
联系电话 twice: the elderly person's, and under 帮扶人员 the helper's).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from data.importing import finance_parse as fp
from data.importing import parse, parse_events
from data.importing.read import SEP


@dataclass(frozen=True)
class Field:
    """One importable field: its column in the database, Chinese label, aliases and parser."""

    name: str
    label: str
    aliases: tuple[str, ...]
    parser: Callable[[object], object] = parse.text
    required: bool = False


def _f(name: str, label: str, *aliases: str, parser=parse.text, required=False) -> Field:
    return Field(name, label, (label, *aliases), parser, required)


# Columns that identify a household in every KIND (events refer to households by these).
_IDENT = [
    _f(
        "household_id", "户号", "住户编号", "用户编号", "用户号", "燃气户号", "编号", "household_id"
    ),
    _f(
        "name",
        "姓名",
        "户主姓名",
        "用户姓名",
        "老人姓名",
        "独居老人姓名",
        "户主",
        "用户名称",
        "单位名称",
        "名称",
    ),
    _f(
        "phone",
        "联系电话",
        "电话",
        "手机",
        "手机号",
        "手机号码",
        "电话号码",
        "联系方式",
        "独居老人基本信息|联系电话",
        parser=parse.to_phone,
    ),
    _f(
        "address",
        "地址",
        "家庭住址",
        "住址",
        "居住地址",
        "详细地址",
        "用户地址",
        "安装地址",
        "住所",
    ),
]

HOUSEHOLD_FIELDS = [
    *_IDENT,
    _f("street", "街道", "街道/镇", "街镇", "镇", "乡镇", "镇街", "苏木", "所属街道", "街道名称"),
    _f(
        "community",
        "社区",
        "居委",
        "居委会",
        "村",
        "村居",
        "社区/村",
        "村(社区)",
        "所属社区",
        "嘎查",
        "小区",
    ),
    _f("sex", "性别", parser=parse.to_sex),
    _f("id_card", "身份证号", "身份证号码", "公民身份号码", "身份证", parser=parse.to_id_card),
    _f("age", "年龄", "年龄(岁)", "岁数", parser=parse.to_int),
    _f("birth_year", "出生年月", "出生日期", "出生年份", "生日", parser=parse.to_year),
    _f("lives_alone", "是否独居", "独居", parser=parse.to_bool),
    _f(
        "gas_type", "燃气类型", "气种", "用气类型", "用气种类", "燃气种类", parser=parse.to_gas_type
    ),
    _f(
        "user_class",
        "用户类别",
        "用户类型",
        "行业",
        "行业类别",
        "用户性质",
        parser=parse.to_user_class,
    ),
    _f("lon", "经度", "lon", "lng", "longitude", "x", "x坐标", parser=parse.to_float),
    _f("lat", "纬度", "lat", "latitude", "y", "y坐标", parser=parse.to_float),
    _f("crs_in", "坐标系", "坐标类型", parser=parse.to_crs),
    _f("registered_on", "登记日期", "排摸日期", "建档日期", parser=parse.to_date),
    _f("smoker", "是否吸烟", "是否有吸烟抽烟情形", "吸烟", parser=parse.to_bool),
    _f("drinker", "是否饮酒", "是否有饮酒情形", "饮酒", parser=parse.to_bool),
    _f("building_nature", "建筑性质", "居住建筑性质", "房屋性质"),
    _f("floors", "楼层数", "层数", "居住建筑层数", "建筑层数", parser=parse.to_int),
    _f("build_year", "建成年代", "居住建筑建成年代", "建筑年代", "建成年份", parser=parse.to_year),
    _f("helper_name", "帮扶人姓名", "帮扶人", "帮扶|姓名", "一对一|姓名"),
    _f(
        "helper_type",
        "帮扶人类型",
        "帮扶|人员类型",
        "帮扶|人员类型(村(社区)干部/网格员/志愿者/其他)",
    ),
    _f("helper_phone", "帮扶人电话", "帮扶|联系电话", "一对一|联系电话", parser=parse.to_phone),
    _f(
        "has_smoke_detector",
        "感烟探测器",
        "是否安装联网型独立式感烟探测器",
        "烟感",
        parser=parse.to_bool,
    ),
    _f(
        "has_one_key_alarm",
        "一键报警",
        "是否安装一键报警器或视频监控",
        "一键报警器",
        parser=parse.to_bool,
    ),
    _f("has_rcd", "漏电保护", "是否安装三级漏电保护装置", parser=parse.to_bool),
    _f("has_gas_autoshutoff", "燃气自动切断", "是否安装燃气泄漏自动断阀装置", parser=parse.to_bool),
]

INSTALLATION_FIELDS = [
    *_IDENT,
    _f("device_type", "设备类型", "设备", "安装设备", "设备名称", "产品", required=True),
    _f("installed_on", "安装日期", "安装时间", "完工日期", parser=parse.to_date, required=True),
    _f("installer", "安装人", "安装人员", "安装单位", "施工单位"),
    _f("batch_id", "批次", "批次号"),
    _f("warranty_until", "质保到期", "质保截止", "保修到期", parser=parse.to_date),
    _f("signed_resident", "居民签字", "用户签字", "住户签字", parser=parse.to_bool),
    _f("signed_community", "社区签字", "社区书记签字", parser=parse.to_bool),
    _f("signed_grid", "网格员签字", parser=parse.to_bool),
    _f("signed_installer", "安装人员签字", "安装人签字", parser=parse.to_bool),
    _f("verified_on", "验收日期", "核验日期", "确认日期", parser=parse.to_date),
    _f("verified_by", "验收人", "核验人", "确认人"),
    # the devices' serial numbers, several in one cell allowed (；/, separated)
    _f(
        "device_serials",
        "设备编号",
        "设备序列号",
        "报警器编号",
        "IMEI",
        "设备IMEI",
        parser=parse_events.to_serials,
    ),
]

INSPECTION_FIELDS = [
    *_IDENT,
    _f(
        "visited_on",
        "安检日期",
        "入户日期",
        "检查日期",
        "走访日期",
        parser=parse.to_date,
        required=True,
    ),
    _f("outcome", "安检结果", "检查结果", "结果", parser=parse.to_outcome, required=True),
    _f("note", "备注", "说明"),
]

HAZARD_FIELDS = [
    *_IDENT,
    _f("hazard_id", "隐患编号", "隐患号"),
    _f("kind", "隐患类型", "隐患内容", "隐患", "隐患描述", required=True),
    _f("found_on", "发现日期", "发现时间", parser=parse.to_date, required=True),
    _f("due_on", "整改期限", "限期", parser=parse.to_date),
    _f("rectified_on", "整改日期", "整改完成日期", parser=parse.to_date),
    _f("gas_cut_on", "停气日期", parser=parse.to_date),
    _f("gas_restored_on", "复气日期", "恢复供气日期", parser=parse.to_date),
]

# spot-check results (抽查结果) and the gas company's confirmation table (确认表).
SPOT_CHECK_FIELDS = [
    *_IDENT,
    _f("checked_on", "抽查日期", "核验日期", "检查日期", parser=parse.to_date, required=True),
    _f("result", "抽查结果", "核验结果", "结果", "是否合格", parser=fp.to_result, required=True),
    _f("failed_items", "不合格项", "不合格项目", "问题", "存在问题"),
    _f("inspector", "抽查人", "核验人", "检查人", "抽查人员"),
    _f("note", "备注", "说明"),
    _f("photos", "照片", "照片文件", "附件"),
]

CONFIRMATION_FIELDS = [
    *_IDENT,
    _f("period", "月份", "确认月份", "所属月份", "统计月份", parser=fp.to_month, required=True),
    _f("street", "街道", "街镇", "街道/镇", "所属街道", "镇", "苏木"),
    _f("confirmed_count", "确认户数", "户数", "安装户数", "完成户数", parser=fp.to_count),
    _f("confirmed_on", "确认日期", "报送日期", "日期", parser=parse.to_date),
]

# the alarm platform's export and the hotline's export (seed 003)
DEVICE_EVENT_FIELDS = [
    _f(
        "serial",
        "设备编号",
        "IMEI",
        "设备IMEI",
        "设备序列号",
        "报警器编号",
        "终端编号",
        parser=parse_events.serial,
        required=True,
    ),
    _f(
        "event_type",
        "事件类型",
        "类型",
        "状态",
        "告警类型",
        "报警类型",
        "消息类型",
        parser=parse_events.to_event_type,
        required=True,
    ),
    _f(
        "event_at",
        "事件时间",
        "时间",
        "上报时间",
        "发生时间",
        "告警时间",
        "报警时间",
        parser=parse_events.to_datetime,
        required=True,
    ),
    _f("handled_at", "处置时间", "处理时间", "处置完成时间", parser=parse_events.to_datetime),
    _f("note", "备注", "说明", "处置结果"),
]

SERVICE_EVENT_FIELDS = [
    _f("event_id", "工单号", "工单编号", "事件编号", "受理编号", "流水号"),
    _f(
        "kind",
        "事件类别",
        "类别",
        "类型",
        "事件类型",
        "工单类型",
        "业务类型",
        "诉求类型",
        parser=parse_events.to_service_kind,
        required=True,
    ),
    _f(
        "reported_at",
        "报告时间",
        "来电时间",
        "受理时间",
        "接报时间",
        "报修时间",
        "登记时间",
        parser=parse_events.to_datetime,
        required=True,
    ),
    _f("occurred_at", "发生时间", "事发时间", parser=parse_events.to_datetime),
    _f(
        "responded_at",
        "响应时间",
        "到场时间",
        "接单时间",
        "到达时间",
        parser=parse_events.to_datetime,
    ),
    _f(
        "resolved_at",
        "办结时间",
        "完成时间",
        "处理完成时间",
        "解决时间",
        "结案时间",
        parser=parse_events.to_datetime,
    ),
    _f("household_id", "户号", "用户编号", "燃气户号", "用户号", "住户编号"),
    _f("address", "地址", "事发地址", "用户地址", "详细地址"),
    _f("street", "街道", "街道/镇", "街镇", "镇", "所属街道"),
    _f("community", "社区", "居委", "居委会", "村", "所属社区", "小区"),
    _f("lon", "经度", "lon", "lng", parser=parse.to_float),
    _f("lat", "纬度", "lat", parser=parse.to_float),
    _f("source", "来源", "渠道", "受理渠道", "信息来源", parser=parse_events.to_source),
    _f("handler", "处理人", "处理单位", "承办人", "承办单位", "处置人"),
    _f("outcome", "处理结果", "办理结果", "结果", "处置结果"),
    _f("description", "内容", "诉求内容", "事件描述", "问题描述", "情况描述"),
]

ADDRESS_POINT_FIELDS = [
    _f("point_id", "门牌编码", "楼栋编码", "门牌/楼栋编码", "地址编码", "标准地址编码", "code"),
    _f("address", "标准地址", "门牌地址", "标准地址名称", "地址", "详细地址"),
    _f("road", "路名", "道路名称", "街路巷", "街路巷名"),
    _f("lane", "弄", "弄号", "巷弄"),
    _f("number", "号", "门牌号", "楼号", "栋号"),
    _f("estate", "小区名称", "小区", "住宅小区", "新村"),
    _f("lon", "经度", "lon", "lng", "longitude", "x", "x坐标", parser=parse.to_float),
    _f("lat", "纬度", "lat", "latitude", "y", "y坐标", parser=parse.to_float),
    _f("crs_in", "坐标系", "坐标类型", parser=parse.to_crs),
]

FIELDS: dict[str, list[Field]] = {
    "households": HOUSEHOLD_FIELDS,
    "installations": INSTALLATION_FIELDS,
    "inspections": INSPECTION_FIELDS,
    "hazards": HAZARD_FIELDS,
    "spot_checks": SPOT_CHECK_FIELDS,
    "confirmations": CONFIRMATION_FIELDS,
    "device_events": DEVICE_EVENT_FIELDS,
    "service_events": SERVICE_EVENT_FIELDS,
    "address_points": ADDRESS_POINT_FIELDS,
}

KIND_LABELS = {
    "households": "住户花名册",
    "installations": "安装确认表",
    "inspections": "安检记录",
    "hazards": "隐患台账",
    "boundaries": "行政区划边界",
    "spot_checks": "抽查结果",
    "confirmations": "燃气公司确认表",
    "device_events": "报警器平台事件",
    "service_events": "燃气服务事件（热线工单）",
    "address_points": "标准地址库（门牌地址）",
}


def _key(text: str) -> str:
    return re.sub(r"[\s()（）:：*＊]|必填", "", parse.text(text) or "").lower()


@cache
def match(kind: str, column: str) -> str | None:
    """The field a column name maps to, or None. Two-row headers come as "上级»下级"."""
    parent, _, child = column.partition(SEP) if SEP in column else ("", "", column)
    whole, child_k, parent_k = _key(column), _key(child), _key(parent)
    fields = FIELDS[kind]
    if parent_k:  # context aliases first: 帮扶人员/姓名 is the helper, not the resident
        for f in fields:
            for a in f.aliases:
                if "|" in a:
                    p, c = a.split("|", 1)
                    if _key(p) in parent_k and _key(c) == child_k:
                        return f.name
    for candidate in (whole, child_k, parent_k):
        for f in fields:
            if candidate and candidate in {_key(a) for a in f.aliases if "|" not in a}:
                return f.name
    return None


def field_of(kind: str) -> Callable[[str], str | None]:
    """The field a column name maps to for this KIND (used to find the header row)."""
    return lambda column: match(kind, column)


def propose(kind: str, columns: list[str]) -> dict[str, str]:
    """Column → field for the known columns; the first column wins when two map to one field."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for col in columns:
        f = match(kind, col)
        if f and f not in taken:
            out[col] = f
            taken.add(f)
    return out


def labels(kind: str) -> dict[str, str]:
    """Field → Chinese label (the template's column names)."""
    return {f.name: f.label for f in FIELDS[kind]}
