"""Exact investment amounts in 亿元.

SQLite has no exact decimal type (NUMERIC values become floats), so amounts are stored as an integer
number of 万元 (1 亿元 = 10 000 万元): exact on both databases, and SUM() stays exact too.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import BigInteger
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

WAN_PER_YI = 10_000


def parse_yi(value: object) -> Decimal:
    """A non-negative amount in 亿元 with at most 4 decimals (one 万元); ValueError says what was expected."""
    if isinstance(value, float):
        value = repr(value)
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValueError(f"{value!r} is not a number (expected an amount in 亿元 such as 12.3)") from None
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"{value!r} is not a non-negative amount in 亿元")
    if amount != amount.quantize(Decimal("0.0001")):
        raise ValueError(f"{value!r} has more precision than 1 万元 (0.0001 亿元)")
    return amount


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
