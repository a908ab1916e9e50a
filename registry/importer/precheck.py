"""Cheap bounds checked before any row is parsed: the file's size, its structure and header, and how many rows
it holds (counted by registry/importer/counting.py as the reader opens the table). The web upload calls
check_upload_size on the request's Content-Length and check_upload on the saved file before it starts an
import."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from registry.errors import FileTooLarge
from registry.importer.headers import map_headers
from registry.importer.limits import DEFAULT_LIMITS, Limits
from registry.importer.read import open_table


@dataclass(frozen=True)
class UploadCheck:
    """What the up-front check found: the kind of file, the sheet that will be read, its data rows."""

    kind: str  # xlsx | csv
    sheet: str | None
    rows: int  # data rows below the header (blank ones included)
    size: int  # bytes


def check_upload_size(size: int | None, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a body whose declared size (Content-Length) is over the limit, before reading it."""
    if size is not None and size > limits.max_bytes:
        raise FileTooLarge(f"文件太大：{size / 1e6:.1f} MB，上限 {limits.max_bytes / 1e6:.0f} MB "
                           f"(larger than the {limits.max_bytes} byte limit)")


def check_upload(path: str | Path, limits: Limits = DEFAULT_LIMITS, sheet: str | None = None) -> UploadCheck:
    """Everything that can refuse a file before the import starts: type, size, structure, header, row count.
    Raises ImportRefused (FileTooLarge for size and rows) with a message for the user."""
    with open_table(path, sheet, limits) as table:
        map_headers(table.headers, limits.max_columns)
        return UploadCheck(table.kind, table.sheet, table.total_hint or 0, Path(path).stat().st_size)
