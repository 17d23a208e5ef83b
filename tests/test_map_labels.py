"""A drill-down map draws its labels from its one GeoJSON layer: no per-polygon folium Marker."""

from __future__ import annotations

import json
import re

import folium

import queries
from dashboard.components import coverage_map
from data import connection, demo

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
