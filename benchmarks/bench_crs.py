"""Coordinate conversion speed: registry.crs (vectorised NumPy) vs coord_convert / prcoords (pure-Python loops).

Usage: python benchmarks/bench_crs.py [--n 1000000] [--loop-n 100000]
Prints a markdown section; both sides run in the same process on the same random Taiyuan-area points.
"""
from __future__ import annotations

import argparse
import platform
import time
from collections.abc import Callable

import numpy as np
import prcoords
from coord_convert import transform as cc

from registry import crs


def _rate(fn: Callable[[], object], n: int, repeat: int = 3) -> float:
    best = min(_timed(fn) for _ in range(repeat))
    return n / best


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1_000_000, help="points for the vectorised functions")
    parser.add_argument("--loop-n", type=int, default=100_000, help="points for the pure-Python loops")
    args = parser.parse_args()
    rng = np.random.default_rng(1)
    lon = rng.uniform(111.5, 113.2, args.n)
    lat = rng.uniform(37.3, 38.5, args.n)
    g_lon, g_lat = crs.wgs84_to_gcj02(lon, lat)
    b_lon, b_lat = crs.wgs84_to_bd09(lon, lat)
    m = args.loop_n
    pairs = list(zip(lon[:m].tolist(), lat[:m].tolist()))
    gpairs = list(zip(g_lon[:m].tolist(), g_lat[:m].tolist()))
    bpairs = list(zip(b_lon[:m].tolist(), b_lat[:m].tolist()))
    rows = [
        ("WGS→GCJ", _rate(lambda: crs.wgs84_to_gcj02(lon, lat), args.n),
         _rate(lambda: [cc.wgs2gcj(x, y) for x, y in pairs], m, 1), "coord_convert.wgs2gcj"),
        ("GCJ→WGS (exact)", _rate(lambda: crs.gcj02_to_wgs84(g_lon, g_lat), args.n),
         _rate(lambda: [cc.gcj2wgs(x, y) for x, y in gpairs], m, 1), "coord_convert.gcj2wgs (iterative, 1e-6° stop)"),
        ("GCJ→WGS (exact)", _rate(lambda: crs.gcj02_to_wgs84(g_lon, g_lat), args.n),
         _rate(lambda: [prcoords.gcj_wgs_bored((y, x)) for x, y in gpairs], m, 1), "prcoords.gcj_wgs_bored"),
        ("BD→WGS (exact)", _rate(lambda: crs.bd09_to_wgs84(b_lon, b_lat), args.n),
         _rate(lambda: [cc.bd2wgs(x, y) for x, y in bpairs], m, 1), "coord_convert.bd2wgs"),
    ]
    print(f"## Coordinate conversion (bench_crs.py, n={args.n:,} vectorised, {m:,} looped; "
          f"Python {platform.python_version()}, NumPy {np.__version__})\n")
    print("| conversion | registry.crs points/s | reference | reference points/s | ratio |")
    print("|---|---:|---|---:|---:|")
    for name, ours, ref, ref_name in rows:
        print(f"| {name} | {ours / 1e6:.2f} M | {ref_name} | {ref / 1e6:.3f} M | {ours / ref:.0f}× |")


if __name__ == "__main__":
    main()
