"""Plan file name → the plan's title, as the plan text itself states it, so users read 《…》, not a file name.

Each title is copied from the opening lines of the text in the shared seeds folder (../shared/seeds/, the
plan texts the parser reads); the line numbers are cited below and tests/test_twins.py checks each title
against the file when it is present. Full-width digits and the line breaks of the PDF extraction are
normalised; no word is added. A text with no title line (a speech, a bare document number) has none here:
its source line shows the file name, or the document number the text opens with, as written."""
from __future__ import annotations

from pathlib import PurePath
from typing import NamedTuple


class PlanTitle(NamedTuple):
    title: str
    cited: str  # where in the text the title stands


PLAN_TITLES: dict[str, PlanTitle] = {
    # Line 2: "《太原高新技术产业开发区国民经济与社会发展第十一个五年规划纲要》（以下简称高新区、纲要）…"
    "000_ab9f0c7804c6ec35.txt": PlanTitle("《太原高新技术产业开发区国民经济与社会发展第十一个五年规划纲要》", "第2行"),
    # Line 2 (after a blank line): "太原市“十四五”融入国家区域发展战略规划"
    "001_68a8e69ac921afbf.txt": PlanTitle("《太原市“十四五”融入国家区域发展战略规划》", "第2行"),
    # 002 is a speech ("同志们：…") with no title line: not listed.
    # Line 1: "并政发〔2011〕6号" — the document number is all the text states about itself.
    "003_c0f041a310ae72b0.txt": PlanTitle("并政发〔2011〕6号", "第1行"),
    # Lines 1–3: "太原市国民经济和社会发展第十四个 / 五年规划和 ２０３５ 年远景目标纲要"
    "004_4fcffdc077ed2adc.txt": PlanTitle("《太原市国民经济和社会发展第十四个五年规划和2035年远景目标纲要》", "第1–3行"),
}


def plan_title(document: str) -> str | None:
    """The title for a source's document (a file name, with or without folders), or None if unknown."""
    entry = PLAN_TITLES.get(PurePath(document).name)
    return entry.title if entry else None


def plan_label(document: str) -> str:
    """What a user reads for a source: the title when known, else the document as stored."""
    return plan_title(document) or document
