"""Capacity value + unit from the source's capacity text — only where it is clear: exactly one quantity."""
from __future__ import annotations

import re
from decimal import Decimal

# Units the plans use for capacity; longest first so 万平方米 wins over 平方米.
UNITS = ("万平方米", "平方米", "万千瓦", "千瓦", "GW", "MW", "万吨", "吨", "公里", "千米", "亩", "万台", "台",
         "张床位", "万人", "千伏")
_QUANTITY = re.compile(r"(\d+(?:\.\d+)?)\s*(" + "|".join(UNITS) + ")")


def parse_capacity(text: str | None) -> tuple[Decimal, str] | None:
    """(value, unit) when the text states one quantity; None when it states none or several (not clear)."""
    if not text:
        return None
    found = _QUANTITY.findall(text)
    if len(found) != 1:
        return None
    value, unit = found[0]
    return Decimal(value), unit
