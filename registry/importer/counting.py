"""Rows counted without parsing, stopping as soon as the limit is passed: a 40,000-row upload is refused after
reading the first rows past the limit, not after parsing all of them. In an xlsx the worksheet XML is scanned for
<row> tags (and their r="…" numbers, because the reader walks through every gap up to the highest one); in a csv
the records are counted by the C csv reader."""
from __future__ import annotations

import csv
import re
from typing import IO

from registry.errors import FileTooLarge
from registry.importer.limits import Limits

CHUNK = 1 << 16
OVERLAP = 512  # longer than any <row …> start tag up to its r="…" attribute
_ROW = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?row(?=[\s>/])([^>]{0,400}?\sr="(\d{1,9})")?')


def too_many_rows(rows: int, limits: Limits) -> FileTooLarge:
    return FileTooLarge(f"文件有 {rows if rows <= limits.max_rows else f'超过 {limits.max_rows}'} 行数据，"
                        f"超过 {limits.max_rows} 行的上限；请分批导入 (more than {limits.max_rows} data rows)")


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
