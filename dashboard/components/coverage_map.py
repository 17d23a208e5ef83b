"""Choropleth of completion by region, drawn with a locally served Leaflet."""

from __future__ import annotations

import html
import itertools
import os

import folium
import geopandas as gpd
import pandas as pd
import shapely
from branca.element import MacroElement
from jinja2 import Template

from dashboard import assets, format
from dashboard.components import geojson
from dashboard.i18n import t
from geo.boundaries import simplify_for_display
from geo.crs import transform_geodataframe
from geo.inset import inset_outlines

# Completion bins (share installed of target) and their fills, light to dark green.
BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0001)
COLOURS = ("#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c")
NO_DATA = "#d9d9d9"
BEHIND = "#c0392b"
LEGEND_PX = 170  # the legend's width: the shapes are fitted to the left of it

BASEMAPS = ("none", "osm", "amap", "tianditu")
_TIANDITU = (
    "https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
    "&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
    "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}"
)


def fill_colour(completion: float | None) -> str:
    """Fill for a completion share; grey when the region has no target households."""
    if completion is None or pd.isna(completion):
        return NO_DATA
    for upper, colour in zip(BINS[1:], COLOURS, strict=True):
        if completion < upper:
            return colour
    return COLOURS[-1]


def tianditu_key() -> str | None:
    """The Tianditu token from $ANJU_TIANDITU_KEY, if configured."""
    return os.environ.get("ANJU_TIANDITU_KEY") or None


def outline_frame(shapes: pd.DataFrame) -> gpd.GeoDataFrame:
    """Region outlines (WKB from `region_shapes`) as a display-simplified GeoDataFrame."""
    geoms = shapely.from_wkb([bytes(b) for b in shapes["geom_wkb"]])
    return gpd.GeoDataFrame(
        {
            "region_id": shapes["region_id"].to_numpy(),
            # Leaflet puts tooltips and labels in as HTML: names from boundary files are escaped.
            "name": [html.escape(str(n)) for n in shapes["name"]],
        },
        geometry=simplify_for_display(geoms),
        crs="EPSG:4326",
    )


# Gap to plan as a share of the region's target (the 逾期 map): on or ahead of plan green,
# then deeper reds the further behind.
GAP_BINS = (-0.20, -0.10, -0.05, 0.0)
GAP_COLOURS = ("#a50f15", "#de2d26", "#fb6a4a", "#fcbba1", "#74c476")


def gap_colour(gap: float | None, target: float | None) -> str:
    """Fill for a gap to plan (households) relative to the target; grey with no households."""
    if gap is None or target is None or pd.isna(gap) or pd.isna(target) or not target:
        return NO_DATA
    share = gap / target
    for upper, colour in zip(GAP_BINS, GAP_COLOURS, strict=False):
        if share < upper:
            return colour
    return GAP_COLOURS[-1]


def map_features(
    shapes: pd.DataFrame,
    stats: pd.DataFrame,
    id_col: str,
    lang: str,
    colour_by: str = "completion",
) -> gpd.GeoDataFrame:
    """Join region outlines (WKB) with their numbers and the tooltip texts, simplified for display.

    colour_by 'completion' (coverage map) or 'gap' (how far behind plan, the 逾期 map).
    """
    gdf = outline_frame(shapes)
    cols = ["target", "installed", "completion", "plan", "gap_to_plan"]
    merged = gdf.merge(stats[[id_col, *cols]], left_on="region_id", right_on=id_col, how="left")
    if colour_by == "gap":
        merged["fill"] = [
            gap_colour(g, n) for g, n in zip(merged["gap_to_plan"], merged["target"], strict=True)
        ]
        merged["label_text"] = merged["gap_to_plan"].map(format.signed_count)
    else:
        merged["fill"] = [fill_colour(c) for c in merged["completion"]]
        merged["label_text"] = merged["completion"].map(format.pct)
    merged["behind"] = merged["gap_to_plan"].fillna(0) < 0
    merged["target_text"] = merged["target"].map(format.count)
    merged["installed_text"] = merged["installed"].map(format.count)
    merged["completion_text"] = merged["completion"].map(format.pct)
    merged["vs_plan_text"] = [
        t("map.vs_plan", lang).format(gap=format.signed_count(g), plan=format.pct(p))
        for g, p in zip(merged["gap_to_plan"], merged["plan"], strict=True)
    ]
    keep = [
        "region_id",
        "name",
        "fill",
        "behind",
        "target_text",
        "installed_text",
        "completion_text",
        "vs_plan_text",
        "label_text",
        "geometry",
    ]
    return merged[keep]


