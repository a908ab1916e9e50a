"""Parks and clusters that public sources name outside the plans (issue 13 §3): recognised by name, placed in
the district a source states, never given an invented point."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from registry.cli import main
from registry.geocode import Geocoder
from registry.geodata import load_zones
from registry.yamltext import load_yaml

GEODATA = Path(__file__).resolve().parents[1] / "geodata"
PUBLIC = {"hecheng_bio", "qingxu_food", "yangqu_transform", "dayu_industrial", "gxq_yangqu_nm",
          "gxq_yingze_logistics", "gxq_qingxu", "yaocun_park"}


@pytest.fixture(scope="module")
def geocoder() -> Geocoder:
    return Geocoder.from_geodata(GEODATA)


def test_every_public_zone_cites_a_page_and_has_no_invented_shape() -> None:
    raw = {z["code"]: z for z in load_yaml((GEODATA / "zones.yaml").read_text(encoding="utf-8"))["zones"]}
    zones = {z.code: z for z in load_zones()}
    for code in PUBLIC:
        assert raw[code]["sources"] and all(s["doc"].startswith("http") for s in raw[code]["sources"]), code
        assert all(s["excerpt"] for s in raw[code]["sources"]), code
        assert "anchor" not in raw[code] and zones[code].geometry is None, code
        assert zones[code].geometry_status == "none" and zones[code].districts, code


@pytest.mark.parametrize(("text", "zone", "district"), [
    ("山西合成生物产业生态园区年产50万吨生物基戊二胺项目", "hecheng_bio", "140122"),
    ("清徐特色食品工业集聚区", "qingxu_food", "140121"),
    ("太原市清徐特色食品产业集聚区老陈醋扩能", "qingxu_food", "140121"),
    ("阳曲县转型发展产业园新材料项目", "yangqu_transform", "140122"),
    ("大盂工业园风电项目", "dayu_industrial", "140122"),
    ("太原高新区迎泽电子商务仓储物流园", "gxq_yingze_logistics", "140106"),
])
def test_public_parks_are_recognised_at_district_level(geocoder: Geocoder, text: str, zone: str,
                                                        district: str) -> None:
    p = geocoder.geocode_text(text)
    # no extent and no cited point: the district is all that is known (precision 3), no coordinates
    assert (p.zone_code, p.district_code, p.precision, p.lon) == (zone, district, 3, None), text
    assert not p.needs_review


def test_a_park_whose_district_is_only_inferred_goes_to_review(geocoder: Geocoder) -> None:
    p = geocoder.geocode_text("姚村产业园")
    assert (p.zone_code, p.district_code, p.needs_review) == ("yaocun_park", None, True)


def test_parks_load_into_the_registry_and_filter_the_list(seeded_url: str) -> None:
    result = CliRunner().invoke(main, ["projects", "--zone", "合成生物产业生态园区", "--format", "json"],
                                env={"KPR_DATABASE_URL": seeded_url})
    assert result.exit_code == 0, result.output  # an unknown zone is refused: the park was seeded
    assert '"count"' in result.output
    unknown = CliRunner().invoke(main, ["projects", "--zone", "不存在的园区", "--format", "json"],
                                 env={"KPR_DATABASE_URL": seeded_url})
    assert unknown.exit_code != 0
