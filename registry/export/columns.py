"""The export's columns: one definition shared by every format and by the importer's header table.

A column turns a ProjectRow into one cell value (text, number, bool or None). Chains, strategies and zones
are shown by name when the name is unique, else by code, so the importer maps every cell back exactly."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

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


PROJECT_COLUMNS: tuple[Column, ...] = (
    Column("code", "编号", "text", 14, _attr("code"), note="项目编号；留空则按名称+区县匹配或新建"),
    Column("name", "项目名称", "text", 42, _attr("name"), note="必填"),
    Column("aliases", "别名", "list", 20, _attr("aliases"), note="多个用“、”分隔"),
    Column("kind", "类别", "text", 10, _attr("kind")),
    Column("status", "状态", "text", 8, _status, note="谋划/前期/在建/竣工/投产/未注明"),
    Column("construction_type", "建设性质", "text", 8, _attr("construction_type"), note="新建/续建/改扩建"),
    Column("total_investment", "总投资（亿元）", "money", 13, _attr("total_investment"),
           note="亿元，最多4位小数（1万元）；空白=未知，不是0"),
    Column("investment_text", "投资额原文", "text", 20, _attr("investment_text")),
    Column("capacity_text", "建设规模及内容", "text", 36, _attr("capacity_text")),
    Column("start_year", "开工年份", "int", 9, _attr("start_year")),
    Column("end_year", "竣工年份", "int", 9, _attr("end_year")),
    Column("builder", "建设单位", "text", 24, _attr("builder")),
    Column("partners", "合作地区/投资方", "list", 20, _attr("partners"), note="多个用“、”分隔"),
    Column("chains", "产业链", "list", 24, _joined(lambda r: r.chain_codes, "chains"),
           note="产业链名称或编码，多个用“、”分隔"),
    Column("strategies", "区域战略（规划所列）", "list", 24, _joined(lambda r: r.strategy_codes, "strategies"),
           note="规划所列的区域战略（名称或编码），多个用“、”分隔"),
    Column("place_strategies", "走廊/区域（位置落在）", "list", 24, _place_strategies, importable=False,
           note="按位置推得、规划未列的走廊/区域；“范围未确认”表示来源未点名该区县；导出信息，导入时忽略"),
    Column("district", "区县", "text", 10, lambda r, v: _sheet_name("districts", r.district_code, v),
           note="区县名称或行政区划代码"),
    Column("zone", "开发区", "text", 18, lambda r, v: _sheet_name("zones", r.zone_code, v),
           note="开发区名称、简称或编码"),
    Column("place_text", "建设地点", "text", 24, _attr("place_text")),
    Column("outside_taiyuan", "太原市外", "bool", 8, _attr("outside_taiyuan"), note="是/否"),
    Column("lon", "经度", "float", 12, _attr("lon"), note="与“坐标系”一起填写"),
    Column("lat", "纬度", "float", 12, _attr("lat"), note="与“坐标系”一起填写"),
    Column("crs", "坐标系", "text", 8, _crs, note="wgs84（GPS、天地图）/ gcj02（高德、腾讯）/ bd09（百度）；导出均为 wgs84"),
    Column("precision_label", "位置精度", "text", 18, lambda r, _vocab: chinese_part(r.precision_label),
           importable=False,
           note="导出信息，导入时忽略"),
    Column("needs_review", "待核实", "bool", 7, _attr("needs_review"), importable=False,
           note="位置待核实；导入时忽略"),
    Column("box", "专栏", "text", 14, _attr("box")),
    Column("group", "分组", "text", 14, _attr("group")),
    Column("description", "项目简介", "text", 36, _attr("description")),
    Column("sources", "来源", "text", 28, _sources, importable=False, note="规划名称（无标题时为文件名）及行号；导入时忽略（保留原有来源）"),
    Column("version", "版本", "int", 6, _attr("version"), importable=False, note="记录版本号；导入时忽略"),
)


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
