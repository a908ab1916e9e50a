"""Normalisation of the PDF quirks, each checked on a real excerpt from ../shared/seeds."""
from __future__ import annotations

from registry.planparse.normalize import is_page_number, join_lines, normalize_text, read_lines, to_halfwidth


def test_fullwidth_digits_and_letters() -> None:
    # 001 l.768
    assert normalize_text("(７)联东 Ｕ 谷山西国际智能制造项目(一期)ꎮ 总投资") == "(7)联东U谷山西国际智能制造项目(一期)。总投资"


def test_yi_punctuation_marks() -> None:
    # 001 l.1587: ꎬ ꎻ and ＃
    assert to_halfwidth("剪切机组 ７＃、８＃ꎻ包装机组") == "剪切机组 7#、8#；包装机组"
    assert normalize_text("项目ꎮ 总投资约") == "项目。总投资约"
    assert normalize_text("太原ꎬ") == "太原，"


def test_spaces_inside_numbers_are_dropped() -> None:
    # 001 l.1420: "１５. ３７ 亿"
    assert normalize_text("总投资约 １５. ３７ 亿") == "总投资约15.37亿"
    # 004 l.1776: ASCII words stay apart only when both sides are ASCII
    assert normalize_text("太阳能 ＰＶＴ＋多") == "太阳能PVT+多"


def test_page_numbers() -> None:
    # 004 l.1248
    assert is_page_number("—２３—")
    assert not is_page_number("—重大项目")


def test_read_lines_keeps_original_numbers_and_heals_broken_words() -> None:
    raw = "(１)阳曲大盂—盂县(晋冀界)高速公路项目ꎮ 总投资约\n\n１２０ 亿元ꎬ项目起自阳泉市\n\n—２３—\n"
    lines = read_lines(raw)
    assert [line.no for line in lines] == [1, 3]
    assert join_lines(lines) == "(1)阳曲大盂—盂县(晋冀界)高速公路项目。总投资约120亿元，项目起自阳泉市"


def test_indent_is_recorded() -> None:
    lines = read_lines("　 　 １.基础设施建设\n 竣工通车ꎬ")
    assert lines[0].indented and not lines[1].indented
    assert lines[0].text == "1.基础设施建设"
