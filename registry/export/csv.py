"""CSV export: UTF-8 with a BOM (Excel shows Chinese correctly only with it), every export column.

Text is neutralised as in registry/textout; a text that itself starts with ' gets one more, so the importer
can strip exactly one quote and get the original back."""
from __future__ import annotations

import csv as _csv
from collections.abc import Iterable
from decimal import Decimal
from typing import IO

from registry.export.columns import BOOL_TEXT, PROJECT_COLUMNS, Cell
from registry.export.context import ExportContext
from registry.records import ProjectRow
from registry.textout import neutralise_formula

BOM = "\ufeff"


def csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return BOOL_TEXT[value]
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith("'") else neutralise_formula(text)


def write_csv(rows: Iterable[ProjectRow], out: IO[str], context: ExportContext) -> int:
    out.write(BOM)
    writer = _csv.writer(out)
    writer.writerow([c.header for c in PROJECT_COLUMNS])
    count = 0
    for row in rows:
        writer.writerow([csv_text(c.get(row, context.vocab)) for c in PROJECT_COLUMNS])
        count += 1
    return count
