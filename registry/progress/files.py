"""The 调度 template to fill in, and the import's report, as .xlsx (xlsxwriter; text written as text, so a
value starting with = is never a formula)."""
from __future__ import annotations

from typing import Any

import xlsxwriter  # type: ignore[import-untyped]

from registry.progress.run import ProgressReport


def _text(sheet: Any, r: int, c: int, value: object, fmt: Any = None) -> None:
    sheet.write_string(r, c, "" if value is None else str(value), fmt)


def write_template(path: str, year: int, month: int) -> None:
    """The common office layout (title, unit row, two-row merged header) with a 项目编号 column, so rows
    match by code; the importer reads the year and the month from the headers."""
    book = xlsxwriter.Workbook(path)
    try:
        head = book.add_format({"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True,
                                "border": 1, "bg_color": "#DDEBF7"})
        title = book.add_format({"bold": True, "font_size": 14, "align": "center"})
        ws = book.add_worksheet(f"1-{month}月")
        period = f"1-{month}月"
        ws.merge_range(0, 0, 0, 8, f"太原市{year}年重点项目{period}推进情况表", title)
        ws.merge_range(1, 0, 1, 8, "单位：万元")
        single = ["序号", "项目编号", "项目名称", "总投资", f"{year}年计划投资"]
        for c, label in enumerate(single):
            ws.merge_range(2, c, 3, c, label, head)
        ws.merge_range(2, 5, 2, 7, f"{year}年{period}完成情况", head)
        for c, label in enumerate((f"{period}累计完成投资", f"{period}形象进度", "存在问题"), start=5):
            ws.write_string(3, c, label, head)
        ws.merge_range(2, 8, 3, 8, "责任单位", head)
        for c, width in enumerate((6, 14, 40, 12, 14, 16, 30, 30, 16)):
            ws.set_column(c, c, width)
        ws.freeze_panes(4, 3)
        ws.write_string(4, 0, "合计")
        ws.merge_range(6, 0, 6, 8, "备注：金额单位万元，累计为本年1月至本月；填写项目编号则按编号匹配，否则按项目名称或别名精确匹配。")
    finally:
        book.close()


def write_report(report: ProgressReport, path: str) -> None:
    book = xlsxwriter.Workbook(path)
    try:
        bold = book.add_format({"bold": True, "bg_color": "#FCE4D6"})
        problems = book.add_worksheet("问题")
        for c, (label, width) in enumerate((("行号", 7), ("列", 18), ("值", 30), ("问题", 50), ("应为", 50))):
            problems.write_string(0, c, label, bold)
            problems.set_column(c, c, width)
        for r, p in enumerate(report.problems, start=1):
            if p.row is not None:
                problems.write_number(r, 0, p.row)
            for c, value in enumerate((p.field, p.value, p.message, p.expected), start=1):
                _text(problems, r, c, value)
        classes = book.add_worksheet("进度评价")
        for c, label in enumerate(("项目编号", "进度评价")):
            classes.write_string(0, c, label, bold)
        for r, (code, cls) in enumerate(sorted(report.classes.items()), start=1):
            _text(classes, r, 0, code)
            _text(classes, r, 1, cls)
        info = book.add_worksheet("汇总")
        info.set_column(1, 1, 100)
        skipped = "；".join(f"第{r}行 {label[:30]}" for r, label in report.skipped_rows)
        for r, (label, value) in enumerate((("文件", report.file), ("工作表", report.sheet), ("结果", report.summary()),
                                            ("评价规则", report.rule), ("跳过的行", skipped or "—"))):
            _text(info, r, 0, label, bold)
            _text(info, r, 1, value)
    finally:
        book.close()
