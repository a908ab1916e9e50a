"""The export's columns: one definition shared by every format and by the importer's header table.

A column turns a ProjectRow into one cell value (text, number, bool or None). Chains, strategies and zones
are shown by name when the name is unique, else by code, so the importer maps every cell back exactly."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from registry.fields import EXPORTED, Field
from registry.historyview import METHOD_LABELS
from registry.memberships import place_label, place_links
from registry.records import LocationRow, ProjectRow
from registry.vocabulary import Vocabulary, status_word

Cell = str | int | float | Decimal | bool | None
LIST_SEPARATOR = "、"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str  # text | list | money | int | float | bool
    width: int
    get: Callable[[ProjectRow, Vocabulary], Cell]
    importable: bool = True
    note: str = ""


def chinese_part(label: str) -> str:
    """'精确位置 exact site' → '精确位置': spreadsheets speak Chinese like the interface."""
    return label.split(" ", 1)[0]


def _status(row: ProjectRow, _vocab: Vocabulary) -> Cell:
    return status_word(row.status)  # 未注明 for unknown: the importer reads it back as unknown


def _attr(key: str) -> Callable[[ProjectRow, Vocabulary], Cell]:
    def get(row: ProjectRow, _vocab: Vocabulary) -> Cell:
        value = getattr(row, key)
        return LIST_SEPARATOR.join(value) if isinstance(value, tuple) else value
    return get


def _joined(codes: Callable[[ProjectRow], tuple[str, ...]], kind: str) -> Callable[[ProjectRow, Vocabulary], Cell]:
    def get(row: ProjectRow, vocab: Vocabulary) -> Cell:
        names = vocab.sheet_names(kind)
        return LIST_SEPARATOR.join(names.get(c, c) for c in codes(row)) or None
    return get


def _sheet_name(kind: str, code: str | None, vocab: Vocabulary) -> Cell:
    return None if code is None else vocab.sheet_names(kind).get(code, code)


def _place_strategies(row: ProjectRow, vocab: Vocabulary) -> Cell:
    """Corridors and regions the project lies in (basis 'place'), unconfirmed ones marked; read-only."""
    links = place_links(row, vocab.sheet_names("strategies"), vocab.members)
    return LIST_SEPARATOR.join(place_label(link) for link in links) or None


def _crs(row: ProjectRow, _vocab: Vocabulary) -> Cell:
    return "wgs84" if row.lon is not None else None


def _sources(row: ProjectRow, _vocab: Vocabulary) -> Cell:
    parts = [s.label + (f" 第{s.line}行" if s.line is not None else "") for s in row.sources]
    return LIST_SEPARATOR.join(parts) or None


# Columns whose cell is not simply the ProjectRow attribute of the same name.
_GETTERS: dict[str, Callable[[ProjectRow, Vocabulary], Cell]] = {
    "status": _status,
    "chains": _joined(lambda r: r.chain_codes, "chains"),
    "strategies": _joined(lambda r: r.strategy_codes, "strategies"),
    "place_strategies": _place_strategies,
    "district": lambda r, v: _sheet_name("districts", r.district_code, v),
    "zone": lambda r, v: _sheet_name("zones", r.zone_code, v),
    "crs": _crs,
    "precision_label": lambda r, _vocab: chinese_part(r.precision_label),
    "sources": _sources,
}


def project_columns(fields: Sequence[Field] = EXPORTED) -> tuple[Column, ...]:
    """The export's columns, in the field table's order (registry/fields.py)."""
    return tuple(Column(f.key, f.zh, f.export_kind, f.width, _GETTERS.get(f.key) or _attr(f.key), f.importable,
                        f.note) for f in fields)


PROJECT_COLUMNS: tuple[Column, ...] = project_columns()


def _districts(loc: LocationRow) -> str | None:
    return LIST_SEPARATOR.join(d.name or d.adcode for d in loc.districts) or None


@dataclass(frozen=True)
class LocationColumn:
    header: str
    kind: str
    width: int
    get: Callable[[ProjectRow, LocationRow], Cell]


LOCATION_COLUMNS: tuple[LocationColumn, ...] = (
    LocationColumn("编号", "text", 14, lambda r, loc: r.code),
    LocationColumn("项目名称", "text", 42, lambda r, loc: r.name),
    LocationColumn("区县", "text", 18, lambda r, loc: _districts(loc)),
    LocationColumn("开发区", "text", 18, lambda r, loc: loc.zone),
    LocationColumn("精度代码", "int", 8, lambda r, loc: loc.precision),
    LocationColumn("位置精度", "text", 22, lambda r, loc: chinese_part(loc.precision_label)),
    LocationColumn("定位方法", "text", 16, lambda r, loc: METHOD_LABELS.get(loc.method, loc.method)),
    LocationColumn("经度（WGS-84）", "float", 14, lambda r, loc: loc.lon),
    LocationColumn("纬度（WGS-84）", "float", 14, lambda r, loc: loc.lat),
    LocationColumn("原坐标系", "text", 8, lambda r, loc: loc.input_crs),
    LocationColumn("建设地点", "text", 24, lambda r, loc: loc.place_text),
    LocationColumn("依据", "text", 24, lambda r, loc: loc.evidence),
    LocationColumn("待核实", "bool", 7, lambda r, loc: loc.needs_review),
)

BOOL_TEXT = {True: "是", False: "否"}
