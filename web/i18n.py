"""Interface language: Chinese by default, English with ?lang=en (remembered in a cookie). Only the
interface is translated (and the filter in words, on the list); data (project and place names, plan excerpts)
stays as recorded."""
from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, Response, request

from registry.errors import InvalidFilter
from registry.historyview import METHOD_LABELS
from registry.maps.labels import map_labels
from registry.maps.palette import PROGRESS_COLOURS
from registry.memberships import BASIS_WORDS, PlaceLink, place_label, place_links
from registry.models import PRECISIONS
from registry.progress.classify import Rule
from registry.queries import PROGRESS_WORDS_EN, ProjectFilter, Vocabulary, describe_en, resolve
from registry.records import ProjectRow
from web.session import get_session

LANGS = ("zh", "en")
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
        "f_code": "编号", "f_kind": "类别", "f_status": "状态", "f_investment": "总投资（亿元）",
        "f_original": "原文", "f_capacity": "规模", "f_builder": "建设单位", "f_partners": "合作方",
        "f_chains": "产业链", "f_strategies": "区域战略（规划所列）", "f_place_strategies": "走廊/区域（位置落在）",
        "f_place": "地点（原文）", "f_district": "区县",
        "f_zone": "开发区", "f_precision": "位置精度", "f_box": "专栏", "f_description": "说明",
        "f_method": "方法", "f_evidence": "依据", "f_lonlat": "经纬度 (WGS-84)", "related": "相关列表",
        "error": "出错了", "map_title": "项目地图", "loading": "地图数据加载中…",
        "remove": "移除此筛选条件", "bad_value": "无法按此筛选", "did_you_mean": "您是不是要找：",
        "print_list": "打印",
        "progress_classes": "进度评价", "progress_month": "进度月份", "progress_latest": "最新月份",
        "progress_rule": "进度评价规则", "no_progress": "尚无调度数据", "by_progress": "按进度",
        "f_progress": "进度",
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
        "undetermined": "undetermined", "review": "needs review", "f_code": "Code", "f_kind": "Kind",
        "f_status": "Status", "f_investment": "Total investment (亿元)", "f_original": "as written",
        "f_capacity": "Capacity", "f_builder": "Builder", "f_partners": "Partners", "f_chains": "Industry chains",
        "f_strategies": "Regional strategies (stated by a plan)",
        "f_place_strategies": "Corridors / regions (by location)", "f_place": "Place (as written)",
        "f_district": "District",
        "f_zone": "Development zone", "f_precision": "Location precision", "f_box": "Plan box",
        "f_description": "Description", "f_method": "Method", "f_evidence": "Evidence",
        "f_lonlat": "Lon, lat (WGS-84)", "related": "Related lists", "error": "Something went wrong",
        "map_title": "Project map", "loading": "Loading map data…",
        "remove": "Remove this filter", "bad_value": "Cannot filter by this", "did_you_mean": "Did you mean:",
        "print_list": "Print",
        "progress_classes": "Progress", "progress_month": "Progress month", "progress_latest": "newest month",
        "progress_rule": "Progress rule", "no_progress": "no monthly figures yet", "by_progress": "by progress",
        "f_progress": "Progress",
    },
}

# Statuses as stored → as shown; the Chinese ones are the plans' own words, "unknown" is not.
STATUS_WORDS = {
    "zh": {"unknown": "未注明"},
    "en": {"谋划": "planned", "前期": "preparation", "在建": "under construction", "竣工": "completed",
           "投产": "in operation", "unknown": "not stated"},
}

# How a location was found: the Chinese words are historyview.METHOD_LABELS (one list for history and detail).
METHOD_WORDS = {
    "zh": dict(METHOD_LABELS),
    "en": {"manual": "verified by hand", "given_coordinates": "given coordinates", "stated_in_text": "stated in the text",
           "zone_name": "development zone name", "place_name": "place name", "none": "none"},
}

# Location precision: models.PRECISIONS holds "中文 english" in one string; each interface shows its half.
PRECISION_WORDS = {
    "zh": {k: v.split(" ", 1)[0] for k, v in PRECISIONS.items()},
    "en": {k: v.split(" ", 1)[-1] for k, v in PRECISIONS.items()},
}
# List column headers (else textout.LIST_COLUMNS' own Chinese titles): the strategy column holds plan ties only.
COLUMN_WORDS = {
    "zh": {"strategies": "区域战略（规划所列）"},
    "en": {"code": "Code", "name": "Project", "total_investment": "Total investment (亿元)", "status": "Status",
           "district": "District", "zone": "Development zone", "strategies": "Regional strategies (stated by a plan)",
           "chains": "Industry chains", "precision_label": "Location precision"},
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
            "map_labels": map_labels(lang), "status_label": lambda s: STATUS_WORDS[lang].get(s, s),
            "precision_label": lambda p: PRECISION_WORDS[lang].get(p, str(p)),
            "method_label": lambda m: METHOD_WORDS[lang].get(m, m),
            "place_links": _place_links, "basis_words": BASIS_WORDS[lang],
            "place_label": lambda link: place_label(link, lang), "filter_words_in": _filter_words,
            "in_lang": lambda message: in_lang(str(message), lang),
            "column_title": lambda key, title: COLUMN_WORDS[lang].get(key, title),
            "progress_rule": _rule_words(lang),
            "progress_label": lambda c: PROGRESS_WORDS_EN.get(c, c) if lang == "en" else c,
            "progress_colour": lambda c: PROGRESS_COLOURS.get(c, "#9e9e9e")}


def _rule_words(lang: str) -> str:
    rule = Rule.from_settings()
    return rule.describe_en() if lang == "en" else rule.describe()


def _filter_words(params: list[tuple[str, str]], vocab: Vocabulary, given: str) -> str:
    """The filter in words in the page's language; `given` is the Chinese the view computed."""
    if current_lang() != "en":
        return given
    try:
        rf = resolve(get_session(), ProjectFilter.from_params(_multi(params)), vocab)
    except InvalidFilter:  # the view already reported the bad value; keep its words
        return given
    return describe_en(rf)


def _multi(params: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, value in params:
        out.setdefault(key, []).append(value)
    return out


def in_lang(message: str, lang: str) -> str:
    """Messages are written 中文 (English): the English interface shows the part in parentheses."""
    text = message.rstrip()
    if lang != "en" or not text.endswith(")"):
        return message
    depth = 0
    for i in range(len(text) - 1, -1, -1):  # the "(" that closes at the very end
        depth += {")": 1, "(": -1}.get(text[i], 0)
        if depth == 0:
            return text[i + 1:-1] or message
    return message


def _place_links(row: ProjectRow) -> list[PlaceLink]:
    """A project's location ties (basis 'place') for its page, each saying whether a source confirms it."""
    vocab = Vocabulary.load(get_session())
    return place_links(row, {c: v[0] for c, v in vocab.strategies.items()}, vocab.members)


@bp.app_template_filter("yi")
def _yi_filter(value: Decimal | float | str | None) -> str:
    return format_yi(value)


@bp.after_app_request
def _remember(response: Response) -> Response:
    lang = request.args.get("lang")
    if lang in LANGS:
        response.set_cookie(COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax")
    return response
