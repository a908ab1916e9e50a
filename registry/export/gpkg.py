"""GeoPackage export for GIS users: layer `projects` (EPSG:4326), appended in chunks so memory stays flat."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from registry.export.context import ExportContext
from registry.export.errors import ExportError
from registry.export.geojson import geometry, properties
from registry.records import ProjectRow

LAYER = "projects"
CHUNK = 5000


def _chunks(rows: Iterable[ProjectRow], size: int) -> Iterator[list[ProjectRow]]:
    it = iter(rows)
    while part := list(islice(it, size)):
        yield part


def write_gpkg(rows: Iterable[ProjectRow], path: str | Path, context: ExportContext) -> int:
    try:
        import geopandas as gpd
        from shapely.geometry import shape
    except ImportError:  # geopandas is in the `geo` extra
        raise ExportError("GeoPackage export needs geopandas and pyogrio (pip install 'kpr[geo]')") from None
    target = Path(path)
    if target.exists():
        target.unlink()  # a stale layer from a previous export must not be appended to
    count = 0
    for part in _chunks(rows, CHUNK):
        records: list[dict[str, Any]] = [properties(r, context) for r in part]
        geoms = [shape(g) if (g := geometry(r)) else None for r in part]
        frame = gpd.GeoDataFrame(records, geometry=geoms, crs="EPSG:4326")
        frame.to_file(target, layer=LAYER, driver="GPKG", engine="pyogrio", append=count > 0)
        count += len(part)
    if count == 0:
        gpd.GeoDataFrame({"code": [], "name": []}, geometry=[], crs="EPSG:4326").to_file(
            target, layer=LAYER, driver="GPKG", engine="pyogrio")
    return count
