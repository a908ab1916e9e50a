"""Placing a project by hand (the 待核实位置 work): a clicked or pasted point, a drawn line or polygon, or a
chosen district and zone. `preview` says what the geocoder derives and what contradicts the stated facts;
`save` records the placement with method 人工核实 (`manual`), the user and the time."""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy.orm import Session

from registry import crs, history
from registry.clock import stamp_text
from registry.editing import Actor, flush_or_conflict, get_project
from registry.errors import EditConflict, InvalidRecord
from registry.geocode import Geocoder
from registry.models import PRECISIONS, Project, ProjectStrategy, utcnow
from registry.records import PlacementSpec
from registry.upsert import apply_placement

MANUAL = "manual"
MODES = ("point", "geometry", "area")
MAX_VERTICES = 5000


@dataclass(frozen=True)
class PlaceRequest:
    mode: str  # point | geometry | area
    lon: float | None = None
    lat: float | None = None
    crs: str = "wgs84"
    geometry: dict[str, Any] | None = None  # GeoJSON LineString/Polygon/… in `crs`
    district_code: str | None = None
    zone_code: str | None = None


@dataclass(frozen=True)
class Preview:
    spec: PlacementSpec
    district: str | None
    zone: str | None
    districts: tuple[str, ...]
    corridors: tuple[str, ...]
    warnings: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self, names: dict[str, str]) -> dict[str, Any]:
        s = self.spec
        return {"district_code": s.district_code, "district": self.district, "zone_code": s.zone_code,
                "zone": self.zone, "districts": [{"adcode": a, "name": names.get(a, a), "share": sh}
                                                  for a, sh in s.districts],
                "corridors": [{"code": c, "name": names.get(c, c)} for c in self.corridors],
                "lon": s.lon, "lat": s.lat, "precision": s.precision,
                "precision_label": PRECISIONS.get(s.precision, str(s.precision)),
                "warnings": list(self.warnings), "evidence": s.evidence}


def parse_request(form: dict[str, Any]) -> PlaceRequest:
    """Form or JSON values → a PlaceRequest; every bad value named."""
    mode = str(form.get("mode") or "point")
    if mode not in MODES:
        raise InvalidRecord(f"mode={mode!r}：应为 point / geometry / area")
    try:
        system = crs.normalize_crs(str(form.get("crs") or "wgs84"))
    except ValueError as exc:
        raise InvalidRecord(f"坐标系 crs={form.get('crs')!r} 无效：{exc}") from None
    if mode == "point":
        try:
            lon, lat = float(str(form.get("lon")).strip()), float(str(form.get("lat")).strip())
        except ValueError:
            raise InvalidRecord(f"经纬度无效：lon={form.get('lon')!r}, lat={form.get('lat')!r}（应为十进制度数）") from None
        problems = crs.check_lonlat(lon, lat)
        if problems:
            raise InvalidRecord("；".join(problems))
        return PlaceRequest("point", lon, lat, system)
    if mode == "geometry":
        raw = form.get("geometry")
        try:
            geometry = json.loads(raw) if isinstance(raw, str) else raw
            shape(geometry)
        except (ValueError, TypeError, AttributeError, shapely.errors.GEOSException):
            raise InvalidRecord("geometry 不是有效的 GeoJSON 几何 (not a GeoJSON geometry)") from None
        return PlaceRequest("geometry", crs=system, geometry=geometry)
    return PlaceRequest("area", district_code=str(form.get("district_code") or "") or None,
                        zone_code=str(form.get("zone_code") or "") or None)


def _to_wgs84(geom: BaseGeometry, system: str) -> BaseGeometry:
    if system == "wgs84":
        return geom

    def convert(coords: np.ndarray) -> np.ndarray:
        lon, lat = crs.to_wgs84(coords[:, 0], coords[:, 1], system)
        return np.column_stack([lon, lat])
    return shapely.transform(geom, convert)


def _warnings(project: Project, district: str | None, zone: str | None, districts: tuple[str, ...],
              geocoder: Geocoder) -> tuple[str, ...]:
    name = geocoder.name_of
    out: list[str] = []
    if project.stated_district_code and project.stated_district_code not in districts:
        out.append(f"规划文本所述区县为 {name(project.stated_district_code)}，此位置在 "
                   f"{'、'.join(name(d) or d for d in districts) or '太原市各区县之外'}")
    if project.stated_zone_code and zone != project.stated_zone_code:
        out.append(f"规划文本所述开发区为 {name(project.stated_zone_code)}，此位置"
                   f"{'在 ' + (name(zone) or '') if zone else '不在任何开发区内'}")
    if district and not district.startswith("1401"):
        out.append(f"此位置在太原市外（{name(district)}）")
    if not district and not districts:
        out.append("此位置不在任何已知区县内")
    return tuple(out)