class _Decorations(MacroElement):
    """Legend control and an attribution prefix without Leaflet's default flag link."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            map.attributionControl.setPrefix({{ this.prefix|tojson }});
            var css = document.createElement('style');
            css.textContent = '.anju-label{font:12px/1.2 sans-serif;text-align:center;color:#111;'
                + 'text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 3px #fff;pointer-events:none;white-space:nowrap}';
            document.head.appendChild(css);
            var legend = L.control({position: 'bottomright'});
            legend.onAdd = function () {
                var div = L.DomUtil.create('div', 'anju-legend');
                div.style.cssText = 'background:rgba(255,255,255,.92);padding:6px 8px;'
                    + 'font:12px/1.5 sans-serif;border-radius:4px;box-shadow:0 0 4px rgba(0,0,0,.3);'
                    + 'max-width:{{ this.width }}px;box-sizing:border-box';
                div.innerHTML = {{ this.legend_html|tojson }};
                return div;
            };
            legend.addTo(map);
            L.control.scale({imperial: false}).addTo(map);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, prefix: str, legend_html: str) -> None:
        super().__init__()
        self._name = "AnjuDecorations"
        self.width = LEGEND_PX - 10  # wraps long lines: the maps keep LEGEND_PX clear for it
        self.prefix = prefix
        self.legend_html = legend_html


class _Labels(MacroElement):
    """Region labels (name and figure) for every feature of one GeoJSON layer, in one script."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var labels = L.layerGroup(), placed = [];
            {{ this.layer.get_name() }}.eachLayer(function (shape) {
                var p = shape.feature.properties;
                var marker = L.marker([p.label_lat, p.label_lon], {
                    interactive: false, keyboard: false,
                    icon: L.divIcon({
                        html: '<div class="anju-label">' + p.label_html + '</div>',
                        className: 'anju-label-icon', iconSize: [90, 30], iconAnchor: [45, 15]
                    })
                }).addTo(labels);
                placed.push({marker: marker, rank: p.label_rank});
            });
            labels.addTo(map);
            // Labels that would overlap one already shown are hidden (the tooltip still names
            // the region); larger regions are placed first. Re-run after every zoom.
            placed.sort(function (a, b) { return a.rank - b.rank; });
            function declutter() {
                var boxes = [];
                placed.forEach(function (item) {
                    var el = item.marker.getElement();
                    if (!el) { return; }
                    var inner = el.firstChild;
                    var c = map.latLngToContainerPoint(item.marker.getLatLng());
                    var w = (inner && inner.offsetWidth) || 90, h = (inner && inner.offsetHeight) || 30;
                    var b = {x0: c.x - w / 2 - 2, x1: c.x + w / 2 + 2, y0: c.y - h / 2 - 1, y1: c.y + h / 2 + 1};
                    var clash = boxes.some(function (o) {
                        return b.x0 < o.x1 && o.x0 < b.x1 && b.y0 < o.y1 && o.y0 < b.y1;
                    });
                    el.style.visibility = clash ? 'hidden' : '';
                    el.classList.toggle('anju-label-hidden', clash);
                    if (!clash) { boxes.push(b); }
                });
            }
            map.whenReady(function () { setTimeout(declutter, 0); });
            map.on('zoomend', declutter);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, layer: folium.GeoJson) -> None:
        super().__init__()
        self._name = "AnjuLabels"
        self.layer = layer


def legend_html(lang: str, colour_by: str = "completion") -> str:
    """The legend's HTML: completion (or gap) bins, no-data and behind-plan swatches."""
    if colour_by == "gap":
        rows = [f"<b>{t('legend.gap_title', lang)}</b>"]
        edges = [f"{b * 100:.0f}%" for b in GAP_BINS]
        labels = [f"< {edges[0]}"]
        labels += [f"{lo} – {hi}" for lo, hi in itertools.pairwise(edges)]
        labels.append(t("legend.on_plan", lang))
        rows += [
            _swatch(f"background:{c}", lab) for c, lab in zip(GAP_COLOURS, labels, strict=True)
        ]
        rows.append(_swatch(f"background:{NO_DATA}", t("legend.no_data", lang)))
        return "<br>".join(rows)
    rows = [f"<b>{t('legend.title', lang)}</b>"]
    for lo, hi, colour in zip(BINS[:-1], BINS[1:], COLOURS, strict=True):
        label = f"{lo * 100:.0f}–{min(hi, 1) * 100:.0f}%"
        rows.append(_swatch(f"background:{colour}", label))
    rows.append(_swatch(f"background:{NO_DATA}", t("legend.no_data", lang)))
    rows.append(
        _swatch(f"background:#fff;box-shadow:inset 0 0 0 2px {BEHIND}", t("legend.behind", lang))
    )
    return "<br>".join(rows)


def _swatch(style: str, label: str) -> str:
    return (
        f'<span style="display:inline-block;width:14px;height:10px;margin-right:6px;'
        f'border:1px solid #777;{style}"></span>{label}'
    )


