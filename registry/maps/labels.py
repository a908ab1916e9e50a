"""Words the map script shows, in Chinese (the default) and English. The web app's other strings are in
web/i18n.py; these live in the core because `kpr map` writes the same map without the web app."""
from __future__ import annotations

from registry.vocabulary import value_words

MAP_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "locale": "zh-CN", "yi": "亿元", "no_amount": "未列明", "investment": "总投资", "status": "状态",
        "district": "区县", "precision": "位置精度", "group": "分组", "details": "查看项目详情 →",
        "count": "项目数", "projects_unit": "个项目", "open_list": "在列表中查看该区项目 →",
        "shade_none": "区界（不着色）", "shade_count": "分区着色：项目数", "shade_investment": "分区着色：总投资",
        "zones": "开发区（虚线为示意范围）", "schematic": "示意范围", "corridor": "走廊", "region": "区域",
        "by_chain": "按产业链分组", "by_strategy": "按区域战略分组（规划所列）", "by_progress": "按进度着色",
        "none_chain": "未归产业链", "none_strategy": "未关联区域战略", "list_sep": "、", "colon": "：", "aside": "（{x}）", "unconfirmed": "范围未确认",
        "sym_exact": "实心点：精确位置", "sym_district": "空心圈：区县代表点（位置仅到区县）",
        "sym_zone": "空心方框：开发区代表点（位置仅到开发区）", "schematic_note": "虚线边界：示意范围，非官方边界",
        "unplaced": "另有 {n} 个项目未上图（全市、市外或位置未知，见旁边的列表）", "load_failed": "地图数据加载失败：",
        "key_below": "（不含上限）", "key_without": "{n} 个项目未列投资额，不计入着色",
        "empty": "没有符合筛选条件的项目（请放宽筛选）",
        "size_title": "圆的大小：总投资（亿元）",
        "size_rule": "圆面积与总投资成正比（半径∝√金额），最大的圆 = 本筛选中最大的 {max} 亿元；最小 {min} 像素",
        "sym_unknown": "小空心方块：有具体位置、未列明总投资",
        "sym_badge_district": "数字圆标：位置仅到区县的项目数（色环为各分组占比，点击列出）",
        "sym_badge_zone": "方框圆标：位置仅到开发区的项目数",
        "badge_district": "位置仅到区县，画在区县代表点", "badge_zone": "位置仅到开发区，画在开发区代表点",
        "badge_more": "……另有 {n} 个", "badge_list": "在列表中查看全部 →",
        "layers": "图层", "place_names": "地名（区县、周边城市）",
        "off_title": "不在地图上的项目", "off_citywide": "全市（位置为全市范围）", "off_outside": "太原市外（合作地区等）",
        "off_unknown": "位置未知", "off_more": "另有 {n} 个未列出（见列表）", "off_place": "定位",
        "off_none": "符合筛选的项目都已上图",
    },
    "en": {
        "locale": "en", "yi": "×100M CNY (亿元)", "no_amount": "not stated", "investment": "Total investment",
        "status": "Status", "district": "District", "precision": "Location precision", "group": "Group",
        "details": "Project details →", "count": "Projects", "projects_unit": "projects",
        "open_list": "List this district's projects →", "shade_none": "Districts (no shading)",
        "shade_count": "Shade districts: project count", "shade_investment": "Shade districts: total investment",
        "zones": "Development zones (dashed = schematic)", "schematic": "schematic extent",
        "corridor": "Corridor", "region": "Region", "by_chain": "Grouped by industry chain",
        "by_strategy": "Grouped by regional strategy (stated by a plan)", "by_progress": "Coloured by progress",
        "none_chain": "no industry chain",
        "none_strategy": "no regional strategy", "list_sep": ", ", "colon": ": ", "aside": " ({x})", "unconfirmed": "extent unconfirmed", "sym_exact": "Filled dot: exact site",
        "sym_district": "Ring: district representative point", "sym_zone": "Square: development zone representative point",
        "schematic_note": "Dashed outline: schematic extent, not an official boundary",
        "unplaced": "{n} more projects are not drawn (city-wide, outside Taiyuan or location unknown: see the list beside the map)",
        "load_failed": "Could not load the map data:",
        "key_below": " (upper bound excluded)",
        "key_without": "{n} projects without an amount are not in the shading",
        "empty": "No project matches this filter (try a wider one)",
        "size_title": "Circle size: total investment (亿元, ×100M CNY)",
        "size_rule": "Circle area is proportional to the amount (radius ∝ √amount); the largest circle is this "
                     "filter's largest, {max} 亿元; smallest {min} px",
        "sym_unknown": "Small hollow square: exact site, amount not stated",
        "sym_badge_district": "Numbered badge: projects located only to a district (ring = share of each group; click to list)",
        "sym_badge_zone": "Framed badge: projects located only to a development zone",
        "badge_district": "Located only to the district, drawn at its representative point",
        "badge_zone": "Located only to the zone, drawn at its representative point",
        "badge_more": "… and {n} more", "badge_list": "List them all →",
        "layers": "Layers", "place_names": "Place names (districts, neighbouring cities)",
        "off_title": "Projects not on the map", "off_citywide": "City-wide (全市)",
        "off_outside": "Outside Taiyuan (partner regions)", "off_unknown": "Location unknown",
        "off_more": "{n} more not listed (see the list)", "off_place": "Place it",
        "off_none": "Every matching project is on the map",
    },
}


# Stored values the popups and legend show in words: status_<status>, precision_<n>, class_<progress class>,
# from the one vocabulary (registry/vocabulary.py) the pages use too.
_PREFIX = {"statuses": "status_", "precisions": "precision_", "progress_classes": "class_"}
VALUE_WORDS: dict[str, dict[str, str]] = {
    lang: {_PREFIX[kind] + code: word for kind, words in value_words(lang).items() for code, word in words.items()}
    for lang in ("zh", "en")
}


def map_labels(lang: str) -> dict[str, str]:
    lang = lang if lang in MAP_LABELS else "zh"
    return {**MAP_LABELS[lang], **VALUE_WORDS[lang]}
