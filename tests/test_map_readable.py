"""The map people can read (issue 14), without a browser: the Excel link, the size scale, district badges,
labels, the projects not on the map. Database tests run on SQLite and PostgreSQL (seeded_url)."""
from __future__ import annotations

import io
import re
from html import unescape

import openpyxl
import pytest
from flask.testing import FlaskClient

from tests.conftest import settings_for
from web import create_app


@pytest.fixture
def client(seeded_url: str) -> FlaskClient:
    return create_app(settings_for(seeded_url)).test_client()


def test_map_page_links_the_excel_twin_with_its_filter(client: FlaskClient) -> None:
    page = client.get("/map?strategy=jjj&group_by=strategy").get_data(as_text=True)
    link = re.search(r'href="([^"]+)" data-testid="xlsx-link"', page)
    assert link, "no Excel link on the map page"
    resp = client.get(unescape(link.group(1)))
    assert resp.status_code == 200 and "spreadsheetml" in resp.mimetype
    listed = client.get("/projects.json?strategy=jjj&limit=1000").get_json()
    book = openpyxl.load_workbook(io.BytesIO(resp.data))
    notes = {r[0]: r[1] for r in book["口径说明"].iter_rows(values_only=True) if r[0]}
    assert notes["项目数（与网页一致）"] == listed["count"] < client.get("/projects.json").get_json()["count"]
