"""Interface language: Chinese by default, English with ?lang=en (remembered in a cookie). Only the
interface is translated (and the filter in words, on the list); data (project and place names, plan excerpts)
stays as recorded."""
from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

from flask import Blueprint, Response, current_app, request

from registry.errors import InvalidFilter
from registry.export.columns import PROJECT_COLUMNS
from registry.fields import BY_KEY, LIST_VIEW
from registry.historyview import KIND_LABELS, METHOD_LABELS, field_label
from registry.importer.report import ImportReport
from registry.maps.labels import map_labels
from registry.maps.palette import PROGRESS_COLOURS
from registry.memberships import BASIS_WORDS, PlaceLink, place_label, place_links
from registry.problemwords import in_chinese
from registry.progress import recorded
from registry.progress.classify import Rule
from registry.queries import ProjectFilter, describe, resolve
from registry.records import ProjectRow
from registry.users import ROLE_LABELS
from registry.vocabulary import Vocabulary, progress_word, value_words
from web.filterform import Chip
from web.i18n_pages import (
    CONSTRUCTION_WORDS_EN,
    KIND_WORDS_EN,
    MEETING_HEADERS_EN,
    PAGE_STRINGS,
    REASON_WORDS_EN,
    ROLE_WORDS_EN,
)
from web.i18n_progress import PROGRESS_STRINGS, month_span, progress_summary
from web.session import get_session

LANGS = ("zh", "en")
COLUMN_HEADERS = {c.key: c.header for c in PROJECT_COLUMNS}
COOKIE = "kpr_lang"

