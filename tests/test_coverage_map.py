"""The map component on its own: colours, tooltips' numbers, local assets, the AMap shift."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import box

from dashboard import assets
from dashboard.components import coverage_map
from geo.crs import haversine_m


def _shapes() -> pd.DataFrame:
    # Two unit-ish squares near Changning, sharing an edge.
    geoms = [box(121.40, 31.20, 121.41, 31.21), box(121.41, 31.20, 121.42, 31.21)]
    return pd.DataFrame(
        {
            "region_id": ["S1", "S2"],
            "name": ["甲街道", "乙街道"],
            "source": ["测试", "测试"],
            "synthetic": [True, True],
            "geom_wkb": [shapely.to_wkb(g) for g in geoms],
        }
    )


def _stats() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "street_id": ["S1", "S2"],
            "target": [100, 0],
            "installed": [65, 0],
            "completion": [0.65, None],
            "plan": [0.5, 0.5],
            "gap_to_plan": [15, 0],
        }
    )


@pytest.mark.parametrize(
    ("completion", "colour"),
    [
        (0.0, "#edf8e9"),
        (0.199, "#edf8e9"),
        (0.2, "#bae4b3"),
        (0.65, "#31a354"),
        (1.0, "#006d2c"),
        (None, "#d9d9d9"),
    ],
)
def test_fill_colour_bins(completion, colour) -> None:
    assert coverage_map.fill_colour(completion) == colour


def test_features_carry_formatted_tooltips() -> None:
    f = coverage_map.map_features(_shapes(), _stats(), "street_id", "zh")
    row = f.set_index("region_id").loc["S1"]
    assert row["completion_text"] == "65.0%"
    assert row["target_text"] == "100"
    assert row["vs_plan_text"] == "+15 户（计划 50.0%）"
    assert not row["behind"]
    assert f.set_index("region_id").loc["S2", "fill"] == coverage_map.NO_DATA


def test_map_loads_only_local_assets() -> None:
    f = coverage_map.map_features(_shapes(), _stats(), "street_id", "zh")
    m = coverage_map.build_map(f, name_label="街道")
    assert coverage_map.asset_urls(m) == [assets.LEAFLET_JS, assets.LEAFLET_CSS]
    html = m.get_root().render()
    # No base map by default: not one remote URL in the page.
    assert re.findall(r"https?://", html) == []
    assert "anju-legend" in html
    assert json.dumps("安装完成率")[1:-1] in html  # the legend text, JSON-escaped in the script


def test_online_basemaps_are_opt_in(monkeypatch: pytest.MonkeyPatch) -> None:
    f = coverage_map.map_features(_shapes(), _stats(), "street_id", "zh")
    assert (
        "openstreetmap.org"
        in coverage_map.build_map(f, name_label="x", basemap="osm").get_root().render()
    )
    assert (
        "autonavi.com"
        in coverage_map.build_map(f, name_label="x", basemap="amap").get_root().render()
    )
    monkeypatch.delenv("ANJU_TIANDITU_KEY", raising=False)
    assert (
        "tianditu"
        not in coverage_map.build_map(f, name_label="x", basemap="tianditu").get_root().render()
    )
    monkeypatch.setenv("ANJU_TIANDITU_KEY", "k123")
    html = coverage_map.build_map(f, name_label="x", basemap="tianditu").get_root().render()
    assert "tianditu.gov.cn" in html and "tk=k123" in html
    with pytest.raises(ValueError):
        coverage_map.build_map(f, name_label="x", basemap="google")


def _first_coordinate(m, layer_name: str) -> tuple[float, float]:
    for child in m._children.values():
        if getattr(child, "layer_name", None) == layer_name:
            ring = child.data["features"][0]["geometry"]["coordinates"]
            while isinstance(ring[0], list | tuple):
                ring = ring[0]
            return float(ring[0]), float(ring[1])
    raise AssertionError(f"no layer {layer_name}")


def test_amap_shifts_data_to_gcj02() -> None:
    f = coverage_map.map_features(_shapes(), _stats(), "street_id", "zh")
    wgs = _first_coordinate(coverage_map.build_map(f, name_label="x"), "coverage")
    gcj = _first_coordinate(coverage_map.build_map(f, name_label="x", basemap="amap"), "coverage")
    shift = haversine_m(*wgs, *gcj)
    assert 300 < shift < 700  # the GCJ-02 offset in Shanghai is about half a kilometre
    assert gcj[0] > wgs[0]  # east in Shanghai


def test_display_geometries_are_small_and_gap_free() -> None:
    jagged = [
        shapely.Polygon(
            [(0, 0), *[(0.5 + 1e-5 * (i % 2), i / 1000) for i in range(1, 1000)], (0.5, 1), (0, 1)]
        ),
        shapely.Polygon(
            [
                (0.5, 0),
                (1, 0),
                (1, 1),
                (0.5, 1),
                *[(0.5 + 1e-5 * (i % 2), i / 1000) for i in range(999, 0, -1)],
            ]
        ),
    ]
    shapes = pd.DataFrame(
        {
            "region_id": ["A", "B"],
            "name": ["A", "B"],
            "geom_wkb": [shapely.to_wkb(g) for g in jagged],
        }
    )
    out = coverage_map.outline_frame(shapes)
    assert isinstance(out, gpd.GeoDataFrame)
    # A 1 m zigzag along the shared edge disappears; the edge stays shared (no gap, no overlap).
    before = sum(shapely.get_num_coordinates(g) for g in jagged)
    assert shapely.get_num_coordinates(out.geometry.to_numpy()).sum() < before / 4
    union = shapely.union_all(out.geometry.to_numpy())
    assert np.isclose(union.area, shapely.area(out.geometry.to_numpy()).sum(), rtol=1e-6)
