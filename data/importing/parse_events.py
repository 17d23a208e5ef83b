"""Cell parsers for device and service events: times, event types, kinds, sources, serials.

Each returns the value or raises ValueError with a Chinese reason (see data.importing.parse).
Times are Beijing time; a value carrying a UTC offset is converted to Beijing time.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from data.importing import parse

_BEIJING = timezone(timedelta(hours=8))  # China has no daylight saving time
_EXCEL_EPOCH = datetime(1899, 12, 30)
_TIME = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[\sT]*(\d{1,2})\s*[:：时点]\s*(\d{1,2})\s*分?\s*(?:[:：]?\s*(\d{1,2}(?:\.\d+)?)\s*秒?)?)?\s*$"
)
MAX_SERIAL = 64

EVENT_TYPES = {  # stored code → Chinese label
    "heartbeat": "心跳/在线",
    "offline": "离线",
    "alarm": "报警",
    "low_battery": "低电量",
    "fault": "故障",
    "removed": "拆除",
}
_EVENT_ALIASES = {
    "heartbeat": ("心跳", "在线", "上线", "心跳/在线", "正常", "恢复", "恢复在线", "heartbeat"),
    "offline": ("离线", "掉线", "下线", "offline"),
    "alarm": ("报警", "告警", "燃气泄漏报警", "泄漏报警", "浓度报警", "alarm"),
    "low_battery": ("低电量", "低电", "电量低", "电池欠压", "欠压", "low_battery"),
    "fault": ("故障", "传感器故障", "设备故障", "fault"),
    "removed": ("拆除", "已拆除", "拆机", "removed"),
}

SERVICE_KINDS = (
    "热线咨询",
    "报修",
    "抢修",
    "缴费/IC卡",
    "液化气配送",
    "复工安检",
    "事故/险情",
    "其他",
)
_KIND_ALIASES = {
    "热线咨询": ("咨询", "热线", "热线咨询", "来电咨询", "投诉咨询"),
    "报修": ("报修", "维修", "故障报修", "表具维修"),
    "抢修": ("抢修", "抢险", "应急抢修", "漏气抢修", "管道漏气"),
    "缴费/IC卡": ("缴费", "充值", "IC卡", "ic卡", "缴费/IC卡", "IC卡充值", "线上缴费", "口袋充"),
    "液化气配送": ("液化气配送", "配送", "送气", "钢瓶配送", "液化气", "瓶装气配送"),
    "复工安检": ("复工安检", "复工", "复产", "复工复产安检", "安检", "工商户安检"),
    "事故/险情": ("事故", "险情", "事故/险情", "突发事件", "燃气事故"),
    "其他": ("其他", "其它"),
}
_SOURCE_ALIASES = {
    "热线": ("热线", "电话", "12345", "962777", "来电", "燃气热线"),
    "网格": ("网格", "网格员", "社区", "居委"),
    "平台": ("平台", "报警平台", "物联网平台", "线上", "app", "微信", "公众号"),
    "其他": ("其他", "其它"),
}


def _lookup(aliases: dict[str, tuple[str, ...]], value: object, what: str, shown) -> str | None:
    t = parse.norm_key(value)
    if not t:
        return None
    for code, names in aliases.items():
        if t in {parse.norm_key(n) for n in names}:
            return code
    for code, names in aliases.items():  # "燃气泄漏报警（高浓度）" and the like
        if any(len(parse.norm_key(n)) >= 2 and parse.norm_key(n) in t for n in names):
            return code
    raise ValueError(f"「{parse.text(value)}」不是可识别的{what}（可填：{'、'.join(shown)}）")


def to_event_type(value: object) -> str | None:
    """心跳/在线, 离线, 报警, 低电量, 故障, 拆除 (and common platform spellings) → code."""
    return _lookup(_EVENT_ALIASES, value, "事件类型", EVENT_TYPES.values())


def to_service_kind(value: object) -> str | None:
    """One of the eight service-event kinds of seed 003."""
    return _lookup(_KIND_ALIASES, value, "事件类别", SERVICE_KINDS)


def to_source(value: object) -> str | None:
    """热线, 网格, 平台 or 其他."""
    return _lookup(_SOURCE_ALIASES, value, "来源", _SOURCE_ALIASES)


def serial(value: object) -> str | None:
    """A device serial (设备编号/IMEI) as stored: half-width, no spaces, upper case."""
    t = parse.text(value)
    if t is None:
        return None
    t = re.sub(r"\s", "", t).upper()
    if len(t) > MAX_SERIAL or not re.fullmatch(r"[0-9A-Z\-_.:/]+", t):
        raise ValueError(f"设备编号「{t[:MAX_SERIAL]}」含有不允许的字符或过长")
    return t


def to_serials(value: object) -> str | None:
    """Several serials in one cell, separated by ； ; / , 、 or spaces → 'A,B' (order kept)."""
    t = parse.text(value)
    if t is None:
        return None
    parts = [p for p in re.split(r"[;；/,，、\s]+", t) if p]
    out: list[str] = []
    for p in parts:
        s = serial(p)
        if s and s not in out:
            out.append(s)
    return ",".join(out) or None


def to_datetime(value: object) -> datetime | None:
    """Excel date-times, 2023-07-14 08:30[:00], 2023/7/14 8:30, 2023年7月14日8时30分, ISO with offset."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(_BEIJING).replace(tzinfo=None)
        return value.replace(microsecond=0)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return (_EXCEL_EPOCH + timedelta(days=float(value))).replace(microsecond=0)
        raise ValueError(f"「{value}」不是时间")
    t = parse.text(value) or ""
    if re.fullmatch(r"\d{14}", t):
        t = f"{t[:4]}-{t[4:6]}-{t[6:8]} {t[8:10]}:{t[10:12]}:{t[12:]}"
    if re.search(r"T.*([+-]\d{2}:?\d{2}|Z)$", t):
        try:
            return to_datetime(datetime.fromisoformat(t.replace("Z", "+00:00")))
        except ValueError:
            pass
    m = _TIME.match(t)
    if not m:
        raise ValueError(f"「{t}」不是时间（可写 2023-07-14 08:30、2023/7/14 8:30:00）")
    try:
        sec = float(m[6] or 0)
        return datetime(int(m[1]), int(m[2]), int(m[3]), int(m[4] or 0), int(m[5] or 0), int(sec))
    except ValueError as exc:
        raise ValueError(f"「{t}」不是有效时间") from exc
