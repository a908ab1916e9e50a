"""Cheap bounds checked before any row is parsed: the file's size, and how many rows it holds.

Rows are counted without parsing: in an xlsx the worksheet XML is scanned for <row> tags (and their r="…"
numbers, because the reader walks through every gap up to the highest one); in a csv the records are counted
by the C csv reader. Both stop as soon as the limit is passed, so a 40,000-row upload is refused after reading
the first rows past the limit, not after parsing all of them. The web upload calls check_upload_size on the
request's Content-Length and check_upload on the saved file before it starts an import."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from registry.errors import FileTooLarge
from registry.importer.limits import DEFAULT_LIMITS, Limits

CHUNK = 1 << 16
OVERLAP = 512  # longer than any <row …> start tag up to its r="…" attribute
_ROW = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?row(?=[\s>/])([^>]{0,400}?\sr="(\d{1,9})")?')


@dataclass(frozen=True)
class UploadCheck:
    """What the up-front check found: the kind of file, the sheet that will be read, its data rows."""

    kind: str  # xlsx | csv
    sheet: str | None
    rows: int  # data rows below the header (blank ones included)
    size: int  # bytes


def too_many_rows(rows: int, limits: Limits) -> FileTooLarge:
    return FileTooLarge(f"文件有 {rows if rows <= limits.max_rows else f'超过 {limits.max_rows}'} 行数据，"
                        f"超过 {limits.max_rows} 行的上限；请分批导入 (more than {limits.max_rows} data rows)")


def check_upload_size(size: int | None, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse a body whose declared size (Content-Length) is over the limit, before reading it."""
    if size is not None and size > limits.max_bytes:
        raise FileTooLarge(f"文件太大：{size / 1e6:.1f} MB，上限 {limits.max_bytes / 1e6:.0f} MB "
                           f"(larger than the {limits.max_bytes} byte limit)")


def count_sheet_rows(stream: IO[bytes], limits: Limits) -> int:
    """The highest row number in a worksheet's XML (header included); raises once past the limit."""
    highest = current = 0
    buffer = b""
    while True:
        chunk = stream.read(CHUNK)
        buffer += chunk
        # Tags starting in the last OVERLAP bytes may be cut; they are looked at with the next chunk.
        end = len(buffer) if not chunk else max(0, len(buffer) - OVERLAP)
        position = 0
        for match in _ROW.finditer(buffer, 0, len(buffer)):
            if match.start() >= end:
                break
            current = int(match.group(2)) if match.group(2) else current + 1
            highest = max(highest, current)
            position = match.end()
            if highest - 1 > limits.max_rows:
                raise too_many_rows(highest - 1, limits)
        if not chunk:
            return highest
        buffer = buffer[max(position, end):]


def count_csv_records(fh: IO[str], dialect: csv.Dialect | type[csv.Dialect], limits: Limits) -> int:
    """CSV records after the header (a quoted cell may span lines, so lines are not records)."""
    count = -1
    for count, _ in enumerate(csv.reader(fh, dialect)):
        if count > limits.max_rows:
            raise too_many_rows(count, limits)
    return max(count, 0)


def check_upload(path: str | Path, limits: Limits = DEFAULT_LIMITS, sheet: str | None = None) -> UploadCheck:
    """Everything that can refuse a file before the import starts: type, size, structure, header, row count.
    Raises ImportRefused (FileTooLarge for size and rows) with a message for the user."""
    from registry.importer.headers import map_headers
    from registry.importer.read import open_table

    with open_table(path, sheet, limits) as table:
        map_headers(table.headers, limits.max_columns)
        return UploadCheck(table.kind, table.sheet, table.total_hint or 0, Path(path).stat().st_size)
