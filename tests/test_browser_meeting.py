"""Meeting pages in a real Chromium: the 统计 dashboard, the print view and the phone layout (390 × 844).

Reuses the map tests' server, browser and network guard (tests/test_browser_map.py). Screenshots (and the
print view's PDF) go to $TMPDIR/kpr-meeting-shots/, replaced on each run; each test prints the paths (-s)."""
from __future__ import annotations

import io
import itertools
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from pypdf import PdfReader

from tests.test_browser_map import Guard, _ready, guarded, server  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser
SHOTS = Path(tempfile.gettempdir()) / "kpr-meeting-shots"
PHONE = {"width": 390, "height": 844}


def _shot(page: Any, name: str, full: bool = False) -> None:
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full)
    print(f"\nscreenshot: {path}")


@pytest.fixture
def phone(browser: Any) -> Iterator[tuple[Any, Guard]]:
    guard = Guard()
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    context.route("**/*", guard.route)
    page = context.new_page()
    guard.watch(page)
    yield page, guard
    context.close()
    assert not guard.outside, f"requests left the server: {guard.outside}"
    assert not guard.errors, f"page errors: {guard.errors}"


def test_dashboard_draws_charts_whose_bars_open_the_list(guarded: tuple[Any, Guard], server: str) -> None:  # noqa: F811
    page, _ = guarded
    page.goto(server + "/stats")
    stats = page.request.get(server + "/stats.json").json()
    assert page.get_by_test_id("count").first.inner_text() == str(stats["count"])
    for key, chart in stats["charts"].items():
        figure = page.get_by_test_id(f"chart-{key}")
        box = figure.locator("svg").bounding_box()
        assert box and box["width"] > 300 and box["height"] > 60, key
        assert figure.locator(".bar").count() == min(len(chart["bars"]), 20)
    _shot(page, "stats", full=True)
    district = stats["charts"]["districts"]["bars"][0]
    page.locator(f'[data-testid="chart-districts"] a.bar[data-code="{district["code"]}"]').click()
    page.wait_for_url("**/projects?district=*")
    assert page.get_by_test_id("count").first.inner_text() == str(district["count"])
    with page.expect_download() as download:
        page.goto(server + "/stats")
        page.get_by_test_id("svg-bands").click()
    assert download.value.suggested_filename.endswith(".svg") and "投资规模" in download.value.suggested_filename


def test_print_view_has_every_row_and_the_list_total(guarded: tuple[Any, Guard], server: str) -> None:  # noqa: F811
    page, _ = guarded
    page.goto(server + "/projects?district=阳曲县")
    listed_count = page.get_by_test_id("count").first.inner_text()
    listed_sum = page.get_by_test_id("sum").first.inner_text()
    page.get_by_test_id("print-link").click()
    page.wait_for_url("**/projects/print?*")
    assert page.locator("table.print-table tbody tr.row").count() == int(listed_count)
    assert page.get_by_test_id("sum-cell").inner_text() == listed_sum
    assert "阳曲县" in page.get_by_test_id("print-title").inner_text()
    _shot(page, "print_view", full=True)
    # On screen the table fits the window: no sideways scrolling to read a row.
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    page.emulate_media(media="print")
    assert page.locator(".print-tools").is_hidden()
    assert page.evaluate("getComputedStyle(document.querySelector('table.print-table thead')).display") == \
        "table-header-group"
    # Every project, printed by Chromium itself: A4 landscape, the header row and a page number on each page.
    page.goto(server + "/projects/print")
    total = page.request.get(server + "/projects.json").json()["count"]
    assert page.locator("table.print-table tbody tr.row").count() == total
    pdf = page.pdf(prefer_css_page_size=True)
    SHOTS.mkdir(exist_ok=True)
    (SHOTS / "print_all.pdf").write_bytes(pdf)
    pages = PdfReader(io.BytesIO(pdf)).pages
    print(f"\npdf: {SHOTS / 'print_all.pdf'} ({len(pages)} pages)")
    assert len(pages) > 1
    for n, sheet in enumerate(pages, start=1):
        text = sheet.extract_text()
        assert sheet.mediabox.width > sheet.mediabox.height, n
        assert "序号" in text and re.search(rf"第 {n} \S / 共 {len(pages)} \S", text), n  # 页 may extract as ⻚


