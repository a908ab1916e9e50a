"""Raw items of a plan: numbered box items (001 style), name lists (004 style), and body-text lists.

Three shapes occur:
- numbered: "(1)阳曲大盂—盂县(晋冀界)高速公路项目。总投资约120亿元…" or "1.中国长城…基地项目。…",
  with "1.基础设施建设" group lines when items use "(n)";
- listed: "信创产业。重点推进山西信创产业园、长城智能制造(山西)基地…等项目建设。";
- named areas: "汾河北段片区:结合滨河两岸…" (专栏5-1 logistics parks, 7-1 片区).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from registry.planparse import extras
from registry.planparse.boxes import Box
from registry.planparse.normalize import Line

_PAREN_ITEM = re.compile(r"^\((?P<n>\d+)\)")
_DOT_ITEM = re.compile(r"^(?P<n>\d+)\.(?!\d)")
_DOT_GROUP = re.compile(r"^\d+\.(?P<group>[^。，；]{2,16})$")
_GROUP_HEAD = re.compile(r"^(?P<head>[^，。:：、]{2,24})。(?P<rest>.*)$", re.DOTALL)
# …and ends where the plan says what the names are: 等项目建设, 等一批新学校, 等企业搬迁改造, 项目建设.
_LIST_END = re.compile(r"(?<!高)等[^，。；、]{0,14}?(?:项目|建设|改造|学校|景区|工程|治理)|项目建设")
_NAMED_AREA = re.compile(r"^(?P<name>[^，。；、:：]{2,20})[:：]")

_LEADING_VERB = re.compile(r"^(?:重点推进|重点实施|重点创建|加快推进|推进|实施|建成|完成|布局建设|建设|开展)")
_TRAILING = re.compile(r"(?:等.*|项目建设|的?建设|项目|及配套设施|上游生态修复)$")


# Body text names many programmes; only names ending like a site or a works are projects.
CONCRETE_NAME = re.compile(
    r"(?:园|园区|基地|中心|厂|站|城|场|馆|院|校|小镇|片区|广场|矿|公园|工程|项目|机场|高铁|铁路|公路|专线|"
    r"管廊|大道|大街|东延|北延|南延|西延|改造|扩建|迁建|景区|博物院|总部|产业园|示范区|号线|[一二三四]期)(?:\([^)]*\))?$"
)
# "国际领先的…研发基地", "全国重要的…基地": aims, not sites.
_SLOGAN = re.compile(r"的")


@dataclass(frozen=True)
class RawItem:
    name: str
    text: str  # the item's whole passage (numbered) or its list sentence (listed)
    line: int  # original line where the item's name starts
    group: str | None
    ordinal: str  # "03" for numbered items, "007" for listed ones
    shape: str  # numbered | listed | named_area | part
    parent: str | None = None  # name of the item this one is a listed part of (专栏7-1 片区 → its sites)


@dataclass(frozen=True)
class Paragraph:
    text: str
    lines: tuple[Line, ...]

    def line_of(self, offset: int) -> int:
        """Original line number holding character `offset` of the joined text."""
        seen = 0
        for line in self.lines:
            seen += len(line.text)
            if offset < seen:
                return line.no
        return self.lines[-1].no


def paragraphs(lines: list[Line]) -> list[Paragraph]:
    """Group lines into paragraphs: a line after one ending in 。 starts a new paragraph."""
    out: list[list[Line]] = []
    for line in lines:
        if not out or out[-1][-1].text.endswith("。") or line.indented:
            out.append([line])
        else:
            out[-1].append(line)
    return [Paragraph("".join(x.text for x in group), tuple(group)) for group in out]


def group_paragraphs(lines: list[Line]) -> list[Paragraph]:
    """Paragraphs that open with a "Heading。"; a sentence that merely ended at a line end is re-joined."""
    merged: list[Paragraph] = []
    for para in paragraphs(lines):
        if merged and not _GROUP_HEAD.match(para.text):
            last = merged[-1]
            merged[-1] = Paragraph(last.text + para.text, last.lines + para.lines)
        else:
            merged.append(para)
    return merged


def numbered_items(box: Box) -> list[RawItem]:
    """Items of a 001-style box. A box with no numbers at all is one item."""
    lines = box.lines
    uses_paren = any(_PAREN_ITEM.match(line.text) for line in lines)
    marker = _PAREN_ITEM if uses_paren else _DOT_ITEM
    starts: list[tuple[int, str, str | None]] = []  # (index, number, group)
    group: str | None = None
    for index, line in enumerate(lines):
        group_match = _DOT_GROUP.match(line.text) if uses_paren else None
        if group_match:
            group = group_match["group"]
            continue
        match = marker.match(line.text)
        if match:
            starts.append((index, match["n"], group))
    if not starts:
        starts = [(0, "1", None)]
    items: list[RawItem] = []
    for k, (index, number, item_group) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
        chunk = [line for line in lines[index:end] if not (uses_paren and _DOT_GROUP.match(line.text))]
        text = marker.sub("", "".join(line.text for line in chunk), count=1)
        name = text.split("。", 1)[0]
        items.append(RawItem(name, text, chunk[0].no, item_group, f"{int(number):02d}", "numbered"))
    return items


_SEGMENT_VERB = re.compile(r"(?:^|[，])(?P<verb>重点推进|重点实施|重点创建|加快推进|推进|建成|实施|完成)")
# Bare stems share the type word stated once: "柴家寨、张花营、东峰、西寨220千伏输变电工程".
_SHARED_TYPE = re.compile(r"(?P<type>\d+(?:\.\d+)?千伏[^、，]*?(?:工程|线路)|智能化工作面)$")
_WORKS_END = re.compile(r"(?:建设|改扩建|扩建)$")
_NOT_A_NAME = re.compile(r"一批|近百项|升格|\d+[—-]\d+[个家]")
_RANGE_LABEL = re.compile(r"^[一二三四五六七八九十多]+[^，。:：]{0,4}[:：](?P<list>.+)$")
_RADIAL = re.compile(r"^向.{1,3}放射的")


def _clean_name(piece: str) -> str:
    piece = _LEADING_VERB.sub("", piece.strip())
    previous = None
    while previous != piece:
        previous, piece = piece, _TRAILING.sub("", piece)
    return piece.strip("“”\"")


def _share_type(names: list[str], terminator: str) -> list[str]:
    """Give bare stems (≤5 characters) the type word their run states once, at its end."""
    stated = _SHARED_TYPE.search(names[-1]) if names else None
    found = stated or _SHARED_TYPE.search(terminator)
    if not found:
        return names
    kind = found["type"]
    return [name if len(name) > 5 or name.endswith(kind) else name + kind for name in names]


def _segment_names(segment: str) -> list[tuple[str, int]]:
    ends = list(_LIST_END.finditer(segment))
    if ends:
        if "近百项" in ends[-1].group(0):
            return []
        span = segment[: ends[-1].end()]
    elif segment.startswith(("建成", "重点推进", "加快推进")):
        # No 等-list: one works named up to the clause end ("重点推进太原武宿机场三期扩建工程及配套设施建设").
        span = segment.split("，", 1)[0]
        if not (segment.startswith("建成") or _WORKS_END.search(span)):
            return []
    else:
        return []
    out: list[tuple[str, int]] = []
    for run_offset, run in _split_keep_offsets(span, "，"):
        end = _LIST_END.search(run)
        body, terminator = (run[: end.start()], end.group(0)) if end else (run, "")
        pieces: list[tuple[str, int]] = []
        for piece_offset, piece in _split_keep_offsets(body, "、"):
            name = _clean_name(piece)
            if len(name) >= 2 and not _NOT_A_NAME.search(name):
                pieces.append((name, run_offset + piece_offset + max(piece.find(name[:2]), 0)))
        names = _share_type([name for name, _ in pieces], terminator)
        out.extend((name, where) for name, (_, where) in zip(names, pieces, strict=True))
    return out


def list_names(sentence: str) -> list[tuple[str, int]]:
    """Names in "重点推进A、B、C等项目建设" clauses of one sentence, each with its offset."""
    out: list[tuple[str, int]] = []
    for clause_offset, clause in _split_keep_offsets(sentence, "；"):
        verbs = list(_SEGMENT_VERB.finditer(clause))
        for k, verb in enumerate(verbs):
            start = verb.start("verb")
            stop = verbs[k + 1].start() if k + 1 < len(verbs) else len(clause)
            for name, where in _segment_names(clause[start:stop]):
                out.append((name, clause_offset + start + where))
    return out


def range_names(sentence: str) -> list[tuple[str, int]]:
    """ "五横:太绥高铁、太中银铁路…" — numbered-range labels of network boxes (专栏7-4, 11-1)."""
    match = _RANGE_LABEL.match(sentence)
    if not match:
        return []
    out: list[tuple[str, int]] = []
    offset = match.start("list")
    for piece in re.split(r"([、，])", match["list"]):
        name = _RADIAL.sub("", piece.strip())
        if name.startswith("包括"):
            break  # a description of the range follows, not more names
        if piece not in ("、", "，") and len(name) >= 2:
            out.append((name, offset + piece.find(name[:2])))
        offset += len(piece)
    return out


def _split_keep_offsets(text: str, sep: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    offset = 0
    for part in text.split(sep):
        out.append((offset, part))
        offset += len(part) + len(sep)
    return out


def _sentences(text: str) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    offset = 0
    for sentence in text.split("。"):
        out.append((sentence, offset))
        offset += len(sentence) + 1
    return out


def listed_items(box: Box) -> list[RawItem]:
    """Names listed under group headings of a 004-style box, numbered through the box; what the list
    pattern misses (planparse/extras.py) is numbered after, so earlier codes keep their numbers."""
    items: list[RawItem] = []
    late: list[tuple[str, str, int, str | None, str, str | None]] = []  # name, text, line, group, shape, parent
    for para in group_paragraphs(box.lines):
        head = _GROUP_HEAD.match(para.text)
        group = head["head"] if head else None
        body_offset = head.start("rest") if head else 0
        body = para.text[body_offset:]
        for sentence, s_offset in _sentences(body):
            where_sentence = body_offset + s_offset
            ranged = range_names(sentence) if group and group.startswith("“") else []
            for name, n_offset in ranged:
                line = para.line_of(where_sentence + n_offset)
                items.append(_raw(name, sentence, line, group, len(items), "listed"))
            if ranged:
                continue
            named = _NAMED_AREA.match(sentence)
            if named:
                where = body_offset + s_offset
                items.append(_raw(named["name"], sentence, para.line_of(where), group, len(items), "named_area"))
                passage_at = named.end()
                for part in extras.area_parts(sentence[passage_at:], named["name"]):
                    line = para.line_of(where + passage_at + part.offset)
                    late.append((part.name, sentence, line, group, "part", part.parent))
                continue
            listed = list_names(sentence)
            for k, (name, n_offset) in enumerate(listed):
                where = body_offset + s_offset + n_offset
                following = listed[k + 1][0] if k + 1 < len(listed) else None
                pair = extras.split_pair(name, following)
                if pair:
                    name = pair[0]
                    late.append((pair[1], sentence, para.line_of(where + len(name) + 1), group, "listed", None))
                items.append(_raw(name, sentence, para.line_of(where), group, len(items), "listed"))
            for extra in extras.sentence_extras(sentence):
                line = para.line_of(body_offset + s_offset + extra.offset)
                late.append((extra.name, sentence, line, group, "listed", None))
    seen = {item.name for item in items}
    for name, text, line, group, shape, parent in late:
        if name not in seen:
            seen.add(name)
            items.append(RawItem(name, text, line, group, f"{len(items) + 1:03d}", shape, parent))
    return items


def _raw(name: str, text: str, line: int, group: str | None, count: int, shape: str) -> RawItem:
    return RawItem(name, text, line, group, f"{count + 1:03d}", shape)


def body_items(lines: list[Line]) -> list[RawItem]:
    """Named works listed in body text ("重点推进太原武宿机场三期扩建工程…"); ordinals count per line."""
    items: list[RawItem] = []
    per_line: dict[int, int] = {}
    late: list[tuple[str, str, int]] = []  # second works of a pair: numbered after the line's items
    for para in paragraphs(lines):
        for sentence, s_offset in _sentences(para.text):
            listed = list_names(sentence)
            for k, (name, n_offset) in enumerate(listed):
                if not CONCRETE_NAME.search(name) or _SLOGAN.search(name):
                    continue  # a slogan or programme, not a named site or works
                line = para.line_of(s_offset + n_offset)
                pair = extras.split_pair(name, listed[k + 1][0] if k + 1 < len(listed) else None)
                if pair:
                    name = pair[0]
                    late.append((pair[1], sentence, para.line_of(s_offset + n_offset + len(name) + 1)))
                per_line[line] = per_line.get(line, 0) + 1
                items.append(RawItem(name, sentence, line, None, f"{per_line[line]}", "body"))
    for name, sentence, line in late:
        per_line[line] = per_line.get(line, 0) + 1
        items.append(RawItem(name, sentence, line, None, f"{per_line[line]}", "body"))
    return items


def box_items(box: Box) -> list[RawItem]:
    """Numbered boxes (any "(n)"/"n." item line) are read as such; the rest as name lists."""
    numbered = any(_PAREN_ITEM.match(x.text) or _DOT_ITEM.match(x.text) for x in box.lines[:2])
    if numbered or _looks_like_single_item(box):
        return numbered_items(box)
    return listed_items(box)


def _looks_like_single_item(box: Box) -> bool:
    """001 专栏3: one unnumbered project whose first sentence is its name and the next its 总投资."""
    opening = "".join(line.text for line in box.lines[:2])
    return "。总投资" in opening and "重点推进" not in opening
