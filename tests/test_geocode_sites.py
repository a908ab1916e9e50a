"""Named sites (地名库, geodata/sites.yaml): cited coordinates, converted to WGS-84, placed where the text names one."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from registry.cli import main
from registry.geocode import Geocoder
from registry.geocode.sites import load_sites
from registry.yamltext import load_yaml

GEODATA = Path(__file__).resolve().parents[1] / "geodata"


@pytest.fixture(scope="module")
def geocoder() -> Geocoder:
    return Geocoder.from_geodata(GEODATA)


def test_every_site_cites_its_source_and_crs() -> None:
    raw = load_yaml((GEODATA / "sites.yaml").read_text(encoding="utf-8"))["sites"]
    notes = (GEODATA / "sites.SOURCE.md").read_text(encoding="utf-8")
    assert len(raw) >= 10
    for site in raw:
        assert site["crs"] in ("wgs84", "gcj02", "bd09"), site["code"]
        assert site["source"].startswith(("github:", "https://")), site["code"]
        if site["source"].startswith("github:"):
            assert "@" in site["source"] and len(site["source"].split("@")[1].split(":")[0]) == 40, site["code"]
        assert site["name"] in notes, site["code"]  # the SOURCE.md says where its numbers came from


def test_sites_lie_in_the_district_their_source_names(geocoder: Geocoder) -> None:
    for site in load_sites(GEODATA):
        district = geocoder.site_districts[site.code]
        assert district is not None and district.startswith("1401"), site.code
        if site.stated_district:
            assert geocoder.name_of(district) == site.stated_district, site.code


def test_gcj02_and_bd09_sources_are_converted() -> None:
    raw = {s["code"]: s for s in load_yaml((GEODATA / "sites.yaml").read_text(encoding="utf-8"))["sites"]}
    sites = {s.code: s for s in load_sites(GEODATA)}
    jinci, nuc, airport = sites["jinci"], sites["nuc"], sites["tyn_airport"]
    # GCJ-02 and BD-09 lie east/north-east of WGS-84 in Taiyuan by hundreds of metres.
    assert 0.004 < raw["jinci"]["lon"] - jinci.lon < 0.008
    assert 0.01 < raw["nuc"]["lon"] - nuc.lon < 0.02 and 0.004 < raw["nuc"]["lat"] - nuc.lat < 0.01
    assert (airport.lon, airport.lat) == (raw["tyn_airport"]["lon"], raw["tyn_airport"]["lat"])


def test_kpr_geocode_names_the_airport() -> None:
    result = CliRunner().invoke(main, ["geocode", "武宿机场"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert (out["district"], out["precision"], out["method"], out["needs_review"]) == ("小店区", 2, "gazetteer", False)
    assert out["precision_label"].startswith("地点")
    assert out["lon"] == pytest.approx(112.628498) and out["lat"] == pytest.approx(37.7469005)
    assert "ourairports-data@" in out["evidence"]


def test_plan_lines_naming_one_site(geocoder: Geocoder) -> None:
    # 001 l.412 and 004 l.2893
    for text in ("重点推进太原武宿机场三期扩建工程", "加快推进武宿机场三期改扩建"):
        p = geocoder.geocode_text(text)
        assert (p.district_code, p.precision, p.method) == ("140105", 2, "gazetteer"), text
    station = geocoder.geocode_text("太原南站综合交通枢纽")
    assert (station.district, station.precision, station.lon) == ("小店区", 2, pytest.approx(112.6051083))
    assert geocoder.geocode_text("太原站").district == "迎泽区"
    jinci = geocoder.geocode_text("晋祠博物馆提升改造")
    assert (jinci.district, jinci.precision, jinci.method) == ("晋源区", 2, "gazetteer")


def test_no_site_point_for_lines_several_sites_or_other_districts(geocoder: Geocoder) -> None:
    # a metro line that starts at the station does not lie at the station
    line = geocoder.geocode_text("线路起自太原南站")
    assert line.lon is None and line.precision == 3 and line.district == "小店区"
    # 004 l.4110: two sites, one district — the district, no point
    two = geocoder.geocode_text("重点创建晋祠—天龙山")
    assert (two.lon, two.district, two.precision) == (None, "晋源区", 3)
    # 004 l.1634: several universities in different districts — no single point
    many = geocoder.geocode_text("联网中心、太原理工大学、山西大学、中北大学等载体")
    assert many.lon is None
    # a text that names a district where the site is not: no point, the disagreement is kept
    other = geocoder.geocode_text("万柏林区 武宿机场")
    assert other.lon is None and other.needs_review


def test_tyut_is_its_yingxi_campus_in_wanbailin(geocoder: Geocoder) -> None:
    # 004 l.1004: "推动太原理工大学、中北大学…"; GCJ-02 source point, checked against zh.wikipedia's WGS-84 37.86046, 112.51603
    p = geocoder.geocode_text("太原理工大学")
    assert (p.district, p.precision, p.method) == ("万柏林区", 2, "gazetteer")
    assert p.lon == pytest.approx(112.51603, abs=0.001) and p.lat == pytest.approx(37.86046, abs=0.001)


def test_a_site_name_beats_a_township_short_form(geocoder: Geocoder) -> None:
    # 晋祠 is also the short form of 晋祠镇; the full township name still places the township
    assert geocoder.geocode_text("晋祠").method == "gazetteer"
    town = geocoder.geocode_text("晋源区晋祠镇")
    assert (town.district, town.precision, town.lon) == ("晋源区", 3, None)
    # with a village of the township named (geodata/villages.csv), the village places it, not the site
    village = geocoder.geocode_text("晋源区晋祠镇王郭村")
    assert (village.district, village.method) == ("晋源区", "village") and "晋祠（" not in village.evidence


def test_web_geocode_answers_with_the_site(seeded_url: str) -> None:
    from tests.conftest import settings_for
    from web import create_app

    client = create_app(settings_for(seeded_url)).test_client()
    out = client.get("/api/geocode", query_string={"q": "太原南站"}).get_json()
    assert (out["district"], out["precision"], out["method"]) == ("小店区", 2, "gazetteer")
    assert out["lon"] == pytest.approx(112.6051083) and out["lat"] == pytest.approx(37.7915139)
