"""Box items the list pattern ("重点推进A、B等项目建设") misses, each rule written for a wording the 004 boxes use.

Found items are numbered after the box's list items, so codes the seeds already carry never shift:
- pairs joined by 和/及 that name two works: "大地紫晶绿色光储产业园及太原新基建大数据共享平台" (专栏3-1),
  "山大附中万柏林校区和晋源学校" (12-2), "东峰路二级加压站和康西路…给水管线改扩建" (7-3), "晋阳湖和虎峪河" (10-1), and in the body
  "综改示范区磁浮和迎泽大街东延" (l.2648);
- single works after 建设/开发/完成/推进 ("建设北斗卫星导航产业园" 3-7, "开发王封一线天旅游景区" 11-1,
  "完成太原学院第三期工程建设" 12-2, "全力推进太原人力资源服务产业园建设" 12-1);
- the second list of a sentence ("…等5A级景区和太山、青龙古镇4A级景区" 11-1), split stems
  ("职业教育园区南部、北部小镇" 12-2), laboratories named by field ("培育建设半导体光电、…等国家重点实验室" 2-2);
- the named sites inside a 片区's passage (专栏7-1): they are parts of that 片区 (`parent`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# A pair is two works when both halves end like one and the second is no activity of the first
# ("长城电源总部和研发制造基地", "…送出工程和配套线路改造工程" stay one item).
_PAIR = re.compile(r"^(?P<a>.{2,}?(?:园|站|校区|学校|湖|基地|中心|磁浮))(?:和|及)(?P<b>(?!研发|生产|配套|改造|临床|其).{2,})$")
_PAIR_SECOND = re.compile(r"(?:平台|学校|河|路|[东南西北]延)$")
_ROAD_STEM = re.compile(r"^.{2,4}[路街]$")
# "东峰路二级加压站和康西路、滨河东路南延给水管线改扩建": the bare road shares the next item's works.
_SHARED_WORKS = re.compile(r"(?P<works>给水管线改扩建|给水管线)$")


def split_pair(name: str, following: str | None) -> tuple[str, str] | None:
    """(first, second) when `name` joins two works with 和/及, else None."""
    match = _PAIR.match(name)
    if not match or not _PAIR_SECOND.search(match["b"]):
        return None
    second = match["b"]
    if _ROAD_STEM.match(second):
        works = _SHARED_WORKS.search(following or "")
        if not works:
            return None
        second += works["works"]
    return match["a"], second


@dataclass(frozen=True)
class Extra:
    name: str
    offset: int  # in the sentence
    parent: str | None = None  # the named area this site lies in (专栏7-1)


# "建设北斗卫星导航产业园，" / "开发王封一线天旅游景区，" / "建设西山生态文化旅游示范区、晋源文旅融合示范区。"
_SINGLE = re.compile(
    r"(?:^|[，；])(?:全力推进|推进|完成|开发|建设)(?P<list>[^，；。的]{4,40}?"
    r"(?:产业园|示范区|景区|工程|小镇))(?:建设)?(?=$|[，；])"
)
# "…等5A级景区和太山、青龙古镇4A级景区"
_SECOND_LIST = re.compile(r"等\dA级景区和(?P<list>[^，。；]+?)\dA级景区")
# "推进职业教育园区南部、北部小镇建设"
_SPLIT_STEMS = re.compile(r"推进(?P<pre>[^，。；]{2,8}?)(?P<a>[东南西北]部)、(?P<b>[东南西北]部)(?P<kind>小镇)")
# "培育建设半导体光电、…、煤基能源清洁高效利用等国家重点实验室" (专栏2-2): one laboratory per field.
_LABS = re.compile(r"培育建设(?P<list>[^。]+?)等(?P<kind>国家重点实验室|省级重点实验室|省级工程技术研究中心)")
_NOT_NAMED = re.compile(r"一批|^\d")


def _names(text: str, start: int) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    offset = start
    for piece in text.split("、"):
        if len(piece) >= 2 and not _NOT_NAMED.search(piece):
            out.append((piece, offset))
        offset += len(piece) + 1
    return out


def sentence_extras(sentence: str) -> list[Extra]:
    """Named works of a list sentence that the 等-list pattern does not read."""
    out: list[Extra] = []
    for match in _LABS.finditer(sentence):
        # The list is one sentence broken over lines: "…辐射防护与安全、…" — names are the fields + the kind.
        out += [Extra(name + match["kind"], where) for name, where in _names(match["list"], match.start("list"))]
    if out:
        return out
    for match in _SECOND_LIST.finditer(sentence):
        out += [Extra(n, w) for n, w in _names(match["list"], match.start("list"))]
    split_at: set[int] = set()
    for match in _SPLIT_STEMS.finditer(sentence):
        split_at.add(match.start("pre"))
        for key in ("a", "b"):
            out.append(Extra(match["pre"] + match[key] + match["kind"], match.start(key)))
    for match in _SINGLE.finditer(sentence):
        if "等" in match["list"] or match.start("list") in split_at:
            continue  # an 等-list (the list pattern's business) or split stems (read above)
        out += [Extra(n, w) for n, w in _names(match["list"], match.start("list"))]
    return out


# Inside a 片区's passage (专栏7-1): "重点建设府城文道", "活化拱极门、东三道巷历史文化街区", "激活钟楼街商圈",
# "重点推进晋祠、明太原县城、天龙山、龙山、太山等景区连片打造", "东岸重点布局建设中央绿轴、会展中心、金融科创中心等项目".
_AREA_CLAUSE = re.compile(
    r"^(?:[东西]岸)?(?:(?:重点)?布局建设|重点推进)(?P<list>[^，；]+?)等(?:景区|项目)"
    r"|^(?:重点建设|活化|激活|改造|提升)(?P<plain>[^，；]+?)(?P<kind>历史文化街区)?$"
)
# What a plain clause names must end like a site ("提升岸线活力" names none).
_SITE_END = re.compile(r"(?:商圈|街区|文道|基地)$")


def area_parts(passage: str, area: str) -> list[Extra]:
    """Named sites inside a named area's passage ("晋祠片区:重点推进晋祠、…等景区连片打造"), parent = area."""
    out: list[Extra] = []
    offset = 0
    for clause in re.split(r"([，；])", passage):
        match = _AREA_CLAUSE.match(clause)
        if match and match["list"]:
            out += [Extra(n, offset + w, area) for n, w in _names(match["list"], match.start("list"))]
        elif match:
            kind = match["kind"] or ""
            names = [(n + kind, w) for n, w in _names(match["plain"], match.start("plain"))]
            out += [Extra(n, offset + w, area) for n, w in names if _SITE_END.search(n)]
        offset += len(clause)
    return out
