"""Fire-risk maps: raw household counts and Gi* hot/cold spots, drawn with a locally served Leaflet."""

from __future__ import annotations

import html

import folium
import geopandas as gpd
import pandas as pd
import shapely

from dashboard import assets, format
from dashboard.components import geojson
from dashboard.components.coverage_map import LEGEND_PX, _Decorations, _swatch
from dashboard.i18n import t
from geo import grid, hotspots
from geo.boundaries import simplify_for_display

CLASS_COLOURS = {
    "hot_99": "#b2182b",
    "hot_95": "#ef8a62",
    "hot_90": "#fddbc7",
    hotspots.NOT_SIGNIFICANT: "#f4f4f4",
    "cold_90": "#d1e5f0",
    "cold_95": "#67a9cf",
    "cold_99": "#2166ac",
}
# Households per unit, light to dark purple. Units under MIN_COUNT are never drawn.
COUNT_BINS = (hotspots.MIN_COUNT, 10, 20, 40, 80)
COUNT_COLOURS = ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f")


def count_colour(n: float) -> str:
    """Fill for a household count (units below the privacy threshold are not drawn at all)."""
    colour = COUNT_COLOURS[0]
    for lower, c in zip(COUNT_BINS, COUNT_COLOURS, strict=True):
        if n >= lower:
            colour = c
    return colour


def unit_features(
    units: pd.DataFrame, level: str, community_shapes: pd.DataFrame | None, lang: str = "zh"
) -> gpd.GeoDataFrame:
    """Polygons of the units with enough households to show, with fills and tooltip texts.

    Units with fewer than MIN_COUNT households are dropped here, so neither their outline nor
    their count reaches the browser.
    """
    shown = units[units["households"] >= hotspots.MIN_COUNT].reset_index(drop=True)
    if level == "h3":
        geoms = grid.cell_polygons(shown["unit_id"])
        names = shown["name"].fillna("").tolist()
    else:
        by_id = dict(
            zip(
                community_shapes["region_id"],
                shapely.from_wkb([bytes(b) for b in community_shapes["geom_wkb"]]),
                strict=True,
            )
        )
        shown = shown[shown["unit_id"].isin(by_id)].reset_index(drop=True)
        # As the coverage and service maps draw them: 1.9 → 1.1 MB for 6,000 communities.
        geoms = simplify_for_display([by_id[u] for u in shown["unit_id"]])
        names = shown["name"].fillna(shown["unit_id"]).tolist()
    labels = {k: t(f"fire.cls.{k}", lang) for k in CLASS_COLOURS}
    return gpd.GeoDataFrame(
        {
            "unit_id": shown["unit_id"],
            "name": [html.escape(str(n)) for n in names],  # Leaflet tooltips are HTML
            "count_fill": [count_colour(n) for n in shown["households"]],
            "class_fill": [CLASS_COLOURS.get(c, "#f4f4f4") for c in shown["cls"]],
            "households_text": shown["households"].map(format.count),
            "mean_text": shown["mean_value"].map(lambda v: f"{v:.1f}"),
            "z_text": shown["z"].map(lambda v: "—" if pd.isna(v) else f"{v:.2f}"),
            "p_text": shown["p_adj"].map(lambda v: "—" if pd.isna(v) else f"{v:.3g}"),
            "class_text": shown["cls"].map(lambda c: labels.get(c, str(c))),
        },
        geometry=geoms,
        crs="EPSG:4326",
    )


def add_outline(m: folium.Map, data: dict, name: str | None = None) -> None:
    """The district's outline: a line, nothing to hover."""
    folium.GeoJson(
        data,
        name=name,
        style_function=lambda _: {"fill": False, "color": "#333", "weight": 2},
        interactive=False,
    ).add_to(m)


def add_units(
    m: folium.Map, data: dict, fill: str, tooltip: dict[str, str], name: str | None = None
) -> None:
    """Units (cells or communities) filled by their property `fill`, with a tooltip of
    `tooltip`'s properties under its labels: the one style of the 火灾风险, 设备状态 and 服务保障 maps."""
    folium.GeoJson(
        data,
        name=name,
        style_function=lambda f: {
            "fillColor": f["properties"][fill],
            "fillOpacity": 0.85,
            "color": "#777",
            "weight": 0.5,
        },
        highlight_function=lambda _: {"weight": 2, "color": "#1f4e79"},
        tooltip=folium.GeoJsonTooltip(
            fields=list(tooltip), aliases=list(tooltip.values()), sticky=True
        ),
    ).add_to(m)


def legend_html(mode: str, lang: str) -> str:
    """Legend for the count map or the hotspot map."""
    if mode == "count":
        rows = [f"<b>{t('fire.legend.count', lang)}</b>"]
        uppers = [*COUNT_BINS[1:], None]
        for lo, hi, c in zip(COUNT_BINS, uppers, COUNT_COLOURS, strict=True):
            rows.append(_swatch(f"background:{c}", f"{lo}–{hi - 1}" if hi else f"≥{lo}"))
    else:
        rows = [f"<b>{t('fire.legend.hotspot', lang)}</b>"]
        rows += [
            _swatch(f"background:{c}", t(f"fire.cls.{k}", lang)) for k, c in CLASS_COLOURS.items()
        ]
    rows.append(t("fire.legend.suppressed", lang))
    return "<br>".join(rows)


def build_map(
    features: gpd.GeoDataFrame,
    mode: str,
    outline: gpd.GeoDataFrame | None = None,
    lang: str = "zh",
    attribution: str = "",
) -> folium.Map:
    """A Leaflet map of the units, filled by household count (mode 'count') or Gi* class."""
    if mode not in ("count", "hotspot"):
        raise ValueError(f"unknown map mode {mode!r}")
    m = assets.offline_map()
    if outline is not None and not outline.empty:
        add_outline(m, geojson.feature_collection(outline), name="outline")
    if not features.empty:
        tooltip = {
            "name": t("fire.col.unit", lang),
            "households_text": t("fire.col.households", lang),
            "mean_text": t("fire.col.mean_score", lang),
            "z_text": "z",
            "p_text": t("fire.col.p_adj", lang),
            "class_text": t("fire.col.class", lang),
        }
        fill = "count_fill" if mode == "count" else "class_fill"
        add_units(m, geojson.feature_collection(features), fill, tooltip, name=mode)
    bounds = (outline if outline is not None and not outline.empty else features).total_bounds
    minx, miny, maxx, maxy = bounds
    m.fit_bounds([[miny, minx], [maxy, maxx]], padding_bottom_right=(LEGEND_PX, 0))
    _Decorations(prefix=f"Leaflet | {attribution}", legend_html=legend_html(mode, lang)).add_to(m)
    return m
