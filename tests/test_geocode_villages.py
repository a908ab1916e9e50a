"""Villages (geodata/villages.csv, NBS 12-digit codes): a unique name places at township level, an ambiguous
one places nothing and names its candidates; tested on lines of the plan documents."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from registry.geocode import Geocoder
from registry.geocode.villages import index_terms, load_villages, terms_of, town_name

GEODATA = Path(__file__).resolve().parents[1] / "geodata"
TAIYUAN_COUNTIES = {"140105", "140106", "140107", "140108", "140109", "140110", "140121", "140122", "140123",
                    "140181"}


@pytest.fixture(scope="module")
def geocoder() -> Geocoder:
    return Geocoder.from_geodata(GEODATA)


def test_the_village_list_is_taiyuans_and_cites_its_source() -> None:
    with (GEODATA / "villages.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 1524
    codes = [r["code"] for r in rows]
    assert codes == sorted(codes) and len(set(codes)) == len(codes)
    for row in rows:
        assert len(row["code"]) == 12 and row["code"].startswith(row["town_code"]), row
        assert row["town_code"].startswith(row["county_adcode"]) and row["county_adcode"] in TAIYUAN_COUNTIES, row
        assert row["name"].endswith(("委会", "委员会", "社区", "社区居委")), row
    notes = (GEODATA / "villages.SOURCE.md").read_text(encoding="utf-8")
    assert "Vonng/adcode" in notes and "b755d6e4abca8e0d309728abc9ad4b100dacc685" in notes
    assert "CC BY 4.0" in notes and "GCJ-02" in notes and "2016" in notes


def test_terms_a_plan_uses_for_a_village() -> None:
    assert terms_of("张花营村委会") == (("张花营村", False), ("张花营", True))
    assert terms_of("郜村村委会") == ()  # 郜村: two characters, too short to trust
    assert terms_of("杨家堡社区居委会") == (("杨家堡社区", False),)
    assert terms_of("后所营居民委员会") == (("后所营", True),)
    assert town_name("坞城街道办事处") == "坞城街道" and town_name("北格镇") == "北格镇"


def test_a_communitys_old_village_name_makes_a_village_name_ambiguous() -> None:
    terms = index_terms(load_villages(GEODATA))
    assert terms["杨家堡"][0] == ("140121103221", "140105004014")  # 清徐 杨家堡村, 小店 杨家堡社区
    assert terms["张花营"][0] == ("140105100204",)


def test_unique_village_places_at_its_townships_centre(geocoder: Geocoder) -> None:
    # 004 l.2680: "张花营220千伏输变电工程" (张花营村委会, 小店区北格镇)
    p = geocoder.geocode_text("张花营220千伏输变电工程")
    assert (p.district, p.precision, p.method, p.needs_review) == ("小店区", 2, "village", False)
    assert "140105100204" in p.evidence and "北格镇" in p.evidence
    found = geocoder.index.locate([p.lon], [p.lat])
    assert str(found.district[0]) == "140105"  # the township centre lies in the village's county


def test_village_after_its_own_township_is_kept(geocoder: Geocoder) -> None:
    p = geocoder.geocode_text("小店区北格镇张花营村")
    assert (p.district_code, p.method) == ("140105", "village")


def test_ambiguous_village_name_places_nothing_and_lists_candidates(geocoder: Geocoder) -> None:
    # 004 l.3814: "杨家堡污水处理厂增量技改" — 清徐县孟封镇杨家堡村 or 小店区 杨家堡社区
    p = geocoder.geocode_text("杨家堡污水处理厂增量技改")
    assert p.district_code is None and p.lon is None and p.precision == 8
    assert "不唯一" in p.evidence and "140121103221" in p.evidence and "140105004014" in p.evidence


def test_a_village_named_after_a_place_outside_is_that_places(geocoder: Geocoder) -> None:
    # 001 l.733: 梁家寨 of 盂县 (阳泉) is not 梁家寨村 of 晋源区
    p = geocoder.geocode_text("阳泉市盂县梁家寨东；太原市阳曲县大盂镇北 阳曲大盂—盂县(晋冀界)高速公路项目")
    assert p.district_code == "140122" and p.method == "place_name" and "村名" not in p.evidence


def test_a_line_through_several_districts_keeps_its_district_words(geocoder: Geocoder) -> None:
    # 001 l.1420: the 汾河 works reach 清徐韩武村 but run through 清徐, 小店 and 晋源
    p = geocoder.geocode_text("汾河三期末端2号闸；清徐韩武村出境段；清徐段、小店段、晋源段 汾河中游百公里示范区建设项目")
    assert p.method != "village" and p.lon is None
    assert "韩武村" in p.evidence


def test_short_or_everyday_village_names_are_not_words_of_the_gazetteer(geocoder: Geocoder) -> None:
    assert geocoder.geocode_text("辛村").precision == 8
    # 000: "加大对新建社区基础设施的改造投入力度" — new communities, not 新建社区居委会
    assert geocoder.geocode_text("加大对新建社区基础设施的改造投入力度").precision == 8
