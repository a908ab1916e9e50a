"""Exports of project rows: xlsx, csv, geojson, gpkg — one entry point, format chosen by extension."""
from __future__ import annotations

import io
from collections.abc import Iterable
from itertools import islice
from pathlib import Path
from typing import IO

from registry.errors import ExportError
from registry.export.context import ExportContext, build_context
from registry.records import ProjectRow

FORMATS = ("xlsx", "csv", "geojson", "gpkg")
MIMETYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
}


def format_for(path: str | Path, fmt: str | None = None) -> str:
    chosen = (fmt or Path(path).suffix.lstrip(".")).lower()
    chosen = {"json": "geojson"}.get(chosen, chosen)
    if chosen not in FORMATS:
        raise ExportError(f"不支持的导出格式 {chosen or '(无扩展名)'}：请用 .xlsx、.csv、.geojson 或 .gpkg "
                          f"(unsupported export format {chosen!r})")
    return chosen


def export_rows(rows: Iterable[ProjectRow], path_or_stream: str | Path | IO[bytes] | IO[str],
                fmt: str | None = None, context: ExportContext | None = None) -> int:
    """Write rows (any iterable, consumed once) to a path or stream; returns how many were written."""
    context = context or ExportContext()
    if context.row_limit is not None:
        rows = islice(rows, context.row_limit)
    if isinstance(path_or_stream, (str, Path)):
        chosen = format_for(path_or_stream, fmt)
    elif fmt is None:
        raise ExportError("a stream needs an explicit format")
    else:
        chosen = format_for("", fmt)
    from registry.export import csv as csv_out
    from registry.export import geojson, gpkg, xlsx

    if chosen == "xlsx":
        return xlsx.write_xlsx(rows, _binary_target(path_or_stream), context)
    if chosen == "gpkg":
        if not isinstance(path_or_stream, (str, Path)):
            raise ExportError("GeoPackage export needs a file path")
        return gpkg.write_gpkg(rows, path_or_stream, context)
    writer = csv_out.write_csv if chosen == "csv" else geojson.write_geojson
    if isinstance(path_or_stream, (str, Path)):
        with open(path_or_stream, "w", encoding="utf-8", newline="") as out:
            return writer(rows, out, context)
    if isinstance(path_or_stream, io.TextIOBase):
        return writer(rows, path_or_stream, context)
    wrapper = io.TextIOWrapper(path_or_stream, encoding="utf-8", newline="", write_through=True)  # type: ignore[arg-type,type-var]
    try:
        return writer(rows, wrapper, context)
    finally:
        wrapper.detach()


def _binary_target(target: str | Path | IO[bytes] | IO[str]) -> str | IO[bytes]:
    if isinstance(target, Path):
        return str(target)
    if isinstance(target, io.TextIOBase):
        raise ExportError("xlsx needs a binary stream or a path")
    return target  # type: ignore[return-value]


__all__ = ["FORMATS", "MIMETYPES", "ExportContext", "ExportError", "build_context", "export_rows", "format_for"]
