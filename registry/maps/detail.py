"""A project's own locations in the map script's row format, for the small map on its detail page."""
from __future__ import annotations

from typing import Any

from registry.maps.anchors import Anchors
from registry.maps.data import COLUMNS
from registry.models import PRECISIONS
from registry.records import ProjectRow

LOCATION_COLOUR = "#8b1a1a"


def location_data(row: ProjectRow, anchors: Anchors, label: str, crs: str = "wgs84") -> dict[str, Any]:
    """One map row per location: its own point, else its zone's or district's representative point."""
    rows: list[list[Any]] = []
    unplaced = 0
    for loc in row.locations:
        point = None
        if loc.lon is not None and loc.lat is not None:
            point = (loc.lon, loc.lat)
        elif loc.precision == 4 and loc.zone_code in anchors.zones:
            point = anchors.zones[loc.zone_code]
        else:
            point = next((anchors.districts[d.adcode] for d in loc.districts if d.adcode in anchors.districts), None)
        if point is None:
            unplaced += 1
            continue
        if crs != "wgs84":
            from registry.crs import from_wgs84

            lon, lat = from_wgs84(point[0], point[1], crs)
            point = (float(lon), float(lat))
        district = "、".join(d.name or d.adcode for d in loc.districts) or None
        rows.append([row.code, row.name, round(point[0], 5), round(point[1], 5), loc.precision,
                     None if row.total_investment is None else float(row.total_investment), row.status,
                     district, [0], None])
    return {
        "group_by": "location", "count": 1, "placed": len(rows), "unplaced": {"8": unplaced} if unplaced else {},
        "precisions": {str(k): v for k, v in PRECISIONS.items()},
        "groups": [{"key": "location", "name": label, "colour": LOCATION_COLOUR, "count": len(rows)}],
        "columns": list(COLUMNS), "rows": rows, "districts": {}, "crs": crs,
        "highlight": sorted({d.adcode for loc in row.locations for d in loc.districts}),
    }
