"""The map people can read (issue 14), without a browser: the Excel link, the size scale, district badges,
labels, the projects not on the map. Database tests run on SQLite and PostgreSQL (seeded_url)."""
from __future__ import annotations

import io
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import openpyxl
import pytest
import shapely
from flask.testing import FlaskClient
from shapely.geometry import Point, shape
from sqlalchemy.orm import Session

from registry.db import session_scope
from registry.maps.anchors import load_anchors
from registry.maps.data import map_data
from registry.maps.symbols import R_MAX, R_MIN, radius, size_scale
from registry.queries import ProjectFilter, resolve
from registry.upsert import apply_project_dicts
from tests.account_helpers import prepare
from tests.conftest import rolled_back_session, settings_for
from web import create_app

EVIL = "<script>alert(1)</script>"


@pytest.fixture
def client(seeded_url: str) -> FlaskClient:
    return create_app(settings_for(seeded_url)).test_client()


def test_map_page_links_the_excel_twin_with_its_filter(client: FlaskClient) -> None:
    page = client.get("/map?strategy=jjj&group_by=strategy").get_data(as_text=True)
    link = re.search(r'href="([^"]+)" data-testid="xlsx-link"', page)
    assert link, "no Excel link on the map page"
    resp = client.get(unescape(link.group(1)))
    assert resp.status_code == 200 and "spreadsheetml" in (resp.mimetype or "")
    listed = client.get("/projects.json?strategy=jjj&limit=1000").get_json()
    book = openpyxl.load_workbook(io.BytesIO(resp.data))
    notes = {r[0]: r[1] for r in book["口径说明"].iter_rows(values_only=True) if r[0]}
    assert notes["项目数（与网页一致）"] == listed["count"] < client.get("/projects.json").get_json()["count"]


# --- the size scale -------------------------------------------------------------------------------------------

def test_symbol_area_is_proportional_to_the_amount_above_the_smallest_size() -> None:
    scale = size_scale([300, 48, 12, 0.5])
    assert scale and scale["largest"] == 300 and scale["rule"] == "sqrt"
    assert radius(300, 300) == R_MAX
    assert radius(75, 300) ** 2 == pytest.approx(R_MAX ** 2 / 4)  # a quarter of the amount, a quarter of the area
    assert radius(0.01, 300) == R_MIN  # still visible and clickable
    ticks = scale["ticks"]
    assert ticks[0] == {"value": 300, "r": R_MAX}
    assert [t["value"] for t in ticks] == sorted((t["value"] for t in ticks), reverse=True)
    assert all(t["r"] > R_MIN + 1 and t["r"] == round(radius(t["value"], 300), 2) for t in ticks)
    assert size_scale([]) is None and size_scale([0]) is None


# --- map data: own sites sized, district-level projects counted at one anchor ----------------------------------

@pytest.fixture
def seeded_session(seeded_url: str) -> Iterator[Session]:
    """The seeded database, with whatever the test adds rolled back afterwards."""
    with rolled_back_session(seeded_url) as session:
        yield session


SITES = [{"code": "SITE-BIG", "name": "大项目", "lon": 112.56, "lat": 37.80, "total_investment": "120"},
         {"code": "SITE-SMALL", "name": "小项目", "lon": 112.50, "lat": 37.90, "total_investment": "7.5"},
         {"code": "SITE-NONE", "name": "未列金额", "lon": 112.45, "lat": 37.75}]


def test_district_level_projects_share_their_anchor_and_own_sites_set_the_size_scale(
        seeded_session: Session) -> None:
    apply_project_dicts(seeded_session, SITES)
    anchors = load_anchors(seeded_session)
    data = map_data(seeded_session, resolve(seeded_session, ProjectFilter()), "chain", anchors=anchors)
    col = {name: i for i, name in enumerate(data["columns"])}
    by_anchor: dict[str, set[tuple[float, float]]] = {}
    for row in data["rows"]:
        key = row[col["anchor"]]
        if key is None:
            continue
        by_anchor.setdefault(key, set()).add((row[col["lon"]], row[col["lat"]]))
        kind, code = key.split(":")
        info = data["anchors"][key]
        assert info["param"] == {"d": "district", "z": "zone"}[kind] and info["value"] == code and info["name"]
    assert by_anchor, "the seeds place projects at district level"
    for key, spots in by_anchor.items():  # no jitter: one badge position per place
        kind, code = key.split(":")
        expected = (anchors.districts if kind == "d" else anchors.zones)[code]
        assert spots == {(round(expected[0], 5), round(expected[1], 5))}, key
    own = {row[col["code"]]: row for row in data["rows"] if row[col["anchor"]] is None}
    # Own sites: ours, and seeded projects placed at a named site of the gazetteer (precision 2).
    assert {s["code"] for s in SITES} <= set(own)
    assert all(row[col["precision"]] <= 2 for row in own.values())
    amounts = [row[col["investment"]] for row in own.values() if row[col["investment"]] is not None]
    # Own sites only set the scale: district-level amounts (however large) do not.
    assert data["size"]["largest"] == max(amounts)
    placed_at_districts = [row[col["investment"]] for row in data["rows"]
                           if row[col["anchor"]] is not None and row[col["investment"]] is not None]
    assert max(placed_at_districts) > max(amounts)  # so the rule above can fail


