"""The map people can read (issue 14) in a real Chromium: symbols sized by 总投资 with a size key, one badge
per district, place names, panels that fold and leave room for the city, and the projects not on the map.

The server is the seeded registry plus a few exact sites (a big, a small and an unknown amount) and a
district-level project named like a script. Screenshots go to test-artifacts/."""
from __future__ import annotations

import io
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from pypdf import PdfReader

from registry import migrate
from registry.db import session_scope
from registry.maps.symbols import R_MAX
from registry.upsert import apply_project_dicts
from tests.conftest import Databases, settings_for
from tests.test_browser_map import ARTIFACTS, EVIL, Guard, _ready, _shot, live_server

pytestmark = pytest.mark.browser

SITES: list[dict[str, Any]] = [
    {"code": "SITE-BIG", "name": "大型项目", "lon": 112.56, "lat": 37.80, "chains": ["xinchuang_chain"],
     "total_investment": "120"},
    {"code": "SITE-SMALL", "name": "小型项目", "lon": 112.47, "lat": 37.93, "chains": ["xinchuang_chain"],
     "total_investment": "7.5"},
    {"code": "SITE-NONE", "name": "金额未列明的项目", "lon": 112.45, "lat": 37.75, "chains": ["xinchuang_chain"]},
    {"code": "EVIL-D", "name": EVIL, "district_stated": "140122", "place_text": "阳曲县", "total_investment": "1"},
]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def server(databases: Databases) -> Iterator[str]:

    from registry.placement import default_placer
    from registry.seeding import seed
    from web import create_app

    url = databases.new_url("sqlite")
    migrate.upgrade(url)
    settings = settings_for(url)
    with session_scope(settings) as session:
        seed(session, settings, placer=default_placer(session, settings))
        apply_project_dicts(session, SITES, placer=default_placer(session, settings))
    with live_server(create_app(settings)) as url:
        yield url


def _page(browser: Any, viewport: dict[str, int], **options: Any) -> tuple[Any, Any, Guard]:
    guard = Guard()
    context = browser.new_context(viewport=viewport, **options)
    context.route("**/*", guard.route)
    page = context.new_page()
    guard.watch(page)
    return context, page, guard