def _geometry_preview(req: PlaceRequest, geocoder: Geocoder) -> tuple[PlacementSpec, tuple[str, ...], str | None]:
    geom = _to_wgs84(shape(req.geometry), req.crs)
    if shapely.get_num_coordinates(geom) > MAX_VERTICES:
        raise InvalidRecord(f"几何顶点过多（>{MAX_VERTICES}）")
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    layer = geocoder.index.districts
    shares: list[tuple[str, float]] = []
    measure = (lambda g: g.area) if geom.area > 0 else (lambda g: g.length)
    total = measure(geom) or 1.0
    for code, poly in zip(layer.codes, layer.geometries, strict=True):
        if poly.intersects(geom):
            part = measure(poly.intersection(geom)) / total
            shares.append((code, round(part, 4)))
    shares.sort(key=lambda s: -s[1])
    point = geom.representative_point() if geom.area > 0 else geom.interpolate(0.5, normalized=True)
    found = geocoder.index.locate([point.x], [point.y])
    zone = str(found.zone[0]) or None
    district = shares[0][0] if shares else None
    districts = tuple(code for code, _ in shares)
    spec = PlacementSpec(lon=round(point.x, 7), lat=round(point.y, 7), geometry=json.dumps(mapping(geom)),
                         input_crs=req.crs, district_code=district, districts=tuple(shares), zone_code=zone,
                         precision=1 if district and district.startswith("1401") else 6, method=MANUAL,
                         needs_review=False, place_strategies=geocoder.corridors_of(districts))
    return spec, districts, zone


def preview(project: Project, req: PlaceRequest, geocoder: Geocoder) -> Preview:
    if req.mode == "point":
        assert req.lon is not None and req.lat is not None
        found = geocoder.geocode_point(req.lon, req.lat, req.crs)
        districts = found.districts
        spec = PlacementSpec(
            lon=found.lon, lat=found.lat, input_crs=found.input_crs,
            geometry=json.dumps({"type": "Point", "coordinates": [found.lon, found.lat]}),
            district_code=found.district_code, districts=tuple((d, None) for d in districts),
            zone_code=found.zone_code, precision=found.precision, method=MANUAL, evidence=found.evidence,
            needs_review=False, place_strategies=found.corridors)
        zone = found.zone_code
    elif req.mode == "geometry":
        spec, districts, zone = _geometry_preview(req, geocoder)
    else:
        zone = req.zone_code
        if zone and zone not in geocoder.zones:
            raise InvalidRecord(f"开发区 {zone!r} 不存在")
        if req.district_code and req.district_code not in geocoder.names:
            raise InvalidRecord(f"区县 {req.district_code!r} 不存在")
        zone_districts = geocoder.zones[zone].districts if zone else ()
        district = req.district_code or (zone_districts[0] if len(zone_districts) == 1 else None)
        if not district and not zone:
            raise InvalidRecord("请选择区县或开发区 (choose a district or a zone)")
        districts = (district,) if district else tuple(zone_districts)
        spec = PlacementSpec(district_code=district, districts=tuple((d, None) for d in districts), zone_code=zone,
                             precision=4 if zone else 3, method=MANUAL, needs_review=False,
                             place_strategies=geocoder.corridors_of(districts))
    warnings = _warnings(project, spec.district_code, zone, tuple(districts), geocoder)
    return Preview(spec, geocoder.name_of(spec.district_code), geocoder.name_of(zone), tuple(districts),
                   spec.place_strategies, warnings)


def set_place_links(project: Project, codes: Sequence[str]) -> None:
    """The corridors a placement lies in (basis 'place'); links a plan states are left alone."""
    current = {s.strategy_code: s for s in project.strategies if s.basis == "place"}
    if set(current) == set(codes):
        return
    plan = [s for s in project.strategies if s.basis == "plan"]
    project.strategies = plan + [current.get(c) or ProjectStrategy(strategy_code=c, basis="place")
                                 for c in sorted(set(codes))]


def save(session: Session, code: str, req: PlaceRequest, expected_version: int, actor: Actor,
         geocoder: Geocoder) -> tuple[Project, Preview]:
    project = get_project(session, code, include_archived=actor.user.can("admin"))
    if project.version != expected_version:
        raise EditConflict(project)
    found = preview(project, req, geocoder)
    at = stamp_text(utcnow())  # times people read are Beijing time
    evidence = f"人工核实：{actor.user.username}，{at}" + (f"；{found.spec.evidence}" if found.spec.evidence else "")
    spec = PlacementSpec(**{**found.spec.__dict__, "evidence": evidence, "place_text": project.place_text})
    history.begin(session, "place", user=actor.user, comment=actor.comment)
    with session.no_autoflush:  # one flush, below, where a concurrent save shows as a conflict
        apply_placement(project, spec)
        set_place_links(project, spec.place_strategies)
    project.updated_at = utcnow()
    flush_or_conflict(session, project)
    return project, found
