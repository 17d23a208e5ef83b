"""Pieces of the 批次 page: the month calendar, the plan map and the display tables."""

from __future__ import annotations

import calendar
import html
import json
import re
from datetime import date

import folium
import pandas as pd
from branca.element import MacroElement
from jinja2 import Template

from dashboard import assets
from dashboard.components import geojson
from dashboard.components.coverage_map import outline_frame
from dashboard.i18n import t
from data import batches
from data.batches import ordering
from data.setup import workdays

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
KINDS_SHOWN = ("makeup", "holiday", "weekend")  # a working day carries no word
# data.batches words a proposal's order basis in Chinese; the page in the interface language.
_BASIS = {
    ordering.BY_ROUTE: "route",
    ordering.BY_ADDRESS: "address",
    ordering.UNVERIFIED: "unverified",
}


def calendar_frame(month: str, lang: str, per_day: pd.Series | None = None) -> pd.DataFrame:
    """The month as a Monday-first grid: each cell 'day kind · N' (N households planned that day)."""
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
            text = t("batch.cal.day", lang).format(d=d.day)
            if kind in KINDS_SHOWN:
                text += " " + t(f"batch.cal.{kind}", lang)
            if counts.get(d):
                text += t("batch.cal.count", lang).format(n=counts[d])
            row.append(text)
        weeks.append(row)
    names = t("batch.weekdays", lang).split(",")
    return pd.DataFrame(weeks, columns=[t("batch.weekday", lang).format(d=w) for w in names])


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
    lang: str = "zh",
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
                geojson.feature_collection(outline_frame(shapes)),
                style_function=lambda _, s=style: s,
                tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
            ).add_to(m)
    colours = slot_colours(items)
    # Households placed by community only have no point to draw; the table lists them.
    items = items[items["lon"].notna() & items["lat"].notna()]
    for (day, crew), g in items.sort_values("seq").groupby(["day", "crew"], sort=True):
        key = (pd.Timestamp(day).date(), int(crew))
        colour = colours[key]
        label = t("batch.slot", lang).format(
            m=key[0].month, d=key[0].day, date=key[0].isoformat(), crew=crew
        )
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
                tooltip=f"{label} · {t('batch.slot_seq', lang).format(seq=rec.seq)}"
                f" · {html.escape(rec.community_name or '')}",
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


