"""Replace schematic zone extents with official boundaries from a GeoJSON, Shapefile or GeoPackage.

Imported polygons are converted to WGS-84 and stored in ``<geodata dir>/zones_official.geojson`` (the
directory of :func:`registry.geodata.geodata_dir`, so set $KPR_GEODATA_DIR to keep instance data out of the
repository). :func:`registry.geodata.load_zones` prefers them over the schematic extents and marks those zones
``official``. Re-placing the affected projects is the caller's job: it gets one ``ZoneGeometryUpdate`` per zone.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry.base import BaseGeometry

from registry.crs import normalize_crs, transform_geometry
from registry.geobuild.writer import feature, round_geometry, write_feature_collection
from registry.geodata import ZONES_OFFICIAL_FILE, ZONES_YAML, geodata_dir, read_features
from registry.yamltext import load_yaml


@dataclass(frozen=True)
class ZoneGeometryUpdate:
    code: str
    old_status: str  # "schematic" | "official"
    old_geometry: BaseGeometry | None
    new_geometry: BaseGeometry

    @property
    def affected_area(self) -> BaseGeometry:
        """Where placement may change: the symmetric difference of old and new extents."""
        if self.old_geometry is None:
            return self.new_geometry
        return self.old_geometry.symmetric_difference(self.new_geometry)


def _file_crs(path: Path) -> str | None:
    import pyogrio

    info = pyogrio.read_info(path)
    return info.get("crs")


def _source_crs(path: Path, crs: str | None) -> str:
    """The system to read the file in: --crs wins (GCJ-02/BD-09 cannot be declared in a file)."""
    if crs:
        return normalize_crs(crs)
    declared = _file_crs(path)
    if declared in (None, "EPSG:4326", "OGC:CRS84"):
        return "wgs84"
    raise ValueError(
        f"{path} declares CRS {declared!r}; reproject it to EPSG:4326 first, or pass --crs wgs84|gcj02|bd09"
    )


def _zone_codes(directory: Path) -> dict[str, str]:
    """Every accepted spelling (code, name, alias) → zone code."""
    zones = load_yaml((directory / ZONES_YAML).read_text(encoding="utf-8"))["zones"]
    lookup: dict[str, str] = {}
    for zone in zones:
        for spelling in [zone["code"], zone["name"], *(zone.get("aliases") or [])]:
            lookup[str(spelling).strip()] = zone["code"]
    return lookup


def import_zones(
    path: str | os.PathLike[str], crs: str | None = None, *, code_field: str = "code",
    geodata: str | os.PathLike[str] | None = None,
) -> list[ZoneGeometryUpdate]:
    """Read official zone polygons from ``path`` and store them; returns what changed, one entry per zone.

    ``code_field`` names the attribute holding the zone code, name or alias (e.g. 综改区). Unknown zones and
    non-polygon geometries raise ValueError listing every problem; nothing is written then.
    """
    import geopandas

    from registry.geodata import load_zones

    source = Path(path)
    directory = geodata_dir(geodata)
    system = _source_crs(source, crs)
    frame = geopandas.read_file(source)
    if code_field not in frame.columns:
        raise ValueError(f"{source} has no field {code_field!r}; fields are: {', '.join(map(str, frame.columns))}")
    lookup = _zone_codes(directory)
    problems: list[str] = []
    incoming: dict[str, BaseGeometry] = {}
    for row_number, (value, geom) in enumerate(zip(frame[code_field], frame.geometry), start=1):
        code = lookup.get(str(value).strip())
        if code is None:
            problems.append(f"row {row_number}: {code_field}={value!r} is not a known zone code, name or alias")
        elif geom is None or geom.geom_type not in ("Polygon", "MultiPolygon"):
            problems.append(f"row {row_number}: zone {code} needs a Polygon/MultiPolygon, got {getattr(geom, 'geom_type', None)}")
        else:
            # Several rows for one zone (e.g. parcels) are merged.
            converted = transform_geometry(shapely.make_valid(geom), system, "wgs84")
            incoming[code] = shapely.union_all([incoming[code], converted]) if code in incoming else converted
    if problems:
        raise ValueError("cannot import zones:\n" + "\n".join(problems))

    current = {z.code: z for z in load_zones(directory)}
    updates = [
        ZoneGeometryUpdate(code, current[code].geometry_status, current[code].geometry, round_geometry(geom))
        for code, geom in sorted(incoming.items())
    ]
    _store(directory / ZONES_OFFICIAL_FILE, updates, source.name, system)
    return updates


def _store(target: Path, updates: list[ZoneGeometryUpdate], source_name: str, system: str) -> None:
    kept = {}
    if target.exists():
        kept = {f["properties"]["code"]: f for f in read_features(target)}
    for update in updates:
        kept[update.code] = feature(
            {"code": update.code, "geometry_status": "official", "source_file": source_name, "source_crs": system},
            update.new_geometry,
        )
    write_feature_collection(target, [kept[code] for code in sorted(kept)])


def official_zone_codes(geodata: str | os.PathLike[str] | None = None) -> list[str]:
    target = geodata_dir(geodata) / ZONES_OFFICIAL_FILE
    if not target.exists():
        return []
    return sorted(f["properties"]["code"] for f in read_features(target))
