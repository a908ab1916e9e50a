"""Errors an export can raise; messages name the project and field so the user can fix the data."""
from __future__ import annotations

from registry.errors import ExportError

# Excel's hard limit on characters in one cell.
EXCEL_CELL_LIMIT = 32_767


def check_length(text: str, code: str, header: str) -> str:
    """Refuse rather than truncate: a silently cut cell is a wrong cell."""
    if len(text) > EXCEL_CELL_LIMIT:
        raise ExportError(f"项目 {code} 的“{header}”有 {len(text)} 个字符，超过 Excel 单元格上限 {EXCEL_CELL_LIMIT}；"
                          f"请缩短后再导出，或导出为 CSV/GeoJSON (project {code}, field {header}: too long for Excel)")
    return text
