"""Find the 专栏 boxes of a plan, including boxes split across pages with their title repeated.

A box has no closing marker in the extracted text. It ends at the next heading (第X章/节, (一),
一、, another 专栏) or — in documents that set boxes in a smaller font — at the first body-width
paragraph start: an indented line no wider than body text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from registry.planparse.normalize import Line

_TITLE = re.compile(r"^专栏(?P<code>\d+(?:[-－]\d+)?)(?P<title>\S.*)$")
_HEADING = re.compile(r"^(?:第[一二三四五六七八九十]+[章节]|\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、)")
_ITEM_MARK = re.compile(r"^(?:\(\d+\)|\d+\.)")
# Body text runs ~29 characters a line; boxes in 004 run 34–41. Indented lines at body width end a box.
_BODY_WIDTH = 31


@dataclass
class Box:
    code: str  # "1", "3-2"
    title: str  # "融入京津冀重点合作项目"
    title_line: int
    lines: list[Line] = field(default_factory=list)
    title_lines: list[int] = field(default_factory=list)  # every (repeated) title line

    @property
    def label(self) -> str:
        return f"专栏{self.code} {self.title}"


def box_title(line: Line) -> tuple[str, str] | None:
    match = _TITLE.match(line.text)
    if not match:
        return None
    return match["code"].replace("－", "-"), match["title"]


def _ends_box(line: Line, first: bool, previous: Line | None, small_font: bool) -> bool:
    if _HEADING.match(line.text):
        return True
    if first or _ITEM_MARK.match(line.text):
        return False
    if line.indented and line.raw_width <= _BODY_WIDTH:
        return True
    # A paragraph that wraps at body width cannot be inside a small-font box.
    starts_paragraph = previous is not None and previous.text.endswith("。")
    wraps = not line.text.endswith("。")
    return small_font and starts_paragraph and wraps and line.raw_width <= _BODY_WIDTH


def find_boxes(lines: list[Line]) -> list[Box]:
    """Boxes in document order; a repeated title continues the box of the same code."""
    boxes: list[Box] = []
    current: Box | None = None
    first = False
    for line in lines:
        title = box_title(line)
        if title:
            code, text = title
            if boxes and boxes[-1].code == code:
                current = boxes[-1]  # page break: the title is printed again
            else:
                current = Box(code=code, title=text, title_line=line.no)
                boxes.append(current)
            current.title_lines.append(line.no)
            first = True
            continue
        if current is None:
            continue
        small_font = bool(current.lines) and current.lines[0].raw_width > _BODY_WIDTH
        previous = current.lines[-1] if current.lines and not first else None
        if _ends_box(line, first, previous, small_font):
            current = None
            continue
        current.lines.append(line)
        first = False
    return boxes


def box_line_numbers(boxes: list[Box]) -> set[int]:
    """Line numbers inside any box (titles included): what body-text extraction must skip."""
    return {n for box in boxes for n in [*box.title_lines, *(line.no for line in box.lines)]}
