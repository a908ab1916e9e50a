"""The import template: the export's importable columns, drop-downs for coded fields, and a 说明 sheet."""
from __future__ import annotations

from typing import IO

import xlsxwriter

from registry.export.columns import PROJECT_COLUMNS
from registry.fields import IMPORTABLE
from registry.vocabulary import Vocabulary

TEMPLATE_ROWS = 5000  # drop-downs cover this many data rows


def write_template(vocab: Vocabulary | None, target: str | IO[bytes]) -> None:
    vocab = vocab or Vocabulary()
    columns = [c for c in PROJECT_COLUMNS if c.importable]
    # The field table's fixed values, or the names of its vocabulary as sheets spell them.
    choices: dict[str, list[str]] = {
        f.key: list(f.choices) or sorted(vocab.sheet_names(f.vocab).values()) for f in IMPORTABLE if f.choices or f.vocab}
    lists = {f.key for f in IMPORTABLE if f.kind == "list"}
    book = xlsxwriter.Workbook(target, {"strings_to_formulas": False, "strings_to_numbers": False})
    try:
        header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
        sheet = book.add_worksheet("项目")
        options = book.add_worksheet("选项")
        notes = book.add_worksheet("说明")
        for c, col in enumerate(columns):
            sheet.write_string(0, c, col.header, header)
            sheet.set_column(c, c, col.width)
            if col.note:
                sheet.write_comment(0, c, col.note)
        sheet.freeze_panes(1, 0)
        for k, (key, values) in enumerate(choices.items()):
            options.write_string(0, k, key)
            for r, value in enumerate(values, start=1):
                options.write_string(r, k, value)
            index = next((i for i, c in enumerate(columns) if c.key == key), None)
            if index is None or not values:
                continue
            letter = xlsxwriter.utility.xl_col_to_name(k)
            many = key in lists  # the drop-down helps, several values are allowed
            sheet.data_validation(1, index, TEMPLATE_ROWS, index, {
                "validate": "list", "source": f"=选项!${letter}$2:${letter}${len(values) + 1}",
                "error_type": "information" if many else "stop", "ignore_blank": True,
                "error_message": "多个值用“、”分隔" if many else "请从下拉列表中选择"})
        options.hide()
        notes.set_column(0, 0, 18)
        notes.set_column(1, 1, 90)
        notes.write_string(0, 0, "导入说明", header)
        notes.write_string(0, 1, "第一行是表头（可用常见别名，如 名称、投资额（万元））；每行一个项目；"
                                 "有编号按编号更新，无编号按 项目名称+区县 匹配，否则新建。默认全部成功才写入。")
        for r, col in enumerate(columns, start=1):
            notes.write_string(r, 0, col.header)
            notes.write_string(r, 1, col.note or "—")
    finally:
        book.close()
