"""Where a project without its own coordinates is drawn: its zone's or district's representative point
(inside the polygon, unlike a centroid), computed from the stored boundaries."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import shapely
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.models import AdminUnit, Zone


@dataclass(frozen=True)
class Anchors:
    districts: dict[str, tuple[float, float]]
    zones: dict[str, tuple[float, float]]


def _point(geojson: str) -> tuple[float, float]:
    # GEOS reads the GeoJSON itself: a third faster than building the polygons from Python lists.
    p = shapely.point_on_surface(shapely.from_geojson(geojson))
    return float(p.x), float(p.y)


def zone_anchors(zones: list[tuple[str, str | None, str | None]]) -> dict[str, tuple[float, float]]:
    """(code, parent code, GeoJSON) → the point that stands for each zone. A zone made of parks (综改区) has
    none: a point inside one part (阳曲) would look precise for a project that names no part. Zones whose
    schematic extents share one point (parks with no cited position, drawn around their district's point)
    have none either: such a zone is known only by its district, where the project is drawn instead."""
    parents = {p for _, p, _ in zones if p}
    points = {c: _point(g) for c, _, g in zones if g and c not in parents}
    shared = Counter(points.values())
    return {c: pt for c, pt in points.items() if shared[pt] == 1}


def load_anchors(session: Session) -> Anchors:
    units = session.execute(select(AdminUnit.adcode, AdminUnit.geometry).where(AdminUnit.geometry.is_not(None)))
    zones = session.execute(select(Zone.code, Zone.parent_code, Zone.geometry))
    return Anchors(districts={c: _point(g) for c, g in units if g},
                   zones=zone_anchors([(c, p, g) for c, p, g in zones]))
