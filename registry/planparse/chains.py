"""The industry-chain taxonomy of 004 as ONE tree: clusters (专栏3-1…3-4) with their groups, and the
千亿级/百亿级/未来 chains (专栏3-5…3-7) with the 上游/中游/下游 segments each box names.

A cluster group that is the same industry as a chain (信创产业 / 信创产业链) is not a second node: the chain
sits under the cluster in the group's place and cites both paragraphs, so a project is tagged once and
counted once, and a short name (信创) names one node.
Names and lines come from the text; the short ASCII codes are ours and must stay stable.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from registry.planparse.boxes import Box
from registry.planparse.items import Paragraph, group_paragraphs

CLUSTER_CODES: dict[str, str] = {
    "新一代信息技术产业集群": "nextgen_it",
    "高端装备制造产业集群": "hi_equipment",
    "新材料合成加工产业集群": "new_materials",
    "高品质消费品产业集群": "consumer_goods",
}
CLUSTER_GROUP_CODES: dict[str, str] = {
    "新型电子信息产品制造": "electronics", "信创产业": "xinchuang", "软件和信息技术服务": "software",
    "轨道交通": "rail", "煤机装备": "coal_machinery", "新能源汽车": "nev", "重型装备": "heavy",
    "节能环保装备": "green_equipment", "通用航空": "aviation",
    "先进金属材料": "metals", "前沿新材料": "frontier", "新型化工材料": "chemicals", "生物基材料": "biobased",
    "生物医药": "pharma", "酿造": "brewing", "食品加工": "food", "服装加工": "apparel",
}
CHAIN_CODES: dict[str, str] = {
    "特种金属材料产业链": "special_metals", "电子信息产品制造产业链": "electronics_mfg",
    "新型化工材料产业链": "chem_materials", "生物基新材料产业链": "biobased_materials",
    "轨道交通产业链": "rail_transit", "工业机器人产业链": "industrial_robot",
    "新能源汽车产业链": "nev_chain", "节能环保装备产业链": "green_equipment_chain",
    "信创产业链": "xinchuang_chain", "物联网产业链": "iot", "新一代半导体产业链": "semiconductor",
    "通用航空产业链": "general_aviation",
}
# A cluster group and a chain of the same industry: one node (the chain), placed under the cluster.
GROUP_CHAIN: dict[str, str] = {
    "信创产业": "xinchuang_chain", "新型电子信息产品制造": "electronics_mfg", "轨道交通": "rail_transit",
    "新能源汽车": "nev_chain", "节能环保装备": "green_equipment_chain", "通用航空": "general_aviation",
    "先进金属材料": "special_metals", "新型化工材料": "chem_materials", "生物基材料": "biobased_materials",
}
TIERS: dict[str, str] = {"3-5": "千亿级", "3-6": "百亿级", "3-7": "未来"}
_SEGMENT_CODES = {"上游": "upstream", "中游": "midstream", "下游": "downstream"}
_SEGMENT = re.compile(r"(?P<seg>上游|中游|(?<!上)下游)(?P<layer>感知层|基础层|应用层)?")
_HEAD = re.compile(r"^(?P<head>[^，。:：、]{2,24})。")


Source = tuple[str, int, str]  # document, line, excerpt


@dataclass(frozen=True)
class ChainNode:
    code: str
    name: str
    level: str  # cluster | chain | segment
    tier: str | None
    parent: str | None
    sources: tuple[Source, ...]

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code, "name": self.name, "level": self.level, "tier": self.tier,
            "parent": self.parent,
            "sources": [{"document": d, "line": n, "excerpt": e} for d, n, e in self.sources],
        }


def cluster_name(box_title: str) -> str | None:
    return next((name for name in CLUSTER_CODES if box_title.startswith(name)), None)


def chain_codes_for(box: Box, group: str | None) -> list[str]:
    """Chain/segment codes for an item listed in `box` under `group`."""
    cluster = cluster_name(box.title)
    if cluster and group in CLUSTER_GROUP_CODES:
        return [GROUP_CHAIN.get(group) or f"{CLUSTER_CODES[cluster]}.{CLUSTER_GROUP_CODES[group]}"]
    if box.code in TIERS and group in CHAIN_CODES:
        return [CHAIN_CODES[group]]
    return []


def _excerpt(text: str) -> str:
    return text[:120]


def _cluster_nodes(box: Box, document: str, merged: dict[str, tuple[str, Source]]) -> list[ChainNode]:
    """The cluster and its groups; a group that is a chain is recorded in `merged` (chain code → (cluster,
    the group's paragraph)) instead of becoming a node of its own."""
    name = cluster_name(box.title)
    if not name:
        return []
    code = CLUSTER_CODES[name]
    nodes = [ChainNode(code, name, "cluster", None, None, ((document, box.title_line, _excerpt(box.label)),))]
    for para in group_paragraphs(box.lines):
        head = _HEAD.match(para.text)
        if not head or head["head"] not in CLUSTER_GROUP_CODES:
            continue
        source = (document, para.lines[0].no, _excerpt(para.text))
        if head["head"] in GROUP_CHAIN:
            merged[GROUP_CHAIN[head["head"]]] = (code, source)
            continue
        sub = f"{code}.{CLUSTER_GROUP_CODES[head['head']]}"
        nodes.append(ChainNode(sub, head["head"], "segment", None, code, (source,)))
    return nodes


def _chain_nodes(box: Box, document: str, paragraphs: list[Paragraph],
                 merged: dict[str, tuple[str, Source]]) -> list[ChainNode]:
    tier = TIERS[box.code]
    nodes: list[ChainNode] = []
    for para in paragraphs:
        head = _HEAD.match(para.text)
        if not head or head["head"] not in CHAIN_CODES:
            continue
        code = CHAIN_CODES[head["head"]]
        parent, group_source = merged.get(code, (None, None))
        sources: tuple[Source, ...] = ((document, para.lines[0].no, _excerpt(para.text)),)
        nodes.append(ChainNode(code, head["head"], "chain", tier, parent,
                               sources + ((group_source,) if group_source else ())))
        seen: set[str] = set()
        for match in _SEGMENT.finditer(para.text):
            if match["seg"] in seen:
                continue
            seen.add(match["seg"])
            where = match.start()
            nodes.append(ChainNode(f"{code}.{_SEGMENT_CODES[match['seg']]}", match.group(0), "segment", tier, code,
                                   ((document, para.line_of(where), _excerpt(para.text[where:])),)))
    return nodes


def chain_tree(boxes: list[Box], document: str) -> list[ChainNode]:
    """Clusters then chains, in box order (the cluster boxes come first in 004, so a merged chain finds
    its cluster; a chain whose cluster box is missing stays a root)."""
    nodes: list[ChainNode] = []
    merged: dict[str, tuple[str, Source]] = {}
    for box in boxes:
        if cluster_name(box.title):
            nodes += _cluster_nodes(box, document, merged)
        elif box.code in TIERS:
            nodes += _chain_nodes(box, document, group_paragraphs(box.lines), merged)
    return nodes
