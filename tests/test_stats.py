"""The 统计 dashboard: its figures equal the list page's facets and totals for the same filter, every bar's
link opens a list with exactly that bar's figures, and each chart is a standalone SVG."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from registry.queries import ProjectFilter, resolve
from tests.conftest import settings_for
from web import create_app
from web.session import get_session

FILTERS = ["", "district=小店区", "strategy=jjj", "chain=new_materials", "min_investment=10", "q=太原"]
DIMENSIONS = ("chains", "strategies", "districts", "zones", "statuses")
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def app(seeded_url: str) -> Flask:
    return create_app(settings_for(seeded_url))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def _list_facets(app: Flask, query: str) -> dict[str, dict[str, int]]:
    """The facets the list page renders (the in-memory facet index) for this query."""
    with app.test_request_context(f"/projects?{query}"):
        from web.request_filter import request_filter

        session = get_session()
        found = app.extensions["kpr_facet_index"].get(session).evaluate(resolve(session, request_filter()))
        return {k: {v.code: v.count for v in values} for k, values in found.facets().items()}


@pytest.mark.parametrize("query", FILTERS)
def test_dashboard_equals_the_list_page_facets_and_totals(app: Flask, client: FlaskClient, query: str) -> None:
    stats = client.get(f"/stats.json?{query}").get_json()
    listing = client.get(f"/projects.json?{query}").get_json()
    assert (stats["count"], stats["total_investment"], stats["without_amount"]) == (
        listing["count"], listing["total_investment"], listing["without_amount"])
    assert stats["filter"] == listing["filter"]
    facets = _list_facets(app, query)
    for key in DIMENSIONS:
        assert {b["code"]: b["count"] for b in stats["charts"][key]["bars"]} == facets[key], key
    bands = stats["charts"]["bands"]["bars"]
    if "min_investment" not in query:  # the bands replace the amount bounds; together they cover every project
        assert sum(b["count"] for b in bands) == listing["count"]
        assert bands[-1]["code"] == "none" and bands[-1]["without_amount"] == listing["without_amount"]
        assert bands[-1]["list"] is None  # the list has no filter for "no amount": not a dead link


def _figures(data: dict[str, Any]) -> tuple[int, Decimal, int]:
    return data["count"], Decimal(str(data["total_investment"])), data["without_amount"]


@pytest.mark.parametrize("query", ["", "district=小店区"])
def test_every_bar_links_to_a_list_with_its_figures(app: Flask, client: FlaskClient, query: str) -> None:
    stats = client.get(f"/stats.json?{query}").get_json()
    checked = rolled_up = 0
    for key, chart in stats["charts"].items():
        for bar in chart["bars"]:
            if bar["list"] is None:
                continue
            url = urlsplit(bar["list"])
            assert url.path == "/projects"
            listing = client.get(f"/projects.json?{url.query}").get_json()
            with app.test_request_context(bar["list"]):
                from web.request_filter import request_filter

                matched = getattr(resolve(get_session(), request_filter()), key, ())
            if len(matched) > 1:  # a parent: the list takes in its children, the bar (like the facet) does not
                assert listing["count"] >= bar["count"] and "点开的列表含其下级" in chart["note"], (key, bar)
                rolled_up += 1
            else:
                assert _figures(listing) == _figures(bar), (key, bar)
                checked += 1
    assert checked > 20
    print(f"{checked} bars equal their list; {rolled_up} parent bars whose list also holds their children")


def test_page_draws_one_svg_per_chart_with_links_and_downloads(client: FlaskClient) -> None:
    html = client.get("/stats?district=小店区").get_data(as_text=True)
    for key in (*DIMENSIONS, "bands"):
        assert f'data-testid="chart-{key}"' in html
        assert f'href="/stats/{key}.svg?district=%E5%B0%8F%E5%BA%97%E5%8C%BA" download' in html
    assert html.count("<svg ") == 6 and 'class="bar"' in html and "http" not in html.split("<main>")[1].split(
        "xmlns=")[0]
    assert "/projects?district=" in html


def test_chart_svg_is_a_standalone_file_with_the_json_figures(client: FlaskClient) -> None:
    resp = client.get("/stats/districts.svg")
    assert resp.status_code == 200 and resp.mimetype == "image/svg+xml"
    assert "attachment" in resp.headers["Content-Disposition"] and ".svg" in resp.headers["Content-Disposition"]
    root = ET.fromstring(resp.data)
    assert root.tag == f"{SVG}svg"
    drawn = {a.get("data-code"): int(a.get("data-count") or 0) for a in root.iter(f"{SVG}a")}
    bars = client.get("/stats.json").get_json()["charts"]["districts"]["bars"]
    assert drawn == {b["code"]: b["count"] for b in bars[:20]}
    assert all((a.get("href") or "").startswith("http://localhost/projects?") for a in root.iter(f"{SVG}a"))


def test_unknown_chart_is_404_and_bad_filter_is_400(client: FlaskClient) -> None:
    assert client.get("/stats/nope.svg").status_code == 404
    resp = client.get("/stats.json?min_investment=lots")
    assert resp.status_code == 400 and "min_investment" in resp.get_json()["message"]
    assert client.get("/stats?district=nowhere").status_code == 400


def test_nav_links_to_the_dashboard(client: FlaskClient) -> None:
    assert 'href="/stats" data-testid="stats-link">统计<' in client.get("/projects").get_data(as_text=True)


def test_stats_core_without_flask(seeded_url: str) -> None:
    from registry.db import session_scope
    from registry.stats import dashboard

    with session_scope(settings_for(seeded_url)) as session:
        board = dashboard(session, resolve(session, ProjectFilter(districts=("小店",))))
    assert [c.key for c in board.charts] == ["chains", "strategies", "districts", "zones", "bands", "statuses"]
    statuses = board.charts[-1].bars
    assert sum(b.count for b in statuses) == board.totals.count  # one status per project
    assert sum(b.investment_sum for b in statuses) == board.totals.investment_sum
