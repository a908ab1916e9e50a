"""The project's fields, written once (issue 15). Validation, the upsert, ProjectRow, the export's columns, the
importer's headers, the plan parser's candidate and the CLI's list read their field lists from FIELDS; adding a
field touches the model, its record (ProjectInput / ProjectRow) and this table. tests/test_fields.py checks that
every consumer agrees with it.

Standard library only: the CLI's light commands and the importer read it without loading SQLAlchemy."""
from __future__ import annotations

from dataclasses import dataclass

# The key itself: a field whose input name or model attribute is spelled like its key.
SAME = "="

KINDS = ("text", "list", "money", "year", "int", "float", "bool")
# How the edit form (web/templates/edit.html) shows a field: one line, one item a line, a fixed choice, an amount
# with its unit, a year, a multi-select over a vocabulary tree, a long text.
WIDGETS = ("line", "lines", "choice", "amount", "year", "tree", "text")

# Fixed values fields take, as stored (the form's choices, the import template's drop-downs, validation).
STATUSES = ("谋划", "前期", "在建", "竣工", "投产", "unknown")
CONSTRUCTION_TYPES = ("新建", "续建", "改扩建")
COORDINATE_SYSTEMS = ("wgs84", "gcj02", "bd09")
YES_NO = ("是", "否")  # a yes/no cell as spreadsheets spell it
# Vocabulary tables whose names or codes a field takes (registry/vocabulary.py).
VOCABULARIES = ("districts", "zones", "chains", "strategies")


@dataclass(frozen=True)
class Field:
    key: str  # export column key and import header target
    zh: str  # the header spreadsheets and the CLI show
    en: str
    kind: str  # one of KINDS
    input: str | None = SAME  # ProjectInput attribute and raw-dict key; None: never an input (derived)
    column: str | None = SAME  # Project attribute it is stored in one to one; None: stored otherwise or not
    row: bool = False  # a ProjectRow attribute of the same name, copied from `column`
    export: bool = True  # a column of CSV / xlsx / GeoJSON properties / `kpr projects --format csv`
    importable: bool = True  # read back by the importer (only export columns are)
    place: bool = False  # part of the stated location (an import that changes it re-places the project)
    width: int = 12  # xlsx column width
    note: str = ""  # the xlsx 说明 sheet's note
    headers: tuple[str, ...] = ()  # other header spellings the importer accepts
    # (zh, en) of the stored column where the export header would mislead in 修改记录: the export's 区县 is where
    # the project is placed, the column holds the district its text states; "Project" heads a list of names,
    # but a change to it is a change of the project's name.
    stored: tuple[str, str] | tuple[()] = ()
    form: str = ""  # its widget in the edit form, one of WIDGETS ("": not in the form); the form keeps table order
    required: bool = False  # the form will not submit without it (validation says so too)
    choices: tuple[str, ...] = ()  # the fixed values it takes, in the order people pick from
    vocab: str = ""  # or the vocabulary table (one of VOCABULARIES) whose entries it takes

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"{self.key}: unknown kind {self.kind!r}")
        if self.form and self.form not in WIDGETS:
            raise ValueError(f"{self.key}: unknown form widget {self.form!r}")
        if self.vocab and self.vocab not in VOCABULARIES:
            raise ValueError(f"{self.key}: unknown vocabulary {self.vocab!r}")
        if self.form == "choice" and not self.choices:
            raise ValueError(f"{self.key}: a choice widget needs its choices")
        if self.form == "tree" and not self.vocab:
            raise ValueError(f"{self.key}: a tree widget needs its vocabulary")
        if self.input == SAME:
            object.__setattr__(self, "input", self.key)
        if self.column == SAME:
            object.__setattr__(self, "column", self.input)
        if not self.export:
            object.__setattr__(self, "importable", False)

    @property
    def export_kind(self) -> str:
        """The cell kind the writers format (a year is an integer cell)."""
        return "int" if self.kind == "year" else self.kind


_LISTED = "多个用“、”分隔"
_EXPORT_ONLY = "导出信息，导入时忽略"

