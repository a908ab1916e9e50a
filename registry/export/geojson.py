"""GeoJSON export (RFC 7946, WGS-84): one feature per project at its primary location, written feature by
feature; projects without coordinates keep their row with geometry null."""
from __future__ import annotations

import json
from collections.abc import Iterable
from decimal import Decimal
from typing import IO, Any

from registry.export.columns import PROJECT_COLUMNS, Cell
from registry.export.context import ExportContext
from registry.records import ProjectRow


def _json_value(value: Cell) -> Any:
    # Amounts go out as numbers in 亿元 (JSON has no decimal type; ≤ 4 decimals survive a double).
    return float(value) if isinstance(value, Decimal) else value


def properties(row: ProjectRow, context: ExportContext) -> dict[str, Any]:
    props = {c.key: _json_value(c.get(row, context.labels)) for c in PROJECT_COLUMNS}
    props["precision"] = row.precision
    return props


def geometry(row: ProjectRow) -> dict[str, Any] | None:
    primary = next((loc for loc in row.locations if loc.geometry), None)
    if primary is not None and primary.geometry:
        return primary.geometry
    if row.lon is not None and row.lat is not None:
        return {"type": "Point", "coordinates": [row.lon, row.lat]}
    return None


def write_geojson(rows: Iterable[ProjectRow], out: IO[str], context: ExportContext) -> int:
    meta: dict[str, Any] = {"filter": context.filter_words, "exported_at": context.exported_at.isoformat(),
            "data_version": context.data_version}
    note = context.limit_note()
    if note and context.totals is not None:
        meta.update(truncated=True, matched=context.totals.count, row_limit=context.row_limit, note=note)
    out.write('{"type": "FeatureCollection", "kpr": ' + json.dumps(meta, ensure_ascii=False) + ', "features": [')
    count = 0
    for row in rows:
        feature = {"type": "Feature", "id": row.code, "geometry": geometry(row),
                   "properties": properties(row, context)}
        out.write(",\n" if count else "\n")
        out.write(json.dumps(feature, ensure_ascii=False))
        count += 1
    out.write("\n]}\n")
    return count
