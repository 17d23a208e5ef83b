"""GeoJSON for the maps, built by GEOS in one call per layer.

geopandas' `__geo_interface__` walks every coordinate in Python: about 0.3 s per 6,000-community
layer, paid again for every map of a page. `shapely.to_geojson` writes the geometries in C.
"""

from __future__ import annotations

import json

import geopandas as gpd
import shapely


def feature_collection(frame: gpd.GeoDataFrame) -> dict:
    """`frame` as a GeoJSON FeatureCollection: its other columns as properties (missing → null)."""
    props = frame.drop(columns=frame.geometry.name)
    records = props.astype(object).where(props.notna(), None).to_dict("records")
    shapes = shapely.to_geojson(frame.geometry.to_numpy())
    # One parse for the layer, not one per feature.
    geometries = json.loads("[" + ",".join("null" if g is None else g for g in shapes) + "]")
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": record, "geometry": geometry}
            for record, geometry in zip(records, geometries, strict=True)
        ],
    }


def with_property(collection: dict, name: str, values) -> dict:
    """A copy of `collection` with property `name` set per feature (geometries shared, not copied)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {**f, "properties": {**f["properties"], name: v}}
            for f, v in zip(collection["features"], values, strict=True)
        ],
    }
