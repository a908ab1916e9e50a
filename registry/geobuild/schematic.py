"""Schematic (示意) extents: zone circles and corridor bands built from the curated YAML files.

Nothing here is surveyed. A zone circle is centred on an anchor (a cited landmark where zones.yaml gives one,
else the representative point of its districts), sized from the stated area (or a default radius) and clipped
to its districts. A corridor band buffers a line through units' representative points. Distances use a local
equirectangular scale (km per degree at the shape's latitude): ample for schematic shapes of a few km.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
import shapely
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from registry.crs import to_wgs84
from registry.geobuild.writer import round_geometry

KM_PER_DEG_LAT = 110.574
KM_PER_DEG_LON_EQUATOR = 111.320
CIRCLE_SEGMENTS = 16  # per quarter circle

UnitLookup = Callable[[str], BaseGeometry]


def _km_scale(lat: float) -> tuple[float, float]:
    return KM_PER_DEG_LON_EQUATOR * math.cos(math.radians(lat)), KM_PER_DEG_LAT


def to_km(geom: BaseGeometry, lat0: float) -> BaseGeometry:
    sx, sy = _km_scale(lat0)
    return shapely.transform(geom, lambda xy: xy * np.array([sx, sy]))


def from_km(geom: BaseGeometry, lat0: float) -> BaseGeometry:
    sx, sy = _km_scale(lat0)
    return shapely.transform(geom, lambda xy: xy / np.array([sx, sy]))


def area_km2(geom: BaseGeometry) -> float:
    return float(to_km(geom, geom.centroid.y).area)


def representative_point(geom: BaseGeometry) -> Point:
    return shapely.point_on_surface(geom)


def _anchor(raw: Mapping[str, Any], districts: BaseGeometry) -> tuple[Point, str]:
    anchor = raw.get("anchor")
    if anchor:
        lon, lat = to_wgs84(anchor["lon"], anchor["lat"], anchor["crs"])
        return Point(lon, lat), f"anchor: {anchor['basis']}"
    return representative_point(districts), "representative point of its districts"


def zone_extent(raw: Mapping[str, Any], unit: UnitLookup, default_radius_km: float) -> tuple[BaseGeometry, str]:
    """The schematic extent of one zone (without children) and a note saying how it was drawn."""
    districts = shapely.union_all([unit(d["adcode"]) for d in raw["districts"]])
    centre, how = _anchor(raw, districts)
    area = raw.get("stated_area_km2")
    radius = math.sqrt(float(area) / math.pi) if area else default_radius_km
    sized = f"radius {radius:.2f} km from stated area {area} km²" if area else f"default radius {radius} km"
    circle = from_km(to_km(centre, centre.y).buffer(radius, quad_segs=CIRCLE_SEGMENTS), centre.y)
    return round_geometry(circle.intersection(districts)), f"circle, {sized}, centred on the {how}, clipped to its districts"


def build_zone_extents(zones_doc: Mapping[str, Any], unit: UnitLookup) -> list[tuple[dict[str, Any], BaseGeometry]]:
    """(properties, geometry) for every zone, sorted by code. A zone whose geometry_rule says so is the union
    of its child parks."""
    default_radius = float(zones_doc["schematic"]["default_radius_km"])
    # A zone with geometry_status "none" is known only by its district (no cited position): nothing is drawn.
    raw_zones = [z for z in zones_doc["zones"] if z.get("geometry_status") != "none"]
    built: dict[str, tuple[BaseGeometry, str]] = {}
    for raw in raw_zones:
        if not raw.get("geometry_rule"):
            built[raw["code"]] = zone_extent(raw, unit, default_radius)
    for raw in raw_zones:
        if raw.get("geometry_rule"):
            children = [z["code"] for z in raw_zones if z.get("parent") == raw["code"]]
            geom = round_geometry(shapely.union_all([built[c][0] for c in children]))
            built[raw["code"]] = (geom, f"union of the schematic extents of {', '.join(children)}")
    out = []
    for raw in sorted(raw_zones, key=lambda z: z["code"]):
        geom, how = built[raw["code"]]
        props = {
            "code": raw["code"], "name": raw["name"], "kind": raw["kind"], "parent": raw.get("parent"),
            "geometry_status": "schematic", "label": "示意范围", "method": how,
            "stated_area_km2": raw.get("stated_area_km2"), "schematic_area_km2": round(area_km2(geom), 1),
        }
        out.append((props, geom))
    return out


def _member_geometry(adcode: str, unit: UnitLookup, counties_of: Callable[[str], list[str]]) -> BaseGeometry:
    if adcode.endswith("00") and not adcode.endswith("0000"):  # a city: all of its counties
        return shapely.union_all([unit(c) for c in counties_of(adcode)])
    return unit(adcode)


def build_corridor_shapes(
    strategies_doc: Mapping[str, Any], unit: UnitLookup, counties_of: Callable[[str], list[str]]
) -> list[tuple[dict[str, Any], BaseGeometry]]:
    """(properties, geometry) for every strategy/corridor that has a place: an axis band or a member union."""
    out = []
    items = [*strategies_doc["strategies"], *strategies_doc["corridors"]]
    for item in sorted(items, key=lambda i: i["code"]):
        members = item.get("member_units") or []
        axis = item.get("axis") or []
        if axis:
            points = [representative_point(unit(w["at"])) for w in axis]
            line = LineString(points)
            lat0 = line.centroid.y
            band = from_km(to_km(line, lat0).buffer(float(item["width_km"]) / 2.0, quad_segs=CIRCLE_SEGMENTS), lat0)
            geom, how = band, f"axis through representative points of {', '.join(w['at'] for w in axis)}, buffered {item['width_km'] / 2} km each side"
        elif members:
            geom = shapely.union_all([_member_geometry(m["adcode"], unit, counties_of) for m in members])
            how = "union of member units"
        else:
            continue
        confirmed = [bool(m["confirmed"]) for m in members]
        props = {
            "code": item["code"], "name": item["name"], "kind": item["kind"], "parent": item.get("parent"),
            "geometry_status": "schematic", "method": how,
            "membership": "confirmed" if confirmed and all(confirmed) else "partly inferred" if any(confirmed) else "inferred",
        }
        out.append((props, round_geometry(geom)))
    return out
