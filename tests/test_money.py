from decimal import Decimal

import pytest

from registry.money import parse_yi, wan_to_yi, yi_to_wan


@pytest.mark.parametrize("text, wan", [("120", 1_200_000), ("12.3", 123_000), ("15.37", 153_700),
                                       ("0.0001", 1), (4.9, 49_000)])
def test_amounts_round_trip_exactly(text: object, wan: int) -> None:
    assert yi_to_wan(parse_yi(text)) == wan
    assert wan_to_yi(wan) == parse_yi(text)


def test_display_drops_trailing_zeros() -> None:
    assert str(wan_to_yi(1_200_000)) == "120"
    assert str(wan_to_yi(153_700)) == "15.37"


@pytest.mark.parametrize("bad", ["abc", "-1", "1.00001", "NaN", ""])
def test_bad_amounts_say_what_was_expected(bad: str) -> None:
    with pytest.raises(ValueError, match="亿元|万元"):
        parse_yi(bad)


def test_sum_is_exact_where_floats_are_not() -> None:
    assert sum(Decimal(v) for v in ["0.1"] * 10) == Decimal(1)
