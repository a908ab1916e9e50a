"""WGS-84 ⇄ GCJ-02 ⇄ BD-09: accuracy against independent references, exact inverses, names, validation."""
from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon

from registry import crs

prcoords = pytest.importorskip("prcoords")
coord_transform = pytest.importorskip("coord_convert.transform")

N_POINTS = 100_000
M_PER_DEG = 111_320.0  # metres per degree of latitude (enough for error bounds in the 0.01 m range)


def _error_m(lon_a: np.ndarray, lat_a: np.ndarray, lon_b: np.ndarray, lat_b: np.ndarray) -> np.ndarray:
    dx = (lon_a - lon_b) * M_PER_DEG * np.cos(np.radians(lat_a))
    dy = (lat_a - lat_b) * M_PER_DEG
    return np.hypot(dx, dy)


@pytest.fixture(scope="module")
def china_points() -> tuple[np.ndarray, np.ndarray]:
    """100,000 WGS-84 points over mainland China's extent (plus a dense cluster around Taiyuan)."""
    rng = np.random.default_rng(20240601)
    lon = np.concatenate([rng.uniform(75.0, 134.0, N_POINTS // 2), rng.uniform(111.5, 113.2, N_POINTS // 2)])
    lat = np.concatenate([rng.uniform(18.0, 53.0, N_POINTS // 2), rng.uniform(37.3, 38.5, N_POINTS // 2)])
    return lon, lat


def test_forward_gcj_matches_coord_convert(china_points: tuple[np.ndarray, np.ndarray]) -> None:
    lon, lat = china_points
    ours = crs.wgs84_to_gcj02(lon, lat)
    ref = np.array([coord_transform.wgs2gcj(x, y) for x, y in zip(lon.tolist(), lat.tolist())])
    assert _error_m(ours[0], ours[1], ref[:, 0], ref[:, 1]).max() < 0.01


def test_forward_bd_matches_prcoords(china_points: tuple[np.ndarray, np.ndarray]) -> None:
    lon, lat = china_points
    sample = slice(0, None, 10)  # prcoords is slow-ish; 10,000 points suffice for a second reference
    ours = crs.wgs84_to_bd09(lon[sample], lat[sample])
    ref = np.array([prcoords.wgs_bd((y, x)) for x, y in zip(lon[sample].tolist(), lat[sample].tolist())])
    assert _error_m(ours[0], ours[1], ref[:, 1], ref[:, 0]).max() < 0.01


def test_gcj_round_trip_is_exact_on_100k_points(china_points: tuple[np.ndarray, np.ndarray]) -> None:
    lon, lat = china_points
    back = crs.gcj02_to_wgs84(*crs.wgs84_to_gcj02(lon, lat))
    assert _error_m(back[0], back[1], lon, lat).max() < 0.001


def test_bd_round_trip_is_exact_on_100k_points(china_points: tuple[np.ndarray, np.ndarray]) -> None:
    lon, lat = china_points
    back = crs.bd09_to_wgs84(*crs.wgs84_to_bd09(lon, lat))
    assert _error_m(back[0], back[1], lon, lat).max() < 0.001


def test_inverse_beats_the_one_step_inverse(china_points: tuple[np.ndarray, np.ndarray]) -> None:
    """The one-step inverse (prcoords.gcj_wgs) errs by metres; ours must agree with prcoords' iterative one."""
    lon, lat = (a[N_POINTS // 2 :: 50] for a in china_points)  # Taiyuan cluster
    g_lon, g_lat = crs.wgs84_to_gcj02(lon, lat)
    ours = crs.gcj02_to_wgs84(g_lon, g_lat)
    bored = np.array([prcoords.gcj_wgs_bored((y, x)) for x, y in zip(g_lon.tolist(), g_lat.tolist())])
    rough = np.array([prcoords.gcj_wgs((y, x)) for x, y in zip(g_lon.tolist(), g_lat.tolist())])
    assert _error_m(ours[0], ours[1], bored[:, 1], bored[:, 0]).max() < 0.01
    assert _error_m(rough[:, 1], rough[:, 0], lon, lat).max() > 0.5  # why the iteration exists


def test_taiyuan_offset_is_in_the_documented_range() -> None:
    lon, lat = 112.55, 37.87
    g_lon, g_lat = crs.wgs84_to_gcj02(lon, lat)
    offset = float(_error_m(np.array(g_lon), np.array(g_lat), np.array(lon), np.array(lat)))
    assert 540 < offset < 620


def test_scalars_in_scalars_out_and_shapes_kept() -> None:
    out = crs.gcj02_to_wgs84(112.5, 37.8)
    assert all(isinstance(v, float) for v in out)
    grid_lon, grid_lat = np.meshgrid(np.linspace(112, 113, 4), np.linspace(37, 38, 3))
    conv = crs.wgs84_to_bd09(grid_lon, grid_lat)
    assert conv[0].shape == (3, 4) and conv[1].shape == (3, 4)


def test_outside_china_is_left_unchanged() -> None:
    assert crs.wgs84_to_gcj02(2.35, 48.85) == (2.35, 48.85)
    assert crs.gcj02_to_wgs84(-74.0, 40.7) == (-74.0, 40.7)


def test_nan_passes_through_without_spoiling_neighbours() -> None:
    lon, _ = crs.gcj02_to_wgs84(np.array([112.5, np.nan]), np.array([37.8, 37.8]))
    assert math.isfinite(lon[0]) and math.isnan(lon[1])


@pytest.mark.parametrize(
    ("name", "expected"),
    [("wgs84", "wgs84"), ("EPSG:4326", "wgs84"), ("WGS-84", "wgs84"), ("GCJ-02", "gcj02"),
     ("gcj02", "gcj02"), ("BD-09", "bd09"), ("bd09", "bd09"), (" Bd09 ", "bd09")],
)
def test_crs_names(name: str, expected: str) -> None:
    assert crs.normalize_crs(name) == expected


def test_unknown_crs_name_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"'EPSG:3857'.*wgs84.*gcj02.*bd09"):
        crs.to_wgs84(112.5, 37.8, "EPSG:3857")


def test_to_and_from_wgs84_dispatch() -> None:
    lon, lat = 112.55, 37.87
    assert crs.from_wgs84(lon, lat, "GCJ-02") == crs.wgs84_to_gcj02(lon, lat)
    assert crs.to_wgs84(*crs.from_wgs84(lon, lat, "bd09"), "BD-09") == pytest.approx((lon, lat), abs=1e-9)
    assert crs.to_wgs84(lon, lat, "EPSG:4326") == (lon, lat)
    assert crs.convert(*crs.wgs84_to_gcj02(lon, lat), "gcj02", "bd09") == pytest.approx(
        crs.wgs84_to_bd09(lon, lat), abs=1e-12
    )


def test_transform_geometry_moves_every_vertex() -> None:
    square = Polygon([(112.5, 37.8), (112.6, 37.8), (112.6, 37.9), (112.5, 37.9)])
    moved = crs.transform_geometry(square, "gcj02", "wgs84")
    coords = shapely.get_coordinates(moved)
    exp_lon, exp_lat = crs.gcj02_to_wgs84(*shapely.get_coordinates(square).T)
    np.testing.assert_allclose(coords[:, 0], exp_lon)
    np.testing.assert_allclose(coords[:, 1], exp_lat)
    assert crs.transform_geometry(square, "wgs84", "WGS-84") is square


def test_check_lonlat_accepts_a_taiyuan_point() -> None:
    assert crs.check_lonlat(112.55, 37.87) == []
    assert crs.validate_lonlat(112.55, 37.87) == (112.55, 37.87)


def test_check_lonlat_flags_swapped_taiyuan_pair() -> None:
    problems = crs.check_lonlat(37.87, 112.55)
    assert any("swapped" in p for p in problems)
    assert any("latitude 112.55 is out of range" in p for p in problems)


def test_check_lonlat_flags_swap_even_when_both_values_are_in_range() -> None:
    # (lon 37.87, lat 80) is a legal point in the Arctic, but reversed it lands in China (region=None).
    assert any("swapped" in p for p in crs.check_lonlat(37.87, 80.0, region=None))
    assert crs.check_lonlat(80.0, 37.87, region=None) == []


@pytest.mark.parametrize(
    ("lon", "lat", "fragment"),
    [(200.0, 37.8, "longitude 200.0 is out of range"), (112.5, -95.0, "latitude -95.0 is out of range"),
     (float("nan"), 37.8, "finite"), ("abc", 37.8, "numbers"), (2.35, 48.85, "outside the expected region")],
)
def test_check_lonlat_flags_bad_values(lon: float, lat: float, fragment: str) -> None:
    problems = crs.check_lonlat(lon, lat)
    assert any(fragment in p for p in problems), problems
    with pytest.raises(ValueError, match=fragment.split()[0]):
        crs.validate_lonlat(lon, lat)
