"""The spellings of one search word that plans write interchangeably: full-width and half-width forms
(２号线 / 2号线, （一期） / (一期)) and the dashes between place names (太原—绥德 / 太原-绥德). A search
matches a project when any spelling occurs literally in its text (queries._word_matches, facetindex)."""
from __future__ import annotations

import unicodedata

DASHES = ("—", "-", "－", "–")


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def spellings(word: str) -> tuple[str, ...]:
    """`word` first, then its other spellings, without repeats (at most a handful)."""
    half = unicodedata.normalize("NFKC", word)
    forms = [word, half, _full_width(half)]
    if any(d in half for d in DASHES):
        for dash in DASHES:
            forms.append("".join(dash if c in DASHES else c for c in half))
    return tuple(dict.fromkeys(forms))
