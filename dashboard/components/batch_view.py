"""Pieces of the 批次 page: the month calendar, the plan map and the display tables."""

from __future__ import annotations

import calendar
import html
from datetime import date

import folium
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from dashboard import assets
from dashboard.components.coverage_map import outline_frame
from data import batches, workdays

# Crew-days cycle through these (ColorBrewer Paired + Dark2): neighbours on the map differ.
PALETTE = (
    "#1f78b4",
    "#e31a1c",
    "#33a02c",
    "#ff7f00",
    "#6a3d9a",
    "#b15928",
    "#a6cee3",
    "#fb9a99",
    "#b2df8a",
    "#fdbf6f",
    "#cab2d6",
    "#1b9e77",
    "#d95f02",
    "#7570b3",
    "#e7298a",
    "#66a61e",
)
WEEKDAYS = ("一", "二", "三", "四", "五", "六", "日")
KIND_LABEL = {"workday": "", "makeup": "调休上班", "holiday": "节假日", "weekend": "休息"}


def calendar_frame(month: str, per_day: pd.Series | None = None) -> pd.DataFrame:
    """The month as a Monday-first grid: each cell 'day 说明 · N户' (N planned that day)."""
    year, mon = workdays.parse_month(month)
    counts = {} if per_day is None else {pd.Timestamp(k).date(): int(v) for k, v in per_day.items()}
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, mon):
        row = []
        for d in week:
            if d.month != mon:
                row.append("")
                continue
            kind = workdays.day_kind(d)
            text = f"{d.day}日"
            if KIND_LABEL[kind]:
                text += f" {KIND_LABEL[kind]}"
            if counts.get(d):
                text += f" · {counts[d]}户"
            row.append(text)
        weeks.append(row)
    return pd.DataFrame(weeks, columns=[f"周{w}" for w in WEEKDAYS])


def slot_colours(items: pd.DataFrame) -> dict[tuple, str]:
    """A colour per (day, crew), in date order."""
    slots = items[["day", "crew"]].drop_duplicates().sort_values(["day", "crew"])
    return {
        (pd.Timestamp(d).date(), int(c)): PALETTE[i % len(PALETTE)]
        for i, (d, c) in enumerate(slots.itertuples(index=False))
    }


class _Prefix(MacroElement):
    """Leaflet's attribution prefix without its default flag link, plus a metric scale bar."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.attributionControl.setPrefix({{ this.prefix|tojson }});
        L.control.scale({imperial: false}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self._name = "AnjuPrefix"
        self.prefix = prefix


def plan_map(
    items: pd.DataFrame,
    streets: pd.DataFrame,
    communities: pd.DataFrame,
    attribution: str = "",
) -> folium.Map:
    """Households coloured by crew-day, each crew-day's route as a line, street and community outlines.

    `items` has lon, lat, day, crew, seq, community_name; shapes are region_shapes rows (WKB).
    Leaflet is served locally (dashboard.assets): the map works with no internet.
    """
    m = assets.offline_map()
    for shapes, style in (
        (communities, {"fill": False, "color": "#888", "weight": 1, "dashArray": "3 3"}),
        (streets, {"fill": False, "color": "#333", "weight": 2.5}),
    ):
        if not shapes.empty:
            folium.GeoJson(
                outline_frame(shapes).__geo_interface__,
                style_function=lambda _, s=style: s,
                tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
            ).add_to(m)
    colours = slot_colours(items)
    for (day, crew), g in items.sort_values("seq").groupby(["day", "crew"], sort=True):
        key = (pd.Timestamp(day).date(), int(crew))
        colour = colours[key]
        label = f"{key[0].month}月{key[0].day}日 第{crew}组"
        points = list(zip(g["lat"], g["lon"], strict=True))
        if len(points) > 1:
            folium.PolyLine(points, color=colour, weight=2.5, opacity=0.8, tooltip=label).add_to(m)
        for rec in g.itertuples(index=False):
            folium.CircleMarker(
                [rec.lat, rec.lon],
                radius=5,
                color="#222",
                weight=1,
                fill=True,
                fill_color=colour,
                fill_opacity=0.95,
                tooltip=f"{label} · 第{rec.seq}户 · {html.escape(rec.community_name or '')}",
            ).add_to(m)
    if len(items):
        m.fit_bounds(
            [[items["lat"].min(), items["lon"].min()], [items["lat"].max(), items["lon"].max()]]
        )
    elif not streets.empty:
        minx, miny, maxx, maxy = outline_frame(streets).total_bounds
        m.fit_bounds([[miny, minx], [maxy, maxx]])
    _Prefix(f"Leaflet | {attribution}").add_to(m)
    return m


def items_table(items: pd.DataFrame) -> pd.DataFrame:
    """The plan as the page lists it (personal columns still to be masked by the caller)."""
    out = items.sort_values(["day", "crew", "seq"])
    table = pd.DataFrame(
        {
            "计划日期": [pd.Timestamp(d).date() for d in out["day"]],
            "班组": out["crew"].astype(int).to_numpy(),
            "顺序": out["seq"].astype(int).to_numpy(),
            "列入理由": out["reason"].to_numpy(),
            "社区": out["community_name"].to_numpy(),
            "地址": out["address"].to_numpy(),
            "姓名": out["name"].to_numpy(),
            "联系电话": out["phone"].to_numpy(),
            "燃气类型": out["gas_type"].map(batches.GAS_TYPES).to_numpy(),
            "住户编号": out["household_id"].to_numpy(),
        }
    )
    if "done_on" in out:
        table["完成日期"] = [None if pd.isna(d) else pd.Timestamp(d).date() for d in out["done_on"]]
    return table


def held_back_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Refusals and gas cut-offs, with their hazard status: to be worked on, not scheduled."""
    return pd.DataFrame(
        {
            "住户编号": frame["household_id"].to_numpy(),
            "社区": frame["community_name"].to_numpy(),
            "地址": frame["address"].to_numpy(),
            "姓名": frame["name"].to_numpy(),
            "联系电话": frame["phone"].to_numpy(),
            "拒装": frame["refused"]
            .fillna(False)
            .astype(bool)
            .map({True: "是", False: ""})
            .to_numpy(),
            "停气中": frame["gas_cut"]
            .fillna(False)
            .astype(bool)
            .map({True: "是", False: ""})
            .to_numpy(),
            "隐患": [
                (k if isinstance(k, str) else "未整改") if h else "无未整改隐患"
                for h, k in zip(frame["hazard_open"], frame["hazard_kinds"], strict=True)
            ],
        }
    )


def progress_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Planned vs done per crew-day, for the page."""
    prog = batches.progress(frame)
    return pd.DataFrame(
        {
            "计划日期": [pd.Timestamp(d).date() for d in prog["day"]],
            "班组": prog["crew"].astype(int),
            "计划户数": prog["planned"],
            "已完成": prog["done"],
            "完成率": [
                f"{d / p * 100:.0f}%" if p else "—"
                for d, p in zip(prog["done"], prog["planned"], strict=True)
            ],
        }
    )


def month_options(latest: date, ahead: int = 6) -> list[str]:
    """'YYYY-MM' from the month of the latest data to `ahead` months after it."""
    out = []
    y, m = latest.year, latest.month
    for _ in range(ahead + 1):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out
