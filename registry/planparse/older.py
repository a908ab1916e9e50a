"""Projects of the older documents: what earlier plans promised (issue 13 §4).

- 000, 太原高新区"十一五"规划 (2006—2010): "三、建设三大基地" and "四、创建三个品牌园区" — a heading
  "（一）建设国家级电子信息产业基地" and one paragraph with land ("安排土地200亩") and money, mostly as ranges
  ("吸引投资30—50亿元", "投入8—10亿元"). A range keeps its bounds; no point value is made up.
- 003, 并政发〔2011〕6号 (2011—2015, "到2015年"): the works its industry paragraphs name
  ("重点建设中国电科太原光伏产业园", "建成国家煤层气能源载货汽车研发制造基地").
Status comes from the stage word of the item's own words (planparse/status.py), else 未注明.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from registry.planparse import facts, status
from registry.planparse.amounts import to_yi
from registry.planparse.candidate import Candidate, Source
from registry.planparse.normalize import Line, read_lines

PLAN_PERIODS = {"000": "2006—2010", "003": "2011—2015"}
_SECTIONS_000 = re.compile(r"^[三四]、(?:建设三大基地|创建三个品牌园区)$")
_NEXT_SECTION = re.compile(r"^[一二三四五六七八九十]+、|^第[一二三四五六七八九十]+章")
_HEADING_000 = re.compile(r"^[（(][一二三四五六七八九十][）)]建设(?P<name>.+)$")
# The first amount the paragraph states: a range "吸引投资30—50亿元" / "投入8—10亿元", or a point "投入2亿元".
_AMOUNT = re.compile(
    r"(?P<lead>吸引投资|投入|投资)(?P<low>\d+(?:\.\d+)?)(?:[—\-－~～至](?P<high>\d+(?:\.\d+)?))?(?P<unit>亿元|万元)"
)
_LAND = re.compile(r"(?:安排土地|规划)\d+(?:\.\d+)?(?:亩|平方公里)(?:土地)?")
_WORKS_003 = re.compile(r"(?:重点建设|建设|建成)(?P<name>[^，。；、的“”]{4,30}?(?:园|中心|基地))(?=[，。；])")
EXCERPT_CHARS = 120


@dataclass(frozen=True)
class Amounts:
    point: str | None
    low: str | None
    high: str | None
    text: str | None


def amounts(text: str) -> Amounts:
    """The paragraph's first stated amount: a point value, or a range's bounds (亿元)."""
    match = _AMOUNT.search(text)
    if not match:
        return Amounts(None, None, None, None)
    low = to_yi(match["low"], match["unit"])
    if match["high"] is None:
        return Amounts(low, None, None, match.group(0))
    # Every stated amount in the paragraph stays in the text ("投入8—10亿元，吸引投资15—20亿元").
    text_all = "，".join(m.group(0) for m in _AMOUNT.finditer(text))
    return Amounts(None, low, to_yi(match["high"], match["unit"]), text_all)


def _excerpt(text: str, name: str) -> str:
    """The passage from a little before the name (the paragraph's start for 000's headings)."""
    start = max(text.find(name) - 20, 0) if name in text else 0
    return text[start:start + EXCERPT_CHARS]


def _candidate(document: str, key: str, name: str, line: Line, passage: str, kind_hint: str,
               ordinal: int = 1) -> Candidate:
    money = amounts(passage)
    land = _LAND.findall(passage)
    word = status.stage_word(passage) if key == "000" else status.stage_word(line.text[:line.text.find(name)
                                                                                             + len(name)])
    return Candidate(
        code=f"{key}-L{line.no:04d}-{ordinal}",
        name=name,
        kind=facts.kind(None, kind_hint, name),
        status=status.status_for(word),
        status_text=word,
        total_investment=money.point,
        investment_text=money.text,
        investment_low=money.low,
        investment_high=money.high,
        capacity_text="；".join(land) or None,
        specificity="named_site",
        description=passage[:200] if key == "000" else None,
        plan_period=PLAN_PERIODS[key],
        sources=(Source(document, line.no, _excerpt(passage if key == "000" else line.text, name)),),
    )


def parse_000(lines: list[Line], document: str) -> list[Candidate]:
    out: list[Candidate] = []
    section: str | None = None
    for k, line in enumerate(lines):
        if _SECTIONS_000.match(line.text):
            section = line.text
            continue
        if section and _NEXT_SECTION.match(line.text):
            section = None
        heading = _HEADING_000.match(line.text) if section else None
        if heading and k + 1 < len(lines):
            # The heading names the project; the paragraph under it states land, money and stage.
            out.append(_candidate(document, "000", heading["name"], line, lines[k + 1].text, section or ""))
    return out


def parse_003(lines: list[Line], document: str) -> list[Candidate]:
    out: list[Candidate] = []
    for line in lines:
        for ordinal, match in enumerate(_WORKS_003.finditer(line.text), start=1):
            out.append(_candidate(document, "003", match["name"], line, line.text, line.text[:12], ordinal))
    return out


def parse_older(seed_dir: Path) -> list[Candidate]:
    """Projects of 000 and 003, when their texts are present."""
    out: list[Candidate] = []
    for key, parse in (("000", parse_000), ("003", parse_003)):
        for path in sorted(Path(seed_dir).glob(f"{key}_*.txt")):
            out += parse(read_lines(path.read_text(encoding="utf-8")), path.name)
    return out
