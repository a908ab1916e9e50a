"""Named sites (地名库): airports, stations, universities, monuments with a cited coordinate (geodata/sites.yaml).

Each site is converted to WGS-84 once, when loaded, from the system its source uses."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from registry import crs
from registry.yamltext import load_yaml

SITES_YAML = "sites.yaml"


@dataclass(frozen=True)
class Site:
    code: str
    name: str
    aliases: tuple[str, ...]
    kind: str
    lon: float  # WGS-84
    lat: float
    source_crs: str
    stated_district: str | None  # the district the source names, if any
    source: str

    @property
    def terms(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def load_sites(geodata_dir: Path) -> list[Site]:
    """The sites of geodata/sites.yaml in WGS-84; an absent file means no sites."""
    path = Path(geodata_dir) / SITES_YAML
    if not path.exists():
        return []
    raw = load_yaml(path.read_text(encoding="utf-8")) or {}
    sites = []
    for item in raw.get("sites") or ():
        system = crs.normalize_crs(str(item["crs"]))
        lon, lat = crs.to_wgs84(float(item["lon"]), float(item["lat"]), system)
        sites.append(Site(
            code=str(item["code"]), name=str(item["name"]), aliases=tuple(item.get("aliases") or ()),
            kind=str(item["kind"]), lon=round(float(lon), 7), lat=round(float(lat), 7), source_crs=system,
            stated_district=item.get("district"), source=str(item["source"]),
        ))
    return sites
