"""Read a monthly 调度 sheet as offices send it: title and unit rows above a merged header of two or three
rows, the 合计 row first, group rows (`一、交通（48项）`), notes rows at the bottom. Only project rows come out,
each with its sheet row number; amounts are in 亿元 whatever unit the sheet used."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from registry.errors import Problem
from registry.money import parse_amount_text
from registry.progress import headers as H

NAME, CODE = H.NAME, H.CODE
H_SCALE = {"亿元": Decimal(1), "万元": Decimal(10_000)}
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000
HEADER_SCAN = 15  # the header starts within the first rows (title and unit rows come before it)

_GROUP = re.compile(r"^(合计|总计|小计|全市|全区|全县|其中|[一二三四五六七八九十]+[、.．]|[一二三四五六七八九十]+$|"
                    r"\([一二三四五六七八九十]+\))")
_COUNT = re.compile(r"\(?\d+\s*[项个]\)?$")
_NOTE = re.compile(r"^(备注|说明|注[:：]|填报|制表|审核|业主\(签名\)|\d+[、.．])")
_MARKERS = "★☆●○◆◇▲△※*"
_SEQ = re.compile(r"^(\d+)\s*[" + re.escape(_MARKERS) + r"]*$")


@dataclass(frozen=True)
class SheetRow:
    row: int  # 1-based row number in the sheet, as the user sees it
    code: str | None
    name: str | None
    total: Decimal | None
    plan: Decimal | None
    completed: Decimal | None
    image: str | None
    issues: str | None


@dataclass
class Sheet:
    file: str
    sheet: str
    year: int | None = None
    month: int | None = None
    columns: dict[str, str] = field(default_factory=dict)  # role → header as written (flattened)
    units: dict[str, str] = field(default_factory=dict)  # amount role → 万元 | 亿元
    rows: list[SheetRow] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (row, label) of total, group and notes rows
    problems: list[Problem] = field(default_factory=list)


def _grid(path: Path) -> tuple[str, list[list[Any]], list[tuple[int, int, int, int]]]:
    import openpyxl  # type: ignore[import-untyped]

    if path.stat().st_size > MAX_BYTES:
        raise ValueError(f"文件超过 {MAX_BYTES // 1024 // 1024} MB (file too large)")
    try:
        book = openpyxl.load_workbook(path, data_only=True, keep_links=False)
    except Exception as exc:  # noqa: BLE001 — every openpyxl failure means the same thing to the user
        raise ValueError(f"无法读取 .xlsx 文件 (not a readable .xlsx): {type(exc).__name__}") from None
    # The first sheet, or the one named 调度 (the registry's own Excel export holds several sheets).
    ws = book["调度"] if "调度" in book.sheetnames else book.worksheets[0]
    if ws.max_row > MAX_ROWS:
        raise ValueError(f"工作表超过 {MAX_ROWS} 行 (sheet has more than {MAX_ROWS} rows)")
    grid = [list(r) for r in ws.iter_rows(values_only=True)]
    merges = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
    return ws.title, grid, merges


def _text(value: Any) -> str:
    return H.normalise(value)


def _find_header(grid: list[list[Any]]) -> int | None:
    for i, row in enumerate(grid[:HEADER_SCAN]):
        cells = {_text(v) for v in row}
        if cells & {"序号", "项目名称", "工程名称", "项目编号"} and len([c for c in cells if c]) >= 3:
            return i
    return None


def _header_band(grid: list[list[Any]], top: int, merges: list[tuple[int, int, int, int]]) -> int:
    """Index of the header's last row: as far down as merges starting in the header reach, plus sub-header
    rows below them (text only, nothing in the first column)."""
    bottom = max([m[2] - 1 for m in merges if m[0] - 1 == top] + [top])
    while bottom + 1 < len(grid):
        nxt = grid[bottom + 1]
        texts = [v for v in nxt if v not in (None, "")]
        if nxt and nxt[0] in (None, "") and texts and all(isinstance(v, str) for v in texts) and \
                any(H.role_of(_text(v)) or "月" in _text(v) for v in texts):
            bottom += 1
        else:
            break
    return bottom


def _flatten(grid: list[list[Any]], top: int, bottom: int, merges: list[tuple[int, int, int, int]]) -> list[str]:
    """Per column, the header path "parent/child" with a horizontally merged parent spread over its columns."""
    width = max(len(r) for r in grid[top:bottom + 1])
    spread: dict[tuple[int, int], Any] = {}
    for r1, c1, r2, c2 in merges:
        if top <= r1 - 1 <= bottom:
            for c in range(c1, c2 + 1):
                spread[(r1 - 1, c - 1)] = grid[r1 - 1][c1 - 1]
    out = []
    for c in range(width):
        parts: list[str] = []
        for r in range(top, bottom + 1):
            value = spread.get((r, c), grid[r][c] if c < len(grid[r]) else None)
            text = _text(value)
            if text and text not in parts:
                parts.append(text)
        out.append("/".join(parts))
    return out


def _amount(value: Any, unit: str, row: int, label: str, problems: list[Problem]) -> Decimal | None:
    """A cell in the column's unit → 亿元; a problem (and None) when it is not a plain non-negative amount."""
    if value is None or (isinstance(value, str) and not value.strip()) or _text(value) in ("-", "/", "—"):
        return None
    expected = f"非负金额（{unit}），如 1200 或 12.5 (a non-negative amount in {unit})"
    try:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
            if not number.is_finite():
                raise ValueError("not a number")
            if number < 0:
                problems.append(Problem(row, label, value, "金额为负 (negative amount)", expected))
                return None
            yi = number / H_SCALE[unit]
        elif isinstance(value, str):
            yi = parse_amount_text(value, unit).yi
        else:  # a date, a time or a boolean where an amount belongs
            raise TypeError(f"{type(value).__name__} is not an amount")
    except (ValueError, TypeError, InvalidOperation) as exc:
        message = "金额为负 (negative amount)" if "negative" in str(exc) else f"不是金额 (not an amount: {exc})"
        problems.append(Problem(row, label, value, message, expected))
        return None
    if yi != yi.quantize(Decimal("0.0001")):
        problems.append(Problem(row, label, value, "精度超过 1 万元 (finer than 1 万元)", "精确到万元的金额"))
        return None
    return yi


