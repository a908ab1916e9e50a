"""The Excel export's 打印 sheet and print setup: landscape A4, one page wide, header row repeated,
margins and page numbers — a workbook that prints the way the print view (/projects/print) does."""
from __future__ import annotations

import math
import unicodedata
from decimal import Decimal

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from registry.clock import stamp_text
from registry.export.context import ExportContext
from registry.export.errors import check_length
from registry.printout import MEETING_COLUMNS, Summary, title_for
from registry.records import ProjectRow
from registry.textout import FORMULA_PREFIXES

A4 = 9  # Excel's paper code
FONT = {"font_size": 9, "font_name": "宋体"}
HEADER_ROW = 2  # 0: title, 1: filter and dates, 2: column headers, then the data
LINE_POINTS = 12.0  # one wrapped line of 9 pt text
CHARS_PER_WIDTH = 1.3  # column widths count 11 pt characters; 9 pt text fits more per line (measured in LibreOffice)


def _lines(text: str, width: int) -> int:
    """How many lines wrapped text takes: neither Excel nor LibreOffice grows rows written by a stream."""
    units = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return max(1, math.ceil(units / max(1.0, (width - 1) * CHARS_PER_WIDTH)))


def page_setup(sheet: Worksheet, repeat_row: int | None, *, portrait: bool = False) -> None:
    """Landscape A4, as many pages tall as needed but one page wide, the header row on every page."""
    if portrait:  # the two-column 口径说明 reads better upright
        sheet.set_portrait()
    else:
        sheet.set_landscape()
    sheet.set_paper(A4)
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.4, right=0.4, top=0.55, bottom=0.6)
    sheet.center_horizontally()
    sheet.set_footer("&C第 &P 页 / 共 &N 页")
    if repeat_row is not None:
        sheet.repeat_rows(repeat_row)


class PrintSheet:
    """Written one row at a time alongside the 项目 sheet (constant_memory mode writes rows in order)."""

    def __init__(self, book: xlsxwriter.Workbook, sheet: Worksheet, context: ExportContext) -> None:
        self.sheet, self.summary = sheet, Summary()
        border = {"border": 1, "valign": "top", "text_wrap": True, **FONT}
        self.cell = book.add_format(border)
        self.quoted = book.add_format({**border, "quote_prefix": True})
        self.money = book.add_format({**border, "num_format": "#,##0.00##"})
        self.total = book.add_format({**border, "bold": True})
        self.total_money = book.add_format({**border, "bold": True, "num_format": "#,##0.00##"})
        head = book.add_format({**border, "bold": True, "bg_color": "#DDEBF7", "align": "center",
                                "valign": "vcenter"})
        last = len(MEETING_COLUMNS)
        sheet.set_column(0, 0, 5)
        for c, col in enumerate(MEETING_COLUMNS, start=1):
            sheet.set_column(c, c, col.width)
        sheet.merge_range(0, 0, 0, last, title_for(context.filter_words),
                          book.add_format({"bold": True, "font_size": 15, "align": "center", "valign": "vcenter",
                                           "font_name": FONT["font_name"]}))
        sheet.set_row(0, 26)
        meta = f"数据版本：{context.data_version}　导出时间：{stamp_text(context.exported_at)}　金额单位：亿元（空白=未列明）"
        sheet.merge_range(1, 0, 1, last, meta, book.add_format({**FONT, "align": "right"}))
        sheet.write_string(HEADER_ROW, 0, "序号", head)
        for c, col in enumerate(MEETING_COLUMNS, start=1):
            sheet.write_string(HEADER_ROW, c, col.header, head)
        page_setup(sheet, repeat_row=HEADER_ROW)  # only the column headers repeat; the title prints once
        sheet.activate()  # Excel opens on this sheet and its Print button prints it

    def add(self, row: ProjectRow) -> None:
        self.summary = self.summary.add(row)
        r = HEADER_ROW + self.summary.count
        values = [col.get(row) for col in MEETING_COLUMNS]
        lines = max(_lines(str(v), col.width) for col, v in zip(MEETING_COLUMNS, values, strict=True)
                    if isinstance(v, str))
        self.sheet.set_row(r, LINE_POINTS * lines + 2)
        self.sheet.write_number(r, 0, self.summary.count, self.cell)
        for c, (col, value) in enumerate(zip(MEETING_COLUMNS, values, strict=True), start=1):
            if value is None:
                self.sheet.write_blank(r, c, None, self.cell)
            elif isinstance(value, Decimal):
                self.sheet.write_number(r, c, float(value), self.money)
            else:
                text = check_length(str(value), row.code, col.header)
                self.sheet.write_string(r, c, text, self.quoted if text.startswith(FORMULA_PREFIXES) else self.cell)

    def finish(self) -> None:
        """The 合计 row: the count, and a SUM over the amounts (its cached value is the exact sum)."""
        s, n = self.summary, self.summary.count
        r = HEADER_ROW + n + 1
        self.sheet.write_string(r, 0, "合计", self.total)
        for c, col in enumerate(MEETING_COLUMNS, start=1):
            if col.money:
                first, last = xl_rowcol_to_cell(HEADER_ROW + 1, c), xl_rowcol_to_cell(max(r - 1, HEADER_ROW + 1), c)
                self.sheet.write_formula(r, c, f"=SUM({first}:{last})", self.total_money, float(s.investment_sum))
            elif col.key == "name":
                note = f"（{s.without_amount} 个未列投资额，不计入合计）" if s.without_amount else ""
                self.sheet.write_string(r, c, f"{n} 个项目{note}", self.total)
            else:
                self.sheet.write_blank(r, c, None, self.total)
        self.sheet.print_area(0, 0, r, len(MEETING_COLUMNS))
