"""The Excel export, streamed with xlsxwriter's constant_memory mode: 项目, 位置, 口径说明, 打印 and 调度 sheets.

项目 stays one header row plus data so export → import is lossless; 打印 is the sheet a meeting prints
(title row, 序号, the meeting columns, a 合计 row; registry/export/printsheet.py) and opens first in Excel.

Text is always written with write_string (never interpreted); text that a spreadsheet would read as a
formula (=, +, -, @, tab, CR) also gets Excel's quote-prefix style, so editing the cell keeps it text —
the stored value stays exact, which keeps export → import lossless."""
from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import IO, Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from registry.clock import stamp_text
from registry.export.columns import BOOL_TEXT, LOCATION_COLUMNS, PROJECT_COLUMNS, Cell
from registry.export.context import ExportContext
from registry.export.diaodu import DiaoduSheet
from registry.export.errors import check_length
from registry.export.printsheet import PrintSheet, page_setup
from registry.models import PRECISIONS
from registry.records import ProjectRow
from registry.textout import FORMULA_PREFIXES

NUMBER_FORMATS = {"money": "#,##0.00##", "int": "0", "float": "0.000000"}


class _Styles:
    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                       "valign": "vcenter"})
        self.text = book.add_format({})
        self.quoted = book.add_format({"quote_prefix": True})
        self.numbers = {kind: book.add_format({"num_format": fmt}) for kind, fmt in NUMBER_FORMATS.items()}
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.label = book.add_format({"bold": True, "valign": "top"})
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})


def _put(sheet: Worksheet, r: int, c: int, value: Cell, kind: str, styles: _Styles, code: str,
         header: str) -> None:
    if value is None or value == "":
        return
    if isinstance(value, bool):
        sheet.write_string(r, c, BOOL_TEXT[value], styles.text)
    elif kind in NUMBER_FORMATS and isinstance(value, (int, float, Decimal)):
        sheet.write_number(r, c, float(value), styles.numbers[kind])
    else:
        text = check_length(str(value), code, header)
        sheet.write_string(r, c, text, styles.quoted if text.startswith(FORMULA_PREFIXES) else styles.text)


def _header(sheet: Worksheet, headers: list[tuple[str, int]], styles: _Styles) -> None:
    for c, (title, width) in enumerate(headers):
        sheet.set_column(c, c, width)
        sheet.write_string(0, c, title, styles.header)
    sheet.freeze_panes(1, 0)


def write_xlsx(rows: Iterable[ProjectRow], target: str | IO[bytes], context: ExportContext) -> int:
    book = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_numbers": False,
                                        "strings_to_formulas": False, "strings_to_urls": False})
    # File properties as Excel shows them (文件 → 信息): the filter and when, in Beijing time.
    book.set_properties({"title": "太原重点项目库导出", "subject": context.filter_words,
                         "comments": f"导出时间：{stamp_text(context.exported_at)}；数据版本：{context.data_version}"})
    styles = _Styles(book)
    projects, locations, notes = (book.add_worksheet(n) for n in ("项目", "位置", "口径说明"))
    printed = PrintSheet(book, book.add_worksheet("打印"), context)
    diaodu = DiaoduSheet(book, book.add_worksheet("调度"), context)
    _header(projects, [(c.header, c.width) for c in PROJECT_COLUMNS], styles)
    _header(locations, [(c.header, c.width) for c in LOCATION_COLUMNS], styles)
    for sheet in (projects, locations):
        page_setup(sheet, repeat_row=0)
    page_setup(notes, repeat_row=None, portrait=True)
    count, loc_count = 0, 0
    amount, without = Decimal(0), 0
    try:
        for row in rows:
            count += 1
            for c, col in enumerate(PROJECT_COLUMNS):
                _put(projects, count, c, col.get(row, context.vocab), col.kind, styles, row.code, col.header)
            for loc in row.locations:
                loc_count += 1
                for c, lcol in enumerate(LOCATION_COLUMNS):
                    _put(locations, loc_count, c, lcol.get(row, loc), lcol.kind, styles, row.code, lcol.header)
            printed.add(row)
            diaodu.add(row)
            if row.total_investment is None:
                without += 1
            else:
                amount += row.total_investment
        printed.finish()
        diaodu.finish()
        projects.autofilter(0, 0, max(count, 1), len(PROJECT_COLUMNS) - 1)
        locations.autofilter(0, 0, max(loc_count, 1), len(LOCATION_COLUMNS) - 1)
        _notes(notes, context, styles, count, amount, without)
    finally:
        book.close()
    return count


def _notes(sheet: Worksheet, ctx: ExportContext, styles: _Styles, count: int, amount: Decimal,
           without: int) -> None:
    sheet.set_column(0, 0, 22)
    sheet.set_column(1, 1, 80)
    lines: list[tuple[str, Any]] = [("太原重点项目库 · 导出口径说明", None), ("筛选条件", ctx.filter_words),
                                    ("导出时间", stamp_text(ctx.exported_at)),
                                    ("数据版本", ctx.data_version)]
    note = ctx.limit_note()
    if note:
        lines.insert(2, ("导出上限", note))
    if ctx.totals is not None:
        lines += [("项目数（与网页一致）", ctx.totals.count),
                  ("总投资合计（亿元）", ctx.totals.investment_sum),
                  ("未列投资额的项目数", ctx.totals.without_amount)]
    lines += [("本表行数", count), ("本表总投资合计（亿元）", amount), ("本表未列投资额", without),
              ("金额", "总投资单位为亿元；空白表示未知（不是0）；合计只计已知金额"),
              ("坐标", "经纬度均为 WGS-84（EPSG:4326）；GCJ-02/BD-09 输入已换算"),
              ("", None), ("字段说明", None)]
    lines += [(c.header, c.note or "—") for c in PROJECT_COLUMNS]
    lines += [("", None), ("位置精度代码", None)]
    lines += [(str(code), label) for code, label in PRECISIONS.items()]
    for r, (label, value) in enumerate(lines):
        if r == 0:
            sheet.write_string(r, 0, label, styles.title)
            continue
        if label:
            sheet.write_string(r, 0, label, styles.label)
        if isinstance(value, (int, Decimal)):
            sheet.write_number(r, 1, float(value), styles.numbers["money" if isinstance(value, Decimal) else "int"])
        elif value is not None:
            sheet.write_string(r, 1, str(value), styles.quoted if str(value).startswith(FORMULA_PREFIXES)
                               else styles.wrap)
