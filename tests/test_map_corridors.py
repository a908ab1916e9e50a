"""A strategy filter switches on its own corridors and regions on the map (issue 14)."""
from __future__ import annotations

import json
import re

import pytest
from flask.testing import FlaskClient

from tests.conftest import settings_for
from web import create_app


@pytest.fixture
def client(seeded_url: str) -> FlaskClient:
    return create_app(settings_for(seeded_url)).test_client()


def _corridors_on(client: FlaskClient, query: str) -> list[str]:
    html = client.get(f"/map?{query}").get_data(as_text=True)
    found = re.search(r'"corridors": ?(\[[^\]]*\])', html)
    assert found, "map config without corridors"
    return list(json.loads(found.group(1)))


def test_a_strategy_switches_on_its_corridors(client: FlaskClient) -> None:
    assert _corridors_on(client, "") == []
    jjj = _corridors_on(client, "strategy=jjj")
    assert jjj and "jjj" not in jjj  # its corridors, not the strategy itself (it has no shape of its own)
    assert client.get("/projects.json?corridor=" + jjj[0]).status_code == 200  # a code the filters know
    assert set(jjj) <= set(_corridors_on(client, "strategy=jjj&corridor=" + jjj[0]))
    assert _corridors_on(client, "corridor=fenhe") == ["fenhe"]
    assert "fenhe" in _corridors_on(client, "strategy=yellow_river")  # 汾河生态廊道 belongs to 黄河流域
