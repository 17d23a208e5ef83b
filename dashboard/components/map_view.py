"""A folium map shown through streamlit-folium, its rendered HTML/JS cached per view key.

Building a folium map and rendering its templates costs seconds for a large drill-down; on a rerun
with the same key (a click elsewhere on the page) none of it runs again.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

import folium
import streamlit as st
import streamlit_folium

from dashboard.db import db_path

# Entries kept: a few views per page and user; each entry is a few MB at most (district map).
MAX_ENTRIES = 48


@dataclass(frozen=True)
class RenderedMap:
    """What streamlit-folium sends the browser for one map (strings and plain values only)."""

    script: str
    header: str
    html: str
    map_id: str
    bounds: dict
    zoom: object
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]


def render(fmap: folium.Map) -> RenderedMap:
    """Render a folium map as streamlit_folium.st_folium does (version pinned), in one pass.

    st_folium renders the whole page (`get_root().render()`) and then the map again; the map's
    pass alone fills the header, html and script parts it sends, byte for byte the same, and a
    city's layers are not styled and serialised twice.
    """
    fmap.render()
    # Before _get_map_string, which alters the folium structure (as st_folium orders them).
    html = streamlit_folium._get_html(fmap)
    header = streamlit_folium._get_header(fmap)
    script = streamlit_folium._get_map_string(fmap)
    (south, west), (north, east) = fmap.get_bounds()
    css: list[str] = []
    js: list[str] = []

    def walk(el: object) -> None:
        css.extend(href for _, href in getattr(el, "default_css", []))
        js.extend(src for _, src in getattr(el, "default_js", []))
        for child in getattr(el, "_children", {}).values():
            walk(child)

    walk(fmap)
    return RenderedMap(
        script=script,
        header=header,
        html=html,
        map_id=streamlit_folium.get_full_id(fmap),
        bounds={
            "_southWest": {"lat": south, "lng": west},
            "_northEast": {"lat": north, "lng": east},
        },
        zoom=fmap.options.get("zoom"),
        css_links=tuple(dict.fromkeys(css)),
        js_links=tuple(dict.fromkeys(js)),
    )


@st.cache_data(show_spinner=False, ttl=600, max_entries=MAX_ENTRIES)
def _rendered(
    path: str,
    view: tuple[Hashable, ...],
    scope: tuple[str, ...] | None,
    _build: Callable[[], folium.Map],
) -> RenderedMap:
    # _build is left out of the key (leading underscore): the key must name everything the map
    # shows. Cleared with every other cached result when data is written (st.cache_data.clear).
    return render(_build())


def cached(
    view: Sequence[Hashable], scope: Sequence[str] | None, build: Callable[[], folium.Map]
) -> RenderedMap:
    """The rendered map for `view` (page, date, level, basemap, lang, …) within the user's scope.

    Scope is always part of the key: the cache is shared by every user of the server, and a
    street user must never be sent a map drawn for another scope.
    """
    key_scope = None if scope is None else tuple(sorted(scope))
    return _rendered(str(db_path()), tuple(view), key_scope, build)


def show(
    rendered: RenderedMap,
    *,
    key: str,
    height: int,
    returned_objects: Sequence[str] = (),
    on_change: Callable[[], None] | None = None,
) -> dict:
    """Draw a rendered map as st_folium(..., use_container_width=True) would; returns its state."""
    defaults = {
        "last_active_drawing": None,
        "last_clicked": None,
        "last_object_clicked": None,
        "bounds": rendered.bounds,
        "zoom": rendered.zoom,
    }
    hash_key = streamlit_folium.generate_js_hash(rendered.script, key, False)

    def _changed() -> None:
        st.session_state[key] = st.session_state.get(hash_key, {})
        if on_change is not None:
            on_change()

    return streamlit_folium._component_func(
        script=rendered.script,
        header=rendered.header,
        html=rendered.html,
        id=rendered.map_id,
        key=hash_key,
        height=height,
        width=None,
        returned_objects=list(returned_objects),
        default={k: v for k, v in defaults.items() if k in returned_objects},
        zoom=None,
        center=None,
        feature_group=None,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=list(rendered.css_links),
        js_links=list(rendered.js_links),
        on_change=_changed,
        wrap_longitude=False,
    )
