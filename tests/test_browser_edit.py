"""Editing in a real Chromium: an editor places a 待核实 project by clicking the map, a viewer sees no edit
controls and a forged POST is refused, two browsers editing one project get the conflict page, and a name
like `<img src=x onerror=alert(1)>` saved through the form shows as text everywhere (no dialog fires)."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.account_helpers import PASSWORD, prepare
from tests.conftest import Databases
from tests.test_browser_map import ARTIFACTS, Guard, live_server

pytestmark = pytest.mark.browser
XSS = "<img src=x onerror=alert(1)>"
YANGQU = (38.063, 112.679)  # lat, lon: 阳曲县 (shared/testdata reference area), WGS-84


@pytest.fixture(scope="module")
def server(databases: Databases, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:

    site = prepare(databases.new_url("sqlite"), tmp_path_factory.mktemp("edit-browser"))
    with live_server(site.app) as url:
        yield url


@pytest.fixture
def contexts(browser: Any) -> Iterator[Any]:
    made: list[tuple[Any, Guard]] = []

    def new_page() -> Any:
        guard = Guard()
        context = browser.new_context(viewport={"width": 1300, "height": 900})
        context.route("**/*", guard.route)
        page = context.new_page()
        guard.watch(page)
        made.append((context, guard))
        return page

    yield new_page
    for context, guard in made:
        context.close()
        assert not guard.outside, f"requests left the server: {guard.outside}"
        assert not guard.dialogs, f"a dialog opened (script ran?): {guard.dialogs}"
        assert not guard.errors, f"page errors: {guard.errors}"


def _login(page: Any, server: str, user: str) -> None:
    page.goto(server + "/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.login button[type=submit]")
    page.wait_for_url("**/projects")
    assert page.get_by_test_id("account").inner_text().startswith(user)


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_editor_places_a_review_item_by_clicking_the_map(contexts: Any, server: str) -> None:
    page = contexts()
    _login(page, server, "editor")
    page.goto(server + "/review")
    row = page.locator("tr[data-code='T-2']")
    assert "未提及地点" in row.inner_text() or "未能识别" in row.inner_text()
    row.get_by_role("link").click()
    page.wait_for_url("**/projects/T-2#place")
    # The map fits its layers once they have loaded (kprReady); pan only after that, or the fit would undo it.
    page.wait_for_function("() => document.body.dataset.kprReady === '1'")
    # Centre the mini map on 阳曲县 and click its middle, as a person would after panning there.
    page.evaluate("([lat, lon]) => window[document.querySelector('.folium-map').id].setView([lat, lon], 12, "
                  "{animate: false})", list(YANGQU))
    box = page.locator(".folium-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    preview = page.get_by_test_id("place-preview")
    page.wait_for_function("() => document.querySelector('[data-testid=place-preview]').dataset.ready === '1'")
    assert "阳曲县" in preview.inner_text()
    assert float(page.get_by_test_id("place-lat").input_value()) == pytest.approx(YANGQU[0], abs=0.01)
    _shot(page, "edit-place-preview")
    page.get_by_test_id("place-save").click()
    page.wait_for_url("**/projects/T-2")
    history = page.get_by_test_id("history").inner_text()
    assert "人工核实位置" in history and "editor" in history and "阳曲县" in history
    page.goto(server + "/review")
    assert page.locator("tr[data-code='T-2']").count() == 0
    listed = page.request.get(server + "/projects.json?district=140122").json()
    assert "T-2" in [p["code"] for p in listed["projects"]]


def test_viewer_sees_no_edit_controls_and_a_forged_post_is_refused(contexts: Any, server: str) -> None:
    page = contexts()
    _login(page, server, "viewer")
    page.goto(server + "/projects/T-1")
    assert page.get_by_test_id("edit-actions").count() == 0 and page.locator("#place").count() == 0
    before = page.request.get(server + "/projects/T-1.json").json()
    # A page on another origin auto-submits a form at the registry (the browser sends no token).
    page.set_content(f"<form id=f method=post action='{server}/projects/T-1/edit'>"
                     "<input name=name value=伪造><input name=version value=1></form>")
    with page.expect_navigation():
        page.evaluate("document.getElementById('f').submit()")
    assert page.locator("body").inner_text() != ""
    token = page.request.get(server + "/login").text().split('name="csrf_token"')[1].split('value="')[1].split('"')[0]
    resp = page.request.post(server + "/projects/T-1/edit", form={"name": "伪造", "version": "1", "csrf_token": token})
    assert resp.status == 403
    assert page.request.get(server + "/projects/T-1.json").json()["name"] == before["name"]


def test_two_browsers_edit_one_project(contexts: Any, server: str) -> None:
    first, second = contexts(), contexts()
    _login(first, server, "editor")
    _login(second, server, "admin")
    for page in (first, second):
        page.goto(server + "/projects/T-3/edit")
    first.fill("input[name=builder]", "甲公司")
    first.get_by_test_id("save").click()
    first.wait_for_url("**/projects/T-3")
    second.fill("input[name=builder]", "乙公司")
    second.get_by_test_id("save").click()
    conflict = second.get_by_test_id("conflict")
    conflict.wait_for()
    assert second.locator("input[name=builder]").input_value() == "乙公司"  # their value kept
    assert "甲公司" in second.get_by_test_id("current-builder").inner_text()  # the saved one shown beside
    _shot(second, "edit-conflict")
    second.get_by_test_id("save").click()  # merged: saves over the current version
    second.wait_for_url("**/projects/T-3")
    assert second.request.get(server + "/projects/T-3.json").json()["builder"] == "乙公司"


def test_script_like_name_saved_through_the_form_shows_as_text(contexts: Any, server: str) -> None:
    page = contexts()
    _login(page, server, "editor")
    page.goto(server + "/projects/T-1/edit")
    page.fill("input[name=name]", XSS)
    page.get_by_test_id("save").click()
    page.wait_for_url("**/projects/T-1")
    assert page.locator("h1").first.inner_text() == XSS
    for path in ("/projects", "/projects?q=img", "/review", "/projects/T-1/edit", "/map"):
        page.goto(server + path)
        page.wait_for_load_state("networkidle")
    assert XSS in page.request.get(server + "/projects/T-1/history.json").text()
    # The Guard (fixture teardown) fails the test if any dialog opened.


def test_place_panel_is_not_hidden_under_the_mini_map(contexts: Any, server: str) -> None:
    """The 核实位置 controls sit below the detail map, not under it: the point a click lands on is the control."""
    page = contexts()
    _login(page, server, "editor")
    page.goto(server + "/projects/T-2#place")
    page.wait_for_function("() => document.body.dataset.kprReady === '1'")
    covered = page.evaluate("""() => [...document.querySelectorAll('[data-testid=place-form] h3, [data-testid=place-form] input:not([type=hidden]), [data-testid=place-form] button')]
        .filter(el => { const r = el.getBoundingClientRect();
                        el.scrollIntoView({block: 'center'}); const q = el.getBoundingClientRect();
                        const hit = document.elementFromPoint(q.left + q.width / 2, q.top + q.height / 2);
                        return r.height > 0 && !(hit === el || el.contains(hit) || (hit && hit.contains(el) && hit.closest('[data-testid=place-form]'))); })
        .map(el => el.outerHTML.slice(0, 80))""")
    assert covered == [], f"covered by the map: {covered}"