STRINGS: dict[str, dict[str, str]] = {
    "zh": {
        "site": "太原重点项目库", "nav_map": "项目地图", "nav_list": "项目列表", "nav_review": "待核实位置", "switch_lang": "English",
        "footer": "数据来源：太原市规划文件（见各项目来源）。位置精度与方法逐项记录。",
        "filter": "筛选", "count_prefix": "共", "count_suffix": "个项目", "sum": "总投资", "yi": "亿元",
        "without": "未列投资额", "without_suffix": "个", "placed": "上图", "export": "导出", "search": "搜索",
        "search_hint": "名称、别名、编号、建设单位、规划分组、说明、开发区", "clear": "清除筛选", "prev": "上一页", "next": "下一页",
        "page": "第 {n} 页", "no_rows": "没有符合条件的项目。", "open_map": "在地图上查看",
        "open_list": "在列表中查看", "group_by": "地图分组", "by_chain": "按产业链", "by_strategy": "按区域战略",
        "min_inv": "总投资不少于（亿元）", "max_inv": "总投资不超过（亿元）", "apply": "应用筛选",
        "any": "（全部）", "strategies": "区域战略（规划所列）", "corridors": "走廊/区域（规划所列或位置落在）",
        "districts": "区县",
        "zones": "开发区", "chains": "产业链", "statuses": "状态", "kinds": "类别",
        "back": "← 项目列表", "aliases": "又名", "locations": "位置", "sources": "来源", "no_sources": "无来源记录",
        "line": "第 {n} 行", "not_stated": "未列明", "undetermined": "未确定", "review": "待核实",
        "f_original": "原文",
        "f_method": "方法", "f_evidence": "依据", "f_lonlat": "经纬度 (WGS-84)", "related": "相关列表",
        "error": "出错了", "map_title": "项目地图", "loading": "地图数据加载中…",
        "remove": "移除此筛选条件", "bad_value": "无法按此筛选", "did_you_mean": "您是不是要找：",
        "print_list": "打印",
        "f_parent": "所属项目", "f_parts": "包含项目", "parts_note": "（其投资计入本项目，合计不重复计算）",
        "f_range": "投资区间（亿元，原文所述）",
        "as_of": "截至日期", "as_of_now": "查看当前数据",
        "as_of_banner": "本页显示截至 {}（北京时间当日结束时）的项目库：由修改记录回溯得出，之后新建的项目不在其中，之后的修改和进度未计入。",
        "chip_min_investment": "≥ {v} 亿元", "chip_max_investment": "≤ {v} 亿元", "chip_q": "“{v}”",
        "chip_review": "仅待核实位置",
        "chip_as_of": "截至 {v}", "progress_link": "填报进度",
        "progress_classes": "进度评价", "progress_month": "进度月份", "progress_latest": "最新月份",
        "progress_rule": "进度评价规则", "no_progress": "尚无调度数据", "by_progress": "按进度",
        "f_progress": "进度",
        "chip_progress_month": "进度月份 {v}",
    },
    "en": {
        "site": "Taiyuan Key Projects", "nav_map": "Map", "nav_list": "Project list", "nav_review": "Locations to verify", "switch_lang": "中文",
        "footer": "Sources: Taiyuan plan documents (cited per project). Location precision and method are recorded per project.",
        "filter": "Filter", "count_prefix": "", "count_suffix": "projects", "sum": "total investment",
        "yi": "亿元 (100M CNY)", "without": "without an amount", "without_suffix": "", "placed": "on the map",
        "export": "Export", "search": "Search", "search_hint": "name, alias, code, builder, plan group, description, zone", "clear": "Clear filters",
        "prev": "Previous", "next": "Next", "page": "page {n}", "no_rows": "No project matches.",
        "open_map": "Show on the map", "open_list": "Show as a list", "group_by": "Map groups",
        "by_chain": "by industry chain", "by_strategy": "by regional strategy",
        "min_inv": "Investment at least (亿元)", "max_inv": "Investment at most (亿元)", "apply": "Apply",
        "any": "(any)", "strategies": "Regional strategy (stated by a plan)",
        "corridors": "Corridor / region (stated by a plan or by location)",
        "districts": "District", "zones": "Development zone", "chains": "Industry chain", "statuses": "Status",
        "kinds": "Kind", "back": "← Project list", "aliases": "Also known as", "locations": "Locations",
        "sources": "Sources", "no_sources": "No source recorded", "line": "line {n}", "not_stated": "not stated",
        "undetermined": "undetermined", "review": "needs review", "f_original": "as written", "f_method": "Method",
        "f_evidence": "Evidence",
        "f_lonlat": "Lon, lat (WGS-84)", "related": "Related lists", "error": "Something went wrong",
        "map_title": "Project map", "loading": "Loading map data…",
        "remove": "Remove this filter", "bad_value": "Cannot filter by this", "did_you_mean": "Did you mean:",
        "print_list": "Print",
        "f_parent": "Part of", "f_parts": "Parts", "parts_note": "(their investment is within this project's; totals count it once)",
        "f_range": "Investment range (亿元, as stated)",
        "as_of": "As of", "as_of_now": "Show the current registry",
        "as_of_banner": "This page shows the registry as it stood at the end of {} (Beijing time), rebuilt from the change history: projects created later are absent, later edits and progress are not counted.",
        "chip_min_investment": "investment ≥ {v} (100M CNY)", "chip_max_investment": "investment ≤ {v} (100M CNY)",
        "chip_q": "“{v}”", "chip_review": "only locations to verify",
        "chip_as_of": "as of {v}", "progress_link": "Progress",
        "progress_classes": "Progress", "progress_month": "Progress month", "progress_latest": "newest month",
        "progress_rule": "Progress rule", "no_progress": "no monthly figures yet", "by_progress": "by progress",
        "f_progress": "Progress",
        "chip_progress_month": "progress month {v}",
    },
}

for _lang, _words in (*PAGE_STRINGS.items(), *PROGRESS_STRINGS.items()):
    STRINGS[_lang].update(_words)

# Statuses as stored → as shown (the Chinese ones are the plans' own words, "unknown" is not), and location
# precisions: one source with the map and the CLI (registry/vocabulary.py).
STATUS_WORDS = {lang: value_words(lang)["statuses"] for lang in LANGS}
PRECISION_WORDS = {lang: {int(k): v for k, v in value_words(lang)["precisions"].items()} for lang in LANGS}

# How a location was found: the Chinese words are historyview.METHOD_LABELS (one list for history and detail).
METHOD_WORDS = {
    "zh": dict(METHOD_LABELS),
    "en": {"manual": "verified by hand", "given_coordinates": "given coordinates", "stated_in_text": "stated in the text",
           "zone_name": "development zone name", "place_name": "place name", "gazetteer": "gazetteer (named site)",
           "village": "village name (its township)", "none": "none"},
}

