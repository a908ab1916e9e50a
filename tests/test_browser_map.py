"""The map, list and detail pages in a real Chromium (Debian's, driven by Playwright; never `playwright install`).

SQLite only: the browser sees the same HTML and JSON on both backends, and tests/test_map.py already checks
the data on PostgreSQL. Every request is routed through a guard that aborts and records any URL whose host is
not 127.0.0.1/localhost; each test fails if one was attempted. Screenshots go to test-artifacts/."""
from __future__ import annotations

import csv
import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from registry import migrate
from registry.db import session_scope
from registry.upsert import apply_project_dicts
from tests.conftest import Databases, settings_for

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
EVIL = "<script>alert(1)</script>"
EVIL_AT = (112.43, 37.93)  # an exact site in 万柏林区, away from the district anchors
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


@contextmanager
def live_server(app: Any) -> Iterator[str]:
    """The app on a free local port in a background thread, for a browser to load; stopped afterwards."""
    from werkzeug.serving import make_server

    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()


@pytest.fixture(scope="module")
def server(databases: Databases) -> Iterator[str]:
    """The real app on a free port, over its own seeded SQLite plus one project named like a script."""
    from registry.placement import default_placer
    from registry.seeding import seed
    from web import create_app

    url = databases.new_url("sqlite")
    migrate.upgrade(url)
    settings = settings_for(url)
    with session_scope(settings) as session:
        seed(session, settings, placer=default_placer(session, settings))
        apply_project_dicts(session, [{
            "code": "XSS-1", "name": EVIL, "aliases": [EVIL], "lon": EVIL_AT[0], "lat": EVIL_AT[1],
            "chains": ["xinchuang_chain"], "total_investment": "1.5",
            "sources": [{"document": "test", "excerpt": EVIL}],
        }], placer=default_placer(session, settings))
    with live_server(create_app(settings)) as url:
        yield url


