"""Where a project without its own coordinates is drawn: its zone's or district's representative point
(inside the polygon, unlike a centroid), computed from the stored boundaries."""
from __future__ import annotations

import json
from dataclasses import dataclass

import shapely
from shapely.geometry import shape
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.models import AdminUnit, Zone


@dataclass(frozen=True)
class Anchors:
    districts: dict[str, tuple[float, float]]
    zones: dict[str, tuple[float, float]]


def _point(geojson: str) -> tuple[float, float]:
    p = shapely.point_on_surface(shape(json.loads(geojson)))
    return float(p.x), float(p.y)


def load_anchors(session: Session) -> Anchors:
    units = session.execute(select(AdminUnit.adcode, AdminUnit.geometry).where(AdminUnit.geometry.is_not(None)))
    zones = session.execute(select(Zone.code, Zone.geometry).where(Zone.geometry.is_not(None)))
    return Anchors(districts={c: _point(g) for c, g in units if g}, zones={c: _point(g) for c, g in zones if g})
