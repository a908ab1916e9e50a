"""Words the map script shows, in Chinese (the default) and English. The web app's other strings are in
web/i18n.py; these live in the core because `kpr map` writes the same map without the web app."""
from __future__ import annotations

MAP_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "locale": "zh-CN", "yi": "亿元", "no_amount": "未列明", "investment": "总投资", "status": "状态",
        "district": "区县", "precision": "位置精度", "group": "分组", "details": "查看项目详情 →",
        "count": "项目数", "projects_unit": "个项目", "open_list": "在列表中查看该区项目 →",
        "shade_none": "区界（不着色）", "shade_count": "分区着色：项目数", "shade_investment": "分区着色：总投资",
        "zones": "开发区（虚线为示意范围）", "schematic": "示意范围", "corridor": "走廊", "region": "区域",
        "by_chain": "按产业链分组", "by_strategy": "按区域战略分组", "by_progress": "按进度着色",
        "sym_exact": "实心点：精确位置", "sym_district": "空心圈：区县代表点（位置仅到区县）",
        "sym_zone": "空心方框：开发区代表点（位置仅到开发区）", "schematic_note": "虚线边界：示意范围，非官方边界",
        "unplaced": "另有 {n} 个项目位置未知，未上图（见列表）", "load_failed": "地图数据加载失败：",
        "key_below": "（不含上限）", "key_without": "{n} 个项目未列投资额，不计入着色",
        "empty": "没有符合筛选条件的项目（请放宽筛选）",
    },
    "en": {
        "locale": "en", "yi": "×100M CNY (亿元)", "no_amount": "not stated", "investment": "Total investment",
        "status": "Status", "district": "District", "precision": "Location precision", "group": "Group",
        "details": "Project details →", "count": "Projects", "projects_unit": "projects",
        "open_list": "List this district's projects →", "shade_none": "Districts (no shading)",
        "shade_count": "Shade districts: project count", "shade_investment": "Shade districts: total investment",
        "zones": "Development zones (dashed = schematic)", "schematic": "schematic extent",
        "corridor": "Corridor", "region": "Region", "by_chain": "Grouped by industry chain",
        "by_strategy": "Grouped by regional strategy", "by_progress": "Coloured by progress", "sym_exact": "Filled dot: exact site",
        "sym_district": "Ring: district representative point", "sym_zone": "Square: development zone representative point",
        "schematic_note": "Dashed outline: schematic extent, not an official boundary",
        "unplaced": "{n} more projects have no known location and are not drawn (see the list)",
        "load_failed": "Could not load the map data:",
        "key_below": " (upper bound excluded)",
        "key_without": "{n} projects without an amount are not in the shading",
        "empty": "No project matches this filter (try a wider one)",
    },
}


def map_labels(lang: str) -> dict[str, str]:
    return MAP_LABELS.get(lang, MAP_LABELS["zh"])