@pytest.fixture
def desk(browser: Any) -> Iterator[Any]:
    context, page, guard = _page(browser, {"width": 1400, "height": 900}, accept_downloads=True)
    yield page
    context.close()
    assert not guard.outside and not guard.dialogs and not guard.errors, (guard.outside, guard.dialogs, guard.errors)


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context, page, guard = _page(browser, PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    yield page
    context.close()
    assert not guard.outside and not guard.errors, (guard.outside, guard.errors)


def _screen_point(page: Any, code: str, zoom: float | None = None) -> dict[str, float]:
    """Where a project's symbol (or its badge) is on the screen, after an optional zoom onto it."""
    point: dict[str, float] = page.evaluate("""([code, zoom]) => {
        if (zoom) kprMap.map.setView(kprMap.points.latLngOf(kprMap.points.pointOf(code).i), zoom, {animate: false});
        const p = kprMap.points.pointOf(code), box = kprMap.map.getContainer().getBoundingClientRect();
        return {x: box.left + p.x, y: box.top + p.y};
    }""", [code, zoom])
    return point


def test_own_sites_are_sized_by_investment_with_a_size_key(desk: Any, server: str) -> None:
    page = desk
    page.goto(server + "/map?q=SITE-")  # this test's own sites: the scale is the view's largest own-site amount
    _ready(page)
    big, small, unknown = (page.evaluate("c => kprMap.points.symbolOf(c)", c)
                           for c in ("SITE-BIG", "SITE-SMALL", "SITE-NONE"))
    assert big["shape"] == small["shape"] == "sized" and unknown["shape"] == "square"
    assert big["r"] == pytest.approx(R_MAX)  # the largest own-site amount in this view
    assert (small["r"] / big["r"]) ** 2 == pytest.approx(7.5 / 120, rel=1e-3)  # area ∝ amount
    key = page.get_by_test_id("size-key")
    assert key.is_visible() and "总投资（亿元）" in key.inner_text()
    assert "120 亿元" in key.inner_text() and "圆面积与总投资成正比" in page.get_by_test_id("size-rule").inner_text()
    circles = key.locator("circle")
    assert circles.count() >= 2
    assert float(circles.first.get_attribute("r") or 0) == pytest.approx(R_MAX)
    assert "小空心方块" in page.get_by_test_id("legend").inner_text()
    _shot(page, "map_sized_symbols")
    # The symbol is where the user points: hover names it, click opens its popup.
    at = _screen_point(page, "SITE-SMALL", zoom=13)
    page.mouse.move(at["x"], at["y"])
    page.locator(".kpr-tip", has_text="小型项目").wait_for()
    page.mouse.click(at["x"], at["y"])
    page.locator(".kpr-popup .kpr-name", has_text="小型项目").wait_for()
    assert "7.5 亿元" in page.locator(".kpr-popup").inner_text()


def test_district_level_projects_are_one_badge_per_district(desk: Any, server: str) -> None:
    page = desk
    page.goto(server + "/map")
    _ready(page)
    data = page.request.get(server + "/map/data.json").json()
    anchor = data["columns"].index("anchor")
    expected: dict[str, int] = {}
    for row in data["rows"]:
        if row[anchor]:
            expected[row[anchor]] = expected.get(row[anchor], 0) + 1
    badges = page.evaluate("kprMap.points.badges().map(b => [b.key, b.n])")
    assert dict(badges) == expected and len(badges) < sum(expected.values())  # fewer marks than projects
    assert page.evaluate("c => kprMap.points.symbolOf(c)", "EVIL-D") == {"badge": "d:140122"}
    yangqu = expected["d:140122"]
    at = _screen_point(page, "EVIL-D")
    page.mouse.move(at["x"], at["y"])
    page.locator(".kpr-badge-tip").wait_for()
    assert page.locator(".kpr-badge-tip").inner_text() == f"阳曲县：{yangqu} 个项目"
    page.mouse.click(at["x"], at["y"])
    popup = page.locator(".kpr-badge-popup")
    popup.wait_for()
    assert popup.locator(".kpr-name").inner_text() == f"阳曲县 · {yangqu} 个项目"
    assert popup.locator("li").count() == min(yangqu, 12)
    evil = popup.locator("li a", has_text="alert(1)")
    assert evil.inner_text() == EVIL and "&lt;script&gt;" in evil.evaluate("e => e.innerHTML")
    _shot(page, "map_district_badge")
    popup.locator("a.kpr-badge-listlink").click()
    page.wait_for_url("**/projects?district=140122")
    listed = page.request.get(server + "/projects.json?district=140122").json()
    assert page.get_by_test_id("count").first.inner_text() == str(listed["count"]) and listed["count"] >= yangqu


def test_switching_a_group_off_updates_the_badge_counts(desk: Any, server: str) -> None:
    page = desk
    page.goto(server + "/map")
    state = _ready(page)
    before = dict(page.evaluate("kprMap.points.badges().map(b => [b.key, b.n])"))
    visible = page.evaluate("kprMap.visible()")
    biggest = state["groups"][0]["name"]
    page.locator(".leaflet-control-layers-overlays label", has_text=biggest).locator("input").uncheck()
    after = dict(page.evaluate("kprMap.points.badges().map(b => [b.key, b.n])"))
    assert sum(after.values()) < sum(before.values()) and page.evaluate("kprMap.visible()") < visible
    assert all(after[k] <= before[k] for k in after)


def test_place_names_and_panels_leave_the_city_in_view(desk: Any, server: str) -> None:
    page = desk
    page.goto(server + "/map")
    _ready(page)
    names = page.locator(".kpr-label-text").all_inner_texts()
    assert {"小店区", "阳曲县", "古交市"} <= set(names) and {"晋中市", "忻州市"} <= set(names)
    assert page.locator(".kpr-label-text", has_text="晋中市").is_visible()
    # Names that would overprint each other wait for a closer zoom: no two shown ones overlap.
    boxes = page.evaluate("""() => [...document.querySelectorAll('.kpr-label-text')]
        .filter(e => getComputedStyle(e).visibility === 'visible').map(e => e.getBoundingClientRect().toJSON())""")
    assert all(a["right"] <= b["left"] or b["right"] <= a["left"] or a["bottom"] <= b["top"] or b["bottom"] <= a["top"]
               for i, a in enumerate(boxes) for b in boxes[i + 1:])
    layers = page.locator(".leaflet-control-layers")
    assert page.get_by_test_id("layers-toggle").get_attribute("aria-expanded") == "true"
    assert page.get_by_test_id("legend").locator("details").evaluate("d => d.open")
    # The first view fits the city between the legend (left) and the layer control (right).
    city = page.evaluate("""() => {
        const b = kprMap.cityBounds, m = kprMap.map, box = m.getContainer().getBoundingClientRect();
        const nw = m.latLngToContainerPoint(b.getNorthWest()), se = m.latLngToContainerPoint(b.getSouthEast());
        return {left: box.left + nw.x, right: box.left + se.x, top: box.top + nw.y, bottom: box.top + se.y};
    }""")
    legend = page.get_by_test_id("legend").bounding_box()
    control = layers.bounding_box()
    assert legend and control
    assert city["left"] >= legend["x"] + legend["width"] - 1
    assert city["right"] <= control["x"] + 1
    assert city["right"] - city["left"] > 300  # still a readable city, not a stamp
    _shot(page, "map_panels_desktop")
    # Closer in, every central district has room for its name.
    page.evaluate("kprMap.map.setView(kprMap.cityBounds.getCenter(), 11.5, {animate: false})")
    page.wait_for_function("""() => ['杏花岭区', '迎泽区', '万柏林区'].every(name => [...document.querySelectorAll(
        '.kpr-label-text')].some(e => e.textContent === name && getComputedStyle(e).visibility === 'visible'))""")
    # The place names can be switched off like any layer.
    page.locator(".leaflet-control-layers-overlays label", has_text="地名").locator("input").uncheck()
    assert page.locator(".kpr-label-text").count() == 0
    page.get_by_test_id("layers-toggle").click()
    assert page.locator(".leaflet-control-layers-list").is_hidden()


def test_on_a_phone_the_panels_start_folded_and_open_on_demand(phone: Any, server: str) -> None:
    page = phone
    page.goto(server + "/map")
    _ready(page)
    toggle = page.get_by_test_id("layers-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.locator(".leaflet-control-layers-list").is_hidden()
    assert not page.get_by_test_id("legend").locator("details").evaluate("d => d.open")
    box = page.locator(".map-wrap").bounding_box()
    control = page.locator(".leaflet-control-layers").bounding_box()
    legend = page.get_by_test_id("legend").bounding_box()
    assert box and control and legend
    covered = control["width"] * control["height"] + legend["width"] * legend["height"]
    assert covered < 0.15 * box["width"] * box["height"]  # folded panels leave the city visible
    _shot(page, "map_phone_folded")
    assert page.locator(".leaflet-control-layers-toggle").is_hidden()  # one way to open it: the 图层 button
    toggle.tap()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.locator(".leaflet-control-layers-list").is_visible()
    toggle.tap()  # folds again, though the button keeps the focus
    assert page.locator(".leaflet-control-layers-list").is_hidden()
    toggle.tap()
    page.get_by_test_id("legend-toggle").tap()
    assert page.get_by_test_id("legend").locator("details").evaluate("d => d.open")


def test_projects_not_on_the_map_are_listed_beside_it_by_reason(desk: Any, server: str) -> None:
    page = desk
    page.goto(server + "/map")
    _ready(page)
    data = page.request.get(server + "/map/data.json").json()
    section = page.get_by_test_id("offmap")
    counts = {d.get_attribute("data-reason"): int(d.get_attribute("data-count") or 0)
              for d in section.locator("details").all()}
    assert sum(counts.values()) == sum(data["unplaced"].values()) > 0
    assert counts.get("citywide", 0) == data["unplaced"].get("5", 0)
    unplaced_note = page.get_by_test_id("unplaced").inner_text()
    assert str(sum(counts.values())) in unplaced_note
    citywide = section.locator('details[data-reason="citywide"]')
    citywide.locator("summary").click()
    first = citywide.locator("li a").first
    name = first.inner_text()
    assert first.is_visible()
    _shot(page, "map_offmap_list")
    first.click()
    page.wait_for_url("**/projects/*")
    assert page.locator("h1").inner_text() == name


def test_sizes_follow_the_filter_and_the_key_says_so(desk: Any, server: str) -> None:
    page = desk
    page.goto(server + "/map?max_investment=10")
    _ready(page)
    small = page.evaluate("c => kprMap.points.symbolOf(c)", "SITE-SMALL")
    assert small["r"] == pytest.approx(R_MAX)  # the largest own site under this filter
    assert "7.5 亿元" in page.get_by_test_id("size-key").inner_text()
    assert page.evaluate("c => kprMap.points.pointOf(c)", "SITE-BIG") is None
    assert math.isclose(small["r"], R_MAX)


def test_a_strategy_filter_switches_on_its_corridors(desk: Any, server: str) -> None:
    page = desk
    page.goto(server + "/map?strategy=jjj")
    _ready(page)
    overlays = page.locator(".leaflet-control-layers-overlays label")
    checked = {label.inner_text().strip() for label in overlays.all() if label.locator("input").is_checked()}
    corridors = {t for t in checked if t.startswith(("走廊：", "区域："))}
    assert corridors and any("石家庄" in t for t in corridors)  # 太原—阳泉—石家庄通道 is a 京津冀 corridor
    assert not any("汾河" in t for t in corridors)  # another strategy's corridor stays off
    _shot(page, "map_strategy_corridors")
    page.goto(server + "/map")
    _ready(page)
    still = [label.inner_text() for label in page.locator(".leaflet-control-layers-overlays label").all()
             if label.locator("input").is_checked()]
    assert not any(t.strip().startswith(("走廊：", "区域：")) for t in still)


def test_print_view_downloads_its_pdf(desk: Any, server: str) -> None:
    page = desk
    page.goto(server + "/projects/print?district=阳曲县")
    rows = page.locator("table.print-table tbody tr.row").count()
    with page.expect_download() as info:
        page.get_by_test_id("pdf-link").click()
    assert info.value.suggested_filename.startswith("重点项目_阳曲县_") and info.value.suggested_filename.endswith(".pdf")
    pdf = Path(info.value.path()).read_bytes()
    (ARTIFACTS / "print_yangqu.pdf").write_bytes(pdf)
    pages = PdfReader(io.BytesIO(pdf)).pages
    text = "".join(p.extract_text() for p in pages)
    assert rows > 0 and all(p.mediabox.width > p.mediabox.height for p in pages)
    assert text.count("EVIL-D") == 1 and EVIL in text.replace("\n", "")


def test_a_district_popup_lists_that_district_instead_of_adding_it_to_the_filter(desk: Any, server: str) -> None:
    """Issue 15: from a map filtered to two districts, another district's list link lists that district
    alone (district=a&district=b&district=c would list all three); the map's other filters stay."""
    from shapely import union_all
    from shapely.geometry import shape

    page = desk
    page.goto(server + "/map?district=140105&district=140106&status=在建")
    _ready(page)
    base = page.request.get(server + "/map/base.json").json()
    yangqu = next(f for f in base["districts"]["features"] if f["properties"]["adcode"] == "140122")
    zones = union_all([shape(z["geometry"]) for z in base["zones"]["features"]])
    spot = shape(yangqu["geometry"]).difference(zones).representative_point()  # a zone would take the click
    at = page.evaluate("""([lat, lon]) => {
        const m = kprMap.map, box = m.getContainer().getBoundingClientRect(), p = m.latLngToContainerPoint([lat, lon]);
        return {x: box.left + p.x, y: box.top + p.y};
    }""", [spot.y, spot.x])
    page.mouse.click(at["x"], at["y"])
    link = page.locator("a.kpr-district-list")
    link.wait_for()
    href = link.get_attribute("href") or ""
    query = parse_qs(urlsplit(href).query)
    assert query["district"] == ["140122"] and query["status"] == ["在建"], href
    link.click()
    page.wait_for_url("**/projects?**")
    listed = page.request.get(server + "/projects.json?district=140122&status=在建").json()
    assert page.get_by_test_id("count").first.inner_text() == str(listed["count"])
