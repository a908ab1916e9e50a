"""Point → district / zone / corridor lookup: the border rule on toy squares, and real reference places."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from shapely.geometry import Polygon, box

from registry.crs import to_wgs84
from registry.locate import DistrictIndex, PolygonLayer
from registry.placecheck import crs_problems

REFERENCE_PLACES = Path(__file__).resolve().parents[2] / "shared" / "testdata" / "reference_places.json"


# --- border rule on toy squares ----------------------------------------------------------------------------

@pytest.fixture()
def four_squares() -> PolygonLayer:
    """2×2 unit squares; codes sorted as DistrictIndex sorts adcodes.   c | d
                                                                         a | b"""
    return PolygonLayer(["a", "b", "c", "d"], [box(0, 0, 1, 1), box(1, 0, 2, 1), box(0, 1, 1, 2), box(1, 1, 2, 2)])


def test_interior_points_get_their_own_square(four_squares: PolygonLayer) -> None:
    got = four_squares.first_match(np.array([0.5, 1.5, 0.5, 1.5]), np.array([0.5, 0.5, 1.5, 1.5]))
    assert got.tolist() == ["a", "b", "c", "d"]


def test_point_on_a_shared_edge_goes_to_the_lowest_code(four_squares: PolygonLayer) -> None:
    # edges a|b, c|d, a/c, b/d
    got = four_squares.first_match(np.array([1.0, 1.0, 0.5, 1.5]), np.array([0.5, 1.5, 1.0, 1.0]))
    assert got.tolist() == ["a", "c", "a", "b"]


def test_point_on_the_shared_corner_goes_to_the_lowest_code(four_squares: PolygonLayer) -> None:
    assert four_squares.first_match(np.array([1.0]), np.array([1.0])).tolist() == ["a"]


def test_outer_boundary_counts_and_outside_is_empty(four_squares: PolygonLayer) -> None:
    got = four_squares.first_match(np.array([0.0, 2.0, 2.5, -0.1]), np.array([0.5, 2.0, 0.5, 0.5]))
    assert got.tolist() == ["a", "d", "", ""]


def test_the_rule_follows_order_not_input_position() -> None:
    layer = PolygonLayer(["b", "a"], [box(1, 0, 2, 1), box(0, 0, 1, 1)])  # deliberately unsorted
    assert layer.first_match(np.array([1.0]), np.array([0.5])).tolist() == ["b"]


def test_zone_layer_most_specific_first() -> None:
    park = box(0.4, 0.4, 0.6, 0.6)
    zone = box(0, 0, 1, 1)
    layer = PolygonLayer(["park", "zone"], [park, zone])  # DistrictIndex orders zones by area
    assert layer.first_match(np.array([0.5, 0.1]), np.array([0.5, 0.1])).tolist() == ["park", "zone"]


def test_membership_is_independent_per_corridor() -> None:
    layer = PolygonLayer(["x", "y"], [box(0, 0, 2, 2), Polygon([(1, 1), (3, 1), (3, 3)])])
    masks = layer.membership(np.array([0.5, 1.9, 2.9]), np.array([0.5, 1.5, 2.5]))
    assert masks["x"].tolist() == [True, True, False]
    assert masks["y"].tolist() == [False, True, True]


# --- the real layers ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def index() -> DistrictIndex:
    return DistrictIndex.from_geodata()


def test_index_orders_districts_by_adcode(index: DistrictIndex) -> None:
    assert index.districts.codes == sorted(index.districts.codes)
    assert {"140105", "140181", "140702", "140902"} <= set(index.districts.codes)


def test_locate_returns_district_zone_and_corridors(index: DistrictIndex) -> None:
    # 中北大学 (the zbgx anchor), a point in Beijing's centre, and a point in the Pacific.
    zb_lon, zb_lat = to_wgs84(112.453582, 38.02132, "bd09")
    located = index.locate([zb_lon, 116.397, 150.0], [zb_lat, 39.909, 30.0])
    assert located.district.tolist() == ["140108", "", ""]
    assert located.zone.tolist() == ["zbgx", "", ""]
    assert {"tai_xin", "fenhe", "central_shanxi"} <= set(located.corridor_codes(0))
    assert "jjj" not in located.corridor_codes(0)
    assert located.corridor_codes(1) == ["jjj"]
    assert located.corridor_codes(2) == []


def test_scalar_input(index: DistrictIndex) -> None:
    assert index.district_of(112.56, 37.87).tolist() == ["140106"]  # a central WGS-84 point, inside 迎泽区


def test_mislabelled_system_is_flagged(index: DistrictIndex) -> None:
    # 山西大学商务学院: a Baidu (BD-09) point in 小店区; read as WGS-84 it lands in 晋中's 榆次区.
    lon, lat = 112.670858, 37.750042
    assert crs_problems(index, lon, lat, "BD-09", "140105") == []
    problems = crs_problems(index, lon, lat, "wgs84", "140105")
    assert len(problems) == 1 and "mislabelled" in problems[0] and "bd09" in problems[0]
    # A wrong district under every system is reported differently.
    assert "under no coordinate system" in crs_problems(index, lon, lat, "bd09", "140181")[0]


# --- reference places: every expectation checked by hand ---------------------------------------------------

NAME_TO_ADCODE = {
    "小店区": "140105", "迎泽区": "140106", "杏花岭区": "140107", "尖草坪区": "140108", "万柏林区": "140109",
    "晋源区": "140110", "清徐县": "140121", "阳曲县": "140122", "娄烦县": "140123", "古交市": "140181",
}

# Places where the source district is wrong or doubtful: the district our boundaries give, and why.
EXCEPTIONS: dict[str, tuple[str, str]] = {
    "山西国际商务职业学院": ("140110", "source says 小店区 (Baidu area field); point lies ~4.9 km west of it, west of the Fen in 晋源区 — the record's notes already doubt it"),
    "山西水利职业技术学院": ("140108", "source says 小店区; point lat 37.896 is ~4.5 km north of 小店区 — notes say the district field is likely wrong"),
    "太原城市职业技术学院": ("140106", "source says 尖草坪区; point is in the city centre-east, ~4.7 km outside 尖草坪区 — notes doubt it"),
    "山西铁道职业技术学院": ("140106", "source says 杏花岭区; point lies ~2.3 km south of it, in 迎泽区 — notes doubt it"),
    "山西应用科技学院(新校区)": ("140121", "source says 小店区; the point is ~1.1 km inside 清徐县 — notes call point/district uncertain"),
    "山西林业职业技术学院": ("140108", "source says 杏花岭区; point is ~190 m outside it, across the 杏花岭/尖草坪 border: POI or simplified-border precision, not a CRS error"),
    "唱经楼": ("140106", "official release says 杏花岭区, the repo said 迎泽区; a coarse text geocode ~10 m from the border (notes: CONFLICT)"),
}


def _places() -> list[dict[str, Any]]:
    if not REFERENCE_PLACES.exists():
        pytest.skip(f"{REFERENCE_PLACES} not present")
    return json.loads(REFERENCE_PLACES.read_text(encoding="utf-8"))


def _crs_of(record: dict[str, Any]) -> str:
    return "bd09" if record["crs"].startswith("BD-09") else "gcj02"


def test_reference_places_fall_in_the_verified_districts(index: DistrictIndex) -> None:
    places = [p for p in _places() if p["lon"] is not None]
    assert len(places) == 71  # 3 records have no coordinates (dropped by the source as centroids/wrong POIs)
    expected = [EXCEPTIONS[p["place"]][0] if p["place"] in EXCEPTIONS else NAME_TO_ADCODE[p["district"]] for p in places]
    got = []
    for place in places:
        lon, lat = to_wgs84(place["lon"], place["lat"], _crs_of(place))
        got.append(str(index.district_of(lon, lat)[0]))
    mismatches = [(p["place"], e, g) for p, e, g in zip(places, expected, got) if e != g]
    assert mismatches == []
    assert sum(p["place"] in EXCEPTIONS for p in places) == len(EXCEPTIONS)


def test_bd09_points_need_conversion_to_land_in_their_district(index: DistrictIndex) -> None:
    """Why the input system matters: these Baidu points fall in another district if taken as WGS-84."""
    by_name = {p["place"]: p for p in _places()}
    for name, as_wgs84 in [("太原学院", "140106"), ("山西师范大学(太原校区)", "140702"), ("太原旅游职业学院", "140106")]:
        place = by_name[name]
        assert index.district_of(place["lon"], place["lat"]).tolist() == [as_wgs84]
        assert index.district_of(*to_wgs84(place["lon"], place["lat"], "bd09")).tolist() == ["140105"]


def test_region_shortcut_matches_the_polygon_test(index: DistrictIndex) -> None:
    """Regions read membership from the district; on random points that must equal the geometric test."""
    assert {"central_shanxi", "tai_jin", "tai_xin", "fenhe"} <= set(index.county_sets)
    rng = np.random.default_rng(3)
    lon, lat = rng.uniform(110.5, 114.5, 50_000), rng.uniform(36.0, 39.5, 50_000)
    fast = index.locate(lon, lat).corridors
    slow = index.corridors.membership(lon, lat)
    for code in index.corridors.codes:
        assert np.array_equal(fast[code], slow[code]), code
    assert fast["tai_jin"].any() and not fast["tai_jin"].all()
