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
    stated: tuple[str, ...] = ()  # the districts a source states: only these may be implied
    parent: str | None = None  # the zone a park belongs to (学府园区 → 综改区)
    drawn: bool = True  # False: no extent and no cited position, the zone is known only by its district


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
    beyond_shanxi: bool = False  # every outside place named lies outside Shanxi


def _unique(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _zone_precision(zone: ZoneInfo) -> int:
    """A zone with an extent places a project at zone level (4); one known only by its district, at district
    level (3): nothing narrower than the district is known."""
    return 4 if zone.drawn else 3


def full_names_win(matches: Sequence[Match]) -> list[Match]:
    """When the text names one district or county in full (万柏林区, or a township's full name), short forms
    that point elsewhere are words inside street or building names (迎泽 in 迎泽西大街): drop them."""
    local = ("county", "township")
    stated = {m.entry.code for m in matches if m.entry.kind in local and not m.entry.short}
    if len(stated) != 1:
        return list(matches)
    return [m for m in matches if not (m.entry.kind in local and m.entry.short and m.entry.code not in stated)]


def decide(text: str, matches: Sequence[Match], zones: Mapping[str, ZoneInfo],
           names: Mapping[str, str]) -> TextDecision:
    if not any(word in text for word in LINEAR_WORDS):
        # A line (起自尖草坪区…至阳曲) names its ends in any form: every district it touches counts.
        matches = full_names_win(matches)
    counties = _unique([m.entry.code for m in matches if m.entry.kind in ("county", "township")])
    zone_codes = _unique([m.entry.zone or m.entry.code for m in matches
                          if m.entry.kind == "zone" or m.entry.zone])
    outside = _unique([m.entry.term for m in matches if m.entry.kind == "outside"])
    beyond = bool(outside) and all(m.entry.beyond_shanxi for m in matches if m.entry.kind == "outside")
    city = any(m.entry.kind == "city" for m in matches)
    outside_zone_unit = any(m.entry.kind == "outside" and m.entry.zone for m in matches)
    words = "、".join(_unique([m.entry.term for m in matches]))
    evidence = f"文字：{words}" if words else "文字中没有可识别的地名"
    conflicts: list[str] = []

    if zone_codes:
        zone_code = max(zone_codes, key=lambda c: (zones[c].depth, -zone_codes.index(c)))
        zone = zones[zone_code]
        taiyuan_zone_districts = tuple(d for d in zone.districts if d.startswith("1401"))
        stated = tuple(d for d in zone.stated if d.startswith("1401"))
        if outside_zone_unit and not counties:
            # e.g. 山西转型综合改革示范区晋中开发区: the zone's part that lies outside Taiyuan.
            return TextDecision(None, (), zone_code, 6, False, True, evidence, ())
        if counties:
            agreeing = [c for c in counties if c in zone.districts]
            if agreeing:
                return TextDecision(agreeing[0], counties, zone_code, _zone_precision(zone), False, False,
                                    evidence, ())
            conflicts.append(f"{zone.name} 不在 {'、'.join(names.get(c, c) for c in counties)}")
            return TextDecision(counties[0], counties, zone_code, 3, True, False, evidence, tuple(conflicts))
        if len(stated) == 1 and len(taiyuan_zone_districts) == 1:
            return TextDecision(stated[0], stated, zone_code, _zone_precision(zone), False, False, evidence, ())
        # Across several districts, or in one only by our inference: zone level, no district claimed.
        why = "跨多个区县" if len(taiyuan_zone_districts) > 1 else "所在区县未见来源明确（仅推断）"
        return TextDecision(None, taiyuan_zone_districts, zone_code, 4, True, False,
                            evidence + f"；{zone.name} {why}", ())

    if counties:
        if outside:
            evidence += "；另及太原市外：" + "、".join(outside)
        if len(counties) > 1 and not any(word in text for word in LINEAR_WORDS):
            # Several places for one project: keep every district touched, claim none as its site.
            conflicts.append("文字提到多个区县：" + "、".join(names.get(c, c) for c in counties))
            return TextDecision(None, counties, None, 5, True, False, evidence, tuple(conflicts))
        return TextDecision(counties[0], counties, None, 3, False, False, evidence, ())

    if outside and city and any(word in text for word in LINEAR_WORDS):
        # 岚县至太原输气管线, 太原—绥德高速铁路: a line with one end in Taiyuan reaches Taiyuan.
        return TextDecision(None, (), None, 5, True, False, evidence + "（线性工程，一端在太原市；另及太原市外："
                            + "、".join(outside) + "）", (), beyond)
    if outside:
        return TextDecision(None, (), None, 6, False, True, evidence, (), beyond)

    if city:
        return TextDecision(None, (), None, 5, True, False, evidence + "（仅市级）", ())
    return TextDecision(None, (), None, 8, True, False, evidence, ())
