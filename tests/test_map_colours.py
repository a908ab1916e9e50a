"""Map group colours are keyed by code: a chain or strategy keeps its colour under every filter (issue 14)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from registry.db import session_scope
from registry.maps.data import map_data
from registry.queries import ProjectFilter, resolve
from tests.conftest import settings_for


@pytest.mark.parametrize("group_by", ["chain", "strategy"])
def test_a_group_keeps_its_colour_when_the_filter_changes(seeded_url: str, group_by: str) -> None:
    with session_scope(settings_for(seeded_url)) as session:
        views = [map_data(session, resolve(session, flt), group_by) for flt in (
            ProjectFilter(), ProjectFilter(districts=("小店",)), ProjectFilter(districts=("阳曲",)),
            ProjectFilter(min_investment=Decimal(10)))]
    everything = {g["name"]: g["colour"] for g in views[0]["groups"]}
    assert len(set(everything.values())) == len(everything)  # no two groups share a colour
    for view in views[1:]:
        assert view["groups"]
        for group in view["groups"]:
            assert group["colour"] == everything[group["name"]], group["name"]
    # The order changed between views (largest first), so equal colours are not an accident of order.
    orders = {tuple(g["name"] for g in v["groups"]) for v in views}
    assert len(orders) > 1
