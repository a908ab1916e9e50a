"""Plain-text and CSV renderings of project rows for the terminal and files."""
from __future__ import annotations

import csv
import json
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from registry.records import ProjectRow

# Column key → Chinese header; the same columns the list page and exports lead with.
LIST_COLUMNS: tuple[tuple[str, str], ...] = (
    ("code", "编号"), ("name", "项目名称"), ("total_investment", "总投资（亿元）"), ("status", "状态"),
    ("district", "区县"), ("zone", "开发区"), ("strategies", "区域战略"), ("chains", "产业链"),
    ("precision_label", "位置精度"),
)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def cell(row: ProjectRow, key: str) -> str:
    value: Any = getattr(row, key)
    if value is None:
        return ""
    if isinstance(value, tuple):
        return "、".join(str(v) for v in value)
    return str(value)


def neutralise_formula(text: str) -> str:
    """A leading ' makes spreadsheet programs show =, +, -, @ as text instead of running a formula."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _clip(text: str, limit: int) -> str:
    if _width(text) <= limit:
        return text
    out = ""
    for ch in text:
        if _width(out + ch) > limit - 1:
            return out + "…"
        out += ch
    return out


def table(rows: Sequence[ProjectRow], columns: Sequence[tuple[str, str]] = LIST_COLUMNS,
          max_width: int = 36) -> str:
    cells = [[_clip(cell(r, key), max_width) for key, _ in columns] for r in rows]
    headers = [title for _, title in columns]
    widths = [max([_width(h)] + [_width(c[i]) for c in cells]) for i, h in enumerate(headers)]
    lines = ["  ".join(_pad(h, w) for h, w in zip(headers, widths))]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend("  ".join(_pad(c, w) for c, w in zip(row, widths)) for row in cells)
    return "\n".join(line.rstrip() for line in lines)


def write_csv(rows: Iterable[ProjectRow], out: TextIO, columns: Sequence[tuple[str, str]] = LIST_COLUMNS) -> int:
    writer = csv.writer(out)
    writer.writerow([title for _, title in columns])
    count = 0
    for row in rows:
        writer.writerow([neutralise_formula(cell(row, key)) for key, _ in columns])
        count += 1
    return count


def write_json(rows: Iterable[ProjectRow], out: TextIO) -> int:
    """A JSON array written row by row, so large lists are never held as one string."""
    out.write("[")
    count = 0
    for row in rows:
        out.write(",\n" if count else "\n")
        out.write(json.dumps(row.to_dict(), ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count
