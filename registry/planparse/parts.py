"""Parts a numbered 001 item lists: a package and its works, a park and its companies.

- 001 专栏5 (3) 太原城市轨道交通项目: "主要包括轨道交通1号线一期及二期工程、2号线二期工程、3号线一期工程及R1号线
  一期工程" — four lines, each a part of the package (the package alone carries the 580.4亿元).
- 001 专栏5 (8) 俄直卡莫夫直升机产业园项目: "核心企业矩阵:A(企业总部)+B(整机厂)+…" — the park's companies.
A part has no amount of its own here, and totals never add a part to its parent (registry/queries.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_LINES = re.compile(r"主要包括(?P<list>[^。]*?号线[^。]*)。")
_LINE_SPLIT = re.compile(r"、|及(?=[A-Z]?\d+号线)")
_HEAD = re.compile(r"^(?P<head>[^\d]{2,6}?)(?=[A-Z]?\d+号线)")
_COMPANIES = re.compile(r"企业矩阵[:：](?P<list>[^。]+)。")


@dataclass(frozen=True)
class Part:
    name: str
    offset: int  # in the item's passage


def listed_parts(passage: str) -> list[Part]:
    """The parts a numbered item's passage lists, in order."""
    out: list[Part] = []
    lines = _LINES.search(passage)
    if lines:
        head_match = _HEAD.match(lines["list"])
        head = head_match["head"] if head_match else ""
        offset = lines.start("list")
        for piece in _LINE_SPLIT.split(lines["list"]):
            name = piece if piece.startswith(head) else head + piece  # "2号线二期工程" shares "轨道交通"
            out.append(Part(name, offset))
            offset += len(piece) + 1
    companies = _COMPANIES.search(passage)
    if companies:
        offset = companies.start("list")
        for piece in companies["list"].split("+"):
            if piece:
                out.append(Part(piece, offset))
            offset += len(piece) + 1
    return out
