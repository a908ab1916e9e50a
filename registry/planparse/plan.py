"""Plan text → candidate projects: box items first, then named works in the body text."""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from registry.planparse import facts, places, status
from registry.planparse.amounts import parse_investment
from registry.planparse.boxes import Box, box_line_numbers, find_boxes
from registry.planparse.candidate import Candidate, Source
from registry.planparse.chains import chain_codes_for
from registry.planparse.items import RawItem, body_items, box_items
from registry.planparse.normalize import Line, read_lines
from registry.planparse.parts import listed_parts

# Section headings of the body: "(二)强化协作长三角梯度发展", "2.全面建设太忻一体化经济区", "第三章…".
_SECTION = re.compile(r"^(?:\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、|第[一二三四五六七八九十]+[章节]|\d+\.)")
_SITE_NAME = re.compile(r"(?:园|基地|中心|厂|站|城|场|馆|院|校|小镇|片区|广场|矿|公园)$")
EXCERPT_CHARS = 120


def doc_key(path: Path) -> str:
    """'001' from '001_68a8e69ac921afbf.txt' — the prefix used in project codes."""
    return path.name.split("_", 1)[0]


def _box_code(box: Box) -> str:
    return "B" + box.code


def _description(item: RawItem) -> str | None:
    if item.shape != "numbered":
        return None
    rest = item.text.split("。", 1)[1] if "。" in item.text else ""
    return rest[:200] or None


def _excerpt(item: RawItem) -> str:
    if item.shape == "numbered":
        return item.text[:EXCERPT_CHARS]
    start = max(item.text.find(item.name[:4]), 0)
    return item.text[max(start - 20, 0): max(start - 20, 0) + EXCERPT_CHARS]


def _place_facts(item: RawItem) -> tuple[str | None, str | None, str | None, bool | None]:
    """(place_text, district_stated, zone_stated, outside_taiyuan) from the item's own words."""
    text = item.text if item.shape == "numbered" else item.name
    sites = places.site_phrases(text) if item.shape == "numbered" else []
    place_text = "；".join(sites) or None
    site_words = " ".join([item.name, *sites])
    districts = places.districts_named(site_words)
    district = districts[0] if len(districts) == 1 else None
    zone_words = item.name
    if item.shape == "numbered":
        lead = text.split("。", 1)[1] if "。" in text else ""
        lead = re.sub(r"^[^，。]*投资[^，。]*，", "", lead)
        zone_words += " " + " ".join(sites) + " " + lead[:12]  # "山西转型综改示范区建设1座…"
    zones = places.zones_named(zone_words)
    zone = zones[0] if len(zones) == 1 else None
    # Outside Taiyuan only when the site words name another city and no Taiyuan district or zone.
    outside = bool(sites) and not districts and not zone and places.names_other_city(" ".join(sites))
    return place_text, district, zone, outside


def _stage(item: RawItem, siblings: Sequence[str]) -> str | None:
    """The item's own stage word: in its name, its numbered passage, or the clause that lists it. A named
    area's passage states aims (…建成国家级文旅示范标杆), not the area's stage: only its name counts."""
    if item.shape == "numbered":
        return status.stage_word(item.name) or status.stage_word(_description(item) or "")
    if item.shape == "named_area":
        return status.stage_word(item.name)
    return status.listed_stage(item.name, item.text, siblings)