def build_map(
    features: gpd.GeoDataFrame,
    *,
    name_label: str,
    lang: str = "zh",
    basemap: str = "none",
    outline: gpd.GeoDataFrame | None = None,
    attribution: str = "",
    label_prefix: str = "",
    colour_by: str = "completion",
) -> folium.Map:
    """A Leaflet map of `features` coloured by completion, with tooltips and legend.

    Geometries arrive in WGS84; for AMap tiles they are shifted to GCJ-02 so they sit on the streets.
    """
    if basemap not in BASEMAPS:
        raise ValueError(f"unknown base map {basemap!r}; choose from {BASEMAPS}")
    if basemap == "amap":
        features = transform_geodataframe(features, "wgs84", "gcj02")
        outline = None if outline is None else transform_geodataframe(outline, "wgs84", "gcj02")
    m = assets.offline_map()
    _add_basemap(m, basemap, lang)
    if outline is not None and not outline.empty:
        folium.GeoJson(
            geojson.feature_collection(outline),
            name="outline",
            style_function=lambda _: {"fill": False, "color": "#333", "weight": 2.5},
            interactive=False,
        ).add_to(m)
    # Each region's label rides on its own feature (a point inside it and the text), drawn by
    # one script over the one GeoJSON layer: no per-polygon Marker templates to compile.
    spots = features.geometry.representative_point()
    features = features.assign(
        # Placement order when labels collide: the largest region keeps its label.
        label_rank=pd.Series(-shapely.area(features.geometry.to_numpy()), index=features.index)
        .rank(method="first")
        .astype(int),
        label_lat=spots.y.round(6),
        label_lon=spots.x.round(6),
        label_html=[
            f"{_short(n, label_prefix)}<br>{html.escape(str(v))}"
            for n, v in zip(
                features["name"],
                features["label_text"] if "label_text" in features else features["completion_text"],
                strict=True,
            )
        ],
    )
    layer = folium.GeoJson(
        geojson.feature_collection(features),
        name="coverage",
        style_function=lambda f: {
            "fillColor": f["properties"]["fill"],
            "fillOpacity": 0.8,
            "color": "#555555",
            "weight": 1,
        },
        highlight_function=lambda _: {"weight": 3, "color": "#1f4e79"},
        tooltip=folium.GeoJsonTooltip(
            fields=["name", "target_text", "installed_text", "completion_text", "vs_plan_text"],
            aliases=[
                name_label,
                t("col.target", lang),
                t("col.installed", lang),
                t("col.completion", lang),
                t("col.vs_plan", lang),
            ],
            sticky=True,
        ),
    ).add_to(m)
    # Behind plan: a ring just inside the region, so a shared edge never reads as behind.
    behind = features[features["behind"]] if "behind" in features else features.iloc[:0]
    if colour_by == "completion" and not behind.empty:
        folium.GeoJson(
            geojson.feature_collection(inset_outlines(behind[["geometry"]])),
            name="behind",
            style_function=lambda _: {"color": BEHIND, "weight": 2.5, "fill": False},
            interactive=False,
        ).add_to(m)
    _Labels(layer).add_to(m)
    minx, miny, maxx, maxy = features.total_bounds
    # The legend sits bottom right: fit the shapes into the space left of it.
    m.fit_bounds([[miny, minx], [maxy, maxx]], padding_bottom_right=(LEGEND_PX, 0))
    _Decorations(
        prefix=f"Leaflet | {attribution}", legend_html=legend_html(lang, colour_by)
    ).add_to(m)
    return m


def _short(name: str, prefix: str = "") -> str:
    # Labels must stay small on the map; the tooltip and table carry the full name.
    name = name.removeprefix(prefix) if prefix and name != prefix else name
    for suffix in ("（演示）", "居委会", "村委会", "街道", "社区"):
        name = name.removesuffix(suffix)
    return name


def _add_basemap(m: folium.Map, basemap: str, lang: str) -> None:
    if basemap == "osm":
        folium.TileLayer(
            "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            attr="© OpenStreetMap contributors",
            name="OpenStreetMap",
            max_zoom=19,
        ).add_to(m)
    elif basemap == "amap":
        folium.TileLayer(
            "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8"
            "&x={x}&y={y}&z={z}",
            attr=t("map.attr.amap", lang),
            name=t("basemap.amap", lang),
            subdomains="1234",
            max_zoom=18,
        ).add_to(m)
    elif basemap == "tianditu" and (key := tianditu_key()):
        for layer in ("vec", "cva"):
            folium.TileLayer(
                _TIANDITU.replace("{layer}", layer).replace("{key}", key),
                attr=t("map.attr.tianditu", lang),
                name=f"{t('basemap.tianditu', lang)} {layer}",
                subdomains="01234567",
                max_zoom=18,
            ).add_to(m)


def asset_urls(m: folium.Map) -> list[str]:
    """Every JS/CSS URL the map's elements ask the browser to load (to check nothing is remote)."""
    urls: list[str] = []

    def walk(el: object) -> None:
        urls.extend(src for _, src in getattr(el, "default_js", []))
        urls.extend(href for _, href in getattr(el, "default_css", []))
        for child in getattr(el, "_children", {}).values():
            walk(child)

    walk(m)
    return urls


def add_basemap(m: folium.Map, basemap: str, lang: str) -> None:
    """Add the chosen base map's tiles (none: no tiles, the map works offline)."""
    _add_basemap(m, basemap, lang)