FIELDS: tuple[Field, ...] = (
    # Export columns, in the export's order.
    Field("code", "编号", "Code", "text", row=True, width=14, note="项目编号；留空则按名称+区县匹配或新建",
          headers=("项目编号", "项目代码", "id"), form="line", required=True),
    Field("name", "项目名称", "Project", "text", row=True, width=42, note="必填",
          headers=("名称", "项目", "project", "projectname"), stored=("项目名称", "Project name"), form="line",
          required=True),
    Field("aliases", "别名", "Aliases", "list", row=True, width=20, note=_LISTED, headers=("又名",),
          form="lines"),
    Field("kind", "类别", "Kind", "text", row=True, width=10, headers=("项目类别", "类型"), form="line"),
    Field("status", "状态", "Status", "text", row=True, width=8, note="谋划/前期/在建/竣工/投产/未注明",
          headers=("项目状态", "进展", "建设状态"), form="choice", choices=STATUSES),
    Field("construction_type", "建设性质", "Construction type", "text", row=True, width=8, note="新建/续建/改扩建",
          headers=("性质",), form="choice", choices=CONSTRUCTION_TYPES),
    Field("total_investment", "总投资（亿元）", "Total investment (亿元)", "money", row=True, width=13,
          note="亿元，最多4位小数（1万元）；空白=未知，不是0",
          headers=("总投资", "投资额", "投资额(亿元)", "计划总投资(亿元)", "总投资额(亿元)"), form="amount"),
    Field("investment_text", "投资额原文", "Investment as stated", "text", row=True, width=20, headers=("投资说明",),
          form="line"),
    Field("capacity_text", "建设规模及内容", "Scale and content", "text", row=True, width=36,
          headers=("建设规模", "建设内容", "规模", "capacity"), form="line"),
    Field("start_year", "开工年份", "Start year", "year", row=True, width=9, headers=("开工年", "开工时间"),
          form="year"),
    Field("end_year", "竣工年份", "End year", "year", row=True, width=9, headers=("竣工年", "竣工时间", "完工年份"),
          form="year"),
    Field("builder", "建设单位", "Builder", "text", row=True, width=24, headers=("业主单位", "项目单位"), form="line"),
    Field("partners", "合作地区/投资方", "Partners", "list", row=True, width=20, note=_LISTED,
          headers=("合作地区", "投资方", "合作方"), form="lines"),
    # Chains and strategies are links (project_chains / project_strategies), not columns.
    Field("chains", "产业链", "Industry chains", "list", column=None, width=24,
          note="产业链名称或编码，多个用“、”分隔", headers=("所属产业链", "chain"), form="tree", vocab="chains"),
    Field("strategies", "区域战略（规划所列）", "Regional strategies (stated by a plan)", "list", column=None, width=24,
          note="规划所列的区域战略（名称或编码），多个用“、”分隔", headers=("区域战略", "战略", "strategy"), form="tree",
          vocab="strategies"),
    Field("place_strategies", "走廊/区域（位置落在）", "Corridors / regions (by location)", "list", input=None, column=None,
          importable=False, width=24,
          note="按位置推得、规划未列的走廊/区域；“范围未确认”表示来源未点名该区县；导出信息，导入时忽略"),
    # The export shows where the project is placed; the import reads what the text states.
    Field("district", "区县", "District", "text", input="district_stated", column="stated_district_code",
          place=True, width=10, stored=("所述区县", "Stated district"), note="区县名称或行政区划代码",
          headers=("所在区县", "县区", "区(县)", "区(县、市)"), vocab="districts"),
    Field("zone", "开发区", "Development zone", "text", input="zone_stated", column="stated_zone_code", place=True,
          width=18, stored=("所述开发区", "Stated zone"), note="开发区名称、简称或编码", headers=("所在开发区", "园区"),
          vocab="zones"),
    Field("place_text", "建设地点", "Site", "text", row=True, place=True, width=24,
          headers=("地点", "项目地址", "地址", "place"), form="line"),
    Field("outside_taiyuan", "太原市外", "Outside Taiyuan", "bool", row=True, place=True, width=8, note="是/否",
          headers=("市外",), choices=YES_NO),
    # Coordinates go through the placement (registry/upsert.py stated_placement), never straight to a column.
    Field("lon", "经度", "Longitude", "float", column=None, place=True, width=12, note="与“坐标系”一起填写",
          headers=("lng", "longitude", "x")),
    Field("lat", "纬度", "Latitude", "float", column=None, place=True, width=12, note="与“坐标系”一起填写",
          headers=("latitude", "y")),
    Field("crs", "坐标系", "Coordinate system", "text", column=None, place=True, width=8,
          note="wgs84（GPS、天地图）/ gcj02（高德、腾讯）/ bd09（百度）；导出均为 wgs84", headers=("坐标系统",),
          choices=COORDINATE_SYSTEMS),
    Field("precision_label", "位置精度", "Location precision", "text", input=None, column=None, importable=False,
          width=18, note=_EXPORT_ONLY),
    Field("needs_review", "待核实", "Needs review", "bool", input=None, column=None, importable=False, width=7,
          note="位置待核实；导入时忽略"),
    Field("box", "专栏", "Plan box", "text", row=True, width=14),
    Field("group", "分组", "Group", "text", column="group_name", row=True, width=14),
    Field("description", "项目简介", "Description", "text", row=True, width=36, headers=("简介", "备注"),
          form="text"),
    Field("sources", "来源", "Sources", "text", column=None, importable=False, width=28,
          note="规划名称（无标题时为文件名）及行号；导入时忽略（保留原有来源）"),
    Field("version", "版本", "Version", "int", input=None, column="version", row=True, importable=False, width=6,
          note="记录版本号；导入时忽略"),
    # Inputs the export does not show (the plan parser and seed files state them).
    Field("status_text", "阶段原文", "Stage as stated", "text", row=True, export=False),
    Field("specificity", "位置具体程度", "Specificity", "text", export=False),
    Field("parent_code", "所属项目编号", "Part of", "text", export=False),
    Field("investment_low", "投资下限（亿元）", "Investment, low bound (亿元)", "money", export=False),
    Field("investment_high", "投资上限（亿元）", "Investment, high bound (亿元)", "money", export=False),
    Field("partner_regions", "合作方所在地区", "Partners' regions", "list", export=False),
    Field("plan_period", "规划期", "Plan period", "text", export=False),
)

BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}
BY_COLUMN: dict[str, Field] = {f.column: f for f in FIELDS if f.column}
# Project columns that are facts, each recorded in 修改记录 when it changes (code: set once; version: a counter).
RECORDED_COLUMNS: tuple[str, ...] = tuple(f.column for f in FIELDS if f.column and f.key not in ("code", "version"))
LIST_COLUMNS: tuple[str, ...] = tuple(f.column for f in FIELDS if f.column and f.kind == "list")
MONEY_COLUMNS: tuple[str, ...] = tuple(f.column for f in FIELDS if f.column and f.kind == "money")
EXPORTED: tuple[Field, ...] = tuple(f for f in FIELDS if f.export)
IMPORTABLE: tuple[Field, ...] = tuple(f for f in FIELDS if f.importable)
INPUTS: tuple[Field, ...] = tuple(f for f in FIELDS if f.input is not None)
# Input name → Project attribute, for fields copied one to one (the code is set once, at creation).
STORED: dict[str, str] = {f.input: f.column for f in INPUTS if f.input and f.column and f.key != "code"}
ROW_FIELDS: tuple[Field, ...] = tuple(f for f in FIELDS if f.row)
LIST_INPUTS: tuple[str, ...] = tuple(f.input for f in INPUTS if f.input and f.kind == "list")
PLACE_INPUTS: tuple[str, ...] = tuple(f.input for f in INPUTS if f.input and f.place)
# Import header key → raw-dict key, where they differ (区县 is read as the district the text states).
INPUT_OF: dict[str, str] = {f.key: f.input for f in IMPORTABLE if f.input and f.input != f.key}
# The terminal list's and the list page's columns (ProjectRow attributes), in order.
LIST_VIEW: tuple[str, ...] = ("code", "name", "total_investment", "status", "district", "zone", "strategies",
                              "chains", "precision_label")


def keys_of_kind(kind: str, fields: tuple[Field, ...] = FIELDS) -> frozenset[str]:
    return frozenset(f.key for f in fields if f.kind == kind)


def inputs_of_kind(kind: str) -> tuple[str, ...]:
    return tuple(f.input for f in INPUTS if f.input and f.kind == kind)


def label(name: str, lang: str = "zh") -> str | None:
    """A Project column's or a field key's name as pages show it (修改记录, the import preview); None if neither."""
    field = BY_COLUMN.get(name) or BY_KEY.get(name)
    if field is None:
        return None
    zh, en = field.stored or (field.zh, field.en)
    return en if lang == "en" else zh
