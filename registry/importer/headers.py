"""Header text → field: the export's own headers plus common variants, with the unit each implies."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from registry.errors import ImportRefused
from registry.fields import FIELDS, Field


@dataclass(frozen=True)
class Target:
    key: str
    scale: int = 1  # divide by this to get the stored unit (万元 → 亿元: 10 000)


def norm_header(text: str) -> str:
    """Fullwidth → halfwidth, brackets unified, spaces and case dropped: 总投资（亿元） = 总投资 (亿元)."""
    folded = unicodedata.normalize("NFKC", str(text)).strip().lower()
    return re.sub(r"[\s_\-*]", "", folded)


# Amount headers in 万元: the one unit a header changes (divided into 亿元 on reading).
WAN_HEADERS = ("投资额(万元)", "总投资(万元)", "计划总投资(万元)", "总投资额(万元)")


def header_targets(fields: Sequence[Field] = FIELDS) -> dict[str, Target]:
    """Normalised header → field: each importable field's key, export header and the variants people type
    (registry/fields.py); then the export's read-only headers (位置精度, 来源 …), recognised but never imported."""
    targets: dict[str, Target] = {}
    for f in fields:
        for text in (f.key, f.zh, *f.headers) if f.importable else ():
            targets.setdefault(norm_header(text), Target(f.key))
    targets |= {norm_header(text): Target("total_investment", 10_000) for text in WAN_HEADERS}
    for f in fields:
        if f.export:
            targets.setdefault(norm_header(f.zh), Target(f.key))
    return targets


ALIASES: dict[str, Target] = header_targets()
INFORMATIONAL = {f.key for f in FIELDS if f.export and not f.importable}


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
