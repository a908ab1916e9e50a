"""The rules that turn gazetteer matches into one placement (IATI/AidData practice):
the most specific evidence wins, a zone implies a district only when it lies in one, conflicting
evidence is reported and sent to review, 太原 alone is city level, outside places stay outside."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from registry.geocode.gazetteer import Match

# Works that run across districts: naming several districts is expected, not a conflict.
LINEAR_WORDS = ("公路", "高速", "铁路", "高铁", "轨道", "线", "河", "廊道", "管网", "管道", "渠", "通道", "大道")


@dataclass(frozen=True)
class ZoneInfo:
    name: str
    districts: tuple[str, ...]  # adcodes it lies in (stated or inferred)
    depth: int  # 0 zone, 1 park inside a zone: deeper is more specific
    schematic: bool = True  # no official boundary loaded


@dataclass(frozen=True)
class TextDecision:
    district_code: str | None
    districts: tuple[str, ...]
    zone_code: str | None
    precision: int
    needs_review: bool
    outside: bool
    evidence: str
    conflicts: tuple[str, ...]


def _unique(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def decide(text: str, matches: Sequence[Match], zones: Mapping[str, ZoneInfo],
           names: Mapping[str, str]) -> TextDecision:
    counties = _unique([m.entry.code for m in matches if m.entry.kind in ("county", "township")])
    zone_codes = _unique([m.entry.code for m in matches if m.entry.kind == "zone"])
    outside = _unique([m.entry.term for m in matches if m.entry.kind == "outside"])
    words = "、".join(_unique([m.entry.term for m in matches]))
    evidence = f"文字：{words}" if words else "文字中没有可识别的地名"
    conflicts: list[str] = []

    if zone_codes:
        zone_code = max(zone_codes, key=lambda c: (zones[c].depth, -zone_codes.index(c)))
        zone = zones[zone_code]
        taiyuan_zone_districts = tuple(d for d in zone.districts if d.startswith("1401"))
        if counties:
            agreeing = [c for c in counties if c in zone.districts]
            if agreeing:
                return TextDecision(agreeing[0], counties, zone_code, 4, False, False, evidence, ())
            conflicts.append(f"{zone.name} 不在 {'、'.join(names.get(c, c) for c in counties)}")
            return TextDecision(counties[0], counties, zone_code, 3, True, False, evidence, tuple(conflicts))
        if len(taiyuan_zone_districts) == 1:
            district = taiyuan_zone_districts[0]
            return TextDecision(district, (district,), zone_code, 4, False, False, evidence, ())
        # A zone across several districts places the project at zone level with no single district.
        return TextDecision(None, taiyuan_zone_districts, zone_code, 4, True, False,
                            evidence + f"；{zone.name} 跨多个区县", ())

    if counties:
        linear = any(word in text for word in LINEAR_WORDS)
        if len(counties) > 1 and not linear:
            conflicts.append("文字提到多个区县：" + "、".join(names.get(c, c) for c in counties))
        if outside:
            evidence += "；另及太原市外：" + "、".join(outside)
        return TextDecision(counties[0], counties, None, 3, bool(conflicts), False, evidence, tuple(conflicts))

    if outside:
        return TextDecision(None, (), None, 6, False, True, evidence, ())

    if any(m.entry.kind == "city" for m in matches):
        return TextDecision(None, (), None, 5, True, False, evidence + "（仅市级）", ())
    return TextDecision(None, (), None, 8, True, False, evidence, ())
