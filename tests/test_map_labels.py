"""A drill-down map draws its labels from its one GeoJSON layer: no per-polygon folium Marker."""

from __future__ import annotations

import copy
import json
import re

import folium
import geopandas as gpd
import shapely
import streamlit_folium

import queries
from dashboard import assets
from dashboard.components import coverage_map
from data.demos import demo
from data.store import connection

STREET = "310105001"  # 华阳路街道 in the demo


def test_drilldown_has_one_layer_with_labels_and_no_marker_per_polygon(demo_db) -> None:
    con = connection.connect(demo_db)
    try:
        shapes = queries.run(
            con,
            "region_shapes",
            programme_id=demo.PROGRAMME,
            level="community",
            street_ids=[STREET],
        )
        stats = queries.run(
            con,
            "coverage_by_community",
            programme_id=demo.PROGRAMME,
            as_of=demo.AS_OF,
            street_ids=[STREET],
        )
    finally:
        con.close()
    assert len(shapes) > 5
    features = coverage_map.map_features(shapes, stats, "community_id", "zh")
    fmap = coverage_map.build_map(features, name_label="社区")
    page = fmap.get_root().render()
    # One GeoJSON layer of regions (plus one non-interactive layer of behind-plan rings), one
    # label script; no folium Marker / DivIcon objects per polygon.
    behind = int(features["behind"].sum())
    assert len(re.findall(r"L\.geoJson\(", page)) == 1 + (behind > 0)
    assert page.count("L.marker(") == 1 and page.count("L.divIcon(") == 1
    assert not re.search(r"var (marker|div_icon)_[0-9a-f]+", page)
    assert "eachLayer" in page
    # Every community carries its own label point and text in the layer's data.
    layers = [c for c in fmap._children.values() if isinstance(c, folium.GeoJson)]
    rings = [c for c in layers if c.layer_name == "behind"]
    layers = [c for c in layers if c.layer_name == "coverage"]
    assert len(layers) == 1
    # Behind plan is a ring inside each behind region, never a dashed border on shared edges.
    assert "dashArray" not in page
    assert len(rings[0].data["features"]) == behind if behind else rings == []
    labelled = [f["properties"] for f in layers[0].data["features"]]
    assert len(labelled) == len(shapes)
    for props in labelled:
        assert props["label_html"] and "<br>" in props["label_html"]
        embedded = json.dumps(props["label_html"])[1:-1].replace("<", "\\u003c")
        assert embedded.replace(">", "\\u003e") in page  # as folium embeds it
        assert -90 <= props["label_lat"] <= 90 and -180 <= props["label_lon"] <= 180


def test_label_text_is_escaped() -> None:
    import pandas as pd
    import shapely

    shapes = pd.DataFrame(
        {
            "region_id": ["X"],
            "name": ["<img src=x onerror=alert(1)>社区"],
            "geom_wkb": [shapely.to_wkb(shapely.box(121, 31, 121.01, 31.01))],
        }
    )
    stats = pd.DataFrame(
        {
            "region_id": ["X"],
            "target": [10],
            "installed": [5],
            "completion": [0.5],
            "plan": [0.4],
            "gap_to_plan": [1],
        }
    )
    features = coverage_map.map_features(shapes, stats, "region_id", "zh")
    page = coverage_map.build_map(features, name_label="社区").get_root().render()
    assert "<img src=x" not in page


def _drilldown_map(demo_db, street_ids):
    con = connection.connect(demo_db)
    try:
        level = "community" if street_ids else "street"
        shapes = queries.run(
            con, "region_shapes", programme_id=demo.PROGRAMME, level=level, street_ids=street_ids
        )
        stats = queries.run(
            con,
            f"coverage_by_{level}",
            programme_id=demo.PROGRAMME,
            as_of=demo.AS_OF,
            street_ids=street_ids,
        )
    finally:
        con.close()
    features = coverage_map.map_features(shapes, stats, f"{level}_id", "zh")
    return coverage_map.build_map(features, name_label="名称")


