"""Place names → what they denote. A longest-match scan over an index keyed by each name's first two
characters: no regex alternation, so thousands of names cost about one dictionary lookup per character."""
from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from registry.geocode.sites import Site
from registry.geocode.villages import Village, index_terms
from registry.geodata import AdminUnit, Zone

TAIYUAN = "140100"
SHANXI = "14"  # adcode prefix of Shanxi province
# Bare "示范区" also ends 西山生态文化旅游示范区 and 长风…示范区: as a lone word it would mislead.
AMBIGUOUS_ALIASES = frozenset({"示范区"})
# County-level units whose names are everyday words; alone they never name those units.
GENERIC_UNIT_NAMES = frozenset({"城区", "矿区", "郊区"})
# Outside places the plans name that have no polygon in geodata (partner regions of 长三角/粤港澳 …).
OUTSIDE_NAMES = (
    "北京", "天津", "河北", "石家庄", "雄安", "上海", "江苏", "浙江", "安徽", "南京", "苏州", "杭州", "合肥",
    "蚌埠", "广东", "广州", "深圳", "香港", "澳门", "珠海", "东莞", "佛山", "陕西", "西安", "榆林", "绥德",
    "内蒙古", "呼和浩特", "河南", "郑州", "山东", "济南", "青岛", "宁夏", "银川", "甘肃", "兰州",
)


@dataclass(frozen=True)
class Entry:
    term: str
    kind: str  # county | township | zone | city | outside | site | village | word
    code: str  # adcode, zone code, site code, outside name, or village codes (several: ambiguous, ";"-joined)
    rank: int  # higher wins ties between overlapping matches of equal length
    zone: str | None = None  # a statistical unit that is a development zone (NBS lists zones as "streets")
    short: bool = False  # a short form (阳曲 for 阳曲县, 河北 for 河北省): checked for word boundaries
    beyond_shanxi: bool = False  # outside Shanxi province: a plan item goes there only for a stated reason


@dataclass(frozen=True)
class Match:
    start: int
    entry: Entry


def normalise(text: str) -> str:
    """Fullwidth → halfwidth, PDF punctuation (ꎬꎮꎻ) → Chinese, spaces removed."""
    text = unicodedata.normalize("NFKC", text)
    return text.replace("ꎬ", "，").replace("ꎮ", "。").replace("ꎻ", "；").replace(" ", "")


def _short_county(name: str) -> str | None:
    for suffix in ("区", "县", "市"):
        if name.endswith(suffix) and len(name) > 2:
            return name[: -len(suffix)]
    return None


class Gazetteer:
    def __init__(self, entries: Iterable[Entry]) -> None:
        by_term: dict[str, Entry] = {}
        for entry in entries:
            if len(entry.term) < 2:
                continue
            kept = by_term.get(entry.term)
            if kept is None or entry.rank > kept.rank:
                by_term[entry.term] = entry
        self.entries = by_term
        index: dict[str, list[Entry]] = defaultdict(list)
        for entry in by_term.values():
            index[entry.term[:2]].append(entry)
        self._index = {ch: sorted(es, key=lambda e: -len(e.term)) for ch, es in index.items()}

    @classmethod
    def build(cls, units: Iterable[AdminUnit], zones: Iterable[Zone], townships: Path | None,
              sites: Iterable[Site] = (), villages: Iterable[Village] = ()) -> Gazetteer:
        entries: list[Entry] = []
        county_codes: set[str] = set()
        for unit in units:
            taiyuan = unit.parent == TAIYUAN
            if unit.adcode == TAIYUAN:
                entries += [Entry("太原市", "city", TAIYUAN, 1), Entry("太原", "city", TAIYUAN, 0, short=True)]
                continue
            if unit.name in GENERIC_UNIT_NAMES:
                continue  # 阳泉's 城区/矿区/郊区: in a Taiyuan plan "城区北段" is Taiyuan's own urban area
            kind = "county" if taiyuan and unit.level == "county" else "outside"
            beyond = not unit.adcode.startswith(SHANXI)
            county_codes.add(unit.adcode)
            entries.append(Entry(unit.name, kind, unit.adcode, 3, beyond_shanxi=beyond))
            short = _short_county(unit.name)
            if short:
                entries.append(Entry(short, kind, unit.adcode, 2, short=True, beyond_shanxi=beyond))
        for zone in zones:
            for term in (zone.name, *zone.aliases):
                if term not in AMBIGUOUS_ALIASES:
                    entries.append(Entry(term, "zone", zone.code, 4))
        entries += [Entry(name, "outside", name, 1, short=True, beyond_shanxi=True) for name in OUTSIDE_NAMES]
        entries += [Entry(word, "word", word, 9) for word in NOT_PLACES]
        # A named site (晋祠) outranks a township's short form of the same spelling (晋祠 for 晋祠镇).
        entries += [Entry(term, "site", site.code, 6) for site in sites for term in site.terms]
        if townships is not None and townships.exists():
            zones_only = cls(e for e in entries if e.kind == "zone")
            entries += [_with_zone(e, zones_only) for e in _township_entries(townships)]
        # Last and at the lowest rank: a village never takes a name the list above already gives a meaning.
        entries += [Entry(term, "village", ";".join(codes), -1, short=bare)
                    for term, (codes, bare) in index_terms(villages).items() if not _generic_village(term)]
        return cls(entries)

    def _longest_at(self, text: str, i: int) -> Entry | None:
        for entry in self._index.get(text[i:i + 2], ()):
            if text.startswith(entry.term, i):
                return entry
        return None

    def scan(self, text: str) -> list[Match]:
        """Leftmost-longest, non-overlapping matches of place names, with word boundaries for short forms:
        a short form that a longer name overlaps (向阳|阳曲), or that names a street (迎泽|西大街), is no
        place. Non-place words (汾河 in 汾河北段) are matched too so they hide the short forms inside them,
        and are left out of the result."""
        out: list[Match] = []
        i, n = 0, len(text)
        while i < n:
            found = self._longest_at(text, i)
            if found is None:
                i += 1
                continue
            end = i + len(found.term)
            if found.short and self._overlapped(text, i, found):
                i += 1
                continue
            # A township's short form before 路 is kept: 坞城路 runs in 坞城街道, the street its name came from.
            street = found.short and found.kind != "township" and STREET_AFTER.match(text, end)
            if found.kind != "word" and not street:
                out.append(Match(i, found))
            i = end
        return out

    def _overlapped(self, text: str, start: int, found: Entry) -> bool:
        """Whether a full name, a non-place word or a stronger short form (a county's over a township's)
        starts inside the short form `found` at `start` and runs past its end."""
        end = start + len(found.term)
        for j in range(start + 1, end):
            other = self._longest_at(text, j)
            if other is not None and j + len(other.term) > end and (not other.short or other.rank > found.rank):
                return True
        return False


