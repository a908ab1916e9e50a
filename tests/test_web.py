"""The Flask adapter over a real database: list, twins, detail, errors, escaping."""
from __future__ import annotations

import csv
import io

import pytest
from flask.testing import FlaskClient

from registry.db import session_scope
from registry.upsert import apply_project_dicts
from tests.conftest import settings_for
from web import create_app


@pytest.fixture
def client(seeded_url: str) -> FlaskClient:
    return create_app(settings_for(seeded_url)).test_client()


def test_list_page_shows_seeded_projects_and_filter_words(client: FlaskClient) -> None:
    page = client.get("/projects?strategy=jjj").get_data(as_text=True)
    assert "筛选：区域战略：京津冀协同发展" in page
    data = client.get("/projects.json?strategy=jjj").get_json()
    assert data["count"] == len(data["projects"]) > 0
    assert f">{data['count']}</b> 个项目" in page


def test_csv_twin_has_bom_and_same_rows(client: FlaskClient) -> None:
    resp = client.get("/projects.csv?strategy=jjj")
    body = resp.get_data(as_text=True)
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert len(rows) - 1 == client.get("/projects.json?strategy=jjj").get_json()["count"]


def test_detail_page_cites_sources(client: FlaskClient) -> None:
    code = client.get("/projects.json").get_json()["projects"][0]["code"]
    page = client.get(f"/projects/{code}").get_data(as_text=True)
    assert ".txt" in page and "第" in page


def test_unknown_project_is_404_in_both_twins(client: FlaskClient) -> None:
    assert client.get("/projects/NOPE").status_code == 404
    resp = client.get("/projects/NOPE.json")
    assert resp.status_code == 404 and resp.get_json()["error"] == "not_found"


def test_bad_filter_is_400_with_message(client: FlaskClient) -> None:
    resp = client.get("/projects.json?min_investment=lots")
    assert resp.status_code == 400 and "min_investment" in resp.get_json()["message"]


def test_project_named_script_shows_as_text(migrated_url: str) -> None:
    settings = settings_for(migrated_url)
    evil = "<script>alert(1)</script>"
    with session_scope(settings) as session:
        apply_project_dicts(session, [{"code": "XSS-1", "name": evil, "aliases": [evil],
                                       "sources": [{"document": "test", "excerpt": evil}]}])
    try:
        client = create_app(settings).test_client()
        for url in ("/projects", "/projects/XSS-1", "/projects?q=script"):
            html = client.get(url).get_data(as_text=True)
            assert evil not in html and "&lt;script&gt;" in html, url
    finally:
        from sqlalchemy import delete

        from registry.models import Project
        with session_scope(settings) as session:
            session.execute(delete(Project).where(Project.code == "XSS-1"))


def test_review_list_shows_only_projects_whose_location_needs_checking(client: FlaskClient) -> None:
    page = client.get("/projects").get_data(as_text=True)
    assert "待核实位置" in page and "review=1" in page
    everything = client.get("/projects.json").get_json()
    review = client.get("/projects.json?review=1").get_json()
    assert 0 < review["count"] < everything["count"]
    assert all(p["needs_review"] for p in review["projects"])
    assert "仅待核实位置" in review["filter"]


def test_list_page_links_every_data_twin(client: FlaskClient) -> None:
    page = client.get("/projects?district=140122").get_data(as_text=True)
    for twin in ("/projects.json?", "/projects.csv?", "/projects.xlsx?", "/projects.geojson?"):
        assert twin + "district=140122" in page, twin
