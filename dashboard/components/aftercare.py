"""Pieces of the 设备状态 and 服务保障 pages: community maps and tables, with headers
and interface words in the user's language (the Excel exports keep Chinese)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import streamlit as st

from dashboard import assets, context, db, exports
from dashboard.components import geojson, pager, risk_map
from dashboard.components.coverage_map import LEGEND_PX, _Decorations, _swatch
from dashboard.components.risk_map import CLASS_COLOURS
from dashboard.i18n import LABELS, t
from data.events import devices
from geo import hotspots
from geo.boundaries import simplify_for_display

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


def _legend(title: str, bins: tuple, colours: tuple, unit: str, lang: str) -> str:
    uppers = [*bins[1:], None]
    rows = [f"<b>{title}</b>"]
    for lo, hi, c in zip(bins, uppers, colours, strict=True):
        rows.append(_swatch(f"background:{c}", f"{lo}–{hi}{unit}" if hi else f"≥{lo}{unit}"))
    few = t("devices.legend.few", lang).format(n=hotspots.MIN_COUNT)
    rows.append(_swatch(f"background:{GREY}", few))
    return "<br>".join(rows)


def col(column: str, lang: str) -> str:
    """A column header or tooltip alias on screen."""
    return t(f"aftercare.col.{column}", lang)


def _aliases(columns: list[str], lang: str) -> dict[str, str]:
    return {c: col(c, lang) for c in columns}


def _named(prefix: str, value: object, lang: str) -> object:
    # A stored Chinese value (kind, source, standard) in `lang`; other values as recorded.
    key = f"{prefix}.{value}"
    return t(key, lang) if isinstance(value, str) and key in LABELS else value


def kind_label(kind: object, lang: str) -> object:
    """A service-event kind (stored in Chinese, seed 003) in `lang`."""
    return _named("service.kind", kind, lang)


def source_label(source: object, lang: str) -> object:
    """Where a service event came from (热线, 网格, 平台, 其他) in `lang`."""
    return _named("service.source", source, lang)


def class_label(cls: object, lang: str) -> str:
    """A Gi* class: the hotspot module's Chinese words, the fire-risk page's English ones."""
    if lang == "zh" or f"fire.cls.{cls}" not in LABELS:
        return hotspots.CLASS_LABELS.get(cls, str(cls))
    return t(f"fire.cls.{cls}", lang)


def community_maps(
    shapes: pd.DataFrame,
    values: pd.DataFrame,
    fields: dict[str, str],
    styles: list[tuple[list[str], str]],
    outline: gpd.GeoDataFrame,
    credit: str,
) -> list[folium.Map]:
    """One map per (fill, legend) in `styles`: communities filled by `fill` (one colour per row
    of `values`), tooltip `fields` (column → alias), district outline, legend, credit line.

    The maps share one simplified geometry and one GeoJSON: at city scale (6,000 communities)
    building them is most of a page's first run.
    """
    geoms = dict(
        zip(
            shapes["region_id"],
            shapely.from_wkb([bytes(b) for b in shapes["geom_wkb"]]),
            strict=True,
        )
    )
    keep = np.array([c in geoms for c in values["community_id"]], dtype=bool)
    shown = values[keep].reset_index(drop=True)
    feats = gpd.GeoDataFrame(
        shown[list(fields)].astype(str),
        geometry=simplify_for_display([geoms[c] for c in shown["community_id"]]),
        crs="EPSG:4326",
    )
    collection = geojson.feature_collection(feats)
    lines = geojson.feature_collection(outline) if not outline.empty else None
    minx, miny, maxx, maxy = (outline if not outline.empty else feats).total_bounds
    maps = []
    for fill, legend in styles:
        m = assets.offline_map()
        if lines is not None:
            risk_map.add_outline(m, lines)
        if not feats.empty:
            colours = np.asarray(fill, dtype=object)[keep]
            risk_map.add_units(
                m, geojson.with_property(collection, "_fill", colours), "_fill", fields
            )
        m.fit_bounds([[miny, minx], [maxy, maxx]], padding_bottom_right=(LEGEND_PX, 0))
        _Decorations(prefix=f"Leaflet | {credit}", legend_html=legend).add_to(m)
        maps.append(m)
    return maps


def health_map(
    shapes: pd.DataFrame,
    by_comm: pd.DataFrame,
    outline: gpd.GeoDataFrame,
    lang: str,
    credit: str,
) -> folium.Map:
    """Communities coloured by the share of their devices not online."""
    big = by_comm["devices"] >= hotspots.MIN_COUNT
    values = by_comm.assign(
        pct_text=by_comm["not_online_pct"].map(lambda v: f"{v:.1f}%").where(big, "—")
    )
    fill = [
        _bin(p, PCT_BINS, PCT_COLOURS) if ok else GREY
        for p, ok in zip(values["not_online_pct"], big, strict=True)
    ]
    fields = _aliases(["community_name", "street_name", "devices", "pct_text"], lang)
    legend = _legend(t("devices.legend.pct", lang), PCT_BINS, PCT_COLOURS, "%", lang)
    return community_maps(shapes, values, fields, [(fill, legend)], outline, credit)[0]


def service_maps(
    shapes: pd.DataFrame,
    spots: pd.DataFrame,
    outline: gpd.GeoDataFrame,
    lang: str,
    credit: str,
) -> tuple[folium.Map, folium.Map]:
    """(rate map, Gi* map) of service events per 1,000 households by community."""
    big = spots["households"] >= hotspots.MIN_COUNT
    values = spots.assign(
        rate_text=spots["per_1000"]
        .map(lambda v: "—" if pd.isna(v) else f"{v:.0f}")
        .where(big, "—"),
        class_text=spots["cls"].map(lambda c: class_label(c, lang)),
        z_text=spots["z"].map(lambda v: "—" if pd.isna(v) else f"{v:.2f}"),
    )
    fields = _aliases(
        ["community_name", "street_name", "events", "rate_text", "class_text", "z_text"], lang
    )
    rate_fill = [
        _bin(v, RATE_BINS, RATE_COLOURS) if ok else GREY
        for v, ok in zip(values["per_1000"], big, strict=True)
    ]
    class_fill = [CLASS_COLOURS.get(c, GREY) for c in values["cls"]]
    gi_legend = "<br>".join(
        [f"<b>{t('service.legend.gi', lang)}</b>"]
        + [_swatch(f"background:{c}", class_label(k, lang)) for k, c in CLASS_COLOURS.items()]
    )
    rate_legend = _legend(t("service.legend.rate", lang), RATE_BINS, RATE_COLOURS, "", lang)
    rate, gi = community_maps(
        shapes, values, fields, [(rate_fill, rate_legend), (class_fill, gi_legend)], outline, credit
    )
    return rate, gi


# Which device in which household: the same columns, in this order, in the device and alarm lists
_DEVICE_AT = ["serial", "street_name", "community_name", "name", "phone", "address"]
DEVICE_COLUMNS = [
    *_DEVICE_AT,
    "device_name",
    "installer",
    "batch_id",
    "installed_on",
    "status_text",
    "reason",
    "last_event_at",
    "last_event_text",
    "hours_silent",
    "alarms",
    "warranty_until",
]
ALARM_COLUMNS = [
    "alarm_at",
    *_DEVICE_AT,
    "handled_at",
    "minutes_to_handle",
    "note",
]
SERVICE_COLUMNS = [
    "event_id",
    "kind",
    "reported_at",
    "responded_at",
    "resolved_at",
    "street_name",
    "community_name",
    "address",
    "source",
    "handler",
    "outcome",
    "response_due",
    "resolution_due",
    "hours_overdue",
]
# The reasons data.events.devices.revisit joins with 、, each in the catalogue.
_WHY = {
    "安装后从未上报": "devices.why.never",
    "已拆除": "devices.why.removed",
    "平台报告离线": "devices.why.offline",
    "报警未处置": "devices.why.alarm_open",
    "低电量": "devices.why.low_battery",
    "故障": "devices.why.fault",
}
_SILENT = re.compile(r"^超过 (?P<hours>\S+) 小时无上报$")


def _times(frame: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    out = frame.copy()
    for c in cols:
        if c in out:
            out[c] = pd.to_datetime(out[c]).dt.strftime("%Y-%m-%d %H:%M").fillna("")
    return out


def revisit_reason(text: str, lang: str) -> str:
    """A revisit reason ("平台报告离线、低电量") in `lang`."""
    if lang == "zh" or not isinstance(text, str):
        return text
    parts = []
    for part in text.split("、"):
        silent = _SILENT.match(part)
        if silent:
            parts.append(t("devices.why.silent", lang).format(hours=silent["hours"]))
        else:
            parts.append(t(_WHY[part], lang) if part in _WHY else part)
    return t("aftercare.sep", lang).join(parts)


def device_table(
    frame: pd.DataFrame,
    page: str,
    lang: str = "zh",
    present: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """Devices as this user may see them (masked unless unmasked), headers in `lang`
    (Chinese for the Excel export); `present` (context.presenter) off the script thread."""
    out = _times(frame, ["last_event_at"]).assign(
        status_text=frame["status"].map(lambda s: t(f"devices.status.{s}", lang)),
        last_event_text=frame["last_event_type"]
        .map(lambda e: t(f"devices.event.{e}", lang) if isinstance(e, str) else None)
        .fillna("—"),
        reason=frame.get("reason", pd.Series("", index=frame.index)).map(
            lambda r: revisit_reason(r, lang)
        ),
    )
    out["installed_on"] = pd.to_datetime(out["installed_on"]).dt.strftime("%Y-%m-%d")
    out["warranty_until"] = pd.to_datetime(out["warranty_until"]).dt.strftime("%Y-%m-%d")
    shown = out[DEVICE_COLUMNS]
    out = present(shown) if present else context.present_people(shown, page)
    return out.rename(columns=_aliases(DEVICE_COLUMNS, lang))


# The visit list is searched and cut into pages in SQL (~51,000 devices at a million
# households); the Excel export builds the whole list only when clicked.
REVISIT_PAGE_ROWS = pager.ROWS


def revisit_page(
    pid: str,
    as_of: date,
    scope: list[str] | None,
    page: str,
    export_as: tuple[str, dict],
    lang: str,
) -> tuple[pd.DataFrame, int, int, Callable[[], bytes]]:
    """Search box and page picker for the devices to visit; return (this page's devices with
    their reasons, in the list's order; the whole list's length; the page number;
    the builder of the whole list's workbook, in Chinese: `export_as` is (sheet, 说明))."""
    params = {"programme_id": pid, "as_of": as_of}
    left, right = st.columns([3, 1])
    search = (
        left.text_input(
            t("devices.search", lang), key="devices_revisit_search", max_chars=50
        ).strip()
        or None
    )
    key = "devices_revisit_pageno"

    def cut(number: int) -> pd.DataFrame:
        return db.query(
            "device_revisit_page",
            scope=scope,
            **params,
            search=search,
            limit=REVISIT_PAGE_ROWS,
            offset=(number - 1) * REVISIT_PAGE_ROWS,
        )

    # One query gives the page and the list's length, before the picker is drawn.
    number, rows = pager.fetch(key, cut)
    total = int(rows["total_rows"].iloc[0]) if len(rows) else 0
    pager.picker(key, total, REVISIT_PAGE_ROWS, lang, right)
    # Decided now, on this script run: the export runs on its own thread when clicked.
    present, whole = context.presenter(page), db.later("device_revisit", scope=scope, **params)

    def export() -> bytes:
        table = device_table(devices.revisit(whole()), page, present=present)
        return exports.excel_bytes(table, *export_as)

    return devices.revisit(rows.drop(columns="total_rows")), total, number, export


def alarm_table(frame: pd.DataFrame, page: str, lang: str) -> pd.DataFrame:
    """Alarms, newest first, masked unless unmasked; open alarms say so."""
    out = _times(frame, ["alarm_at", "handled_at"])
    out["handled_at"] = out["handled_at"].replace("", t("devices.not_handled", lang))
    out = context.present_people(out[ALARM_COLUMNS], page)
    return out.rename(columns=_aliases(ALARM_COLUMNS, lang))


def group_table(table: pd.DataFrame, group: str, lang: str) -> pd.DataFrame:
    """A by-street / installer / batch table, headers and the blank group's name in `lang`."""
    key = devices.GROUPS[group]
    blank = t(f"devices.blank.{group}", lang)
    out = table.assign(**{key: table[key].replace(devices.BLANK[group], blank)})
    return out.rename(columns=_aliases(list(out.columns), lang))


def service_table(frame: pd.DataFrame, page: str, lang: str = "zh") -> pd.DataFrame:
    """Service events, headers and kinds in `lang` (Chinese for the Excel export), addresses
    masked unless unmasked."""
    out = _times(
        frame, ["reported_at", "responded_at", "resolved_at", "response_due", "resolution_due"]
    )
    out["kind"] = out["kind"].map(lambda k: kind_label(k, lang))
    out["source"] = out["source"].map(lambda s: source_label(s, lang))
    out = context.present_people(out[SERVICE_COLUMNS], page)
    return out.rename(columns=_aliases(SERVICE_COLUMNS, lang))


def kind_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Timeliness by kind, headers, kinds and Anju's own standard sources in `lang`; where
    each standard comes from is the last column (the caption under the table says so)."""
    last = [c for c in table.columns if c != "standard_source"] + ["standard_source"]
    out = table[last].assign(
        kind=table["kind"].map(lambda k: kind_label(k, lang)),
        standard_source=table["standard_source"].map(lambda s: _named("service.standard", s, lang)),
    )
    return out.rename(columns=_aliases(list(out.columns), lang))
