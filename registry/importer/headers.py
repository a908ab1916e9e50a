"""Header text → field: the export's own headers plus common variants, with the unit each implies."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from registry.export.columns import PROJECT_COLUMNS
from registry.importer.errors import ImportRefused


@dataclass(frozen=True)
class Target:
    key: str
    scale: int = 1  # divide by this to get the stored unit (万元 → 亿元: 10 000)


# Variants people type; keys are normalised (see norm_header). The export's headers are added below.
ALIASES: dict[str, Target] = {
    **{k: Target("code") for k in ("编号", "项目编号", "项目代码", "code", "id")},
    **{k: Target("name") for k in ("项目名称", "名称", "项目", "name", "project", "projectname")},
    **{k: Target("aliases") for k in ("别名", "又名", "aliases")},
    **{k: Target("kind") for k in ("类别", "项目类别", "类型", "kind")},
    **{k: Target("status") for k in ("状态", "项目状态", "进展", "建设状态", "status")},
    **{k: Target("construction_type") for k in ("建设性质", "性质", "constructiontype")},
    **{k: Target("total_investment") for k in (
        "总投资", "总投资(亿元)", "投资额", "投资额(亿元)", "计划总投资(亿元)", "总投资额(亿元)", "totalinvestment")},
    **{k: Target("total_investment", 10_000) for k in (
        "投资额(万元)", "总投资(万元)", "计划总投资(万元)", "总投资额(万元)")},
    **{k: Target("investment_text") for k in ("投资额原文", "投资说明")},
    **{k: Target("capacity_text") for k in ("建设规模及内容", "建设规模", "建设内容", "规模", "capacity")},
    **{k: Target("start_year") for k in ("开工年份", "开工年", "开工时间", "startyear")},
    **{k: Target("end_year") for k in ("竣工年份", "竣工年", "竣工时间", "完工年份", "endyear")},
    **{k: Target("builder") for k in ("建设单位", "业主单位", "项目单位", "builder")},
    **{k: Target("partners") for k in ("合作地区/投资方", "合作地区", "投资方", "合作方", "partners")},
    **{k: Target("chains") for k in ("产业链", "所属产业链", "chains", "chain")},
    **{k: Target("strategies") for k in ("区域战略", "战略", "strategies", "strategy")},
    **{k: Target("district") for k in ("区县", "所在区县", "县区", "区(县)", "区(县、市)", "district")},
    **{k: Target("zone") for k in ("开发区", "所在开发区", "园区", "zone")},
    **{k: Target("place_text") for k in ("建设地点", "地点", "项目地址", "地址", "place")},
    **{k: Target("outside_taiyuan") for k in ("太原市外", "市外")},
    **{k: Target("lon") for k in ("经度", "lon", "lng", "longitude", "x")},
    **{k: Target("lat") for k in ("纬度", "lat", "latitude", "y")},
    **{k: Target("crs") for k in ("坐标系", "坐标系统", "crs")},
    **{k: Target("box") for k in ("专栏", "box")},
    **{k: Target("group") for k in ("分组", "group")},
    **{k: Target("description") for k in ("项目简介", "简介", "备注", "description")},
}
# Columns the export writes for reading only (位置精度, 来源 …): recognised, never imported.
INFORMATIONAL = {c.key for c in PROJECT_COLUMNS if not c.importable}


def norm_header(text: str) -> str:
    """Fullwidth → halfwidth, brackets unified, spaces and case dropped: 总投资（亿元） = 总投资 (亿元)."""
    folded = unicodedata.normalize("NFKC", str(text)).strip().lower()
    return re.sub(r"[\s_\-*]", "", folded)


for _col in PROJECT_COLUMNS:
    ALIASES.setdefault(norm_header(_col.header), Target(_col.key))
ALIASES = {norm_header(k): v for k, v in ALIASES.items()}


@dataclass
class HeaderMap:
    """Column index → target, for one sheet."""

    columns: dict[int, Target] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)  # field key → header text as written in the file
    ignored: list[str] = field(default_factory=list)
    informational: list[str] = field(default_factory=list)

    def header_for(self, key: str) -> str:
        return self.headers.get(key, key)

    def column_of(self, key: str) -> tuple[int, Target] | None:
        return next(((i, t) for i, t in self.columns.items() if t.key == key), None)


def map_headers(headers: list[str], max_columns: int = 200) -> HeaderMap:
    if len(headers) > max_columns:
        raise ImportRefused(f"表头有 {len(headers)} 列，超过上限 {max_columns} (too many columns)")
    result = HeaderMap()
    for index, raw in enumerate(headers):
        text = str(raw).strip()
        if not text:
            continue
        target = ALIASES.get(norm_header(text))
        if target is None:
            result.ignored.append(text)
            continue
        if target.key in INFORMATIONAL:
            result.informational.append(text)
            continue
        if target.key in result.headers:
            raise ImportRefused(f"表头中“{result.headers[target.key]}”和“{text}”表示同一字段，请只保留一列 "
                                f"(two columns map to {target.key})")
        result.columns[index] = target
        result.headers[target.key] = text
    if "name" not in result.headers:
        seen = "、".join(str(h) for h in headers if str(h).strip()) or "（无）"
        raise ImportRefused(f"找不到“项目名称”列（也接受：名称、name）；表头为：{seen} (no project-name column)")
    return result
