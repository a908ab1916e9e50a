"""WGS-84 ⇄ GCJ-02 ⇄ BD-09 conversions, vectorised over NumPy arrays (scalars accepted too).

GCJ-02 (Amap/Gaode, Tencent) is WGS-84 plus a published non-linear offset; BD-09 (Baidu) is GCJ-02 plus a
small rotation/shift. Forward formulas have closed forms. Their inverses do not, so we solve them by
fixed-point iteration until the correction falls below ``_TOLERANCE_DEG`` (≈ 1e-11°, well under 1 mm);
one-step inverses used by many packages err by up to ~3 m.

Outside the usual crude China bounding box the GCJ offset is not applied (identity), which matches the
reference implementations (``prcoords``, ``coord_convert``).

Every function returns ``(lon, lat)``: floats for scalar input, ``float64`` arrays for array input.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

CrsName = Literal["wgs84", "gcj02", "bd09"]
FloatArray = npt.NDArray[np.float64]
ArrayLike = float | npt.ArrayLike
# (lon, lat): two floats for scalar input, two float64 arrays for array input.
LonLat = tuple[Any, Any]
Forward = Callable[[FloatArray, FloatArray], tuple[FloatArray, FloatArray]]

# Krasovsky 1940 ellipsoid, as used by the GCJ-02 formula.
_GCJ_A = 6378245.0
_GCJ_EE = 0.00669342162296594323
# Baidu's fixed offsets and angular frequency.
_BD_DLON = 0.0065
_BD_DLAT = 0.006
_X_PI = math.pi * 3000.0 / 180.0
# The bounding box inside which the GCJ offset applies (same values as prcoords / coord_convert).
_CHINA_LON = (72.004, 137.8347)
_CHINA_LAT = (0.8293, 55.8271)

_TOLERANCE_DEG = 1e-11
_MAX_ITERATIONS = 30

_CRS_ALIASES: dict[str, CrsName] = {
    "wgs84": "wgs84",
    "wgs-84": "wgs84",
    "wgs 84": "wgs84",
    "epsg:4326": "wgs84",
    "4326": "wgs84",
    "gcj02": "gcj02",
    "gcj-02": "gcj02",
    "gcj": "gcj02",
    "bd09": "bd09",
    "bd-09": "bd09",
    "bd09ll": "bd09",
}


def normalize_crs(name: str) -> CrsName:
    """Map a user-supplied CRS name ("GCJ-02", "EPSG:4326", …) to one of "wgs84", "gcj02", "bd09"."""
    key = str(name).strip().lower()
    try:
        return _CRS_ALIASES[key]
    except KeyError:
        raise ValueError(
            f"unknown coordinate system {name!r}; expected one of: wgs84 (WGS-84, EPSG:4326), "
            "gcj02 (GCJ-02, Amap/Gaode/Tencent), bd09 (BD-09, Baidu)"
        ) from None


def _arrays(lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
    lon_a, lat_a = np.broadcast_arrays(np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64))
    return lon_a, lat_a


def _result(lon: FloatArray, lat: FloatArray, scalar_in: bool) -> LonLat:
    if scalar_in:
        return float(lon), float(lat)
    return lon, lat


def _is_scalar(lon: ArrayLike, lat: ArrayLike) -> bool:
    return bool(np.ndim(lon) == 0 and np.ndim(lat) == 0)


def in_china(lon: ArrayLike, lat: ArrayLike) -> npt.NDArray[np.bool_]:
    """True where the crude China box applies (where GCJ-02 differs from WGS-84)."""
    lon_a, lat_a = _arrays(lon, lat)
    return (
        (lon_a >= _CHINA_LON[0]) & (lon_a <= _CHINA_LON[1]) & (lat_a >= _CHINA_LAT[0]) & (lat_a <= _CHINA_LAT[1])
    )


def _gcj_offset(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    """The GCJ-02 offset in degrees at WGS-84 (lon, lat), applied everywhere (no China check)."""
    x = lon - 105.0
    y = lat - 35.0
    common = (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    d_lat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x)) + common
    d_lat += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    d_lat += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    d_lon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x)) + common
    d_lon += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    d_lon += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    rad_lat = lat / 180.0 * np.pi
    magic = 1.0 - _GCJ_EE * np.sin(rad_lat) ** 2
    sqrt_magic = np.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_GCJ_A * (1.0 - _GCJ_EE)) / (magic * sqrt_magic) * np.pi)
    d_lon = (d_lon * 180.0) / (_GCJ_A / sqrt_magic * np.cos(rad_lat) * np.pi)
    return d_lon, d_lat


def _bd_forward(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    z = np.sqrt(lon * lon + lat * lat) + 0.00002 * np.sin(lat * _X_PI)
    theta = np.arctan2(lat, lon) + 0.000003 * np.cos(lon * _X_PI)
    return z * np.cos(theta) + _BD_DLON, z * np.sin(theta) + _BD_DLAT


def _bd_inverse_rough(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    x = lon - _BD_DLON
    y = lat - _BD_DLAT
    z = np.sqrt(x * x + y * y) - 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta), z * np.sin(theta)


def _wgs_to_gcj_arrays(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    d_lon, d_lat = _gcj_offset(lon, lat)
    inside = in_china(lon, lat)
    return np.where(inside, lon + d_lon, lon), np.where(inside, lat + d_lat, lat)


def _solve_inverse(
    forward: Forward, target_lon: FloatArray, target_lat: FloatArray, lon: FloatArray, lat: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Fixed-point iteration x ← x − (f(x) − target); f is near-identity so it contracts fast (3–4 steps)."""
    lon = lon.copy()
    lat = lat.copy()
    for _ in range(_MAX_ITERATIONS):
        f_lon, f_lat = forward(lon, lat)
        step_lon = f_lon - target_lon
        step_lat = f_lat - target_lat
        lon -= step_lon
        lat -= step_lat
        # NaN inputs never converge: ignore them in the stop test.
        worst = np.nanmax(np.abs(np.concatenate([step_lon.ravel(), step_lat.ravel()])), initial=0.0)
        if worst < _TOLERANCE_DEG:
            break
    return lon, lat