# List column headers (else textout.LIST_COLUMNS' own Chinese titles): the strategy column holds plan ties only.
COLUMN_WORDS = {
    "zh": {"strategies": "区域战略（规划所列）"},
    "en": {key: BY_KEY[key].en for key in LIST_VIEW},  # the field table's English labels
}

bp = Blueprint("i18n", __name__)


def current_lang() -> str:
    wanted = request.args.get("lang") or request.cookies.get(COOKIE) or "zh"
    return wanted if wanted in LANGS else "zh"


def format_yi(value: Decimal | float | str | None, lang: str | None = None) -> str:
    """An amount in 亿元 as people write it: thousands separators, no trailing zeros (3,949.11)."""
    if value is None or value == "":
        return STRINGS[lang or current_lang()]["not_stated"]
    amount = Decimal(str(value))
    text = f"{amount:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


@bp.app_context_processor
def _inject() -> dict[str, object]:
    lang = current_lang()
    return {"t": STRINGS[lang], "lang": lang, "other_lang": "en" if lang == "zh" else "zh",
            "map_labels": map_labels(lang), "status_label": lambda s: status_word(lang, s),
            "precision_label": lambda p: PRECISION_WORDS[lang].get(p, str(p)),
            "method_label": lambda m: METHOD_WORDS[lang].get(m, m),
            "place_links": _place_links, "basis_words": BASIS_WORDS[lang],
            "place_label": lambda link: place_label(link, lang), "filter_words_in": _filter_words,
            "in_lang": lambda message: in_lang(str(message), lang),
            "column_title": lambda key, title: COLUMN_WORDS[lang].get(key, title),
            "aside": lambda text: aside(text, lang), "chip_text": lambda chip: chip_text(chip, lang),
            "chip_marks": lambda chip: aside(MARK_SEPARATOR[lang].join(BASIS_WORDS[lang][m] for m in chip.marks), lang)
            if chip.marks else "",
            "role_label": lambda role: _word(lang, ROLE_LABELS, ROLE_WORDS_EN, role),
            "kind_label": lambda kind: _word(lang, KIND_LABELS, KIND_WORDS_EN, kind),
            "field_label": lambda name: _field_word(lang, name),
            # A project field as spreadsheets head it (registry/fields.py), for the pages that show it.
            "field_name": lambda key: BY_KEY[key].en if lang == "en" else BY_KEY[key].zh,
            "construction_label": lambda value: construction_word(lang, value),
            "reason_label": lambda text: REASON_WORDS_EN.get(text, text) if lang == "en" else text,
            "fill": lambda text, *values: _fill(text, values),
            "import_summary": lambda report: _import_summary(report, lang),
            # A problem on a field the sheet has no column for names the field by the export's header.
            "column_header": lambda key: COLUMN_HEADERS.get(key, key),
            "problem_text": lambda text: text if lang == "en" else in_chinese(str(text or "")),
            "meeting_header": lambda key, header: MEETING_HEADERS_EN.get(key, header) if lang == "en" else header,
            # What kpr_place.js writes into the preview, and the precision words it shows.
            "place_words": {**{k: v for k, v in STRINGS[lang].items() if k.startswith("pv_")},
                            "list_sep": STRINGS[lang]["list_sep"],
                            "precisions": {str(k): v for k, v in PRECISION_WORDS[lang].items()}},
            "progress_rule": _rule_words(lang),
            "progress_label": lambda c: progress_word(c, lang),
            "progress_colour": lambda c: PROGRESS_COLOURS.get(c, "#9e9e9e"),
            "month_span": lambda year, month: month_span(year, month, lang),
            "progress_summary": lambda report: progress_summary(report, lang)}


def _import_summary(report: ImportReport, lang: str) -> str:
    """The import's one-line summary in the page's language (report.summary() is the CLI's, in both)."""
    words = STRINGS[lang]
    state = words["ir_applied"] if report.applied else words["ir_dry_run"] if report.dry_run else words["ir_refused"]
    return words["ir_summary"].format(
        state=state, read=report.rows_read, created=len(report.created), updated=len(report.updated),
        unchanged=len(report.unchanged), problems=report.problem_count, bad=len(report.bad_rows),
        duplicates=len(report.duplicates))


