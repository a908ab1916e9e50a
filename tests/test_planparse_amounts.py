"""总投资 parsing: exact decimals in 亿元, as the plans state them."""
from __future__ import annotations

import pytest

from registry.planparse.amounts import parse_investment, to_yi


@pytest.mark.parametrize(
    ("text", "yi", "words"),
    [
        ("总投资约\n１２０ 亿元ꎬ项目起自", "120", "总投资约120亿元"),  # 001 l.736
        ("总投资约 １５. ３７ 亿\n元ꎬ太原市", "15.37", "总投资约15.37亿元"),  # 001 l.1420
        ("总投资初步测算约\n２３５ 亿元ꎮ", "235", "总投资初步测算约235亿元"),  # 001 l.1542
        ("总投资 １２.３ 亿元ꎬ计划建设", "12.3", "总投资12.3亿元"),  # 001 l.764
        ("项目总投资 １.７ 亿元ꎬ", "1.7", "总投资1.7亿元"),  # 001 l.806-ish
        ("上海圆通速递有限公司投资\n１０ 亿元ꎬ规划", "10", "投资10亿元"),  # 001 l.1039
        ("总投资约 ０.３ 亿元ꎬ由北京", "0.3", "总投资约0.3亿元"),
        ("总投资 ２７.９４ 亿元ꎮ", "27.94", "总投资27.94亿元"),
    ],
)
def test_investment(text: str, yi: str, words: str) -> None:
    found = parse_investment(text)
    assert found is not None
    assert (found.yi, found.text) == (yi, words)


def test_wan_yuan_converted_exactly() -> None:
    assert to_yi("3500", "万元") == "0.35"
    assert to_yi("120000", "万元") == "12"
    found = parse_investment("项目总投资 ８５００ 万元")
    assert found is not None and found.yi == "0.85"


def test_output_value_is_not_investment() -> None:
    assert parse_investment("建成投产后实现年产值 １５０ 亿元ꎬ税收 １５ 亿元") is None


def test_zero_is_not_stated() -> None:
    assert parse_investment("总投资 ０ 亿元") is None


def test_approximate_flag() -> None:
    assert parse_investment("总投资约 ４ 亿元").approximate  # type: ignore[union-attr]
    assert not parse_investment("总投资 １５ 亿元").approximate  # type: ignore[union-attr]


def test_bare_yi_unit() -> None:
    found = parse_investment("总投资约 １５. ３７ 亿")
    assert found is not None and (found.yi, found.text) == ("15.37", "总投资约15.37亿")
