"""GeoJSON export (RFC 7946, WGS-84): one feature per project, written feature by feature.

Every placed project gets a Point (its site, else its zone's or district's representative point; see
registry/export/geometry.py) and says which in `precision`, `precision_label` and `geometry_basis`; projects
with no placement keep their row with geometry null. All geometries are Points, so GDAL/QGIS read a typed
Point layer."""
from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from typing import IO, Any

from registry.export.columns import PROJECT_COLUMNS, Cell
from registry.export.context import ExportContext
from registry.export.geometry import BASIS_LABELS, GEOMETRY_TYPE, Placed, place
from registry.records import ProjectRow


def _json_value(value: Cell) -> Any:
    # Amounts go out as numbers in 亿元 (JSON has no decimal type; ≤ 4 decimals survive a double).
    return float(value) if isinstance(value, Decimal) else value


def properties(row: ProjectRow, context: ExportContext, placed: Placed | None = None) -> dict[str, Any]:
    props = {c.key: _json_value(c.get(row, context.vocab)) for c in PROJECT_COLUMNS}
    props["precision"] = row.precision
    props["precision_label"] = row.precision_label
    props["geometry_basis"] = BASIS_LABELS[placed.basis] if placed else None
    return props


def geometry(row: ProjectRow, context: ExportContext | None = None) -> dict[str, Any] | None:
    placed = place(row, context.anchors if context else None)
    return placed.geojson() if placed else None


def metadata(context: ExportContext) -> dict[str, Any]:
    meta: dict[str, Any] = {"filter": context.filter_words, "exported_at": context.exported_at_beijing(),
                            "time_zone": "Asia/Shanghai（北京时间）", "data_version": context.data_version,
                            "geometry_type": GEOMETRY_TYPE, "crs": "EPSG:4326 (WGS-84)"}
    note = context.limit_note()
    if note and context.totals is not None:
        meta.update(truncated=True, matched=context.totals.count, row_limit=context.row_limit, note=note)
    return meta


def write_geojson(rows: Iterable[ProjectRow], out: IO[str], context: ExportContext) -> int:
    meta = metadata(context)
    out.write('{"type": "FeatureCollection", "kpr": ' + json.dumps(meta, ensure_ascii=False) + ', "features": [')
    count = 0
    for row in rows:
        placed = place(row, context.anchors)
        feature = {"type": "Feature", "id": row.code, "geometry": placed.geojson() if placed else None,
                   "properties": properties(row, context, placed)}
        out.write(",\n" if count else "\n")
        out.write(json.dumps(feature, ensure_ascii=False))
        count += 1
    out.write("\n]}\n")
    return count
