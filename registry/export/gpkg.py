"""GeoPackage export for GIS users: Point layer `projects` (EPSG:4326), appended in chunks so memory stays flat.

The geometry type is declared (not inferred from the first chunk, which may hold no placed project), so QGIS
opens the file as a Point layer; unplaced projects keep their row with an empty geometry."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from registry.errors import ExportError
from registry.export.context import ExportContext
from registry.export.geojson import metadata, properties
from registry.export.geometry import GEOMETRY_TYPE, place
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
        from shapely.geometry import Point
    except ImportError:  # geopandas is in the `geo` extra
        raise ExportError("GeoPackage export needs geopandas and pyogrio (pip install 'kpr[geo]')") from None
    target = Path(path)
    if target.exists():
        target.unlink()  # a stale layer from a previous export must not be appended to
    count = 0
    for part in _chunks(rows, CHUNK):
        placed = [place(r, context.anchors) for r in part]
        records: list[dict[str, Any]] = [properties(r, context, p) for r, p in zip(part, placed, strict=True)]
        geoms = [Point(p.lon, p.lat) if p else None for p in placed]
        frame = gpd.GeoDataFrame(records, geometry=geoms, crs="EPSG:4326")
        frame.to_file(target, layer=LAYER, driver="GPKG", engine="pyogrio", append=count > 0,
                      geometry_type=GEOMETRY_TYPE, **_layer_options(context, first=count == 0))
        count += len(part)
    if count == 0:
        gpd.GeoDataFrame({"code": [], "name": []}, geometry=[], crs="EPSG:4326").to_file(
            target, layer=LAYER, driver="GPKG", engine="pyogrio", geometry_type=GEOMETRY_TYPE,
            **_layer_options(context, first=True))
    return count


def _layer_options(context: ExportContext, *, first: bool) -> dict[str, Any]:
    """The layer's description (filter, Beijing export time, data version) in the GeoPackage metadata."""
    if not first:
        return {}
    meta = metadata(context)
    text = "；".join(f"{k}: {v}" for k, v in meta.items())
    return {"layer_options": {"DESCRIPTION": text}}
