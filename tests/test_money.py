from decimal import Decimal

import pytest

from registry.money import parse_amount_text, parse_yi, wan_to_yi, yi_to_wan


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


@pytest.mark.parametrize("text, column, yi, telling", [
    ("120", "亿元", "120", False), ("12.5亿元", "亿元", "12.5", True), ("１２０亿", "亿元", "120", True),
    ("1,200", "亿元", "1200", True), ("1,200万元", "亿元", "0.12", True), ("12,345,678", "万元", "1234.5678", True),
    ("3万", "亿元", "0.0003", True), (" 4.9 ", "亿元", "4.9", False), ("１，２００万元", "亿元", "0.12", True),
])
def test_amount_text_is_read_strictly_and_exactly(text: str, column: str, yi: str, telling: bool) -> None:
    parsed = parse_amount_text(text, column)
    assert parsed.yi == Decimal(yi) and parsed.telling is telling


@pytest.mark.parametrize("text, why", [
    ("1,2亿", "three digits"), ("1,20", "three digits"), ("12,00.5", "three digits"), ("1_000", "underscores"),
    ("1e11", "scientific"), ("1E3亿元", "scientific"), ("约120亿元", "approximate"), ("120-150亿元", "range"),
    ("-5", "negative"), ("亿元", "without a number"), ("120元", "not a plain"), (".5", "not a plain"),
    ("1 200", "not a plain"), ("0x10", "hex"), ("NaN", "not a plain"), ("12亿元以上", "approximate"),
])
def test_ambiguous_amount_text_is_refused_with_a_reason(text: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        parse_amount_text(text)


@pytest.mark.parametrize("bad", ["1e3", "1_000", "1,200", " 1 2", "+5", "0x10", True])
def test_parse_yi_takes_only_plain_decimals(bad: object) -> None:
    with pytest.raises(ValueError, match="亿元"):
        parse_yi(bad)
