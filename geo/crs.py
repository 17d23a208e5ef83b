"""Conversions between WGS84, GCJ-02 (AMap/Tencent "Mars" coordinates) and BD-09 (Baidu).

All three systems are longitude/latitude in degrees on EPSG:4326-like axes; GCJ-02 and BD-09
are deliberate, non-linear obfuscations of WGS84 rather than datums, which is why pyproj cannot
do this and the published formulas are implemented here. Every function takes scalars or numpy
arrays (broadcast against each other) and returns Python floats for scalar input, float64 arrays
otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np
import numpy.typing as npt
import shapely

if TYPE_CHECKING:
    import geopandas as gpd
    from shapely.geometry.base import BaseGeometry

__all__ = [
    "CRS_NAMES",
    "bd09_to_gcj02",
    "bd09_to_wgs84",
    "convert",
    "gcj02_to_bd09",
    "gcj02_to_wgs84",
    "haversine_m",
    "transform_geodataframe",
    "transform_geometry",
    "wgs84_to_bd09",
    "wgs84_to_gcj02",
]

Coord: TypeAlias = float | npt.ArrayLike
CoordPair: TypeAlias = tuple[Any, Any]  # (lon, lat): floats for scalar input, else float64 arrays

CRS_NAMES: tuple[str, ...] = ("wgs84", "gcj02", "bd09")

# GCJ-02 was defined on the Krasovsky 1940 ellipsoid, so these (not WGS84's) constants are
# what reproduces the coordinates AMap/Tencent actually serve.
_KRASOVSKY_A = 6378245.0
_KRASOVSKY_EE = 0.00669342162296594323

# Baidu's BD-09 perturbation frequency; an arbitrary constant from Baidu's published formula.
_X_PI = np.pi * 3000.0 / 180.0

# Rough China bounding box used by the reference implementations (eviltransform et al.).
# It is deliberately the de-facto standard rather than a true border: matching what other
# tools do matters more than being "right" for Mongolia or Korea, which sit inside it.
_CHINA_LON = (72.004, 137.8347)
_CHINA_LAT = (0.8293, 55.8271)

# Fixed-point inversion of GCJ-02. 1e-10 degrees is ~1 cm and the map is a contraction with
# factor ~1e-3 there, so convergence takes 3-4 steps; the cap only guards against NaN/inf.
_INVERSE_TOL_DEG = 1e-10
_INVERSE_MAX_ITER = 30

EARTH_RADIUS_M = 6371008.8  # IUGG mean radius: the usual choice for haversine distances


def _as_arrays(lon: Coord, lat: Coord) -> tuple[np.ndarray, np.ndarray, bool]:
    lon_a, lat_a = np.broadcast_arrays(
        np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
    )
    # broadcast_arrays returns read-only views; copy so callers' arrays are never aliased.
    return lon_a.copy(), lat_a.copy(), lon_a.ndim == 0


def _result(lon: np.ndarray, lat: np.ndarray, scalar: bool) -> CoordPair:
    if scalar:
        return float(lon), float(lat)
    return lon, lat


def _in_china(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    # NaN compares False, so missing coordinates count as "outside" and pass through as NaN.
    return (
        (lon >= _CHINA_LON[0])
        & (lon <= _CHINA_LON[1])
        & (lat >= _CHINA_LAT[0])
        & (lat <= _CHINA_LAT[1])
    )


def _gcj02_delta(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """GCJ-02 minus WGS84 offset in degrees (lon, lat) at WGS84 point ``(lon, lat)``."""
    x = lon - 105.0
    y = lat - 35.0
    sqrt_abs_x = np.sqrt(np.abs(x))
    # Shared periodic term of the published polynomial; the constants carry no geodetic
    # meaning (they are the obfuscation), so they are kept verbatim for bit-compatibility.
    common = (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    d_lat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt_abs_x
    d_lat += common
    d_lat += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    d_lat += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    d_lon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt_abs_x
    d_lon += common
    d_lon += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    d_lon += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0

    # The polynomial yields metres; scale by the Krasovsky meridional / prime-vertical radii
    # of curvature to turn them into degrees at this latitude.
    rad_lat = np.radians(lat)
    magic = 1.0 - _KRASOVSKY_EE * np.sin(rad_lat) ** 2
    sqrt_magic = np.sqrt(magic)
    d_lat = (d_lat * 180.0) / (
        (_KRASOVSKY_A * (1.0 - _KRASOVSKY_EE)) / (magic * sqrt_magic) * np.pi
    )
    d_lon = (d_lon * 180.0) / (_KRASOVSKY_A / sqrt_magic * np.cos(rad_lat) * np.pi)
    return d_lon, d_lat


def _wgs84_to_gcj02(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    d_lon, d_lat = _gcj02_delta(lon, lat)
    inside = _in_china(lon, lat)
    return np.where(inside, lon + d_lon, lon), np.where(inside, lat + d_lat, lat)


def wgs84_to_gcj02(lon: Coord, lat: Coord) -> CoordPair:
    """WGS84 -> GCJ-02, degrees lon/lat in and out.

    Points outside the rough China bounding box are returned unchanged (as the reference tools do).
    """
    lon_a, lat_a, scalar = _as_arrays(lon, lat)
    return _result(*_wgs84_to_gcj02(lon_a, lat_a), scalar)


def _gcj02_to_wgs84(gcj_lon: np.ndarray, gcj_lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # The forward map has no closed-form inverse. It is identity plus a smooth offset whose
    # derivative is ~1e-3, so w <- w - (f(w) - gcj) is a strong contraction: each step gains
    # ~3 digits, and iterating (unlike the popular one-step "gcj - delta(gcj)", ~1-2 m off)
    # gets to millimetres.
    lon, lat = gcj_lon.copy(), gcj_lat.copy()
    for _ in range(_INVERSE_MAX_ITER):
        fwd_lon, fwd_lat = _wgs84_to_gcj02(lon, lat)
        step_lon = fwd_lon - gcj_lon
        step_lat = fwd_lat - gcj_lat
        lon -= step_lon
        lat -= step_lat
        # `not (>= tol)` rather than `< tol` so NaN inputs count as converged instead of
        # forcing all 30 iterations.
        if not np.any(
            (np.abs(step_lon) >= _INVERSE_TOL_DEG) | (np.abs(step_lat) >= _INVERSE_TOL_DEG)
        ):
            break
    return lon, lat


def gcj02_to_wgs84(lon: Coord, lat: Coord) -> CoordPair:
    """GCJ-02 -> WGS84, degrees lon/lat; exact inverse of :func:`wgs84_to_gcj02` to ~1e-10 deg.

    Uses fixed-point iteration (stop when the step < 1e-10 deg, at most 30 steps).
    """
    lon_a, lat_a, scalar = _as_arrays(lon, lat)
    return _result(*_gcj02_to_wgs84(lon_a, lat_a), scalar)


def _gcj02_to_bd09(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # Baidu's formula: a small polar-coordinate wobble about (0, 0) plus a fixed shift.
    # Applied everywhere (no China box), as in Baidu's own documentation and coordtransform,
    # so that BD-09 <-> GCJ-02 is a total, invertible pair of maps.
    z = np.hypot(lon, lat) + 0.00002 * np.sin(lat * _X_PI)
    theta = np.arctan2(lat, lon) + 0.000003 * np.cos(lon * _X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def _bd09_to_gcj02(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    # The published inverse evaluates the wobble at the BD-09 point rather than the unknown
    # GCJ-02 one, so GCJ->BD->GCJ is off by up to ~0.25 m. Kept anyway: it reproduces what
    # every other tool outputs, and Baidu's own server-side conversion differs from *both*
    # formulas by metres to tens of metres.
    x = lon - 0.0065
    y = lat - 0.006
    z = np.hypot(x, y) - 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta), z * np.sin(theta)


def gcj02_to_bd09(lon: Coord, lat: Coord) -> CoordPair:
    """GCJ-02 -> BD-09 (Baidu), degrees lon/lat, using Baidu's published formula."""
    lon_a, lat_a, scalar = _as_arrays(lon, lat)
    return _result(*_gcj02_to_bd09(lon_a, lat_a), scalar)


