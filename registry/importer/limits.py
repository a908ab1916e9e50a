"""Limits that keep a hostile or mistaken file from exhausting memory, disk or time."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 100 * 1024 * 1024  # the file as uploaded
    # A zip bomb is small on disk and huge inflated: check the central directory before opening.
    max_uncompressed: int = 1024 * 1024 * 1024
    max_ratio: int = 200  # typical xlsx sheets compress 5–20×; bombs 1000×+
    # Data rows; below Excel's 1,048,575 so a stray cell in the sheet's last row is refused, not walked to.
    max_rows: int = 1_000_000
    max_columns: int = 200
    max_cell_chars: int = 32_767  # Excel's own cell limit
    max_problems: int = 10_000  # beyond this, problems are counted, not kept


DEFAULT_LIMITS = Limits()
