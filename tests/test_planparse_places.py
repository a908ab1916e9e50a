"""The parser states a district or another city only where the words say so (issue 13 §1)."""
from __future__ import annotations

from registry.planparse import places


def test_street_named_after_a_district_states_no_district() -> None:
    assert places.districts_named("太原市万柏林区迎泽西大街79号") == ["140109"]  # issue 13's example
    assert places.districts_named("迎泽大街东延") == []  # 004 专栏7-3
    assert places.districts_named("迎泽区文物保护利用示范区") == ["140106"]  # 004 l.3952


def test_river_name_is_no_other_province() -> None:
    assert not places.names_other_city("汾河北段片区")  # 004 专栏7-1
    assert places.names_other_city("与河北拟建的西柏坡至梁家寨段相接")  # 001 专栏1 (1)