def test_rendered_drilldown_script_draws_labels_from_one_layer(demo_db) -> None:
    from dashboard.components import map_view

    fmap = _drilldown_map(demo_db, [STREET])
    behind = sum(
        1
        for c in fmap._children.values()
        if isinstance(c, folium.GeoJson) and c.layer_name == "behind"
    )
    rendered = map_view.render(fmap)
    # What the browser receives: the regions' one layer (+ behind-plan rings), one label script.
    assert len(re.findall(r"L\.geoJson\(", rendered.script)) == 1 + behind
    assert rendered.script.count("L.marker(") == 1 and "eachLayer" in rendered.script
    assert not re.search(r"var (marker|div_icon)_[0-9a-f]+", rendered.script)
    assert rendered.js_links == (assets.LEAFLET_JS,)  # served by the app, nothing remote


def test_map_cache_keys_on_view_and_scope(demo_db, monkeypatch) -> None:
    import streamlit as st

    from dashboard.components import map_view

    monkeypatch.setenv("ANJU_DB", str(demo_db))
    st.cache_data.clear()
    built: list[object] = []

    def build(street_ids):
        def _build():
            built.append(street_ids)
            return _drilldown_map(demo_db, street_ids)

        return _build

    view = ("coverage", demo.PROGRAMME, demo.AS_OF, "", "none", "zh")
    street = map_view.cached(view, [STREET], build([STREET]))
    again = map_view.cached(view, [STREET], build([STREET]))
    assert built == [[STREET]]  # the rerun neither builds nor renders the map again
    assert again.script == street.script and again.html == street.html
    # Same view, another scope: its own entry, never the street user's map (nor the reverse).
    district = map_view.cached(view, None, build(None))
    assert built == [[STREET], None]
    # The drill-down carries one region_id per community of the street, the district one per
    # street: the district map was drawn from its own data, not returned from the street's entry.
    assert street.script.count('"region_id"') != district.script.count('"region_id"')
    map_view.cached((*view[:2], "2099-01-01", *view[3:]), [STREET], build([STREET]))
    assert built == [[STREET], None, [STREET]]  # another date is another view

    # Bounded: past MAX_ENTRIES views the oldest is dropped and built again when asked for.
    tiny: list[int] = []

    def tiny_map(i: int):
        def _build():
            tiny.append(i)
            return folium.Map(location=[31.2, 121.4], zoom_start=10, tiles=None)

        return _build

    for i in range(map_view.MAX_ENTRIES + 1):
        map_view.cached(("tiny", i), None, tiny_map(i))
    map_view.cached(("tiny", 0), None, tiny_map(0))
    assert tiny.count(0) == 2
    st.cache_data.clear()


def test_one_render_pass_sends_what_st_folium_sends(demo_db) -> None:
    from dashboard.components import map_view

    fmap = _drilldown_map(demo_db, [STREET])
    theirs = copy.deepcopy(fmap)  # the same element ids
    theirs.get_root().render()  # st_folium's first pass, then its own
    theirs.render()
    expected = (
        streamlit_folium._get_html(theirs),
        streamlit_folium._get_header(theirs),
        streamlit_folium._get_map_string(theirs),
    )
    ours = map_view.render(fmap)
    assert (ours.html, ours.header, ours.script) == expected


def test_names_in_map_data_are_never_run_as_templates() -> None:
    """A boundary file's region name reaches the page as text: branca used to compile every
    rendered script as a Jinja template, so `{{ … }}` in a name ran on the server."""
    from dashboard.components import map_view

    regions = gpd.GeoDataFrame(
        {
            "region_id": ["A"],
            "name": ["{{ 7*7 }}社区{% if true %}"],
            "fill": ["#ccc"],
            "behind": [False],
            "target_text": ["1"],
            "installed_text": ["1"],
            "completion_text": ["100%"],
            "vs_plan_text": [""],
            "label_text": ["{{ 6*7 }}"],
        },
        geometry=[shapely.box(121.40, 31.20, 121.41, 31.21)],
        crs="EPSG:4326",
    )
    fmap = coverage_map.build_map(regions, name_label="名称")
    page = fmap.get_root().render()
    script = map_view.render(fmap).script
    for text in (page, script):
        assert "{{ 7*7 }}" in text and "{% if true %}" in text and "{{ 6*7 }}" in text
        assert "49社区" not in text
