"""Investment amounts as the plans state them: 约120亿元, 15. 37 亿, 初步测算约235亿元, …万元.

Amounts stay exact decimals in 亿元 (no float round-trips); 万元 are divided by 10 000.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from registry.planparse.normalize import normalize_text

# 总投资 / 项目总投资 / "<investor>投资" — optional 初步测算 and 约 — number — unit.
_INVESTMENT = re.compile(
    r"(?P<lead>总投资|投资)(?P<hedge>(?:初步)?(?:测算|估算)?约?)"
    r"(?P<num>\d+(?:\.\d+)?)(?P<unit>亿元|万元|亿)"
)
_WAN_PER_YI = Decimal(10000)


@dataclass(frozen=True)
class Investment:
    yi: str  # decimal string in 亿元, digits as stated ("15.37", "120")
    text: str  # the source words, normalised ("总投资约120亿元")
    approximate: bool


def _plain(value: Decimal) -> str:
    """Decimal → plain string without exponent or trailing zeros ('0.3', '120')."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def to_yi(number: str, unit: str) -> str:
    """'12.3','亿元' → '12.3'; '3500','万元' → '0.35'."""
    value = Decimal(number)
    if unit == "万元":
        return _plain(value / _WAN_PER_YI)
    return number if "." not in number else number.rstrip("0").rstrip(".") or "0"


def parse_investment(text: str) -> Investment | None:
    """The first stated investment in a passage, or None. Zero amounts are treated as not stated."""
    clean = normalize_text(text)
    match = _INVESTMENT.search(clean)
    if not match:
        return None
    yi = to_yi(match["num"], match["unit"])
    if Decimal(yi) == 0:
        return None
    return Investment(yi=yi, text=match.group(0), approximate="约" in match["hedge"])
