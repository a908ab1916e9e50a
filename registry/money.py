"""Exact investment amounts in 亿元.

SQLite has no exact decimal type (NUMERIC values become floats), so amounts are stored as an integer
number of 万元 (1 亿元 = 10 000 万元): exact on both databases, and SUM() stays exact too.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import BigInteger
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

WAN_PER_YI = 10_000


# A plain decimal: digits, optionally a point and more digits. Thousands separators only in groups of three.
_PLAIN = re.compile(r"\d+(\.\d+)?")
_GROUPED = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?")
UNITS = {"亿元": 1, "亿": 1, "万元": WAN_PER_YI, "万": WAN_PER_YI}
EXPECTED = "a plain amount such as 120, 12.5 or 1,200 (groups of three digits), optionally followed by 亿元 or 万元"


def parse_yi(value: object) -> Decimal:
    """A non-negative amount in 亿元 with at most 4 decimals (one 万元); ValueError says what was expected.

    Text must be a plain decimal: 1e11, 1_000, 0x10 or " 1 2" are refused (Decimal() would accept some)."""
    text = repr(value) if isinstance(value, float) else str(value).strip()
    if isinstance(value, bool) or (isinstance(value, str) and not _PLAIN.fullmatch(text)):
        raise ValueError(f"{value!r} is not a plain non-negative amount in 亿元 (expected digits such as 12.3)")
    try:
        amount = Decimal(text)
    except (InvalidOperation, ValueError):
        raise ValueError(f"{value!r} is not a number (expected an amount in 亿元 such as 12.3)") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"{value!r} is not a non-negative amount in 亿元")
    if amount != amount.quantize(Decimal("0.0001")):
        raise ValueError(f"{value!r} has more precision than 1 万元 (0.0001 亿元)")
    return amount


@dataclass(frozen=True)
class AmountText:
    """An amount typed as text, read strictly: its value in 亿元, and whether the text says more than that
    bare number (a unit, separators, full-width digits) and so is worth keeping as investment_text."""

    yi: Decimal
    telling: bool


def parse_amount_text(text: str, column_unit: str = "亿元") -> AmountText:
    """`120`, `12.5亿元`, `1,200万元`, `１２０亿` → 亿元. Anything ambiguous raises ValueError naming what was
    expected: `1,2亿` (a bad thousands group, or a decimal comma?), `1_000`, `1e11`, `约120亿元`, `120-150`, `元`.

    Full-width forms are folded first (NFKC). A unit in the text wins over the column's (`万元` in a 亿元
    column is exact either way); without one, the column's unit applies."""
    folded = unicodedata.normalize("NFKC", text).strip()
    unit = next((u for u in UNITS if folded.endswith(u)), None)
    number = folded.removesuffix(unit).strip() if unit else folded
    scale = UNITS[unit or column_unit]
    if _PLAIN.fullmatch(number):
        digits = number
    elif _GROUPED.fullmatch(number):
        digits = number.replace(",", "")
    else:
        raise ValueError(_why(number))
    if len(digits.split(".")[0]) > 16:
        raise ValueError("implausibly large")
    yi = Decimal(digits) / scale
    return AmountText(yi, telling=folded != text.strip() or unit is not None or digits != number
                      or scale != 1)


def _why(number: str) -> str:
    """A short reason an amount text is ambiguous, for the problem message."""
    if not number:
        return "a unit without a number"
    if "," in number:
        return "thousands separators must group three digits (1,200); a decimal comma is ambiguous"
    if any(c in number for c in "eE_xX"):
        return "scientific notation, underscores and hex are not accepted for amounts"
    if number.startswith("-") and _PLAIN.fullmatch(number[1:]):
        return "negative amount"
    if any(c in number for c in "约近余超多逾-~至到以上左右"):
        return "an approximate amount or a range is not a number: keep it as 投资额原文 and leave the amount empty"
    return "not a plain amount"


def yi_to_wan(amount: Decimal) -> int:
    return int(parse_yi(amount) * WAN_PER_YI)


def wan_to_yi(wan: int) -> Decimal:
    """Integer 万元 → 亿元 with trailing zeros dropped (120, 12.3, 15.37)."""
    value = Decimal(wan) / WAN_PER_YI
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


class YiYuan(TypeDecorator[Decimal]):
    """Decimal 亿元 in Python, integer 万元 in the database."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        return None if value is None else yi_to_wan(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else wan_to_yi(int(value))
