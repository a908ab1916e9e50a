"""The export's columns: one definition shared by every format and by the importer's header table.

A column turns a ProjectRow into one cell value (text, number, bool or None). Chains, strategies and zones
are shown by name when the name is unique, else by code, so the importer maps every cell back exactly."""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from registry.fields import EXPORTED, Field
from registry.historyview import METHOD_LABELS
from registry.memberships import Members, place_label, place_links
from registry.queries import Vocabulary
from registry.records import LocationRow, ProjectRow

Cell = str | int | float | Decimal | bool | None
LIST_SEPARATOR = "、"


class Labels:
    """Code → the label a spreadsheet shows (the name if no other entry shares it, else the code)."""

    def __init__(self, vocab: Vocabulary | None) -> None:
        self.chains = _unique_names({c: v[0] for c, v in vocab.chains.items()} if vocab else {})
        self.strategies = _unique_names({c: v[0] for c, v in vocab.strategies.items()} if vocab else {})
        self.zones = _unique_names({c: v[0] for c, v in vocab.zones.items()} if vocab else {})
        self.districts = _unique_names(dict(vocab.districts) if vocab else {})
        self.members: Members = vocab.members if vocab else {}

    @staticmethod
    def pick(table: Mapping[str, str], code: str | None) -> str | None:
        return None if code is None else table.get(code, code)


def _unique_names(names: Mapping[str, str]) -> dict[str, str]:
    counts = Counter(names.values())
    return {code: (name if counts[name] == 1 and name not in names else code) for code, name in names.items()}


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: str  # text | list | money | int | float | bool
    width: int
    get: Callable[[ProjectRow, Labels], Cell]
    importable: bool = True
    note: str = ""


def chinese_part(label: str) -> str:
    """'精确位置 exact site' → '精确位置': spreadsheets speak Chinese like the interface."""
    return label.split(" ", 1)[0]


def _status(row: ProjectRow, _labels: Labels) -> Cell:
    return "未注明" if row.status == "unknown" else row.status  # read back as unknown by the importer


def _attr(key: str) -> Callable[[ProjectRow, Labels], Cell]:
    def get(row: ProjectRow, _labels: Labels) -> Cell:
        value = getattr(row, key)
        return LIST_SEPARATOR.join(value) if isinstance(value, tuple) else value
    return get


def _joined(codes: Callable[[ProjectRow], tuple[str, ...]], table: str) -> Callable[[ProjectRow, Labels], Cell]:
    def get(row: ProjectRow, labels: Labels) -> Cell:
        names = getattr(labels, table)
        return LIST_SEPARATOR.join(names.get(c, c) for c in codes(row)) or None
    return get


def _place_strategies(row: ProjectRow, labels: Labels) -> Cell:
    """Corridors and regions the project lies in (basis 'place'), unconfirmed ones marked; read-only."""
    links = place_links(row, labels.strategies, labels.members)
    return LIST_SEPARATOR.join(place_label(link) for link in links) or None


def _crs(row: ProjectRow, _labels: Labels) -> Cell:
    return "wgs84" if row.lon is not None else None


def _sources(row: ProjectRow, _labels: Labels) -> Cell:
    parts = [s.label + (f" 第{s.line}行" if s.line is not None else "") for s in row.sources]
    return LIST_SEPARATOR.join(parts) or None


# Columns whose cell is not simply the ProjectRow attribute of the same name.
_GETTERS: dict[str, Callable[[ProjectRow, Labels], Cell]] = {
    "status": _status,
    "chains": _joined(lambda r: r.chain_codes, "chains"),
    "strategies": _joined(lambda r: r.strategy_codes, "strategies"),
    "place_strategies": _place_strategies,
    "district": lambda r, lb: Labels.pick(lb.districts, r.district_code),
    "zone": lambda r, lb: Labels.pick(lb.zones, r.zone_code),
    "crs": _crs,
    "precision_label": lambda r, _labels: chinese_part(r.precision_label),
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