def items_table(items: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The plan as the page lists it (personal columns still to be masked by the caller)."""
    out = items.sort_values(["day", "crew", "seq"])
    table = pd.DataFrame(
        {
            "day": [pd.Timestamp(d).date() for d in out["day"]],
            "crew": out["crew"].astype(int).to_numpy(),
            "seq": out["seq"].astype(int).to_numpy(),
            "reason": [reason_text(r, lang) for r in out["reason"]],
            "community": out["community_name"].to_numpy(),
            "address": out["address"].to_numpy(),
            "name": out["name"].to_numpy(),
            "phone": out["phone"].to_numpy(),
            "gas_type": [t(f"batch.gas.{g}", lang) if g else "" for g in out["gas_type"]],
            "household_id": out["household_id"].to_numpy(),
        }
    )
    if "order_basis" in out:  # a proposal: routed, or ordered by address without a point
        table.insert(
            3,
            "order_basis",
            [t(f"batch.basis.{_BASIS.get(b, 'route')}", lang) for b in out["order_basis"]],
        )
    if "done_on" in out:
        table["done_on"] = [None if pd.isna(d) else pd.Timestamp(d).date() for d in out["done_on"]]
    return table


def held_back_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Refusals and gas cut-offs, with their hazard status: to be worked on, not scheduled."""
    yes = {True: t("batch.yes", lang), False: ""}
    return pd.DataFrame(
        {
            "household_id": frame["household_id"].to_numpy(),
            "community": frame["community_name"].to_numpy(),
            "address": frame["address"].to_numpy(),
            "name": frame["name"].to_numpy(),
            "phone": frame["phone"].to_numpy(),
            "refused": frame["refused"].fillna(False).astype(bool).map(yes).to_numpy(),
            "gas_cut": frame["gas_cut"].fillna(False).astype(bool).map(yes).to_numpy(),
            # hazard kinds are the programme's own words (data); the rest is interface
            "hazard": [
                (k if isinstance(k, str) else t("batch.hazard_open", lang))
                if h
                else t("batch.no_open_hazard", lang)
                for h, k in zip(frame["hazard_open"], frame["hazard_kinds"], strict=True)
            ],
        }
    )


def progress_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Planned vs done per crew-day, for the page."""
    prog = batches.progress(frame)
    return pd.DataFrame(
        {
            "day": [pd.Timestamp(d).date() for d in prog["day"]],
            "crew": prog["crew"].astype(int),
            "planned": prog["planned"],
            "done": prog["done"],
            "completion": [
                f"{d / p * 100:.0f}%" if p else "—"
                for d, p in zip(prog["done"], prog["planned"], strict=True)
            ],
        }
    )


def headed(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The table with its column headers in the interface language (after masking)."""
    return frame.rename(columns={c: t(f"batch.col.{c}", lang) for c in frame.columns})


# data.batches writes 列入理由 in Chinese (stored with the batch, printed on the roster); on
# screen each of its parts is shown in the interface language.
_REASON_PARTS = (
    (re.compile(r"^隐患未整改(?:（(.*)）)?$"), "hazard"),
    (re.compile(r"^火灾风险 (\S+) 分$"), "risk"),
    (re.compile(r"^(\d+) 岁$"), "age"),
    (re.compile(r"^液化气用户$"), "lpg"),
    (re.compile(r"^所在社区完成 (\d+)%$"), "behind"),
    (re.compile(r"^上批 (.+) 未完成$"), "carried"),
    (re.compile(r"^待安装$"), "none"),
)


def reason_text(reason: object, lang: str) -> str:
    """A stored 列入理由 in the interface language (Chinese as stored; unknown parts unchanged)."""
    if not isinstance(reason, str) or lang == "zh":
        return reason if isinstance(reason, str) else ""
    return "; ".join(_reason_part(p, lang) for p in reason.split("；"))


def _reason_part(part: str, lang: str) -> str:
    for pattern, key in _REASON_PARTS:
        hit = pattern.match(part)
        if hit is None:
            continue
        text = t(f"batch.reason.{key}", lang)
        if key == "hazard":
            return text + (f" ({hit.group(1)})" if hit.group(1) else "")
        value = hit.group(1) if hit.groups() else ""
        return text.format(score=value, age=value, pct=value, batch=value)
    return part


def page_note(settings: str | dict | None, lang: str) -> str:
    """The page's note in the programme's own rules; Chinese as data.batches writes it."""
    if lang == "zh":
        return batches.page_note(settings)
    data = json.loads(settings) if isinstance(settings, str) else (settings or {})
    rules = data.get("rules", {})
    parts = [t("batch.note.start", lang)]
    if data.get("implementer"):
        parts.append(t("batch.note.implementer", lang).format(who=data["implementer"]))
    if rules.get("verification"):
        parts.append(t("batch.note.verification", lang).format(how=rules["verification"]))
    if rules.get("roster_day"):
        to = rules.get("report_to") or [t("batch.gas_company", lang)]
        to = ", ".join(to) if isinstance(to, list) else str(to)
        due = rules.get("roster_first_due")
        first = t("batch.note.first", lang).format(due=due) if due else ""
        parts.append(
            t("batch.note.roster", lang).format(day=rules["roster_day"], to=to, first=first)
        )
    if rules.get("confirmation_signatures"):
        who = ", ".join(rules["confirmation_signatures"])
        parts.append(t("batch.note.signatures", lang).format(who=who))
    return "; ".join(parts) + ". " + t("batch.note.end", lang)


def month_options(latest: date, ahead: int = 6) -> list[str]:
    """'YYYY-MM' from the month of the latest data to `ahead` months after it."""
    out = []
    y, m = latest.year, latest.month
    for _ in range(ahead + 1):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out
