"""/api/geocode answers like `kpr geocode`, with clear 400s for bad input."""
from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.conftest import settings_for
from web import create_app


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> FlaskClient:
    # The geocoder reads geodata files only; an empty SQLite file is enough for the app to start.
    url = f"sqlite:///{tmp_path_factory.mktemp('api') / 'api.sqlite3'}"
    return create_app(settings_for(url)).test_client()


def test_text(client: FlaskClient) -> None:
    data = client.get("/api/geocode", query_string={"q": "清徐县"}).get_json()
    assert data["district_code"] == "140121" and data["precision"] == 3 and data["evidence"]


def test_point_in_bd09(client: FlaskClient) -> None:
    from registry.crs import from_wgs84

    lon, lat = from_wgs84(112.55, 37.80, "bd09")
    data = client.get("/api/geocode", query_string={"lon": float(lon), "lat": float(lat), "crs": "bd09"}).get_json()
    assert data["district_code"] == "140105" and data["input_crs"] == "bd09"
    assert data["lon"] == pytest.approx(112.55, abs=1e-6)


@pytest.mark.parametrize("params, words", [
    ({"lon": "abc", "lat": "37"}, "not a number"),
    ({"lon": "112.5"}, "both"),
    ({}, "give q"),
    ({"lon": "112.5", "lat": "37.8", "crs": "mars"}, "mars"),
    ({"lon": "37.8", "lat": "112.5"}, "swapped"),
])
def test_bad_input_is_400_with_reason(client: FlaskClient, params: dict[str, str], words: str) -> None:
    resp = client.get("/api/geocode", query_string=params)
    assert resp.status_code in (400, 422) and words in resp.get_json()["message"]
