"""Vectorised point → district / zone / corridor lookup over WGS-84 coordinates.

Each polygon is prepared once; a query first keeps the points inside the polygon's bounding box, then tests
them with ``shapely.intersects_xy`` (~8 M points/s for Taiyuan's districts).

Border rule (deterministic): a point on a shared border, or exactly on a vertex, belongs to the candidate
that comes FIRST in the layer's order — districts in ascending adcode (lowest adcode wins), zones by
ascending schematic/official area then code (the most specific zone wins: a park before its parent zone).
Interior points are unaffected by the order because the units of a coverage do not overlap.
Regions that are exactly a union of indexed counties (山西中部城市群, 太原晋中一体化, 太忻, 汾河) take their
membership from the point's district, so their border points follow the same rule.
"""
from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

from registry.geodata import MemberUnit, load_admin_units, load_strategies, load_zones

NO_MATCH = ""


@dataclass(frozen=True)
class Located:
    """Lookup results, one entry per input point ("" where nothing matched)."""

    district: npt.NDArray[np.object_]
    zone: npt.NDArray[np.object_]
    corridors: dict[str, npt.NDArray[np.bool_]]  # strategy/corridor code → membership mask

    def corridor_codes(self, i: int) -> list[str]:
        """Codes of the strategies/corridors containing point ``i``, sorted."""
        return sorted(code for code, mask in self.corridors.items() if mask[i])


class SortedPoints:
    """Points sorted by longitude once, so each polygon's bounding-box test only touches a contiguous slice."""

    def __init__(self, lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64]) -> None:
        self.lon = lon
        self.lat = lat
        self.order = np.argsort(lon, kind="stable")
        self.sorted_lon = lon[self.order]

    def in_box(self, bounds: npt.NDArray[np.float64]) -> npt.NDArray[np.intp]:
        x0, y0, x1, y1 = bounds
        lo = int(np.searchsorted(self.sorted_lon, x0, side="left"))
        hi = int(np.searchsorted(self.sorted_lon, x1, side="right"))
        idx = self.order[lo:hi]
        lat = self.lat[idx]
        return idx[(lat >= y0) & (lat <= y1)]


class PolygonLayer:
    """Ordered, prepared polygons; ``first_match`` returns the first polygon containing each point."""

    def __init__(self, codes: Sequence[str], geometries: Sequence[BaseGeometry]) -> None:
        self.codes = list(codes)
        self.geometries = list(geometries)
        for geom in self.geometries:
            shapely.prepare(geom)
        self.bounds = np.array([g.bounds for g in self.geometries]).reshape(-1, 4)

    def first_match_index(self, lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64],
                          points: SortedPoints | None = None) -> npt.NDArray[np.intp]:
        """Per point, the position in ``codes`` of the first polygon containing it, or -1."""
        points = points or SortedPoints(lon, lat)
        result = np.full(lon.shape, -1, dtype=np.intp)
        for k in range(len(self.codes)):
            idx = points.in_box(self.bounds[k])
            idx = idx[result[idx] < 0]
            if idx.size:
                result[idx[shapely.intersects_xy(self.geometries[k], lon[idx], lat[idx])]] = k
        return result

    def code_array(self, index: npt.NDArray[np.intp]) -> npt.NDArray[np.object_]:
        """Codes for ``first_match_index`` results ("" for -1)."""
        return np.array([*self.codes, NO_MATCH], dtype=object)[index]

    def first_match(self, lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64],
                    points: SortedPoints | None = None) -> npt.NDArray[np.object_]:
        return self.code_array(self.first_match_index(lon, lat, points))

    def membership(self, lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64],
                   points: SortedPoints | None = None, district: tuple[PolygonLayer, npt.NDArray[np.intp]] | None = None,
                   county_sets: dict[str, frozenset[str]] | None = None) -> dict[str, npt.NDArray[np.bool_]]:
        """Membership mask per polygon. A polygon listed in ``county_sets`` is exactly the union of those
        counties: its members are read from ``district`` (the district layer and its first_match_index result)
        and only points in no district are tested geometrically."""
        points = points or SortedPoints(lon, lat)
        county_sets = county_sets or {}
        unplaced = np.flatnonzero(district[1] < 0) if district is not None else None
        masks: dict[str, npt.NDArray[np.bool_]] = {}
        for k, code in enumerate(self.codes):
            if code in county_sets and district is not None and unplaced is not None:
                layer, found = district
                is_member = np.array([c in county_sets[code] for c in layer.codes] + [False])
                mask = is_member[found]
                x0, y0, x1, y1 = self.bounds[k]
                u_lon, u_lat = lon[unplaced], lat[unplaced]
                idx = unplaced[(u_lon >= x0) & (u_lon <= x1) & (u_lat >= y0) & (u_lat <= y1)]
            else:
                mask = np.zeros(lon.shape, dtype=bool)
                idx = points.in_box(self.bounds[k])
            if idx.size:
                mask[idx[shapely.intersects_xy(self.geometries[k], lon[idx], lat[idx])]] = True
            masks[code] = mask
        return masks


