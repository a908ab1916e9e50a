"""Where an exported project is drawn: one Point per placed project, so GIS programs see a typed layer.

The exact site when the project has coordinates (or a drawn shape: its representative point), else the
representative point of its development zone or district — the same rule the map uses
(registry/maps/data.py `_place`). `basis` says which, so a GIS user never mistakes an anchor for a site."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry import shape

from registry.maps.anchors import Anchors
from registry.records import ProjectRow

GEOMETRY_TYPE = "Point"
BASIS_LABELS = {
    "site": "项目坐标 (site coordinates)",
    "zone": "开发区代表点 (zone representative point)",
    "district": "区县代表点 (district representative point)",
}


@dataclass(frozen=True)
class Placed:
    lon: float
    lat: float
    basis: str  # a key of BASIS_LABELS

    def geojson(self) -> dict[str, Any]:
        return {"type": GEOMETRY_TYPE, "coordinates": [self.lon, self.lat]}


def _site(row: ProjectRow) -> tuple[float, float] | None:
    if row.lon is not None and row.lat is not None:
        return row.lon, row.lat
    for loc in row.locations:
        if loc.lon is not None and loc.lat is not None:
            return loc.lon, loc.lat
        if loc.geometry:  # a drawn line or polygon without a stored point: a point inside it
            p = shapely.point_on_surface(shape(loc.geometry))
            return float(p.x), float(p.y)
    return None


def place(row: ProjectRow, anchors: Anchors | None) -> Placed | None:
    """The point to draw, or None for a project with no placement (city-wide, unknown, outside)."""
    site = _site(row)
    if site is not None:
        return Placed(site[0], site[1], "site")
    if anchors is None:
        return None
    # The project's own district and zone, as on the map: a city-wide project touching one district is not
    # drawn there.
    zone = row.zone_code if row.zone_code in anchors.zones else None
    district = row.district_code if row.district_code in anchors.districts else None
    if zone is not None and (row.precision == 4 or district is None):
        return Placed(*anchors.zones[zone], "zone")
    if district is not None:
        return Placed(*anchors.districts[district], "district")
    return None
