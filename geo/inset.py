"""Inset outlines: a ring drawn just inside a polygon, so marking one region never paints the
edge it shares with a neighbour."""

from __future__ import annotations

import geopandas as gpd
import numpy as np

# A ring this fraction of the region's size inside its edge, within these bounds (metres).
FRACTION = 0.04
MIN_M, MAX_M = 12.0, 90.0


def inset_outlines(shapes: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Each WGS84 polygon shrunk inward by a few percent of its size (12–90 m), as its boundary.

    Measured in the local UTM zone so the inset is metres everywhere; a region too thin to
    shrink keeps its own outline rather than vanishing.
    """
    if shapes.empty:
        return shapes.copy()
    metric = shapes.to_crs(shapes.estimate_utm_crs())
    size = np.sqrt(metric.geometry.area.to_numpy())
    dist = np.clip(size * FRACTION, MIN_M, MAX_M)
    shrunk = metric.geometry.buffer(-dist)
    keep = ~shrunk.is_empty  # buffer never gives a missing geometry, only an empty one
    shrunk = shrunk.where(keep, metric.geometry)
    out = metric.set_geometry(shrunk.boundary).to_crs(shapes.crs)
    return out
