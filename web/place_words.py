"""The place preview's warnings in English: registry/placing.py words them in Chinese (they are also
what the Chinese page shows); the English page rewrites the known sentences, place names kept as data."""
from __future__ import annotations

import re
from collections.abc import Callable

OUTSIDE_ALL = "太原市各区县之外"


def _places(text: str) -> str:
    return "none of Taiyuan's districts" if text == OUTSIDE_ALL else text.replace("、", ", ")


SENTENCES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"规划文本所述区县为 (.*?)，此位置在 (.*)"),
     lambda m: f"The plan text names the district {m[1]}; this location is in {_places(m[2])}"),
    (re.compile(r"规划文本所述开发区为 (.*?)，此位置不在任何开发区内"),
     lambda m: f"The plan text names the zone {m[1]}; this location is in no development zone"),
    (re.compile(r"规划文本所述开发区为 (.*?)，此位置在 (.*)"),
     lambda m: f"The plan text names the zone {m[1]}; this location is in {m[2]}"),
    (re.compile(r"此位置在太原市外（(.*)）"), lambda m: f"This location is outside Taiyuan ({m[1]})"),
    (re.compile(r"此位置不在任何已知区县内"), lambda m: "This location is in no known district"),
)


def warning_en(text: str) -> str:
    """One warning in English; one not listed stays as written (Chinese)."""
    for pattern, english in SENTENCES:
        found = pattern.fullmatch(text)
        if found:
            return english(found)
    return text