def _label(cells: list[Any]) -> str:
    return "".join(_text(v) for v in cells[:2] if v is not None)


def _kind(seq: Any, name: str, cells: list[Any]) -> str:
    """'project', 'group' (合计, 其中, 一、交通（48项）), 'note' or 'blank'."""
    filled = [v for v in cells if v not in (None, "")]
    if not filled:
        return "blank"
    seq_text = _text(seq)
    if isinstance(seq, int) or _SEQ.fullmatch(seq_text):
        return "project"
    first = seq_text or name
    if _NOTE.match(first) and len([v for v in filled if isinstance(v, str)]) == len(filled) == 1:
        return "note"
    if _GROUP.match(first) or _COUNT.search(first) or (seq_text and name and _GROUP.match(seq_text)):
        return "group"
    if _GROUP.match(name) or _COUNT.search(name):
        return "group"
    if not seq_text and name:
        return "project"  # no 序号 column value but a name: some sheets number nothing
    return "note" if len(filled) == 1 else "group"


def read(path: Path) -> Sheet:
    """The sheet's project rows, its period and its problems (nothing raised for bad cells)."""
    title, grid, merges = _grid(path)
    sheet = Sheet(file=path.name, sheet=title)
    top = _find_header(grid)
    if top is None:
        sheet.problems.append(Problem(None, "表头 (header)", None, "未找到表头：前 15 行中没有“序号”“项目名称”",
                                      "含“序号”“项目名称”的表头行"))
        return sheet
    bottom = _header_band(grid, top, merges)
    paths = _flatten(grid, top, bottom, merges)
    above = " ".join(_text(v) for r in grid[:top] for v in r if v is not None)
    sheet_unit = H.unit_in(above)
    roles: dict[str, int] = {}
    for col, header in enumerate(paths):
        role = H.role_of(header)
        if role and role not in roles:
            roles[role] = col
            sheet.columns[role] = header
    if NAME not in roles and CODE not in roles:
        sheet.problems.append(Problem(top + 1, "表头 (header)", " | ".join(paths), "没有项目名称或项目编号列",
                                      "“项目名称”或“项目编号”列"))
        return sheet
    for role in H.AMOUNT_ROLES:
        if role in roles:
            unit = H.unit_in(sheet.columns[role]) or sheet_unit
            if unit is None:
                sheet.problems.append(Problem(top + 1, H.LABELS[role], sheet.columns[role],
                                              "未写明金额单位，无法确定是万元还是亿元 (unit not stated)",
                                              "表头或表头上方的“单位：万元”/“单位：亿元”"))
            else:
                sheet.units[role] = unit
    _period(sheet, above, paths)
    for i in range(bottom + 1, len(grid)):
        _row(sheet, i + 1, grid[i], roles)
    return sheet


def _period(sheet: Sheet, above: str, paths: list[str]) -> None:
    """Year and month from the year-to-date column's header, else the title; disagreement is a problem."""
    found = [H.period_in(sheet.columns.get(H.COMPLETED, "")), H.period_in(above),
             H.period_in(sheet.columns.get(H.PLAN, ""))]
    sheet.year = next((p.year for p in found if p.year), None)
    sheet.month = next((p.month for p in found if p.month), None)
    months = {p.month for p in found[:2] if p.month}
    if len(months) > 1:
        sheet.problems.append(Problem(None, "月份 (month)", sorted(months), "标题与表头写的月份不一致",
                                      "标题与累计完成列写同一个 1-M月"))


def _row(sheet: Sheet, number: int, cells: list[Any], roles: dict[str, int]) -> None:
    def cell(role: str) -> Any:
        col = roles.get(role)
        return cells[col] if col is not None and col < len(cells) else None

    name_raw = cell(NAME)
    name = _text(name_raw).strip(_MARKERS) if name_raw is not None else ""
    kind = _kind(cell(H.SEQ) if H.SEQ in roles else None, name, cells)
    if kind == "blank":
        return
    if kind != "project":
        sheet.skipped.append((number, _label([cell(H.SEQ), name_raw]) or _text(next(v for v in cells if v))))
        return
    problems = sheet.problems
    amounts = {role: _amount(cell(role), sheet.units.get(role, "万元"), number, H.LABELS[role], problems)
               if role in roles and role in sheet.units else None for role in H.AMOUNT_ROLES}
    code = _text(cell(CODE)).upper() or None

    def text(role: str) -> str | None:
        value = cell(role)
        return str(value).strip() or None if value is not None else None

    sheet.rows.append(SheetRow(number, code, name or None, amounts[H.TOTAL], amounts[H.PLAN],
                               amounts[H.COMPLETED], text(H.IMAGE), text(H.ISSUES)))
