"""Undo the PDF-extraction artefacts of the plan texts, keeping original line numbers.

The seed texts hold fullwidth digits/letters (`１２０`, `Ｕ`), the private-use-looking
punctuation ꎬ/ꎮ/ꎻ for ，/。/；, spaces around every number, page numbers like `—２３—`
on their own line, and a blank line after nearly every text line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# The extractor mapped three CJK punctuation marks onto Yi syllables.
_PUNCT = str.maketrans({"ꎬ": "，", "ꎮ": "。", "ꎻ": "；"})

# Fullwidth ASCII block FF01–FF5E, except the CJK punctuation we want to keep as is.
_KEEP_FULLWIDTH = set("，；：？！（）")
_HALF = {
    chr(cp): chr(cp - 0xFEE0)
    for cp in range(0xFF01, 0xFF5F)
    if chr(cp) not in _KEEP_FULLWIDTH
}
_HALF["∗"] = "*"
_HALFWIDTH = str.maketrans(_HALF)

_PAGE_NUMBER = re.compile(r"^\s*[—\-－─]+\s*[0-9０-９]+\s*[—\-－─]+\s*$")
# Whitespace survives only between two ASCII letters/digits ("Windows XP"); elsewhere it is layout.
_LAYOUT_SPACE = re.compile(r"(?<![A-Za-z0-9])\s+|\s+(?![A-Za-z0-9])")
_INDENT = re.compile(r"^[ \u3000]*\u3000[ \u3000]*")


def to_halfwidth(text: str) -> str:
    """Fullwidth digits, letters and ASCII symbols → halfwidth; ꎬꎮꎻ → ，。；."""
    return text.translate(_PUNCT).translate(_HALFWIDTH)


def squeeze_spaces(text: str) -> str:
    """Drop layout spaces (around numbers, ideographic indents) but keep 'A B' between ASCII words."""
    text = text.replace("\u3000", " ").strip()
    return _LAYOUT_SPACE.sub("", text)


def normalize_text(text: str) -> str:
    """One string (e.g. a joined paragraph) to clean halfwidth text without layout spaces."""
    return squeeze_spaces(to_halfwidth(text))


def is_page_number(raw: str) -> bool:
    return bool(_PAGE_NUMBER.match(raw))


@dataclass(frozen=True)
class Line:
    """A non-empty text line: its 1-based number in the original file and normalised text."""

    no: int
    text: str
    indented: bool  # started with an ideographic indent: a paragraph start in the PDF layout
    raw_width: int  # characters before normalisation, spaces excluded: tells box lines (small font) from body


def read_lines(raw_text: str) -> list[Line]:
    """Split a document into non-empty, normalised lines; page numbers are dropped."""
    out: list[Line] = []
    for no, raw in enumerate(raw_text.split("\n"), start=1):
        if not raw.strip() or is_page_number(raw):
            continue
        text = normalize_text(raw)
        if not text:
            continue
        width = len(re.sub(r"\s", "", raw))
        out.append(Line(no=no, text=text, indented=bool(_INDENT.match(raw)), raw_width=width))
    return out


def join_lines(lines: list[Line]) -> str:
    """Join wrapped lines of one paragraph; Chinese needs no separator, so a mid-word break heals."""
    return "".join(line.text for line in lines)
