"""The Excel export's 调度 sheet: the filter's projects in the offices' monthly layout (title with the year
and month range, unit row, header, one row per project, 合计, notes with the rule), for the month the filter's
progress classes refer to. It is shaped so `kpr progress import` (and the upload page) read it back: amounts
in whole 万元 as stored, the year and 1-M月 in the headers, a 编号 column so rows match by code — re-importing
it changes nothing. A project without figures that month is listed with blank figures (未填报)."""
from __future__ import annotations

from decimal import Decimal

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from registry.export.context import ExportContext
from registry.export.errors import check_length
from registry.export.printsheet import page_setup
from registry.records import ProjectRow
from registry.textout import FORMULA_PREFIXES

WAN = Decimal(10_000)
TOP = 3  # rows above the first project: title, unit, header


def headers(year: int, month: int) -> list[tuple[str, int]]:
    period = f"1-{month}月"
    return [("序号", 6), ("项目名称", 36), ("编号", 14), (f"{year}年计划投资（万元）", 14),
            (f"{year}年{period}累计完成投资（万元）", 16), ("完成率（%）", 10), (f"{period}形象进度", 30), ("存在问题", 30),
            ("进度", 8)]


class DiaoduSheet:
    """Written one row at a time beside the other sheets (constant_memory mode writes rows in order)."""

    def __init__(self, book: xlsxwriter.Workbook, sheet: Worksheet, context: ExportContext) -> None:
        self.sheet, self.context = sheet, context
        self.year, self.month = context.progress_month or (context.exported_at.year, context.exported_at.month)
        border = {"border": 1, "valign": "top", "text_wrap": True}
        self.cell = book.add_format(border)
        self.quoted = book.add_format({**border, "quote_prefix": True})
        self.wan = book.add_format({**border, "num_format": "#,##0"})
        self.rate = book.add_format({**border, "num_format": "0.0"})
        self.bold = book.add_format({**border, "bold": True})
        self.bold_wan = book.add_format({**border, "bold": True, "num_format": "#,##0"})
        head = book.add_format({**border, "bold": True, "bg_color": "#DDEBF7", "align": "center",
                                "valign": "vcenter"})
        columns = headers(self.year, self.month)
        last = len(columns) - 1
        title = book.add_format({"bold": True, "font_size": 14, "align": "center"})
        sheet.merge_range(0, 0, 0, last, f"太原市{self.year}年重点项目1-{self.month}月推进情况表", title)
        sheet.merge_range(1, 0, 1, last, "单位：万元")
        for c, (label, width) in enumerate(columns):
            sheet.set_column(c, c, width)
            sheet.write_string(2, c, label, head)
        sheet.freeze_panes(TOP, 2)
        page_setup(sheet, repeat_row=2)
        self.count, self.plan, self.done = 0, Decimal(0), Decimal(0)

    def _text(self, c: int, value: str | None, code: str, header: str) -> None:
        if value:
            text = check_length(value, code, header)
            self.sheet.write_string(TOP + self.count - 1, c, text,
                                    self.quoted if text.startswith(FORMULA_PREFIXES) else self.cell)

    def _wan(self, c: int, yi: Decimal | None, fmt: object = None) -> None:
        if yi is not None:
            self.sheet.write_number(TOP + self.count - 1, c, float(yi * WAN), fmt or self.wan)

    def add(self, row: ProjectRow) -> None:
        self.count += 1
        r = TOP + self.count - 1
        figures = row.progress_in(self.year, self.month)
        self.sheet.write_number(r, 0, self.count, self.cell)
        self._text(1, row.name, row.code, "项目名称")
        self._text(2, row.code, row.code, "编号")
        if figures is not None:
            self._wan(3, figures.plan_investment)
            self._wan(4, figures.completed_investment)
            if figures.plan_investment and figures.completed_investment is not None:
                rate = figures.completed_investment / figures.plan_investment * 100
                self.sheet.write_number(r, 5, float(round(rate, 1)), self.rate)
            self._text(6, figures.image_progress, row.code, "形象进度")
            self._text(7, figures.issues, row.code, "存在问题")
            self.plan += figures.plan_investment or 0
            self.done += figures.completed_investment or 0
        self._text(8, row.progress_class_in((self.year, self.month)), row.code, "进度")

    def finish(self) -> None:
        r = TOP + self.count
        self.sheet.write_string(r, 0, f"合计（{self.count}项）", self.bold)
        self.sheet.write_number(r, 3, float(self.plan * WAN), self.bold_wan)
        self.sheet.write_number(r, 4, float(self.done * WAN), self.bold_wan)
        last = len(headers(self.year, self.month)) - 1
        self.sheet.merge_range(r + 2, 0, r + 2, last,
                               f"备注：筛选条件：{self.context.filter_words}。进度评价规则：{self.context.progress_rule}。"
                               f"累计为本年1月至{self.month}月；空白表示未填报（不是0）。", self.cell)