class DistrictIndex:
    """Built once from the geodata layers; ``locate`` places many WGS-84 points at a time."""

    def __init__(self, districts: PolygonLayer, zones: PolygonLayer, corridors: PolygonLayer,
                 county_sets: dict[str, frozenset[str]] | None = None) -> None:
        self.districts = districts
        self.zones = zones
        self.corridors = corridors
        # Corridors that are exactly a union of indexed counties (regions): membership follows the district.
        self.county_sets = county_sets or {}

    @classmethod
    def from_geodata(cls, path: str | os.PathLike[str] | None = None, *, counties_only: bool = True) -> DistrictIndex:
        """Index the county-level units (Taiyuan + neighbours), all zones and all placed strategies/corridors."""
        units = sorted(
            (u for u in load_admin_units(path) if u.level == "county" or not counties_only), key=lambda u: u.adcode
        )
        zones = sorted(
            (z for z in load_zones(path) if z.geometry is not None), key=lambda z: (round(z.geometry.area, 12) if z.geometry is not None else 0.0, z.code)
        )
        strategies = sorted((s for s in load_strategies(path) if s.geometry is not None), key=lambda s: s.code)
        by_code = {u.adcode: u.geometry for u in units}
        county_sets = {}
        for strategy in strategies:
            counties = _member_counties(strategy.member_units, by_code)
            if counties and _same_area(shapely.union_all([by_code[c] for c in counties]), strategy.geometry):
                county_sets[strategy.code] = counties
        return cls(
            PolygonLayer([u.adcode for u in units], [u.geometry for u in units]),
            PolygonLayer([z.code for z in zones], [z.geometry for z in zones]),  # type: ignore[misc]
            PolygonLayer([s.code for s in strategies], [s.geometry for s in strategies]),  # type: ignore[misc]
            county_sets,
        )

    def locate(self, lon: npt.ArrayLike, lat: npt.ArrayLike) -> Located:
        """District adcode, most specific zone code and corridor membership for each WGS-84 point."""
        lon_a = np.atleast_1d(np.asarray(lon, dtype=np.float64))
        lat_a = np.atleast_1d(np.asarray(lat, dtype=np.float64))
        points = SortedPoints(lon_a, lat_a)
        district = self.districts.first_match_index(lon_a, lat_a, points)
        return Located(
            district=self.districts.code_array(district),
            zone=self.zones.first_match(lon_a, lat_a, points),
            corridors=self.corridors.membership(lon_a, lat_a, points, (self.districts, district), self.county_sets),
        )

    def district_of(self, lon: npt.ArrayLike, lat: npt.ArrayLike) -> npt.NDArray[np.object_]:
        """Only the district adcodes (cheaper than ``locate``)."""
        lon_a = np.atleast_1d(np.asarray(lon, dtype=np.float64))
        lat_a = np.atleast_1d(np.asarray(lat, dtype=np.float64))
        return self.districts.first_match(lon_a, lat_a)


def _member_counties(members: Sequence[MemberUnit], counties: dict[str, BaseGeometry]) -> frozenset[str]:
    """Indexed county codes covering the members (a city code = its counties); empty if any member is not
    made of indexed counties (e.g. a province)."""
    found: set[str] = set()
    for member in members:
        code = member.adcode
        if code in counties:
            found.add(code)
        elif code.endswith("00") and not code.endswith("0000"):
            found.update(c for c in counties if c.startswith(code[:4]))
        else:
            return frozenset()
    return frozenset(found)


def _same_area(a: BaseGeometry, b: BaseGeometry | None) -> bool:
    return b is not None and a.symmetric_difference(b).area < 1e-9
