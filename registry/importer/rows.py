"""One spreadsheet row (cells by column) → the dict apply_project_dicts takes, plus the row's problems.

Cells arrive as openpyxl or csv gives them (text, numbers, dates, formula text). Nothing is evaluated:
a formula cell is a problem, never a value."""
from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from registry.errors import Problem
from registry.fields import INPUT_OF, PLACE_INPUTS, keys_of_kind
from registry.importer.headers import HeaderMap, Target
from registry.importer.read import FormulaCell
from registry.money import EXPECTED, UNITS, parse_amount_text
from registry.textout import FORMULA_PREFIXES
from registry.validate import CODE_EXPECTED, normalize_code
from registry.vocabulary import Vocabulary

MAX_DIGITS = 11  # 亿元 below 10¹² — far above any project, far below the database's integer 万元 limit
LIST_SPLIT = ("、", "；", ";")
TRUE_WORDS = {"是", "true", "yes", "y", "1", "√"}
FALSE_WORDS = {"否", "false", "no", "n", "0"}
# Field keys in the file → keys apply_project_dicts understands; the stated location's keys; cells by kind
# (all from the field table, registry/fields.py).
DICT_KEYS = INPUT_OF
LOCATION_KEYS = PLACE_INPUTS
_LISTS, _YEARS, _FLOATS = keys_of_kind("list"), keys_of_kind("year"), keys_of_kind("float")
# What a problem calls each coded field (registry/problemwords.py reads these in Chinese).
KIND_WORDS = {"districts": "district (区县)", "zones": "development zone (开发区)", "chains": "industry chain (产业链)",
              "strategies": "strategy (区域战略)"}


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


def _as_text(value: Any, quoted: bool) -> str | None:
    """A cell as text; `quoted` for csv, where the export prefixes formula-like text with ' (an xlsx cell's
    value is already literal: Excel's own leading ' is a style, not part of the value)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # codes typed as numbers: 1001.0 → "1001"
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    text = str(value).strip()
    text = unquote(text) if quoted else text
    return text or None


def _split(text: str) -> tuple[str, ...]:
    for sep in LIST_SPLIT[1:]:
        text = text.replace(sep, LIST_SPLIT[0])
    return tuple(p.strip() for p in text.split(LIST_SPLIT[0]) if p.strip())


class RowParser:
    def __init__(self, headers: HeaderMap, vocab: Vocabulary, max_cell_chars: int, quoted: bool = True) -> None:
        self.quoted = quoted
        self.headers = headers
        self.vocab = vocab
        self.max_cell_chars = max_cell_chars
        self.amount_column = headers.column_of("total_investment")
        # (index, target, header, dict key) per mapped column, worked out once rather than per cell.
        self.plan = [(index, target, headers.header_for(target.key), DICT_KEYS.get(target.key, target.key))
                     for index, target in headers.columns.items()]

    def parse(self, number: int, cells: list[Any]) -> ParsedRow:
        row = ParsedRow(number)
        width = len(cells)
        for index, target, header, dict_key in self.plan:
            raw = cells[index] if index < width else None
            if raw is None or raw == "":  # most cells of a wide sheet: nothing to check
                row.values[dict_key] = () if target.key in _LISTS else None
                continue
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
            row.values[dict_key] = value
        amount_column = self.amount_column
        if amount_column is not None and row.values.get("total_investment") is not None \
                and not row.values.get("investment_text"):
            index, target = amount_column
            kept = amount_source_text(cells[index] if index < len(cells) else None, target.scale)
            if kept:
                row.values["investment_text"] = kept
        if row.values.get("lon") is not None and row.values.get("lat") is not None and not row.values.get("crs"):
            row.problems.append(Problem(number, self.headers.header_for("crs"), None,
                                        "coordinates without their system (a wrong guess moves a project ~600 m)",
                                        "wgs84 (GPS, 天地图) / gcj02 (高德, 腾讯) / bd09 (百度)"))
        return row

    def _convert(self, target: Target, raw: Any, number: int, header: str, problems: list[Problem]) -> Any:
        key = target.key
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return () if key in _LISTS else None
        if key == "total_investment":
            return self._money(raw, target.scale, number, header, problems)
        if key in _YEARS:
            if isinstance(raw, (datetime, date)):
                return raw.year
            if isinstance(raw, float) and raw.is_integer():
                return int(raw)
            return str(raw).strip().removesuffix("年")
        if key in _FLOATS:
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
        text = _as_text(raw, self.quoted)
        if text is None:
            return None
        if key in ("aliases", "partners"):
            return _split(text)
        if key in ("chains", "strategies"):
            return tuple(c for c in (self._code(key, v, number, header, problems) for v in _split(text)) if c)
        if key in ("district", "zone"):
            return self._code(key + "s", text, number, header, problems)
        if key == "code":
            try:
                return normalize_code(text)
            except ValueError as exc:
                problems.append(Problem(number, header, raw, str(exc), CODE_EXPECTED))
                return None
        if key == "status":  # a status the vocabulary knows (未注明 → unknown); else validation says why not
            return self.vocab.resolve("statuses", text) or text
        return text

    def _code(self, kind: str, value: str, number: int, header: str, problems: list[Problem]) -> str | None:
        """The vocabulary's one rule, as filters use it (registry/vocabulary.py); a miss is a problem."""
        found = self.vocab.lookup(kind, value)
        if found.code is None:
            what = KIND_WORDS[kind]
            why = (f"ambiguous {what}: use one of the codes {', '.join(sorted(c for c, _ in found.candidates))}"
                   if found.candidates else f"unknown {what}")
            problems.append(Problem(number, header, value, why,
                                    f"a code or a name such as {'、'.join(self.vocab.examples(kind, 8))}"))
        return found.code

    @staticmethod
    def _money(raw: Any, scale: int, number: int, header: str, problems: list[Problem]) -> Decimal | None:
        unit = "万元" if scale != 1 else "亿元"
        if isinstance(raw, bool):
            problems.append(Problem(number, header, raw, "not a number", f"an amount in {unit}"))
            return None
        if isinstance(raw, (int, float)):
            if isinstance(raw, float) and not math.isfinite(raw):
                problems.append(Problem(number, header, raw, "not a finite number", f"an amount in {unit}"))
                return None
            # repr: the shortest decimal that is this double (15.37, not 15.3699…)
            amount = Decimal(repr(raw)) / scale
        else:
            try:
                amount = parse_amount_text(str(raw), unit).yi
            except ValueError as exc:
                problems.append(Problem(number, header, raw, str(exc), f"{EXPECTED} (column unit: {unit})"))
                return None
        if amount < 0:
            problems.append(Problem(number, header, raw, "negative amount", f"an amount in {unit} ≥ 0"))
            return None
        if amount.adjusted() > MAX_DIGITS:
            problems.append(Problem(number, header, raw, "implausibly large", f"an amount in {unit}"))
            return None
        # Exact: 12345 万元 = 1.2345 亿元; more precision than 1 万元 is reported by validation.
        return amount


def amount_source_text(raw: Any, scale: int) -> str | None:
    """The amount cell's text, kept as investment_text when it says more than the bare number in 亿元
    (a unit, thousands separators, full-width digits, a 万元 column): `1,200万元`, `１２０亿`."""
    if not isinstance(raw, str):
        return None
    unit = "万元" if scale != 1 else "亿元"
    try:
        parsed = parse_amount_text(raw, unit)
    except ValueError:
        return None
    if not parsed.telling:
        return None
    text = raw.strip()
    has_unit = any(unicodedata.normalize("NFKC", text).endswith(u) for u in UNITS)
    return text if has_unit else text + unit  # the unit the column's header states
