"""Point placement speed: DistrictIndex.locate (district + zone + corridors) vs geopandas.sjoin (districts only).

Usage: python benchmarks/bench_locate.py [--n 1000000]
Random WGS-84 points in Taiyuan's bounding box; both run in the same process. Also checks that both give
the same district for every point strictly inside one (sjoin 'within' leaves border points unmatched).
"""
from __future__ import annotations

import argparse
import time

import geopandas
import numpy as np
import shapely

from registry.geodata import load_admin_units
from registry.locate import DistrictIndex


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1_000_000)
    args = parser.parse_args()
    units = [u for u in load_admin_units() if u.group == "taiyuan" and u.level == "county"]
    city = shapely.union_all([u.geometry for u in units])
    x0, y0, x1, y1 = city.bounds
    rng = np.random.default_rng(7)
    lon = rng.uniform(x0, x1, args.n)
    lat = rng.uniform(y0, y1, args.n)

    start = time.perf_counter()
    index = DistrictIndex.from_geodata()
    build_s = time.perf_counter() - start

    start = time.perf_counter()
    located = index.locate(lon, lat)
    ours_s = time.perf_counter() - start
    start = time.perf_counter()
    district_only = index.district_of(lon, lat)
    ours_district_s = time.perf_counter() - start

    districts = geopandas.GeoDataFrame({"adcode": [u.adcode for u in units]}, geometry=[u.geometry for u in units],
                                       crs="EPSG:4326")
    start = time.perf_counter()
    points = geopandas.GeoDataFrame(geometry=geopandas.points_from_xy(lon, lat), crs="EPSG:4326")
    joined = geopandas.sjoin(points, districts, predicate="within", how="left")
    sjoin_s = time.perf_counter() - start

    theirs = joined["adcode"].groupby(level=0).first().reindex(range(args.n)).fillna("").to_numpy()
    in_taiyuan = np.isin(district_only, [u.adcode for u in units])
    agree = (theirs[in_taiyuan] == district_only[in_taiyuan]).mean()
    rate = lambda s: args.n / s / 1e6

    print(f"## Point placement (bench_locate.py, n={args.n:,} random points in Taiyuan's bbox)\n")
    print("| method | what it computes | seconds | points/s | vs sjoin |")
    print("|---|---|---:|---:|---:|")
    print(f"| DistrictIndex.locate | district ({len(index.districts.codes)} counties) + zone "
          f"({len(index.zones.codes)}) + corridors ({len(index.corridors.codes)}) | {ours_s:.2f} | {rate(ours_s):.2f} M | {sjoin_s / ours_s:.1f}× |")
    print(f"| DistrictIndex.district_of | district only | {ours_district_s:.2f} | {rate(ours_district_s):.2f} M | {sjoin_s / ours_district_s:.1f}× |")
    print(f"| geopandas.sjoin(points, districts, predicate='within') | Taiyuan's 10 districts only (incl. building points) | {sjoin_s:.2f} | {rate(sjoin_s):.2f} M | 1.0× |")
    print(f"\nIndex build: {build_s * 1000:.0f} ms. Points inside Taiyuan: {in_taiyuan.mean():.1%}; "
          f"district agreement with sjoin on them: {agree:.4%}. Points with a zone: {(located.zone != '').mean():.1%}.")


if __name__ == "__main__":
    main()
