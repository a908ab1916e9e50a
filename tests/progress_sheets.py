"""Small 调度 sheets in the offices' shape (title, unit row, two-row merged header, 合计 first, a group row,
a notes row at the bottom), written with openpyxl for the progress tests."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped]

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "testdata" / "diaodu" / "sample_diaodu.xlsx"


def diaodu(path: Path, rows: list[tuple[Any, ...]], *, year: int = 2025, month: int = 6, unit: str = "万元",
           code_column: bool = False, range_text: str | None = None) -> Path:
    """rows: (序号, [项目编号,] 项目名称, 总投资, 年度计划投资, 1-M月累计完成投资, 形象进度, 存在问题)."""
    book = openpyxl.Workbook()
    ws = book.active
    period = range_text or f"1-{month}月"
    head = ["序号", *(["项目编号"] if code_column else []), "项目名称", "总投资", f"{year}年计划投资"]
    width = len(head) + 3
    ws.append([f"太原市{year}年重点项目{period}推进情况表"] + [None] * (width - 1))
    ws.append([f"单位：{unit}"] + [None] * (width - 1) if unit else [None] * width)
    ws.append([*head, f"{year}年{period}完成情况", None, None])
    ws.append([None] * len(head) + [f"{period}累计完成投资", f"{period}形象进度", "存在问题"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.merge_cells(start_row=3, start_column=len(head) + 1, end_row=3, end_column=width)
    for c in range(1, len(head) + 1):
        ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
    ws.append([f"合计（{len(rows)}项）"] + [None] * (width - 1))
    ws.append(["一、交通（2项）"] + [None] * (width - 1))
    for row in rows:
        ws.append(list(row))
    ws.append([None] * width)
    ws.append(["备注：1-M月为年内累计数。"] + [None] * (width - 1))
    ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=width)
    book.save(path)
    return path