def bd09_to_gcj02(lon: Coord, lat: Coord) -> CoordPair:
    """BD-09 (Baidu) -> GCJ-02, degrees lon/lat, using the standard published inverse."""
    lon_a, lat_a, scalar = _as_arrays(lon, lat)
    return _result(*_bd09_to_gcj02(lon_a, lat_a), scalar)


def wgs84_to_bd09(lon: Coord, lat: Coord) -> CoordPair:
    """WGS84 -> BD-09 (via GCJ-02), degrees lon/lat."""
    lon_a, lat_a, scalar = _as_arrays(lon, lat)
    return _result(*_gcj02_to_bd09(*_wgs84_to_gcj02(lon_a, lat_a)), scalar)


def bd09_to_wgs84(lon: Coord, lat: Coord) -> CoordPair:
    """BD-09 -> WGS84 (via GCJ-02, iterative inverse), degrees lon/lat."""
    lon_a, lat_a, scalar = _as_arrays(lon, lat)
    return _result(*_gcj02_to_wgs84(*_bd09_to_gcj02(lon_a, lat_a)), scalar)


_ArrayFn: TypeAlias = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


def _identity(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return lon, lat


_PIPELINES: dict[tuple[str, str], _ArrayFn] = {
    ("wgs84", "gcj02"): _wgs84_to_gcj02,
    ("gcj02", "wgs84"): _gcj02_to_wgs84,
    ("gcj02", "bd09"): _gcj02_to_bd09,
    ("bd09", "gcj02"): _bd09_to_gcj02,
    ("wgs84", "bd09"): lambda lon, lat: _gcj02_to_bd09(*_wgs84_to_gcj02(lon, lat)),
    ("bd09", "wgs84"): lambda lon, lat: _gcj02_to_wgs84(*_bd09_to_gcj02(lon, lat)),
}


def _normalise_name(name: str, role: str) -> str:
    key = name.strip().lower() if isinstance(name, str) else name
    if key not in CRS_NAMES:
        raise ValueError(
            f"unknown {role} coordinate system {name!r}; expected one of {', '.join(CRS_NAMES)}"
        )
    return key


def _pipeline(src: str, dst: str) -> _ArrayFn:
    src_key = _normalise_name(src, "source")
    dst_key = _normalise_name(dst, "destination")
    if src_key == dst_key:
        return _identity
    return _PIPELINES[(src_key, dst_key)]


def convert(lon: Coord, lat: Coord, src: str, dst: str) -> CoordPair:
    """Convert degrees lon/lat from ``src`` to ``dst`` ("wgs84", "gcj02", "bd09"; any case).

    Raises ValueError for an unknown system name.
    """
    fn = _pipeline(src, dst)
    lon_a, lat_a, scalar = _as_arrays(lon, lat)
    return _result(*fn(lon_a, lat_a), scalar)


def transform_geometry(geom: BaseGeometry, src: str, dst: str) -> BaseGeometry:
    """Convert every vertex of a shapely geometry (degrees lon/lat) from ``src`` to ``dst``.

    Geometry type, vertex count and any Z values are preserved. Also accepts arrays of geometries.
    """
    fn = _pipeline(src, dst)

    def _apply(coords: np.ndarray) -> np.ndarray:
        out = coords.copy()
        out[:, 0], out[:, 1] = fn(coords[:, 0], coords[:, 1])
        return out

    # include_z=None keeps 2D geometries 2D and 3D ones 3D; Z (height) is untouched because
    # these offsets are purely horizontal.
    return shapely.transform(geom, _apply, include_z=None)


def transform_geodataframe(gdf: gpd.GeoDataFrame, src: str, dst: str) -> gpd.GeoDataFrame:
    """Return a copy of ``gdf`` with its active geometry converted from ``src`` to ``dst``.

    The result's CRS is EPSG:4326: GCJ-02/BD-09 are not real datums, only shifted lon/lat.
    Raises ValueError if ``gdf`` has a projected CRS (its coordinates are not degrees).
    """
    _pipeline(src, dst)  # validate names before copying a potentially large frame
    if gdf.crs is not None and not gdf.crs.is_geographic:
        raise ValueError(
            f"transform_geodataframe needs lon/lat degrees, got projected CRS {gdf.crs.to_string()}"
        )
    out = gdf.copy()
    geom_col = out.geometry.name
    # Vectorised over the whole column at once: shapely.transform flattens all coordinates
    # into one array, so this is one numpy pass rather than one per row.
    new_geoms = transform_geometry(np.asarray(out.geometry.array, dtype=object), src, dst)
    out[geom_col] = new_geoms
    return out.set_crs("EPSG:4326", allow_override=True)


def haversine_m(lon1: Coord, lat1: Coord, lon2: Coord, lat2: Coord) -> Any:
    """Great-circle distance in metres between degrees lon/lat points (spherical Earth).

    Returns a float for scalar input, otherwise a float64 array.
    """
    lon1_r, lat1_r, lon2_r, lat2_r = (
        np.radians(np.asarray(v, dtype=np.float64)) for v in (lon1, lat1, lon2, lat2)
    )
    # Haversine rather than the spherical law of cosines: the latter loses all precision
    # for the sub-metre distances the round-trip tests measure.
    h = (
        np.sin((lat2_r - lat1_r) / 2.0) ** 2
        + np.cos(lat1_r) * np.cos(lat2_r) * np.sin((lon2_r - lon1_r) / 2.0) ** 2
    )
    d = 2.0 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return float(d) if np.ndim(d) == 0 else d