def _gcj_to_wgs_arrays(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    inside = in_china(lon, lat)
    if not inside.any():
        return lon.copy(), lat.copy()

    def forward(x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
        d_lon, d_lat = _gcj_offset(x, y)
        return x + d_lon, y + d_lat

    d_lon, d_lat = _gcj_offset(lon, lat)
    sol_lon, sol_lat = _solve_inverse(forward, lon, lat, lon - d_lon, lat - d_lat)
    return np.where(inside, sol_lon, lon), np.where(inside, sol_lat, lat)


def _bd_to_gcj_arrays(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    start_lon, start_lat = _bd_inverse_rough(lon, lat)
    return _solve_inverse(_bd_forward, lon, lat, start_lon, start_lat)


def wgs84_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> LonLat:
    """WGS-84 → GCJ-02 (closed form)."""
    lon_a, lat_a = _arrays(lon, lat)
    return _result(*_wgs_to_gcj_arrays(lon_a, lat_a), _is_scalar(lon, lat))


def gcj02_to_wgs84(lon: ArrayLike, lat: ArrayLike) -> LonLat:
    """GCJ-02 → WGS-84, exact to < 1 mm (iterative)."""
    lon_a, lat_a = _arrays(lon, lat)
    return _result(*_gcj_to_wgs_arrays(lon_a, lat_a), _is_scalar(lon, lat))


def gcj02_to_bd09(lon: ArrayLike, lat: ArrayLike) -> LonLat:
    """GCJ-02 → BD-09 (closed form)."""
    lon_a, lat_a = _arrays(lon, lat)
    return _result(*_bd_forward(lon_a, lat_a), _is_scalar(lon, lat))


def bd09_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> LonLat:
    """BD-09 → GCJ-02, exact (iterative; the usual one-step formula errs by ~0.1 m)."""
    lon_a, lat_a = _arrays(lon, lat)
    return _result(*_bd_to_gcj_arrays(lon_a, lat_a), _is_scalar(lon, lat))


def wgs84_to_bd09(lon: ArrayLike, lat: ArrayLike) -> LonLat:
    """WGS-84 → BD-09."""
    lon_a, lat_a = _arrays(lon, lat)
    return _result(*_bd_forward(*_wgs_to_gcj_arrays(lon_a, lat_a)), _is_scalar(lon, lat))


def bd09_to_wgs84(lon: ArrayLike, lat: ArrayLike) -> LonLat:
    """BD-09 → WGS-84 (two exact inverses)."""
    lon_a, lat_a = _arrays(lon, lat)
    return _result(*_gcj_to_wgs_arrays(*_bd_to_gcj_arrays(lon_a, lat_a)), _is_scalar(lon, lat))


def to_wgs84(lon: ArrayLike, lat: ArrayLike, crs: str) -> LonLat:
    """Convert from ``crs`` (any name accepted by :func:`normalize_crs`) to WGS-84."""
    source = normalize_crs(crs)
    if source == "gcj02":
        return gcj02_to_wgs84(lon, lat)
    if source == "bd09":
        return bd09_to_wgs84(lon, lat)
    lon_a, lat_a = _arrays(lon, lat)
    return _result(lon_a.copy(), lat_a.copy(), _is_scalar(lon, lat))


def from_wgs84(lon: ArrayLike, lat: ArrayLike, crs: str) -> LonLat:
    """Convert WGS-84 to ``crs``."""
    target = normalize_crs(crs)
    if target == "gcj02":
        return wgs84_to_gcj02(lon, lat)
    if target == "bd09":
        return wgs84_to_bd09(lon, lat)
    lon_a, lat_a = _arrays(lon, lat)
    return _result(lon_a.copy(), lat_a.copy(), _is_scalar(lon, lat))


def convert(lon: ArrayLike, lat: ArrayLike, src: str, dst: str) -> LonLat:
    """Convert between any two of the supported systems (via WGS-84)."""
    source, target = normalize_crs(src), normalize_crs(dst)
    if source == target:
        return to_wgs84(lon, lat, "wgs84")
    if {source, target} == {"gcj02", "bd09"}:  # direct, avoids a needless GCJ round trip
        return gcj02_to_bd09(lon, lat) if source == "gcj02" else bd09_to_gcj02(lon, lat)
    w_lon, w_lat = to_wgs84(lon, lat, source)
    return from_wgs84(w_lon, w_lat, target)


def transform_geometry(geom: BaseGeometry, src: str, dst: str) -> BaseGeometry:
    """Convert every vertex of a shapely geometry from ``src`` to ``dst`` (vectorised)."""
    source, target = normalize_crs(src), normalize_crs(dst)
    if source == target:
        return geom

    def _convert(coords: FloatArray) -> FloatArray:
        lon, lat = convert(coords[:, 0], coords[:, 1], source, target)
        return np.column_stack([lon, lat])

    return shapely.transform(geom, _convert)


# --- validation -------------------------------------------------------------------------------------------

#: A generous box around Taiyuan and the neighbours the registry cares about (lon_min, lat_min, lon_max, lat_max).
REGION_BBOX: tuple[float, float, float, float] = (110.0, 35.0, 120.0, 42.0)


def _in_box(lon: float, lat: float, box: tuple[float, float, float, float]) -> bool:
    return box[0] <= lon <= box[2] and box[1] <= lat <= box[3]


def check_lonlat(
    lon: float, lat: float, *, region: tuple[float, float, float, float] | None = REGION_BBOX
) -> list[str]:
    """Problems with one (lon, lat) pair, as user-readable strings; an empty list means it looks fine.

    Flags non-numbers, out-of-range values, pairs that look swapped (lat/lon given as lon/lat) and, when
    ``region`` is given, points outside it.
    """
    try:
        lon_f, lat_f = float(lon), float(lat)
    except (TypeError, ValueError):
        return [f"coordinates must be numbers, got lon={lon!r}, lat={lat!r}"]
    if not (math.isfinite(lon_f) and math.isfinite(lat_f)):
        return [f"coordinates must be finite numbers, got lon={lon_f}, lat={lat_f}"]
    problems: list[str] = []
    if not -180.0 <= lon_f <= 180.0:
        problems.append(f"longitude {lon_f} is out of range (expected -180…180)")
    if not -90.0 <= lat_f <= 90.0:
        problems.append(f"latitude {lat_f} is out of range (expected -90…90)")
    swapped_fits = _in_box(lat_f, lon_f, region) if region else _in_box(lat_f, lon_f, _china_box())
    as_given_fits = _in_box(lon_f, lat_f, region) if region else _in_box(lon_f, lat_f, _china_box())
    if swapped_fits and not as_given_fits:
        problems.append(
            f"longitude and latitude look swapped: lon={lon_f}, lat={lat_f}; "
            f"did you mean lon={lat_f}, lat={lon_f}?"
        )
    elif region is not None and not as_given_fits and not problems:
        problems.append(
            f"point lon={lon_f}, lat={lat_f} is outside the expected region "
            f"(lon {region[0]}…{region[2]}, lat {region[1]}…{region[3]})"
        )
    return problems


def validate_lonlat(
    lon: float, lat: float, *, region: tuple[float, float, float, float] | None = REGION_BBOX
) -> tuple[float, float]:
    """Return ``(lon, lat)`` as floats or raise ValueError listing every problem found by :func:`check_lonlat`."""
    problems = check_lonlat(lon, lat, region=region)
    if problems:
        raise ValueError("; ".join(problems))
    return float(lon), float(lat)


def _china_box() -> tuple[float, float, float, float]:
    return (_CHINA_LON[0], _CHINA_LAT[0], _CHINA_LON[1], _CHINA_LAT[1])
