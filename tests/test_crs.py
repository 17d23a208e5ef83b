"""Tests for geo.crs: WGS84 / GCJ-02 / BD-09 conversions."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import MultiPolygon, Point, Polygon

from geo.crs import (
    CRS_NAMES,
    bd09_to_gcj02,
    bd09_to_wgs84,
    convert,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    haversine_m,
    transform_geodataframe,
    transform_geometry,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)

# Published values are full doubles from the same formula, so we can be far stricter than the
# 1e-6 deg of a typical "matches" check. 1e-9 deg (~0.1 mm) still leaves room for libm
# differences but catches e.g. the WGS84 semi-major axis slipping in for Krasovsky's
# (~8e-8 deg shift), which 1e-6 would let through.
FORMULA_TOL_DEG = 1e-9
ROUND_TRIP_TOL_M = 0.5

# WGS84 -> GCJ-02 test vectors of googollee/eviltransform (python/test.py, identical in
# go/transform_test.go and javascript/test.js). The source stores (lat, lng); reordered here
# to (wgs_lon, wgs_lat, gcj_lon, gcj_lat).
EVILTRANSFORM_WGS_GCJ = {
    "shanghai": (121.5272106, 31.1774276, 121.531541859215, 31.17530398364597),
    "shenzhen": (113.912316, 22.543847, 113.9171764808363, 22.540796131694766),
    "beijing": (116.377817, 39.911954, 116.38404722455657, 39.91334545536069),
}

# wandergis/coordtransform test/app.js: each function applied to (116.404, 39.915), near
# Tiananmen. The same numbers are asserted by hutool's CoordinateUtilTest and coordtransform-rs.
CT_INPUT = (116.404, 39.915)
CT_BD09_TO_GCJ02 = (116.39762729119315, 39.90865673957631)
CT_GCJ02_TO_BD09 = (116.41036949371029, 39.92133699351021)
CT_WGS84_TO_GCJ02 = (116.41024449916938, 39.91640428150164)
# coordtransform's gcj02towgs84 is the one-step approximation gcj - delta(gcj), not an exact
# inverse, so it is only expected to agree with ours to within centimetres.
CT_GCJ02_TO_WGS84_APPROX = (116.39775550083061, 39.91359571849836)

# Beijing railway station in all three systems, from the R package geoChina (Jun Cai,
# cran/geoChina R/cst.R examples). These were read off real maps to 5 decimals (~1 m), so
# they are an independent check of direction and sign, not of the last digit.
GEOCHINA_BJ_STATION = {
    "wgs84": (116.42079, 39.90105),
    "gcj02": (116.42703, 39.90245),
    "bd09": (116.43351, 39.90851),
}
GEOCHINA_TOL_M = 2.0  # two 5-decimal roundings (<= ~0.8 m each) plus map-reading error

SHANGHAI_BOX = ((120.85, 122.20), (30.67, 31.88))
# China proper, kept clear of the rough bounding box edges: a point within a few hundred
# metres of an edge can be shifted across it, which no GCJ-02 inverse can undo.
CHINA_BOX = ((75.0, 134.0), (18.0, 53.0))


def _random_points(box, n, seed):
    rng = np.random.default_rng(seed)
    (lon0, lon1), (lat0, lat1) = box
    return rng.uniform(lon0, lon1, n), rng.uniform(lat0, lat1, n)


# --- published reference points -------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EVILTRANSFORM_WGS_GCJ))
def test_wgs84_to_gcj02_matches_eviltransform(name):
    wgs_lon, wgs_lat, gcj_lon, gcj_lat = EVILTRANSFORM_WGS_GCJ[name]
    lon, lat = wgs84_to_gcj02(wgs_lon, wgs_lat)
    assert lon == pytest.approx(gcj_lon, abs=FORMULA_TOL_DEG)
    assert lat == pytest.approx(gcj_lat, abs=FORMULA_TOL_DEG)


@pytest.mark.parametrize("name", sorted(EVILTRANSFORM_WGS_GCJ))
def test_gcj02_to_wgs84_inverts_eviltransform(name):
    wgs_lon, wgs_lat, gcj_lon, gcj_lat = EVILTRANSFORM_WGS_GCJ[name]
    lon, lat = gcj02_to_wgs84(gcj_lon, gcj_lat)
    assert haversine_m(lon, lat, wgs_lon, wgs_lat) < ROUND_TRIP_TOL_M


def test_coordtransform_forward_values():
    assert wgs84_to_gcj02(*CT_INPUT) == pytest.approx(CT_WGS84_TO_GCJ02, abs=FORMULA_TOL_DEG)
    assert gcj02_to_bd09(*CT_INPUT) == pytest.approx(CT_GCJ02_TO_BD09, abs=FORMULA_TOL_DEG)
    assert bd09_to_gcj02(*CT_INPUT) == pytest.approx(CT_BD09_TO_GCJ02, abs=FORMULA_TOL_DEG)


def test_coordtransform_inverse_values():
    # Each published output, converted back, must land on the common input within 0.5 m.
    assert haversine_m(*gcj02_to_wgs84(*CT_WGS84_TO_GCJ02), *CT_INPUT) < ROUND_TRIP_TOL_M
    assert haversine_m(*bd09_to_gcj02(*CT_GCJ02_TO_BD09), *CT_INPUT) < ROUND_TRIP_TOL_M
    assert haversine_m(*gcj02_to_bd09(*CT_BD09_TO_GCJ02), *CT_INPUT) < ROUND_TRIP_TOL_M
    assert haversine_m(*gcj02_to_wgs84(*CT_INPUT), *CT_GCJ02_TO_WGS84_APPROX) < ROUND_TRIP_TOL_M


@pytest.mark.parametrize(
    ("src", "dst"),
    [
        ("wgs84", "gcj02"),
        ("gcj02", "bd09"),
        ("wgs84", "bd09"),
        ("gcj02", "wgs84"),
        ("bd09", "wgs84"),
    ],
)
def test_geochina_beijing_railway_station(src, dst):
    lon, lat = convert(*GEOCHINA_BJ_STATION[src], src, dst)
    assert haversine_m(lon, lat, *GEOCHINA_BJ_STATION[dst]) < GEOCHINA_TOL_M


# --- round trips ----------------------------------------------------------------------------


@pytest.mark.parametrize(("box", "seed"), [(SHANGHAI_BOX, 20240521), (CHINA_BOX, 7)])
def test_round_trip_random_points(box, seed):
    lon, lat = _random_points(box, 2000, seed)

    err_gcj = haversine_m(*gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat)), lon, lat)
    # The iterative inverse is exact to the 1e-10 deg stopping rule, i.e. ~1 cm at worst.
    assert err_gcj.max() < 0.01

    err_bd = haversine_m(*bd09_to_wgs84(*wgs84_to_bd09(lon, lat)), lon, lat)
    # Dominated by the published (approximate) BD-09 inverse, which is good to ~0.25 m.
    assert err_bd.max() < ROUND_TRIP_TOL_M


def test_round_trip_deterministic_grid():
    grid_lon, grid_lat = np.meshgrid(np.linspace(*CHINA_BOX[0], 40), np.linspace(*CHINA_BOX[1], 40))
    for lon, lat in [
        (grid_lon, grid_lat),
        # District-level spot checks: Shanghai People's Square, Pudong, Chongming, Kashgar.
        (
            np.array([121.4737, 121.5447, 121.3977, 75.9897]),
            np.array([31.2304, 31.2215, 31.6230, 39.4704]),
        ),
    ]:
        for there, back in [
            (wgs84_to_gcj02, gcj02_to_wgs84),
            (wgs84_to_bd09, bd09_to_wgs84),
            (gcj02_to_bd09, bd09_to_gcj02),
        ]:
            err = haversine_m(*back(*there(lon, lat)), lon, lat)
            assert err.shape == lon.shape
            assert err.max() < ROUND_TRIP_TOL_M, (there.__name__, float(err.max()))


def test_gcj02_inverse_hits_forward_image_exactly():
    # Stronger than distance: re-encoding the recovered WGS84 point reproduces the GCJ input.
    gcj_lon, gcj_lat = _random_points(SHANGHAI_BOX, 500, 3)
    again = wgs84_to_gcj02(*gcj02_to_wgs84(gcj_lon, gcj_lat))
    np.testing.assert_allclose(again[0], gcj_lon, rtol=0, atol=1e-9)
    np.testing.assert_allclose(again[1], gcj_lat, rtol=0, atol=1e-9)


# --- magnitudes and the China box ---------------------------------------------------------


def test_shanghai_gcj02_offset_magnitude():
    lon, lat = 121.43, 31.22
    offset = haversine_m(*wgs84_to_gcj02(lon, lat), lon, lat)
    assert 300.0 < offset < 700.0


def test_bd09_is_further_shifted_than_gcj02():
    lon, lat = 121.43, 31.22
    assert haversine_m(*wgs84_to_bd09(lon, lat), lon, lat) > haversine_m(
        *wgs84_to_gcj02(lon, lat), lon, lat
    )


@pytest.mark.parametrize(
    ("lon", "lat"),
    [(-0.1276, 51.5072), (-74.006, 40.7128), (151.2093, -33.8688), (139.6917, 56.0)],
    ids=["london", "new-york", "sydney", "north-of-box"],
)
def test_outside_china_unchanged(lon, lat):
    assert wgs84_to_gcj02(lon, lat) == (lon, lat)
    assert gcj02_to_wgs84(lon, lat) == (lon, lat)


def test_mixed_inside_and_outside_array():
    lon = np.array([-0.1276, 121.43])
    lat = np.array([51.5072, 31.22])
    out_lon, out_lat = wgs84_to_gcj02(lon, lat)
    assert (out_lon[0], out_lat[0]) == (lon[0], lat[0])
    assert (out_lon[1], out_lat[1]) != (lon[1], lat[1])


def test_bd09_round_trip_outside_china():
    # BD-09 is applied everywhere (Baidu formula has no China box) but must still invert.
    lon, lat = -0.1276, 51.5072
    assert haversine_m(*bd09_to_wgs84(*wgs84_to_bd09(lon, lat)), lon, lat) < ROUND_TRIP_TOL_M


# --- input handling ---------------------------------------------------------------------------

ALL_FUNCS = [
    wgs84_to_gcj02,
    gcj02_to_wgs84,
    gcj02_to_bd09,
    bd09_to_gcj02,
    wgs84_to_bd09,
    bd09_to_wgs84,
]


@pytest.mark.parametrize("fn", ALL_FUNCS, ids=lambda f: f.__name__)
def test_scalars_and_arrays_agree(fn):
    lon, lat = _random_points(SHANGHAI_BOX, 12, 11)
    arr_lon, arr_lat = fn(lon.reshape(3, 4), lat.reshape(3, 4))
    assert arr_lon.shape == arr_lat.shape == (3, 4)
    assert arr_lon.dtype == arr_lat.dtype == np.float64
    for i, (x, y) in enumerate(zip(lon, lat, strict=True)):
        s_lon, s_lat = fn(float(x), float(y))
        assert type(s_lon) is float and type(s_lat) is float
        assert s_lon == pytest.approx(arr_lon.flat[i], abs=1e-12)
        assert s_lat == pytest.approx(arr_lat.flat[i], abs=1e-12)


def test_lists_broadcasting_and_no_mutation():
    lon = np.array([121.40, 121.45, 121.50])
    before = lon.copy()
    out_lon, out_lat = wgs84_to_gcj02(lon, 31.22)  # scalar latitude broadcasts
    assert out_lon.shape == out_lat.shape == (3,)
    np.testing.assert_array_equal(lon, before)
    from_list = wgs84_to_gcj02([121.40, 121.45, 121.50], [31.22, 31.22, 31.22])
    np.testing.assert_array_equal(from_list[0], out_lon)


def test_nan_and_empty_pass_through():
    lon, lat = gcj02_to_wgs84(np.array([np.nan, 121.43]), np.array([31.22, 31.22]))
    assert np.isnan(lon[0]) and np.isfinite(lon[1])
    assert lat[0] == 31.22  # the other coordinate of a NaN point is left alone
    assert lat[1] != 31.22
    empty = gcj02_to_wgs84(np.array([]), np.array([]))
    assert empty[0].shape == empty[1].shape == (0,)


# --- convert() ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "dst", "fn"),
    [
        ("wgs84", "gcj02", wgs84_to_gcj02),
        ("gcj02", "wgs84", gcj02_to_wgs84),
        ("gcj02", "bd09", gcj02_to_bd09),
        ("bd09", "gcj02", bd09_to_gcj02),
        ("wgs84", "bd09", wgs84_to_bd09),
        ("bd09", "wgs84", bd09_to_wgs84),
    ],
)
def test_convert_dispatches(src, dst, fn):
    lon, lat = _random_points(SHANGHAI_BOX, 5, 5)
    expected = fn(lon, lat)
    got = convert(lon, lat, src.upper(), f" {dst.title()} ")  # case and padding are ignored
    np.testing.assert_array_equal(got[0], expected[0])
    np.testing.assert_array_equal(got[1], expected[1])


@pytest.mark.parametrize("name", CRS_NAMES)
def test_convert_same_system_is_identity(name):
    assert convert(121.43, 31.22, name, name) == (121.43, 31.22)


@pytest.mark.parametrize(
    ("src", "dst"), [("epsg:4326", "gcj02"), ("wgs84", "bd-09"), ("", "wgs84")]
)
def test_convert_rejects_unknown_name(src, dst):
    with pytest.raises(ValueError, match=r"unknown .*coordinate system.*expected one of"):
        convert(121.43, 31.22, src, dst)


# --- shapely / geopandas --------------------------------------------------------------------


def _square(lon, lat, size=0.01):
    return [(lon, lat), (lon + size, lat), (lon + size, lat + size), (lon, lat + size), (lon, lat)]


def test_transform_polygon_keeps_type_and_vertices():
    poly = Polygon(_square(121.43, 31.22), holes=[_square(121.432, 31.222, 0.002)])
    out = transform_geometry(poly, "wgs84", "gcj02")
    assert out.geom_type == "Polygon"
    assert len(out.interiors) == 1
    assert shapely.get_num_coordinates(out) == shapely.get_num_coordinates(poly)
    coords_in = shapely.get_coordinates(poly)
    expected = np.column_stack(wgs84_to_gcj02(coords_in[:, 0], coords_in[:, 1]))
    np.testing.assert_allclose(shapely.get_coordinates(out), expected, rtol=0, atol=1e-12)
    assert out.is_valid


def test_transform_multipolygon_round_trip():
    multi = MultiPolygon([Polygon(_square(121.43, 31.22)), Polygon(_square(121.50, 31.30))])
    bd = transform_geometry(multi, "WGS84", "BD09")
    assert bd.geom_type == "MultiPolygon"
    assert len(bd.geoms) == 2
    assert shapely.get_num_coordinates(bd) == shapely.get_num_coordinates(multi)
    back = transform_geometry(bd, "bd09", "wgs84")
    a, b = shapely.get_coordinates(back), shapely.get_coordinates(multi)
    assert haversine_m(a[:, 0], a[:, 1], b[:, 0], b[:, 1]).max() < ROUND_TRIP_TOL_M


def test_transform_geometry_preserves_z():
    out = transform_geometry(Point(121.43, 31.22, 12.5), "wgs84", "gcj02")
    assert out.has_z
    assert out.z == 12.5
    assert (out.x, out.y) == wgs84_to_gcj02(121.43, 31.22)


def test_transform_geometry_rejects_unknown_name():
    with pytest.raises(ValueError, match="unknown"):
        transform_geometry(Point(121.43, 31.22), "wgs84", "mars")


def test_transform_geodataframe_returns_converted_copy():
    gdf = gpd.GeoDataFrame(
        {"household": ["甲", "乙"]},
        geometry=[Point(121.43, 31.22), Polygon(_square(121.43, 31.22))],
        crs="EPSG:4326",
    )
    original = gdf.copy()
    out = transform_geodataframe(gdf, "wgs84", "gcj02")

    assert out is not gdf
    assert out.crs.to_epsg() == 4326
    assert list(out["household"]) == ["甲", "乙"]
    assert list(out.geom_type) == ["Point", "Polygon"]
    assert gdf.geom_equals(original).all()  # input untouched
    assert (out.geometry.iloc[0].x, out.geometry.iloc[0].y) == wgs84_to_gcj02(121.43, 31.22)


def test_transform_geodataframe_named_geometry_and_missing_crs():
    gdf = gpd.GeoDataFrame({"geom": [Point(121.43, 31.22)]}, geometry="geom")
    out = transform_geodataframe(gdf, "gcj02", "bd09")
    assert out.geometry.name == "geom"
    assert out.crs.to_epsg() == 4326


def test_transform_geodataframe_rejects_projected_crs():
    gdf = gpd.GeoDataFrame(geometry=[Point(121.43, 31.22)], crs="EPSG:4326").to_crs("EPSG:3857")
    with pytest.raises(ValueError, match="projected"):
        transform_geodataframe(gdf, "wgs84", "gcj02")


# --- haversine ------------------------------------------------------------------------------


def test_haversine_known_distances():
    assert haversine_m(121.43, 31.22, 121.43, 31.22) == 0.0
    one_degree_lat = math.radians(1.0) * 6371008.8
    assert haversine_m(0.0, 0.0, 0.0, 1.0) == pytest.approx(one_degree_lat, rel=1e-12)
    # Shanghai -> Beijing, ~1,067 km great-circle.
    assert haversine_m(121.4737, 31.2304, 116.4074, 39.9042) == pytest.approx(1_067_000, rel=0.01)
    d = haversine_m(np.array([0.0, 0.0]), np.array([0.0, 0.0]), 0.0, np.array([1.0, 2.0]))
    np.testing.assert_allclose(d, [one_degree_lat, 2 * one_degree_lat])