def test_phone_map_fills_the_screen_with_filters_below(phone: tuple[Any, Guard], server: str) -> None:  # noqa: F811
    page, _ = phone
    page.goto(server + "/map")
    _ready(page)
    box = page.locator(".map-wrap").bounding_box()
    assert box and box["height"] >= 0.7 * PHONE["height"] and box["width"] >= PHONE["width"] - 2
    drawer = page.locator(".map-side").bounding_box()
    assert drawer and drawer["y"] >= box["y"] + 0.7 * PHONE["height"]  # below the map: a drawer, not beside it
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    nav = page.locator("header.top").bounding_box()
    assert nav and nav["width"] <= PHONE["width"] and nav["height"] < 110
    _shot(page, "phone_map")
    page.locator("form.filters").scroll_into_view_if_needed()
    _shot(page, "phone_map_drawer")


def test_phone_list_is_cards_without_horizontal_scroll(phone: tuple[Any, Guard], server: str) -> None:  # noqa: F811
    page, _ = phone
    page.goto(server + "/projects")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.evaluate("document.querySelector('section.list').scrollWidth") <= PHONE["width"]
    first = page.locator("table.projects tbody tr").first
    card = first.bounding_box()
    assert card and card["width"] <= PHONE["width"] - 10
    assert first.evaluate("e => getComputedStyle(e).display") == "flex"
    assert page.locator("table.projects thead").is_hidden()
    _shot(page, "phone_list", full=False)
    page.goto(server + "/stats")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(page, "phone_stats")
    assert urlsplit(page.url).path == "/stats"


def test_choropleth_has_a_key_with_breaks_units_and_missing_amounts(guarded: tuple[Any, Guard],  # noqa: F811
                                                                    server: str) -> None:  # noqa: F811
    page, _ = guarded
    page.goto(server + "/map?shade=investment&district=小店区")
    _ready(page)
    listed = page.request.get(server + "/projects.json?district=小店区").json()
    key = page.get_by_test_id("shade-key")
    assert key.is_visible() and "总投资（亿元）" in key.inner_text()
    assert key.locator("li.kpr-break").count() >= 3  # white for none, then the shade steps
    assert page.get_by_test_id("shade-key-without").inner_text().startswith(f"{listed['without_amount']} 个项目未列投资额")
    _shot(page, "map_shade_key")
    page.locator(".leaflet-control-layers-base label", has_text="项目数").locator("input").check()
    assert "项目数（个项目）" in key.inner_text() and page.get_by_test_id("shade-key-without").count() == 0
    # Counts are whole numbers: every step reads "n" or "a – b" in whole numbers, and the steps run on from 1.
    steps = key.locator("li.kpr-break").all_inner_texts()[1:]
    bounds = [[int(n.replace(",", "")) for n in re.findall(r"[\d,]+", text)] for text in steps]
    assert steps and all(len(b) in (1, 2) for b in bounds), steps
    assert bounds[0][0] == 1 and all(b[0] == a[-1] + 1 for a, b in itertools.pairwise(bounds)), steps
    page.locator(".leaflet-control-layers-base label", has_text="不着色").locator("input").check()
    assert key.is_hidden()


def test_an_empty_result_says_so_on_the_map(guarded: tuple[Any, Guard], server: str) -> None:  # noqa: F811
    page, _ = guarded
    page.goto(server + "/map?q=没有这个项目名称")
    state = _ready(page)
    assert state["count"] == 0 and state["placed"] == 0
    assert page.get_by_test_id("map-empty").inner_text() == "没有符合筛选条件的项目（请放宽筛选）"
    page.goto(server + "/map")
    _ready(page)
    assert page.get_by_test_id("map-empty").count() == 0


@pytest.mark.parametrize("path", ["/projects", "/map"])
def test_review_checkbox_sits_beside_its_words(guarded: tuple[Any, Guard], server: str, path: str) -> None:  # noqa: F811
    page, _ = guarded
    page.goto(server + path)
    box = page.get_by_test_id("review-box").bounding_box()
    label = page.get_by_test_id("review-box").locator("xpath=..").bounding_box()
    assert box and label
    # One line: the label is hardly taller than the box, and the words start to its right.
    assert label["height"] < 2.2 * box["height"] and label["width"] > box["width"] * 3
