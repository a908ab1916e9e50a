"""What an import did or would do, per row; downloadable as a spreadsheet."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO

import xlsxwriter

from registry.errors import Problem
from registry.importer.existing import Candidate
from registry.textout import FORMULA_PREFIXES


@dataclass(frozen=True)
class LikelyDuplicate:
    row: int
    name: str
    district: str | None
    code: str  # the code this row was given
    matches: tuple[Candidate, ...]

    def describe(self) -> str:
        others = "；".join(f"{c.code} {c.name}（{c.district or '区县未知'}）" for c in self.matches)
        return f"第 {self.row} 行“{self.name}”与已有项目同名：{others}"


@dataclass
class ImportReport:
    file: str
    sheet: str | None = None
    encoding: str | None = None
    dry_run: bool = False
    skip_invalid: bool = False
    rows_read: int = 0
    blank_rows: int = 0
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    problems_omitted: int = 0
    bad_rows: set[int] = field(default_factory=set)
    duplicates: list[LikelyDuplicate] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    informational_columns: list[str] = field(default_factory=list)
    applied: bool = False

    def add_problem(self, problem: Problem, limit: int) -> None:
        if problem.row is not None:
            self.bad_rows.add(problem.row)
        if len(self.problems) < limit:
            self.problems.append(problem)
        else:
            self.problems_omitted += 1

    @property
    def problem_count(self) -> int:
        return len(self.problems) + self.problems_omitted

    def summary(self) -> str:
        if self.applied:
            state = "已导入 (applied)"
        elif self.dry_run:
            state = "试运行，未写入 (dry run: nothing written)"
        else:
            state = "有错误，未写入任何数据 (errors: nothing written)"
        return (f"{state} · 读取 {self.rows_read} 行 · 新增 {len(self.created)} · 更新 {len(self.updated)}"
                f" · 未变 {len(self.unchanged)} · 问题 {self.problem_count}（{len(self.bad_rows)} 行）"
                f" · 疑似重复 {len(self.duplicates)}")


def _text(sheet: xlsxwriter.worksheet.Worksheet, r: int, c: int, value: object, quoted: object) -> None:
    text = "" if value is None else str(value)
    sheet.write_string(r, c, text, quoted if text.startswith(FORMULA_PREFIXES) else None)


def write_report_xlsx(report: ImportReport, target: str | IO[bytes]) -> None:
    """Sheets 问题 (row, column, value, problem, expected), 疑似重复 and 汇总."""
    book = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_formulas": False,
                                        "strings_to_numbers": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True, "bg_color": "#FCE4D6"})
    quoted = book.add_format({"quote_prefix": True})
    try:
        sheet = book.add_worksheet("问题")
        for c, (title, width) in enumerate((("行号", 7), ("列", 16), ("值", 30), ("问题", 50), ("应为", 50))):
            sheet.write_string(0, c, title, bold)
            sheet.set_column(c, c, width)
        sheet.freeze_panes(1, 0)
        for r, p in enumerate(report.problems, start=1):
            if p.row is not None:
                sheet.write_number(r, 0, p.row)
            for c, value in enumerate((p.field, p.value, p.message, p.expected), start=1):
                _text(sheet, r, c, value, quoted)
        if report.problems_omitted:
            _text(sheet, len(report.problems) + 1, 3, f"另有 {report.problems_omitted} 个问题未列出", quoted)
        dup = book.add_worksheet("疑似重复")
        for c, (title, width) in enumerate((("行号", 7), ("项目名称", 36), ("本行编号", 16), ("已有项目", 80))):
            dup.write_string(0, c, title, bold)
            dup.set_column(c, c, width)
        for r, d in enumerate(report.duplicates, start=1):
            dup.write_number(r, 0, d.row)
            _text(dup, r, 1, d.name, quoted)
            _text(dup, r, 2, d.code, quoted)
            _text(dup, r, 3, "；".join(f"{c.code} {c.name}（{c.district or '—'}）" for c in d.matches), quoted)
        info = book.add_worksheet("汇总")
        info.set_column(0, 0, 16)
        info.set_column(1, 1, 90)
        lines = [("文件", report.file), ("工作表", report.sheet or "—"), ("结果", report.summary()),
                 ("忽略的列", "、".join(report.ignored_columns) or "—"),
                 ("仅供参考的列", "、".join(report.informational_columns) or "—")]
        for r, (label, value) in enumerate(lines):
            info.write_string(r, 0, label, bold)
            _text(info, r, 1, value, quoted)
    finally:
        book.close()