def _with_zone(entry: Entry, zones_only: Gazetteer) -> Entry:
    """A township-level unit named after a zone (太原中北高新技术产业开发区) places both zone and county."""
    found = zones_only.scan(entry.term)
    return Entry(entry.term, entry.kind, entry.code, entry.rank, found[0].entry.code) if found else entry


# Words that contain a place's short form but are no place (汾河北段 is not 河北, 汾河南段 not 河南): found in
# the plan texts by scanning every short-form match with its neighbours (rivers, companies, common words).
NOT_PLACES = ("汾河", "黄河", "潇河", "天和顺", "平台", "和平与发展", "蟠桃园")
# A short form followed by a street word names the street (迎泽大街, 迎泽西大街, 和平北路, 长治路), not the place.
STREET_AFTER = re.compile(r"[东西南北中]?(?:大街|大道|街(?!道)|路|巷|桥|公园)")

# Short forms that are also everyday words in project names (中心, 新建 …) or city nicknames (龙城): a
# township's short form is used only when it names nothing else.
GENERIC_SHORT_FORMS = frozenset({"中心", "新建", "新城", "滨河", "龙城", "东山", "西山", "城西", "城东", "城南",
                                 "城北", "路西", "路东", "南城", "北城", "东城", "西城", "新村", "新华"})
_TOWNSHIP_SUFFIXES = ("街道办事处", "街道", "镇", "乡")


def _generic_village(term: str) -> bool:
    """新建社区 (000: "加大对新建社区基础设施的改造") is an everyday phrase before it is a community's name."""
    return term.removesuffix("社区").removesuffix("村") in GENERIC_SHORT_FORMS


def _short_township(name: str) -> str | None:
    for suffix in _TOWNSHIP_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            short = name[: -len(suffix)]
            return None if short in GENERIC_SHORT_FORMS else short
    return None


def _township_entries(path: Path) -> list[Entry]:
    """Township and street names from the statistics division list; a name shared by two counties is
    ambiguous and left out (it would place a project by chance)."""
    counties: dict[str, set[str]] = defaultdict(set)
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            # 140171 is the reform zone's statistical code, not a county: its "streets" (学府园区街道 …)
            # are the zone's parks, which the zone names already place.
            if row["county_adcode"] != "140171":
                counties[row["name"]].add(row["county_adcode"])
    entries = []
    shorts: dict[str, set[str]] = defaultdict(set)
    for name, codes in counties.items():
        short = _short_township(name)
        if short:
            shorts[short] |= codes
        if len(codes) != 1:
            continue
        code = next(iter(codes))
        kind = "township" if code.startswith("1401") else "outside"
        entries.append(Entry(name, kind, code, 5))
    # Short forms (晋祠 for 晋祠镇) only inside Taiyuan and only when one county has them; rank 1 lets a
    # county's own short form (阳曲 for 阳曲县, not 阳曲镇 of 尖草坪区) win.
    for short, codes in shorts.items():
        if len(codes) == 1 and next(iter(codes)).startswith("1401"):
            entries.append(Entry(short, "township", next(iter(codes)), 1, short=True))
    return entries
