"""Behind-plan rings sit inside their own region and never on an edge it shares."""

from __future__ import annotations

import geopandas as gpd
from shapely.geometry import box

from geo.inset import inset_outlines


def test_inset_ring_stays_off_the_shared_edge() -> None:
    west = box(121.40, 31.20, 121.41, 31.21)  # about 950 m × 1,100 m
    east = box(121.41, 31.20, 121.42, 31.21)  # shares west's eastern edge
    shapes = gpd.GeoDataFrame({"name": ["西", "东"]}, geometry=[west, east], crs="EPSG:4326")
    rings = inset_outlines(shapes.iloc[[0]])
    ring = rings.geometry.iloc[0]
    assert ring.within(west) and not ring.intersects(east)
    metric = gpd.GeoSeries([ring, east.boundary], crs="EPSG:4326").to_crs(32651)
    gap = metric.iloc[0].distance(metric.iloc[1])
    assert 12 <= gap <= 90


def test_too_thin_to_shrink_keeps_its_outline() -> None:
    sliver = box(121.40, 31.20, 121.5, 31.20001)  # about 1 m wide
    shapes = gpd.GeoDataFrame(geometry=[sliver], crs="EPSG:4326")
    ring = inset_outlines(shapes).geometry.iloc[0]
    assert not ring.is_empty and ring.length > 0
