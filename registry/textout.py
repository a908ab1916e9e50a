"""Plain-text rendering of project rows for the terminal, and the formula guard every text export uses.

CSV and JSON files are written by registry/export (one set of columns, one JSON shape for CLI and web)."""
from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from registry.fields import BY_KEY, LIST_VIEW
from registry.records import ProjectRow
from registry.vocabulary import status_word

# Column key → Chinese header; the same columns the list page and exports lead with (registry/fields.py).
LIST_COLUMNS: tuple[tuple[str, str], ...] = tuple((key, BY_KEY[key].zh) for key in LIST_VIEW)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def cell(row: ProjectRow, key: str) -> str:
    value: Any = getattr(row, key)
    if key == "status":
        return status_word(str(value))
    if key == "precision_label":  # models.PRECISIONS holds "中文 english": the table speaks Chinese
        return str(value).split(" ", 1)[0]
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