class Guard:
    """Aborts and records every request to a host other than this machine."""

    def __init__(self) -> None:
        self.outside: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []

    def console(self, message: Any) -> None:
        """A script or resource the page's Content-Security-Policy blocked is an error too."""
        if "Content Security Policy" in message.text:
            self.errors.append(message.text)

    def watch(self, page: Any) -> Any:
        """Record what a page must never do: open a dialog (a script ran; it is closed), throw, break the CSP."""
        def dialog(d: Any) -> None:
            self.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", dialog)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("console", self.console)
        return page

    def route(self, route: Any) -> None:
        host = urlsplit(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()


@pytest.fixture
def guarded(browser: Any, tmp_path: Path) -> Iterator[tuple[Any, Guard]]:
    guard = Guard()
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    context.route("**/*", guard.route)
    page = context.new_page()
    guard.watch(page)
    yield page, guard
    context.close()
    assert not guard.outside, f"requests left the server: {guard.outside}"
    assert not guard.dialogs, f"a dialog opened (script ran?): {guard.dialogs}"
    assert not guard.errors, f"page errors: {guard.errors}"


def _ready(page: Any) -> dict[str, Any]:
    page.wait_for_function("() => document.body && document.body.dataset.kprReady", timeout=15000)
    assert page.evaluate("document.body.dataset.kprReady") == "1"
    return page.evaluate("({drawn: kprMap.drawn, placed: kprMap.placed, count: kprMap.count, groups: kprMap.groups})")


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def _json(page: Any, server: str, path: str) -> Any:
    return page.request.get(server + path).json()


def _markers_on_map(page: Any) -> int:
    """Points drawn on the canvas in the current view."""
    return int(page.evaluate("kprMap.visible()"))


def test_map_draws_grouped_layers_whose_counts_agree_with_the_list(guarded: tuple[Any, Guard], server: str) -> None:
    page, _ = guarded
    page.goto(server + "/")
    state = _ready(page)
    data = _json(page, server, "/map/data.json?group_by=chain")
    listed = _json(page, server, "/projects.json")
    assert state["count"] == data["count"] == listed["count"]
    assert page.get_by_test_id("count").first.inner_text() == str(listed["count"])
    assert state["placed"] == len(data["rows"]) > 0
    assert state["drawn"] == _markers_on_map(page) >= state["placed"]
    legend = page.locator(".kpr-legend li[data-group]")
    assert legend.count() == len(data["groups"])
    assert [int(c) for c in legend.evaluate_all("els => els.map(e => e.dataset.count)")] == \
        [g["count"] for g in data["groups"]]
    labels = page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert any("信创产业链" in t for t in labels) and any("走廊" in t for t in labels)
    # An overlay whose extent no source confirms says so; a confirmed one does not.
    assert any(t.strip().endswith("太忻一体化经济区（范围未确认）") for t in labels), labels
    assert not any("汾河生态廊道（" in t for t in labels)
    assert page.locator(".leaflet-control-layers-base input:checked").count() == 1
    assert page.locator("text=示意范围").count() >= 1  # schematic zones say so
    _shot(page, "map_by_chain")


def test_toggling_a_group_layer_removes_its_markers(guarded: tuple[Any, Guard], server: str) -> None:
    page, _ = guarded
    page.goto(server + "/map")
    state = _ready(page)
    before = _markers_on_map(page)
    label = page.locator(".leaflet-control-layers-overlays label", has_text=state["groups"][0]["name"])
    label.locator("input").uncheck()
    assert _markers_on_map(page) < before
    label.locator("input").check()
    assert _markers_on_map(page) == before


def test_switching_group_by_and_filters_changes_what_is_drawn(guarded: tuple[Any, Guard], server: str) -> None:
    page, _ = guarded
    page.goto(server + "/map")
    by_chain = _ready(page)
    page.get_by_test_id("groupby-strategy").click()
    page.wait_for_url("**group_by=strategy**")
    by_strategy = _ready(page)
    strategy_groups = _json(page, server, "/map/data.json?group_by=strategy")["groups"]
    assert [g["name"] for g in by_strategy["groups"]] == [g["name"] for g in strategy_groups]
    assert {g["name"] for g in by_strategy["groups"]} != {g["name"] for g in by_chain["groups"]}
    assert page.locator(".kpr-legend b").first.inner_text() == "按区域战略分组（规划所列）"

    page.select_option("select[name=district]", "140122")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**district=140122**")
    filtered = _ready(page)
    listed = _json(page, server, "/projects.json?district=140122")
    assert filtered["count"] == listed["count"] < by_chain["count"]
    assert filtered["placed"] < by_strategy["placed"]
    assert page.get_by_test_id("count").first.inner_text() == str(listed["count"])
    _shot(page, "map_by_strategy_yangqu")
    page.get_by_test_id("list-link").click()
    page.wait_for_url("**/projects?district=140122")
    assert page.get_by_test_id("count").first.inner_text() == str(listed["count"])
    assert "阳曲县" in page.locator(".filter-words").inner_text()


def test_choropleth_switches_between_count_and_investment(guarded: tuple[Any, Guard], server: str) -> None:
    page, _ = guarded
    page.goto(server + "/map?shade=investment")
    _ready(page)
    assert page.evaluate("document.body.dataset.kprShade") == "investment"
    page.locator(".leaflet-control-layers-base label", has_text="项目数").locator("input").check()
    assert page.evaluate("document.body.dataset.kprShade") == "count"
    assert "shade=count" in page.url  # the view stays shareable as a link


def _hover_project(page: Any, code: str) -> dict[str, float]:
    """Zoom to the project's marker and move the mouse onto it, as a user would; returns the point."""
    point: dict[str, float] = page.evaluate("""code => {
        const at = kprMap.points.pointOf(code);
        kprMap.map.setView(kprMap.points.latLngOf(at.i), 14, {animate: false});
        const p = kprMap.points.pointOf(code);
        const box = kprMap.map.getContainer().getBoundingClientRect();
        return {x: box.left + p.x, y: box.top + p.y};
    }""", code)
    page.mouse.move(point["x"], point["y"])
    return point


def test_a_project_named_like_a_script_shows_as_text(guarded: tuple[Any, Guard], server: str) -> None:
    page, guard = guarded
    page.goto(server + "/map?q=script")
    state = _ready(page)
    assert state["placed"] == 1
    point = _hover_project(page, "XSS-1")
    # Waits follow the page's own events (hover → tooltip, click → popup) with Playwright's default timeout,
    # not a short fixed one: a busy machine only makes them slower.
    tip = page.locator(".kpr-tip")
    tip.wait_for()
    assert tip.inner_text() == EVIL
    page.mouse.click(point["x"], point["y"])
    popup = page.locator(".kpr-popup .kpr-name")
    popup.wait_for()
    assert popup.inner_text() == EVIL
    assert "&lt;script&gt;" in popup.evaluate("e => e.innerHTML")
    _shot(page, "map_script_name_popup")
    page.locator(".kpr-popup a").click()
    page.wait_for_url("**/projects/XSS-1")
    assert page.locator("h1").inner_text() == EVIL
    assert not guard.dialogs


def test_detail_page_shows_sources_and_its_locations(guarded: tuple[Any, Guard], server: str) -> None:
    page, _ = guarded
    code = next(p["code"] for p in _json(page, server, "/projects.json?strategy=jjj")["projects"]
                if p["district_code"])
    page.goto(f"{server}/projects/{code}")
    state = _ready(page)
    assert state["drawn"] >= 1
    sources = page.get_by_test_id("sources").locator("li")
    # Sources name the plan by its title (issue 12), the file name stays in the tooltip.
    assert sources.count() >= 1 and "《" in sources.first.inner_text()
    assert ".txt" in (sources.first.locator("b").get_attribute("title") or "")
    assert page.get_by_test_id("district-link").count() == 1
    _shot(page, "detail")


def test_csv_export_downloads_and_opens_with_the_filtered_rows(guarded: tuple[Any, Guard], server: str,
                                                               tmp_path: Path) -> None:
    page, _ = guarded
    page.goto(server + "/map?strategy=jjj")
    state = _ready(page)
    with page.expect_download() as info:
        page.get_by_test_id("csv-link").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    text = target.read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][0] == "编号" and len(rows) - 1 == state["count"]


def test_english_switch(guarded: tuple[Any, Guard], server: str) -> None:
    page, _ = guarded
    page.goto(server + "/map")
    _ready(page)
    page.get_by_test_id("lang").click()
    page.wait_for_url("**lang=en**")
    _ready(page)
    assert page.locator(".kpr-legend b").first.inner_text() == "Grouped by industry chain"
    labels = page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert any(t.strip() == "Region: 太忻一体化经济区 (extent unconfirmed)" for t in labels), labels
    assert page.locator("html").get_attribute("lang") == "en"
    _shot(page, "map_english")


def test_the_guard_catches_an_outside_request(browser: Any, server: str) -> None:
    """The no-outside-request check can fail: a page that asks a CDN is caught."""
    guard = Guard()
    context = browser.new_context(bypass_csp=True)  # the guard is under test here, not the page's CSP
    context.route("**/*", guard.route)
    page = context.new_page()
    page.goto(server + "/projects")
    page.evaluate("""() => new Promise(done => { const img = new Image(); img.onerror = img.onload = done;
                                                 img.src = 'https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css'; })""")
    context.close()
    assert guard.outside == ["https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css"]