def test_no_size_key_without_a_sized_symbol(seeded_session: Session) -> None:
    data = map_data(seeded_session, resolve(seeded_session, ProjectFilter(districts=("阳曲",))), "chain")
    assert data["rows"] and all(row[-1] for row in data["rows"]) and data["size"] is None


# --- labels from our own boundaries ---------------------------------------------------------------------------

def test_base_layers_carry_district_and_neighbouring_city_labels_inside_their_areas(client: FlaskClient) -> None:
    base = client.get("/map/base.json").get_json()
    districts = {f["properties"]["name"]: shape(f["geometry"]) for f in base["districts"]["features"]}
    cities = {f["properties"]["name"]: shape(f["geometry"]) for f in base["context"]["features"]}
    labels = {(lab["kind"], lab["name"]): Point(lab["lon"], lab["lat"]) for lab in base["labels"]}
    assert {name for kind, name in labels if kind == "district"} == set(districts)
    assert {name for kind, name in labels if kind == "city"} == set(cities) >= {"晋中市", "忻州市"}
    city_box = shapely.box(*shapely.union_all(list(districts.values())).bounds).buffer(0.3)
    for (kind, name), point in labels.items():
        area = districts[name] if kind == "district" else cities[name]
        assert area.buffer(0.002).contains(point), name  # (display geometry is simplified)
        assert city_box.contains(point), name  # a neighbour's name sits where it meets Taiyuan, in view


# --- the projects not on the map --------------------------------------------------------------------------------

@pytest.mark.parametrize("query", ["", "strategy=jjj", "district=阳曲", "q=太原"])
def test_off_map_groups_hold_exactly_the_projects_the_map_leaves_out(client: FlaskClient, query: str) -> None:
    data = client.get(f"/map/data.json?{query}").get_json()
    page = client.get(f"/map?{query}").get_data(as_text=True)
    groups = dict(re.findall(r'<details data-reason="(\w+)" data-count="(\d+)">', page))
    by_reason = {"citywide": data["unplaced"].get("5", 0), "outside": data["unplaced"].get("6", 0)}
    by_reason["unknown"] = sum(data["unplaced"].values()) - sum(by_reason.values())
    assert {k: int(v) for k, v in groups.items()} == {k: v for k, v in by_reason.items() if v}
    drawn = {row[0] for row in data["rows"]}
    listed = re.findall(r'<li><a href="/projects/([^"]+)" data-code=', page)
    assert not drawn & set(listed)
    assert len(listed) == sum(min(int(n), 100) for n in groups.values())
    if not groups:
        assert "符合筛选的项目都已上图" in page



def test_the_legends_count_of_undrawn_projects_names_every_reason(client: FlaskClient) -> None:
    """The legend counts every project the map leaves out (全市, 市外 and 位置未知 alike, as the list beside the
    map does): its sentence must not call them all 位置未知 when some are city-wide or outside Taiyuan."""
    from registry.maps.labels import map_labels

    data = client.get("/map/data.json").get_json()
    assert data["unplaced"].get("5") or data["unplaced"].get("6")  # the seeds have city-wide projects
    for lang, reasons in (("zh", ("全市", "市外", "位置未知")), ("en", ("city-wide", "outside Taiyuan", "unknown"))):
        sentence = map_labels(lang)["unplaced"]
        assert all(reason in sentence for reason in reasons), (lang, sentence)


def test_off_map_list_links_details_and_editors_get_a_place_link(fresh_url: str, tmp_path: Path) -> None:
    site = prepare(fresh_url, tmp_path)  # toy projects: T-1 in 小店区, T-2 and T-3 without a place
    with session_scope(settings_for(fresh_url)) as session:
        apply_project_dicts(session, [{"code": "EVIL-1", "name": EVIL}])
    anonymous = site.client().get("/map").get_data(as_text=True)
    assert re.search(r'<details data-reason="unknown" data-count="3">', anonymous)
    assert EVIL not in anonymous and "&lt;script&gt;alert(1)&lt;/script&gt;</a>" in anonymous
    assert 'href="/projects/T-2" data-code="T-2"' in anonymous and 'data-code="T-1"' not in anonymous
    assert "#place" not in anonymous
    for role, sees in (("viewer", False), ("editor", True)):
        page = site.client(role).get("/map").get_data(as_text=True)
        assert ('href="/projects/T-3#place" data-testid="place-T-3"' in page) is sees, role
    detail = site.client("editor").get("/projects/T-3").get_data(as_text=True)
    assert 'id="place"' in detail  # the link lands on the place panel



def test_the_off_map_list_speaks_english_too(client: FlaskClient) -> None:
    page = client.get("/map?lang=en").get_data(as_text=True)
    assert "Projects not on the map" in page and "City-wide (全市)" in page and "不在地图上的项目" not in page
