"""One spreadsheet row (cells by column) → the dict apply_project_dicts takes, plus the row's problems.

Cells arrive as openpyxl or csv gives them (text, numbers, dates, formula text). Nothing is evaluated:
a formula cell is a problem, never a value."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from registry.errors import Problem
from registry.importer.headers import HeaderMap, Target
from registry.importer.read import FormulaCell
from registry.importer.vocab import Lookup, Vocab
from registry.textout import FORMULA_PREFIXES

MAX_DIGITS = 11  # 亿元 below 10¹² — far above any project, far below the database's integer 万元 limit
LIST_SPLIT = ("、", "；", ";")
TRUE_WORDS = {"是", "true", "yes", "y", "1", "√"}
FALSE_WORDS = {"否", "false", "no", "n", "0"}
# Field keys in the file → keys apply_project_dicts understands.
DICT_KEYS = {"district": "district_stated", "zone": "zone_stated"}
TEXT_KEYS = ("code", "name", "kind", "status", "construction_type", "investment_text", "capacity_text",
             "builder", "place_text", "box", "group", "description", "crs")
LOCATION_KEYS = ("district_stated", "zone_stated", "place_text", "outside_taiyuan", "lon", "lat", "crs")


@dataclass
class ParsedRow:
    number: int
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def blank(self) -> bool:
        return not any(v not in (None, "", ()) for v in self.values.values())


def unquote(text: str) -> str:
    """Undo the export's formula neutralisation: one leading ' before =, +, -, @, tab, CR or '."""
    if text.startswith("'") and text[1:].startswith((*FORMULA_PREFIXES, "'")):
        return text[1:]
    return text


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # codes typed as numbers: 1001.0 → "1001"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    text = unquote(str(value).strip())
    return text or None


def _split(text: str) -> tuple[str, ...]:
    for sep in LIST_SPLIT[1:]:
        text = text.replace(sep, LIST_SPLIT[0])
    return tuple(p.strip() for p in text.split(LIST_SPLIT[0]) if p.strip())


class RowParser:
    def __init__(self, headers: HeaderMap, vocab: Vocab, max_cell_chars: int) -> None:
        self.headers = headers
        self.vocab = vocab
        self.max_cell_chars = max_cell_chars

    def parse(self, number: int, cells: list[Any]) -> ParsedRow:
        row = ParsedRow(number)
        for index, target in self.headers.columns.items():
            raw = cells[index] if index < len(cells) else None
            header = self.headers.header_for(target.key)
            if isinstance(raw, FormulaCell):
                row.problems.append(Problem(number, header, str(raw), "formula cell: formulas are never evaluated",
                                            "a plain value (type the value, or start the text with ')"))
                continue
            if isinstance(raw, str) and "\x00" in raw:
                row.problems.append(Problem(number, header, raw.replace("\x00", "\\0")[:40],
                                            "contains a NUL character", "plain text"))
                continue
            if isinstance(raw, str) and len(raw) > self.max_cell_chars:
                row.problems.append(Problem(number, header, raw[:40] + "…", f"{len(raw)} characters",
                                            f"at most {self.max_cell_chars} characters"))
                continue
            try:
                value = self._convert(target, raw, number, header, row.problems)
            except (ValueError, TypeError, ArithmeticError, InvalidOperation) as exc:
                row.problems.append(Problem(number, header, raw, f"unreadable value ({exc})", "a plain value"))
                continue
            row.values[DICT_KEYS.get(target.key, target.key)] = value
        if row.values.get("lon") is not None and row.values.get("lat") is not None and not row.values.get("crs"):
            row.problems.append(Problem(number, self.headers.header_for("crs"), None,
                                        "coordinates without their system (a wrong guess moves a project ~600 m)",
                                        "wgs84 (GPS, 天地图) / gcj02 (高德, 腾讯) / bd09 (百度)"))
        return row

    def _convert(self, target: Target, raw: Any, number: int, header: str, problems: list[Problem]) -> Any:
        key = target.key
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return () if key in ("aliases", "partners", "chains", "strategies") else None
        if key == "total_investment":
            return self._money(raw, target.scale, number, header, problems)
        if key in ("start_year", "end_year"):
            if isinstance(raw, (datetime, date)):
                return raw.year
            if isinstance(raw, float) and raw.is_integer():
                return int(raw)
            return str(raw).strip().removesuffix("年")
        if key in ("lon", "lat"):
            if isinstance(raw, (int, float)) and not isinstance(raw, bool):
                return float(raw)
            return str(raw).strip().rstrip("°")
        if key == "outside_taiyuan":
            word = str(raw).strip().lower() if not isinstance(raw, bool) else ("是" if raw else "否")
            if word in TRUE_WORDS:
                return True
            if word in FALSE_WORDS:
                return False
            problems.append(Problem(number, header, raw, "not a yes/no value", "是 or 否"))
            return None
        text = _as_text(raw)
        if text is None:
            return None
        if key in ("aliases", "partners"):
            return _split(text)
        if key in ("chains", "strategies"):
            table = self.vocab.chains if key == "chains" else self.vocab.strategies
            return tuple(c for c in (self._code(table, v, number, header, problems) for v in _split(text)) if c)
        if key == "district":
            return self._code(self.vocab.districts, text, number, header, problems)
        if key == "zone":
            return self._code(self.vocab.zones, text, number, header, problems)
        if key == "status" and text in ("未知", "不详"):
            return "unknown"
        return text

    @staticmethod
    def _code(table: Lookup, value: str, number: int, header: str, problems: list[Problem]) -> str | None:
        code, why = table.find(value)
        if code is None:
            problems.append(Problem(number, header, value, why, table.expected()))
        return code

    @staticmethod
    def _money(raw: Any, scale: int, number: int, header: str, problems: list[Problem]) -> str | None:
        unit = "万元" if scale != 1 else "亿元"
        if isinstance(raw, bool):
            problems.append(Problem(number, header, raw, "not a number", f"an amount in {unit}"))
            return None
        if isinstance(raw, float):
            if not math.isfinite(raw):
                problems.append(Problem(number, header, raw, "not a finite number", f"an amount in {unit}"))
                return None
            amount = Decimal(repr(raw))  # the shortest decimal that is this double: 15.37, not 15.3699…
        else:
            text = str(raw).strip().replace(",", "").replace("，", "")
            text = text.removesuffix(unit).removesuffix(unit[0]).strip()
            try:
                amount = Decimal(text)
            except InvalidOperation:
                problems.append(Problem(number, header, raw, "not a number", f"an amount in {unit} such as 12.5"))
                return None
        if not amount.is_finite():
            problems.append(Problem(number, header, raw, "not a finite number", f"an amount in {unit}"))
            return None
        if amount.adjusted() > MAX_DIGITS + (4 if scale != 1 else 0):
            problems.append(Problem(number, header, raw, "implausibly large", f"an amount in {unit}"))
            return None
        # Exact: 12345 万元 = 1.2345 亿元; more precision than 1 万元 is reported by validation.
        return str(amount / scale) if scale != 1 else str(amount)