# Progress fields in 修改记录 (registry/progress/recorded.py): a month's figures, the milestone dates.
MILESTONE_WORDS_EN = {"planned_start": "Planned start", "actual_start": "Actual start",
                      "planned_end": "Planned completion", "actual_end": "Actual completion"}


def status_word(lang: str, status: str) -> str:
    return STATUS_WORDS[lang].get(status, status)


def construction_word(lang: str, value: str) -> str:
    """新建/续建/改扩建 as stated in Chinese pages, in words in English ones."""
    return CONSTRUCTION_WORDS_EN.get(value, value) if lang == "en" else value


def choice_word(lang: str, key: str, value: str) -> str:
    """One of a field's fixed values (registry/fields.py `choices`) as the page says it."""
    if key == "status":
        return status_word(lang, value)
    if key == "construction_type":
        return construction_word(lang, value)
    return value


def _field_word(lang: str, field: str) -> str:
    if lang != "en":
        return field_label(field)
    period = recorded.parse_month_field(field)
    if period is not None:
        return f"Progress {period[0]}-{period[1]:02d}"
    return MILESTONE_WORDS_EN.get(field) or field_label(field, lang)


def _word(lang: str, chinese: Mapping[str, str], english: Mapping[str, str], code: str) -> str:
    return (english if lang == "en" else chinese).get(code, chinese.get(code, code))


def _fill(text: str, values: tuple[object, ...]) -> str:
    """t strings mark values with {x} (and {y}): filled in order."""
    for key, value in zip(("{x}", "{y}"), values):
        text = text.replace(key, str(value))
    return text


MARK_SEPARATOR = {"zh": "；", "en": "; "}


def aside(text: str, lang: str) -> str:
    """A remark after a name: （…） in Chinese, (…) in English."""
    return f"（{text}）" if lang == "zh" else f" ({text})"


def chip_text(chip: Chip, lang: str) -> str:
    """What an active-filter chip says: the name as recorded, a status in the page's language, or the
    number, words or flag the user typed."""
    if chip.param == "status":
        return STATUS_WORDS[lang].get(chip.value, chip.value)
    if chip.param == "progress_class":
        return progress_word(chip.value, lang)
    template = STRINGS[lang].get("chip_" + chip.param)
    return template.replace("{v}", chip.value) if template else chip.label


def _rule_words(lang: str) -> str:
    rule = Rule.from_settings(current_app.config["KPR_SETTINGS"])
    return rule.describe_en() if lang == "en" else rule.describe()


def _filter_words(params: list[tuple[str, str]], vocab: Vocabulary, given: str) -> str:
    """The filter in words in the page's language; `given` is the Chinese the view computed."""
    if current_lang() != "en":
        return given
    try:
        rf = resolve(get_session(), ProjectFilter.from_params(_multi(params)), vocab)
    except InvalidFilter:  # the view already reported the bad value; keep its words
        return given
    return describe(rf, "en")


def _multi(params: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in params:
        out.setdefault(key, []).append(value)
    return out


def in_lang(message: str, lang: str) -> str:
    """Messages are written 中文 (English): the English interface shows the part in parentheses, the Chinese
    one the part before it."""
    text = message.rstrip()
    if not text.endswith(")"):
        return message
    depth = 0
    for i in range(len(text) - 1, -1, -1):  # the "(" that closes at the very end
        depth += {")": 1, "(": -1}.get(text[i], 0)
        if depth == 0:
            english, chinese = text[i + 1:-1], text[:i].rstrip()
            if lang == "en":
                return english or message
            # The English part starts in English (it may quote Chinese names after that).
            return chinese if chinese and english[:1].isascii() and not _CJK.match(english) else message
    return message


_CJK = re.compile(r"[\u3400-\u9fff]")


def _place_links(row: ProjectRow) -> list[PlaceLink]:
    """A project's location ties (basis 'place') for its page, each saying whether a source confirms it."""
    vocab = Vocabulary.load(get_session())
    return place_links(row, vocab.names("strategies"), vocab.members)


@bp.app_template_filter("yi")
def _yi_filter(value: Decimal | float | str | None) -> str:
    return format_yi(value)


@bp.after_app_request
def _remember(response: Response) -> Response:
    lang = request.args.get("lang")
    if lang in LANGS:
        response.set_cookie(COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax")
    return response
