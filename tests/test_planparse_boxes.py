"""专栏 box detection, including boxes split across pages, and item extraction on real excerpts."""
from __future__ import annotations

from pathlib import Path

import pytest

from registry.planparse.boxes import find_boxes
from registry.planparse.items import box_items, list_names
from registry.planparse.normalize import read_lines

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
DOC_001 = SEEDS / "001_68a8e69ac921afbf.txt"
DOC_004 = SEEDS / "004_4fcffdc077ed2adc.txt"
needs_seeds = pytest.mark.skipif(not DOC_004.exists(), reason="../shared/seeds not present")

# 004 l.1242–1258: 专栏3-2 runs over a page break; the page number and the repeated title sit between.
SPLIT_BOX = """专栏 ３－２　 高端装备制造产业集群建设重点项目

　 　 轨道交通ꎮ 重点推进中车铁路装备制造基地、智奇高铁轮轴生产智能工厂、京

丰铁路轨道交通电务装备制造基地等项目建设ꎮ

—２３—

专栏 ３－２　 高端装备制造产业集群建设重点项目

　 　 新能源汽车ꎮ 重点推进德志时代汽车产业园、江铃重汽配套产业园、图门碳基电容

及储能装置研发制造示范基地、宇傲汽车部件生产、中科华孚新能源电池等项目建设ꎮ

　 　 加快建设新材料合成加工产业集群ꎮ 聚焦产业前沿和高端需
"""


def test_split_box_is_one_box_and_body_text_ends_it() -> None:
    boxes = find_boxes(read_lines(SPLIT_BOX))
    assert [(b.code, b.title_lines) for b in boxes] == [("3-2", [1, 9])]
    names = [item.name for item in box_items(boxes[0])]
    assert names[:3] == ["中车铁路装备制造基地", "智奇高铁轮轴生产智能工厂", "京丰铁路轨道交通电务装备制造基地"]
    assert "德志时代汽车产业园" in names and "中科华孚新能源电池" in names
    assert not any("新材料合成" in name for name in names)


def test_list_names_shares_the_stated_type() -> None:
    # 004 l.2680: one type word for four substations
    names = [n for n, _ in list_names("重点推进柴家寨、张花营、东峰、西寨220千伏输变电工程，武宿、享堂等110千伏输变电工程建设")]
    assert names == ["柴家寨220千伏输变电工程", "张花营220千伏输变电工程", "东峰220千伏输变电工程",
                     "西寨220千伏输变电工程", "武宿110千伏输变电工程", "享堂110千伏输变电工程"]


@needs_seeds
def test_boxes_of_001_and_004() -> None:
    boxes_001 = find_boxes(read_lines(DOC_001.read_text(encoding="utf-8")))
    assert [b.code for b in boxes_001] == ["1", "2", "3", "4", "5"]
    boxes_004 = {b.code: b for b in find_boxes(read_lines(DOC_004.read_text(encoding="utf-8")))}
    assert len(boxes_004) == 25  # 25 distinct 专栏 (2-1 … 12-3); 4 are split over two pages
    assert boxes_004["3-2"].title_lines == [1236, 1252]
    assert boxes_004["3-6"].title_lines == [1497, 1518]
    assert boxes_004["7-1"].title_lines == [2519, 2556]
    # 专栏3-5 ends before the body paragraph at l.1473, which has no indent
    assert boxes_004["3-5"].lines[-1].no == 1472


@needs_seeds
def test_title_repeated_mid_paragraph_joins_the_broken_word() -> None:
    # 004 l.2680/2681/2683: "…输变电工程，太" | 专栏7-3 title | "原北500千伏变电站…"
    box = {b.code: b for b in find_boxes(read_lines(DOC_004.read_text(encoding="utf-8")))}["7-3"]
    names = [item.name for item in box_items(box)]
    assert "太原北500千伏变电站220千伏送出工程和配套线路改造工程" in names


@needs_seeds
def test_001_numbered_items_with_groups() -> None:
    box = find_boxes(read_lines(DOC_001.read_text(encoding="utf-8")))[0]
    items = box_items(box)
    assert len(items) == 18
    assert (items[0].ordinal, items[0].group, items[0].line) == ("01", "基础设施建设", 733)
    assert items[16].name == "山西综改示范区实验学校项目"
