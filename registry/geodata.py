"""Load the committed geography layers in geodata/ as typed, read-only records.

The layers are built by :mod:`registry.geobuild` (``kpr geodata build``) and are always WGS-84 (EPSG:4326).
Official zone boundaries loaded with ``kpr geodata import-zones`` live in ``zones_official.geojson`` in the
same directory and replace the schematic extent of the zones they cover.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry.base import BaseGeometry

from registry.yamltext import load_yaml

REPO_GEODATA = Path(__file__).resolve().parent.parent / "geodata"
ADMIN_FILE = "admin_units.geojson"
ZONES_FILE = "zones.geojson"
ZONES_YAML = "zones.yaml"
ZONES_OFFICIAL_FILE = "zones_official.geojson"
CORRIDORS_FILE = "corridors.geojson"
STRATEGIES_YAML = "strategies.yaml"


def geodata_dir(path: str | os.PathLike[str] | None = None) -> Path:
    """The geodata directory: ``path`` if given, else the repository's geodata/. The environment is read once,
    by Settings (KPR_GEODATA_DIR → Settings.geodata_dir): callers pass that in."""
    return Path(path) if path is not None else REPO_GEODATA


@dataclass(frozen=True)
class AdminUnit:
    adcode: str
    name: str
    level: str  # "county" | "city" | "province"
    parent: str | None
    group: str  # "taiyuan" | "neighbour" | "jjj"
    geometry: BaseGeometry


@dataclass(frozen=True)
class SourceRef:
    doc: str
    line: int | None
    excerpt: str


@dataclass(frozen=True)
class ZoneDistrict:
    adcode: str
    basis: str  # "stated" | "inferred"
    note: str = ""


@dataclass(frozen=True)
class Zone:
    code: str
    name: str
    aliases: tuple[str, ...]
    kind: str
    level: str
    parent: str | None
    industries: tuple[str, ...]
    stated_area_km2: float | None
    districts: tuple[ZoneDistrict, ...]
    geometry_status: str  # "schematic" | "official" | "none" (known only by its district: no cited position)
    sources: tuple[SourceRef, ...]
    geometry: BaseGeometry | None


@dataclass(frozen=True)
class MemberUnit:
    adcode: str
    confirmed: bool
    source: str


@dataclass(frozen=True)
class Strategy:
    """A strategy, region or corridor. ``geometry`` is None for link-only strategies (长三角, 粤港澳, 一带一路)."""

    code: str
    name: str
    aliases: tuple[str, ...]
    kind: str  # "strategy" | "region" | "corridor"
    parent: str | None
    member_units: tuple[MemberUnit, ...]
    width_km: float | None
    sources: tuple[SourceRef, ...]
    geometry: BaseGeometry | None
    extra_parents: tuple[str, ...] = field(default=())


def read_features(path: Path) -> list[dict[str, Any]]:
    """The features of a GeoJSON FeatureCollection file."""
    with path.open(encoding="utf-8") as handle:
        return list(json.load(handle)["features"])


def _geometries_by(path: Path, key: str) -> dict[str, BaseGeometry]:
    if not path.exists():
        return {}
    return {
        str(f["properties"][key]): shapely.from_geojson(json.dumps(f["geometry"])) for f in read_features(path)
    }


def _sources(raw: list[dict[str, Any]] | None) -> tuple[SourceRef, ...]:
    return tuple(SourceRef(str(s["doc"]), s.get("line"), str(s.get("excerpt", ""))) for s in raw or [])


def load_admin_units(path: str | os.PathLike[str] | None = None) -> list[AdminUnit]:
    """All boundary units (Taiyuan's counties, neighbour counties and cities, 京津冀 provinces)."""
    units = []
    for feature in read_features(geodata_dir(path) / ADMIN_FILE):
        props = feature["properties"]
        units.append(
            AdminUnit(
                adcode=props["adcode"], name=props["name"], level=props["level"], parent=props["parent"],
                group=props["group"], geometry=shapely.from_geojson(json.dumps(feature["geometry"])),
            )
        )
    return units


def load_zones(path: str | os.PathLike[str] | None = None) -> list[Zone]:
    """Development zones with their geometry: official where imported, otherwise the schematic extent."""
    directory = geodata_dir(path)
    with (directory / ZONES_YAML).open(encoding="utf-8") as handle:
        raw_zones = load_yaml(handle)["zones"]
    schematic = _geometries_by(directory / ZONES_FILE, "code")
    official = _geometries_by(directory / ZONES_OFFICIAL_FILE, "code")
    zones = []
    for raw in raw_zones:
        code = raw["code"]
        zones.append(
            Zone(
                code=code, name=raw["name"], aliases=tuple(raw.get("aliases") or ()), kind=raw["kind"],
                level=raw["level"], parent=raw.get("parent"), industries=tuple(raw.get("industries") or ()),
                stated_area_km2=raw.get("stated_area_km2"),
                districts=tuple(
                    ZoneDistrict(str(d["adcode"]), d["basis"], str(d.get("note", ""))) for d in raw["districts"]
                ),
                geometry_status="official" if code in official else raw["geometry_status"],
                sources=_sources(raw.get("sources")),
                geometry=official.get(code, schematic.get(code)),
            )
        )
    return zones


def load_strategies(path: str | os.PathLike[str] | None = None) -> list[Strategy]:
    """Strategies, regions and corridors (strategies.yaml) with their geometry from corridors.geojson."""
    directory = geodata_dir(path)
    with (directory / STRATEGIES_YAML).open(encoding="utf-8") as handle:
        raw = load_yaml(handle)
    geometries = _geometries_by(directory / CORRIDORS_FILE, "code")
    result = []
    for item in [*raw["strategies"], *raw["corridors"]]:
        also = item.get("also_parent")
        result.append(
            Strategy(
                code=item["code"], name=item["name"], aliases=tuple(item.get("aliases") or ()),
                kind=item["kind"], parent=item.get("parent"),
                member_units=tuple(
                    MemberUnit(str(m["adcode"]), bool(m["confirmed"]), str(m["source"]))
                    for m in item.get("member_units") or ()
                ),
                width_km=item.get("width_km"), sources=_sources(item.get("sources")),
                geometry=geometries.get(item["code"]), extra_parents=(also,) if also else (),
            )
        )
    return result