def _candidate(item: RawItem, code: str, document: str, box: Box | None, context: str | None,
               siblings: Sequence[str] = ()) -> Candidate:
    passage = item.text if item.shape == "numbered" else ""
    word = _stage(item, siblings)
    investment = parse_investment(passage) if passage else None
    place_text, district, zone, outside = _place_facts(item)
    start, end = facts.years(passage)
    chains = tuple(chain_codes_for(box, item.group)) if box else ()
    builder = facts.builder(_description(item) or "") if passage else None
    parties = facts.partners(passage) if passage else []
    if box is not None:
        specificity = "box_item"
    else:
        specificity = "named_site" if _SITE_NAME.search(item.name) else "named_works"
    return Candidate(
        code=code,
        name=item.name,
        # Items of the industry-cluster and chain boxes are industry, whatever their group word says.
        kind="产业" if chains else facts.kind(item.group, box.title if box else context, item.name),
        status=status.status_for(word),
        status_text=word,
        construction_type=facts.construction_type(item.name),
        total_investment=investment.yi if investment else None,
        investment_text=investment.text if investment else None,
        capacity_text=facts.capacity_text(passage or "") if passage else facts.capacity_text(item.name),
        start_year=start,
        end_year=end,
        builder=builder,
        partners=tuple(parties),
        partner_regions=tuple(facts.partner_regions([builder or "", *parties], passage)) if passage else (),
        chains=chains,
        strategies=tuple(dict.fromkeys([*facts.strategies(box.title if box else context, item.name),
                                        *(facts.node_strategies(item.text) if item.shape == "named_area" else [])])),
        place_text=place_text,
        district_stated=district,
        zone_stated=zone,
        outside_taiyuan=outside,
        specificity=specificity,
        box=box.label if box else None,
        group=item.group,
        description=_description(item),
        sources=(Source(document, item.line, _excerpt(item), box.label if box else None),),
    )


def _part_candidates(item: RawItem, code: str, document: str, box: Box) -> list[Candidate]:
    """The works or companies a numbered item lists (planparse/parts.py), each a project whose parent is
    the item; cited to the item's line, with no amount of their own."""
    out: list[Candidate] = []
    for k, part in enumerate(listed_parts(item.text), start=1):
        raw = RawItem(part.name, item.text, item.line, item.group, f"P{k}", "part", item.name)
        candidate = _candidate(raw, f"{code}-P{k}", document, box, None)
        out.append(replace(candidate, parent_code=code, specificity="part"))
    return out


def _body_context(lines: list[Line]) -> dict[int, str]:
    """For each line, the section headings above it (joined), so body items get a strategy by section."""
    context: dict[int, str] = {}
    headings: list[str] = []
    for line in lines:
        if _SECTION.match(line.text) and len(line.text) <= 30:
            headings = [*headings[-2:], line.text]
        context[line.no] = " ".join(headings)
    return context


def parse_lines(lines: list[Line], document: str) -> list[Candidate]:
    key = document.split("_", 1)[0]
    boxes = find_boxes(lines)
    out: list[Candidate] = []
    for box in boxes:
        items = box_items(box)
        siblings = _names_by_text(items)
        code_of: dict[str, str] = {}
        for item in items:
            code = f"{key}-{_box_code(box)}-{item.ordinal}"
            code_of.setdefault(item.name, code)
            candidate = _candidate(item, code, document, box, None, siblings[item.text])
            if item.parent:  # a site listed inside a 片区's passage (专栏7-1)
                candidate = replace(candidate, parent_code=code_of.get(item.parent))
            out.append(candidate)
            if item.shape == "numbered":
                out += _part_candidates(item, code, document, box)
    inside = box_line_numbers(boxes)
    body = [line for line in lines if line.no not in inside]
    context = _body_context(body)
    items = body_items(body)
    siblings = _names_by_text(items)
    for item in items:
        code = f"{key}-L{item.line:04d}-{item.ordinal}"
        out.append(_candidate(item, code, document, None, context.get(item.line), siblings[item.text]))
    return out


def _names_by_text(items: Sequence[RawItem]) -> dict[str, list[str]]:
    """Items listed in one sentence, by that sentence: a list's shared verb is what remains without them."""
    names: dict[str, list[str]] = defaultdict(list)
    for item in items:
        names[item.text].append(item.name)
    return names


def parse_plan(path: Path) -> list[Candidate]:
    """All candidate projects of one plan text file, box items first, in document order."""
    text = Path(path).read_text(encoding="utf-8")
    return parse_lines(read_lines(text), Path(path).name)
