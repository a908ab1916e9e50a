"""The map without a browser: local assets only, data that agrees with the list, escaping, GCJ-02 overlays,
the standalone file. Database tests run on SQLite and PostgreSQL (seeded_url)."""
from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import folium
import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from folium.plugins import MarkerCluster

from registry.cli import main
from registry.db import session_scope
from registry.maps import assets
from registry.maps.labels import map_labels
from registry.maps.page import MapOptions, Source, build_map, render_parts, render_standalone
from registry.queries import ProjectFilter, resolve, totals
from tests.conftest import settings_for
from web import create_app

# A tag that would make the browser fetch something off the host (links in text, like Leaflet's attribution
# <a href>, fetch nothing; the browser tests watch the real requests).
OFF_HOST = re.compile(r"""<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.IGNORECASE)


@pytest.fixture
def client(seeded_url: str) -> FlaskClient:
    return create_app(settings_for(seeded_url)).test_client()


def _options() -> MapOptions:
    return MapOptions(data=Source(url="/d"), base=Source(url="/b"), labels=map_labels("zh"))


def test_localising_one_map_leaves_folium_class_lists_alone() -> None:
    before_js, before_css = list(folium.Map.default_js), list(MarkerCluster.default_css)
    fmap = build_map(_options())
    MarkerCluster().add_to(fmap)
    parts = render_parts(fmap, lambda pkg, path: f"/assets/{pkg}/{path}")
    assert folium.Map.default_js == before_js and MarkerCluster.default_css == before_css
    assert "/assets/leaflet/leaflet.js" in parts.header
    assert '"maxZoom": 18' in parts.script  # tiles=None: MarkerCluster and fitBounds need the map's own maxZoom
    assert "/assets/leaflet-markercluster/leaflet.markercluster.js" in parts.header
    assert not OFF_HOST.search(parts.header + parts.html + parts.script), parts.header
    # A second, untouched map still renders Folium's CDN links: nothing leaked globally.
    untouched = folium.Map(tiles=None).get_root().render()
    assert "cdn.jsdelivr.net" in untouched and OFF_HOST.search(untouched)


def test_our_scripts_are_declared_like_folium_plugins() -> None:
    """Issue 15: the point-layer plugin and the page glue come from their elements' default_js, localised like
    any plugin's; the plugin loads after Leaflet and before the glue, and defines nothing but L.KprPointLayer."""
    from registry.maps.page import KprLayers, KprPoints

    assert [name for name, _ in KprPoints.default_js] == ["kpr_points.js"]
    assert [name for name, _ in KprLayers.default_js] == ["kpr_map.js"]
    parts = render_parts(build_map(_options()), lambda pkg, path: f"/assets/{pkg}/{path}")
    order = [parts.header.index(f"/assets/{p}") for p in ("leaflet/leaflet.js", "kpr/kpr_points.js", "kpr/kpr_map.js")]
    assert order == sorted(order) and "/assets/kpr/kpr_map.css" in parts.header
    plugin = assets.package_file("kpr", "kpr_points.js").read_text(encoding="utf-8")
    assert not re.search(r"window\.\w+\s*=[^=]", plugin) and "KprMap" not in plugin and "L.KprPointLayer = " in plugin


def test_jquery_is_linked_only_for_folium_popups() -> None:
    ours = build_map(_options())
    assert ("jquery", ("jquery", "jquery.min.js")) not in assets.collect(ours)[0]
    with_popup = build_map(_options())
    folium.Marker((37.8, 112.5), popup=folium.Popup("x")).add_to(with_popup)
    js, _ = assets.collect(with_popup)
    assert js[0] == ("jquery", ("jquery", "jquery.min.js")) and assets.package_file("jquery", "jquery.min.js")


def test_unknown_or_unservable_assets_are_refused() -> None:
    fmap = build_map(_options())
    folium.Marker((37.8, 112.5), icon=folium.Icon(color="red")).add_to(fmap)
    with pytest.raises(assets.AssetUnavailable, match="awesome-markers"):
        assets.collect(fmap)

    class Plugin(folium.elements.JSCSSMixin):
        default_js = [("mystery", "https://cdn.example.com/mystery.js")]  # noqa: RUF012 (Folium's own shape)

    other = build_map(_options())
    other.add_child(Plugin())
    with pytest.raises(assets.AssetUnavailable, match="mystery"):
        assets.collect(other)


def test_package_files_never_escape_their_folder() -> None:
    assert assets.package_file("leaflet", "leaflet.js").is_file()
    for bad in ("../__init__.py", "/etc/passwd", "images/../../__init__.py"):
        with pytest.raises(FileNotFoundError):
            assets.package_file("leaflet", bad)
    with pytest.raises(FileNotFoundError):
        assets.package_file("nope", "x.js")


def test_inlined_css_embeds_its_images() -> None:
    css = assets.inline_css("leaflet", "leaflet.css")
    assert "url(data:image/png;base64," in css and "url(images/" not in css


def test_asset_route_serves_packages_and_refuses_traversal(client: FlaskClient) -> None:
    resp = client.get("/assets/leaflet/leaflet.js")
    assert resp.status_code == 200 and b"Leaflet" in resp.data[:400]
    assert client.get("/assets/kpr/kpr_map.js").status_code == 200
    assert client.get("/assets/kpr/kpr_points.js").status_code == 200
    assert client.get("/assets/leaflet/..%2F__init__.py").status_code == 404
    assert client.get("/assets/nope/x.js").status_code == 404


def test_map_page_is_small_local_and_agrees_with_the_list(client: FlaskClient) -> None:
    resp = client.get("/map?strategy=jjj&group_by=strategy")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200 and len(resp.data) < 200_000
    assert not OFF_HOST.search(page)
    listed = client.get("/projects.json?strategy=jjj").get_json()
    assert f'data-testid="count">{listed["count"]}</b>' in page
    assert 'href="/projects?strategy=jjj"' in page  # the list with the same filter
    assert "/map/data.json?strategy=jjj&amp;group_by=strategy" in page or \
        "/map/data.json?strategy=jjj\\u0026group_by=strategy" in page
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("query", ["", "strategy=jjj", "district=阳曲", "chain=hi_equipment", "min_investment=10",
                                   "q=太原&status=unknown"])
def test_map_data_matches_list_rows_and_totals(client: FlaskClient, query: str) -> None:
    listed = client.get(f"/projects.json?{query}").get_json()
    for group_by in ("chain", "strategy"):
        data = client.get(f"/map/data.json?{query}&group_by={group_by}").get_json()
        assert data["count"] == listed["count"]
        assert Decimal(data["total_investment"]) == Decimal(str(listed["total_investment"]))
        codes = {p["code"] for p in listed["projects"]}
        drawn = {row[0] for row in data["rows"]}
        assert drawn <= codes
        assert len(drawn) + sum(data["unplaced"].values()) == data["count"]
        # Every matching project is in at least one group; a group's count is its members.
        assert sum(g["count"] for g in data["groups"]) >= data["count"]
        members = [0] * len(data["groups"])
        for row in data["rows"]:
            for g in row[data["columns"].index("groups")]:
                members[g] += 1
        assert all(m <= g["count"] for m, g in zip(members, data["groups"]))


def test_district_figures_equal_the_list_with_that_district(client: FlaskClient) -> None:
    data = client.get("/map/data.json?strategy=jjj").get_json()
    assert data["districts"]
    for adcode, fig in data["districts"].items():
        listed = client.get(f"/projects.json?strategy=jjj&district={adcode}").get_json()
        assert fig["count"] == listed["count"], adcode
        assert Decimal(fig["investment"]) == Decimal(str(listed["total_investment"])), adcode
        assert fig["without_amount"] == listed["without_amount"]


def test_totals_sum_is_in_yi_not_divided_twice(seeded_url: str) -> None:
    """Regression: SUM over the YiYuan column came back converted, then divided by 10 000 again."""
    with session_scope(settings_for(seeded_url)) as session:
        rf = resolve(session, ProjectFilter(min_investment=Decimal(100)))
        from registry.queries import fetch_rows

        rows = fetch_rows(session, rf)
        assert rows
        assert totals(session, rf).investment_sum == sum(r.total_investment for r in rows if r.total_investment)


def test_bad_group_by_and_shade_are_400(client: FlaskClient) -> None:
    assert client.get("/map?group_by=colour").status_code == 400
    resp = client.get("/map/data.json?group_by=colour")
    assert resp.status_code == 400 and "group_by" in resp.get_json()["message"]
    assert client.get("/map?shade=rainbow").status_code == 400


def test_base_layers_mark_schematic_zones_and_cache(client: FlaskClient) -> None:
    resp = client.get("/map/base.json")
    base = resp.get_json()
    assert len(base["districts"]["features"]) == 10
    assert {f["properties"]["status"] for f in base["zones"]["features"]} <= {"schematic", "official"}
    assert any(f["properties"]["kind"] == "corridor" for f in base["corridors"]["features"])
    assert client.get("/map/base.json", headers={"If-None-Match": resp.headers["ETag"].strip('"')}).status_code == 304


def test_gcj02_tiles_shift_every_overlay(seeded_url: str) -> None:
    wgs = create_app(settings_for(seeded_url)).test_client()
    gcj = create_app(settings_for(seeded_url, tiles_url="http://127.0.0.1:9/{z}/{x}/{y}.png",
                                  tiles_crs="gcj02")).test_client()
    a, b = wgs.get("/map/data.json").get_json(), gcj.get("/map/data.json").get_json()
    assert b["crs"] == "gcj02" and a["rows"]
    for ra, rb in zip(a["rows"], b["rows"]):
        assert ra[0] == rb[0]
        shift_m = (((rb[2] - ra[2]) * 88_000) ** 2 + ((rb[3] - ra[3]) * 111_000) ** 2) ** 0.5
        assert 300 < shift_m < 900  # the GCJ-02 offset in Taiyuan is ~550–610 m
    da = wgs.get("/map/base.json").get_json()["districts"]["features"][0]["geometry"]["coordinates"]
    db = gcj.get("/map/base.json").get_json()["districts"]["features"][0]["geometry"]["coordinates"]
    assert da != db
    page = gcj.get("/map").get_data(as_text=True)
    assert "127.0.0.1:9/{z}/{x}/{y}.png" in page


def test_list_page_links_to_map_with_same_filters_and_keeps_them_when_paging(client: FlaskClient) -> None:
    page = client.get("/projects?status=unknown&group_by=strategy&sort=-name").get_data(as_text=True)
    assert 'href="/map?status=unknown&amp;group_by=strategy"' in page
    assert 'name="min_investment"' in page and 'name="group_by"' in page
    nxt = re.search(r'href="\?([^"]+)" data-testid="next"', page)
    assert nxt and "status=unknown" in nxt.group(1) and "sort=-name" in nxt.group(1) and "page=2" in nxt.group(1)


def test_detail_page_has_a_small_map_and_links_to_its_lists(client: FlaskClient) -> None:
    code = next(p["code"] for p in client.get("/projects.json?strategy=jjj").get_json()["projects"]
                if p["district_code"])
    page = client.get(f"/projects/{code}").get_data(as_text=True)
    assert 'id="kpr-detail-data"' in page and "KprMap.start" in page
    assert "/projects?strategy=jjj" in page and "/projects?district=" in page
    assert not OFF_HOST.search(page)


def test_english_switch_is_remembered(client: FlaskClient) -> None:
    assert "项目列表" in client.get("/projects").get_data(as_text=True)
    page = client.get("/projects?lang=en").get_data(as_text=True)
    assert "Project list" in page and 'lang="en"' in page
    assert "Project list" in client.get("/projects").get_data(as_text=True)  # cookie
    assert "项目列表" in client.get("/projects?lang=zh").get_data(as_text=True)


def test_standalone_html_embeds_everything(tmp_path: Path) -> None:
    fmap = build_map(MapOptions(data=Source(element="d"), base=Source(element="b"), labels=map_labels("zh")))
    html = render_standalone(fmap, {"d": '{"name": "</script><script>alert(1)</script>"}', "b": "{}"}, "t<")
    assert not OFF_HOST.search(html)
    assert "<script src" not in html and "<link" not in html
    assert "</script><script>alert(1)" not in html
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in html
    assert "<title>t&lt;</title>" in html


def test_kpr_map_command_writes_an_offline_file(seeded_url: str, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KPR_DATABASE_URL", seeded_url)
    out = tmp_path / "map.html"
    result = CliRunner().invoke(main, ["map", "--group-by", "strategy", "--strategy", "jjj", "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert 'id="kpr-data"' in html and 'id="kpr-base"' in html and "京津冀协同发展" in html
    assert not OFF_HOST.search(html)
    bad = CliRunner().invoke(main, ["map", "--strategy", "nowhere", "-o", str(tmp_path / "x.html")])
    assert bad.exit_code != 0 and "strategy" in bad.output


def test_settings_replace_keeps_tiles_off_by_default(seeded_url: str) -> None:
    settings = settings_for(seeded_url)
    assert settings.tiles_url is None
    assert replace(settings, tiles_crs="gcj02").tiles_crs == "gcj02"


def test_cached_map_data_follows_every_change(migrated_url: str) -> None:
    """The data.json cache is keyed by a fingerprint of the projects: adding or editing one shows at once."""
    from sqlalchemy import delete

    from registry.models import Project
    from registry.upsert import apply_project_dicts

    settings = settings_for(migrated_url)
    client = create_app(settings).test_client()
    before = client.get("/map/data.json").get_json()["count"]
    try:
        with session_scope(settings) as session:
            apply_project_dicts(session, [{"code": "CACHE-1", "name": "缓存测试", "lon": 112.55, "lat": 37.85}])
        after = client.get("/map/data.json").get_json()
        assert after["count"] == before + 1
        with session_scope(settings) as session:
            apply_project_dicts(session, [{"code": "CACHE-1", "name": "缓存测试二", "lon": 112.55, "lat": 37.85}])
        names = [row[1] for row in client.get("/map/data.json").get_json()["rows"]]
        assert "缓存测试二" in names and "缓存测试" not in names
    finally:
        with session_scope(settings) as session:
            session.execute(delete(Project).where(Project.code == "CACHE-1"))
    assert client.get("/map/data.json").get_json()["count"] == before
