"""Compression on the wire (issue 16): the map data and JSON twins travel gzip/brotli-compressed when the
browser asks for it, decode to exactly the same document, and HTML pages (they carry the CSRF token) do not."""
from __future__ import annotations

import gzip
import json

import brotli
import pytest
from flask.testing import FlaskClient

from tests.conftest import settings_for
from web import create_app


@pytest.fixture
def client(seeded_url: str) -> FlaskClient:
    return create_app(settings_for(seeded_url)).test_client()


@pytest.mark.parametrize("path", ["/map/data.json", "/projects.json?limit=200", "/map/base.json", "/stats.json"])
def test_json_is_compressed_and_decodes_to_the_same_document(client: FlaskClient, path: str) -> None:
    plain = client.get(path)
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    for encoding, decode in (("gzip", gzip.decompress), ("br", brotli.decompress)):
        packed = client.get(path, headers={"Accept-Encoding": encoding})
        assert packed.headers["Content-Encoding"] == encoding
        assert "Accept-Encoding" in packed.headers["Vary"]
        assert len(packed.data) < len(plain.data) / 2
        assert json.loads(decode(packed.data)) == json.loads(plain.data)


def test_pages_with_a_csrf_token_are_not_compressed(client: FlaskClient) -> None:
    for path in ("/projects", "/map", "/login"):
        resp = client.get(path, headers={"Accept-Encoding": "gzip, br"})
        assert resp.status_code == 200 and "Content-Encoding" not in resp.headers, path


def test_downloads_are_sent_as_they_are(client: FlaskClient) -> None:
    resp = client.get("/projects.csv", headers={"Accept-Encoding": "gzip, br"})
    assert resp.status_code == 200 and "Content-Encoding" not in resp.headers


def test_the_map_data_is_compressed_once_per_stamp_and_revalidates(client: FlaskClient) -> None:
    first = client.get("/map/data.json", headers={"Accept-Encoding": "br"})
    again = client.get("/map/data.json", headers={"Accept-Encoding": "br"})
    assert first.data == again.data and first.headers["ETag"] == again.headers["ETag"]
    plain = client.get("/map/data.json")
    assert plain.headers["ETag"] != first.headers["ETag"]  # a cache must not hand one encoding for the other
    unchanged = client.get("/map/data.json", headers={"Accept-Encoding": "br", "If-None-Match": first.headers["ETag"]})
    assert unchanged.status_code == 304
