"""Nothing invented (issue 13 §1): place words inside other words are no places, a full district name beats
short forms hidden in street names, stated zones win, and no plan item is put outside Shanxi on a name alone."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from registry.db import make_engine, make_session_factory
from registry.geocode import Geocoder
from registry.models import Project
from registry.records import ProjectInput
from registry.yamltext import load_yaml

ROOT = Path(__file__).resolve().parents[1]
ADDRESSES: list[dict[str, Any]] = load_yaml(
    (ROOT / "tests" / "data" / "district_addresses.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def geocoder() -> Geocoder:
    return Geocoder.from_geodata(ROOT / "geodata")


@pytest.mark.parametrize("name", ["汾河北段片区", "汾河南段片区"])
def test_river_name_hides_province_short_forms(geocoder: Geocoder, name: str) -> None:
    # 004 专栏7-1: two 片区 along the 汾河 in Taiyuan; 河北/河南 occur only inside 汾河北段/汾河南段.
    placed = geocoder.geocode_text(name)
    assert not placed.outside_taiyuan and placed.precision != 6
    assert "河北" not in placed.evidence and "河南" not in placed.evidence
    item = geocoder.place_project(ProjectInput(code="T", name=name))
    assert item.precision != 6 and item.district_code is None


def test_a_longer_name_overlapping_a_short_form_wins(geocoder: Geocoder) -> None:
    # 004 l.2504 "加快基础设施和公共服务设施向阳曲延伸": 阳曲 (县), not 向阳 (a township's short form).
    assert geocoder.geocode_text("加快基础设施和公共服务设施向阳曲延伸").district_code == "140122"
    # 004 l.807 "支持天和顺物流园区": a company, not 和顺县 of 晋中.
    assert not geocoder.geocode_text("支持天和顺物流园区").outside_taiyuan


def test_short_form_before_a_street_word_is_the_street(geocoder: Geocoder) -> None:
    # 004 专栏7-1 item "迎泽大街" is a street through several districts, not 迎泽区.
    assert geocoder.geocode_text("迎泽大街").district_code is None
    assert geocoder.geocode_text("迎泽区").district_code == "140106"
    # A township's short form keeps its street: 坞城路 runs in 坞城街道 of 小店区 (004 l.2648 list).
    assert geocoder.geocode_text("坞城路—大运路快速化改造").district_code == "140105"


@pytest.mark.parametrize("item", ADDRESSES, ids=[i["text"][:18] for i in ADDRESSES])
def test_full_district_name_beats_short_forms_in_street_names(geocoder: Geocoder, item: dict[str, Any]) -> None:
    placed = geocoder.geocode_text(item["text"])
    assert placed.district_code == item["district"], (item["source"], placed.evidence)
    assert not placed.conflicts


def test_plan_item_is_not_put_beyond_shanxi_on_a_name_alone(geocoder: Geocoder) -> None:
    # 001 l.1098 "加快推进深圳源创存储内存和SSD卡存储设备生产线": a Shenzhen company's line in Taiyuan.
    name = "深圳源创存储内存和SSD卡存储设备生产线"
    assert geocoder.geocode_text(name).outside_taiyuan  # the words alone name 深圳 …
    spec = geocoder.place_project(ProjectInput(code="T", name=name))
    assert (spec.precision, spec.district_code, spec.needs_review) == (8, None, True)  # … the item is unplaced
    assert "未说明项目位于该地" in (spec.evidence or "")
    # With a stated site outside Taiyuan (001 专栏1 (11): 选址于清华校园周边的同方科技广场) it is outside.
    stated = geocoder.place_project(ProjectInput(code="T2", name="京晋电子信息产业协同创新中心项目",
                                                 place_text="清华校园周边的同方科技广场", outside_taiyuan=True))
    assert stated.precision == 6


@pytest.mark.parametrize("name", ["岚县至太原输气管线", "太原—绥德高速铁路"])
def test_line_with_one_end_in_taiyuan_reaches_taiyuan(geocoder: Geocoder, name: str) -> None:
    # 004 专栏7-3 (岚县至太原输气管线) and 001 专栏1 (2) (线路起自太原南站 … 至绥德).
    placed = geocoder.geocode_text(name)
    assert not placed.outside_taiyuan and placed.precision == 5 and placed.needs_review
    assert "太原市外" in placed.evidence


def test_line_from_a_named_station_touches_its_district(geocoder: Geocoder) -> None:
    # 001 专栏1 (2): the line starts at 太原南站 (a named site in 小店区), like 阳曲大盂—盂县 starts in 阳曲:
    # the Taiyuan end's district counts, the outside end is reported, and a line gets no point.
    placed = geocoder.geocode_text("太原—绥德高速铁路项目 太原南站")
    assert (placed.district, placed.lon, placed.outside_taiyuan) == ("小店区", None, False)
    assert "太原市外" in placed.evidence and "绥德" in placed.evidence


def test_stated_zone_wins_and_a_park_inside_it_stays(geocoder: Geocoder) -> None:
    # 001 专栏1 (5): the parser states 综改区 from "山西转型综改示范区建设…"; the name alone names no zone.
    name = "订单生产中心及智能制造生产中心建设项目"
    assert geocoder.geocode_text(name).zone_code is None
    spec = geocoder.place_project(ProjectInput(code="T", name=name, zone_stated="zgq"))
    assert (spec.zone_code, spec.precision, spec.method) == ("zgq", 4, "stated_in_text")
    park = geocoder.place_project(ProjectInput(code="T", name="潇河产业园五大中心", zone_stated="zgq"))
    assert park.zone_code == "xiaohe"  # a park of 综改区 named in the text is more specific and agrees
    other = geocoder.place_project(ProjectInput(code="T", name="中北高新区某项目", zone_stated="zgq"))
    assert other.zone_code == "zgq" and other.needs_review and "中北高新技术产业开发区" in (other.evidence or "")


def test_seeded_projects_keep_their_stated_zone(seeded_url: str) -> None:
    engine = make_engine(seeded_url)
    with make_session_factory(engine)() as session:
        projects = list(session.scalars(select(Project).where(Project.stated_zone_code.is_not(None))))
        assert len(projects) >= 10
        parents = {"xuefu": "zgq", "tanghuai": "zgq", "xiaohe": "zgq", "yangqu_park": "zgq"}
        for project in projects:
            assert project.zone_code in (project.stated_zone_code, *[k for k, v in parents.items()
                                                                     if v == project.stated_zone_code]), project.code
        fen = session.scalar(select(Project).where(Project.name == "汾河北段片区"))
        assert fen is not None and not fen.outside_taiyuan and fen.precision != 6
    engine.dispose()


def test_generic_unit_names_are_no_places(geocoder: Geocoder) -> None:
    # 004 专栏10-1 "城区北段上兰村至胜利桥汾河湿地公园": Taiyuan's urban area, not 阳泉市城区.
    placed = geocoder.geocode_text("城区北段上兰村至胜利桥汾河湿地公园")
    assert placed.district_code == "140108" and "太原市外" not in placed.evidence
