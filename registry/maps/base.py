"""The basemap layers, from the database: Taiyuan's districts (the choropleth), neighbouring cities for
context, development zones (schematic ones flagged) and corridors/strategic regions as overlays.

Filter-independent, so the page fetches it once and the browser caches it."""
from __future__ import annotations

import json
from typing import Any

import shapely
from shapely.geometry import mapping, shape
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.models import AdminUnit, Strategy, Zone

# Neighbouring cities are labelled where they meet Taiyuan: inside this margin (degrees, ~25 km) around the
# city's extent, so the label is in view at city zoom rather than at the far-away middle of a large city.
NEIGHBOUR_MARGIN = 0.25
# Display only: ~50 m, invisible at city zoom, halves the bytes of the larger regions.
DISPLAY_TOLERANCE = 0.0005
DIGITS = 5


def _rounded(coords: Any) -> Any:
    if isinstance(coords, (int, float)):
        return round(coords, DIGITS)
    return [_rounded(c) for c in coords]


def _geometries(texts: list[str], crs: str, coverage: bool = False) -> list[dict[str, Any]]:
    geoms = [shape(json.loads(t)) for t in texts]
    if coverage:  # districts tile the city: simplify them together so shared borders stay shared
        geoms = list(shapely.coverage_simplify(geoms, DISPLAY_TOLERANCE))
    else:
        geoms = [shapely.simplify(g, DISPLAY_TOLERANCE, preserve_topology=True) for g in geoms]
    if crs != "wgs84":
        from registry.crs import transform_geometry

        geoms = [transform_geometry(g, "wgs84", crs) for g in geoms]
    out = []
    for g in geoms:
        gj = mapping(g)
        out.append({"type": gj["type"], "coordinates": _rounded(gj["coordinates"])})
    return out


def _feature(props: dict[str, Any], geometry: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "properties": props, "geometry": geometry}


def _collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def _label_points(counties: list[AdminUnit], cities: list[AdminUnit], crs: str) -> list[dict[str, Any]]:
    """Where the district and neighbouring-city names are written, from our own boundaries (no tile server).
    A district's name sits at its representative point, under the badge the map may draw there."""
    shapes = [shape(json.loads(u.geometry or "")) for u in counties]
    out: list[tuple[str, str, Any]] = [("district", u.name, shapely.point_on_surface(g))
                                       for u, g in zip(counties, shapes)]
    if shapes:
        near = shapely.box(*shapely.union_all(shapes).bounds).buffer(NEIGHBOUR_MARGIN, join_style="mitre")
        for u in cities:
            part = shape(json.loads(u.geometry or "")).intersection(near)
            if not part.is_empty:
                out.append(("city", u.name, shapely.point_on_surface(part)))
    labels = []
    for kind, name, point in out:
        if crs != "wgs84":
            from registry.crs import transform_geometry

            point = transform_geometry(point, "wgs84", crs)
        labels.append({"kind": kind, "name": name, "lon": round(point.x, DIGITS), "lat": round(point.y, DIGITS)})
    return labels


def base_layers(session: Session, crs: str = "wgs84") -> dict[str, Any]:
    units = session.execute(select(AdminUnit).where(AdminUnit.geometry.is_not(None))
                            .order_by(AdminUnit.adcode)).scalars().all()
    counties = [u for u in units if u.group == "taiyuan" and u.level == "county"]
    cities = [u for u in units if u.group == "neighbour" and u.level == "city"]
    zones = session.execute(select(Zone).where(Zone.geometry.is_not(None)).order_by(Zone.code)).scalars().all()
    ways = session.execute(select(Strategy).where(Strategy.geometry.is_not(None),
                                                  Strategy.kind.in_(("corridor", "region")))
                           .order_by(Strategy.kind, Strategy.code)).scalars().all()
    districts = [_feature({"adcode": u.adcode, "name": u.name}, g)
                 for u, g in zip(counties, _geometries([u.geometry or "" for u in counties], crs, coverage=True))]
    context = [_feature({"adcode": u.adcode, "name": u.name}, g)
               for u, g in zip(cities, _geometries([u.geometry or "" for u in cities], crs))]
    zone_features = [_feature({"code": z.code, "name": z.name, "status": z.geometry_status, "parent": z.parent_code}, g)
                     for z, g in zip(zones, _geometries([z.geometry or "" for z in zones], crs))]
    # unconfirmed: no cited source names any member unit (the extent is our drawing), as Vocabulary.unconfirmed.
    corridors = [_feature({"code": s.code, "name": s.name, "kind": s.kind,
                           "unconfirmed": bool(s.member_units) and not any(u.get("confirmed") for u in s.member_units)}, g)
                 for s, g in zip(ways, _geometries([s.geometry or "" for s in ways], crs))]
    return {"crs": crs, "districts": _collection(districts), "context": _collection(context),
            "zones": _collection(zone_features), "corridors": _collection(corridors),
            "labels": _label_points(counties, cities, crs)}
