"""Progress and as-of in a real Chromium: an editor fills in the 填报进度 page and sees it in 修改记录; the list
asked for an earlier date says so in its banner and keeps the date in its filter form."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.account_helpers import PASSWORD, prepare
from tests.conftest import Databases
from tests.test_browser_map import ARTIFACTS, Guard, live_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(databases: Databases, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:

    site = prepare(databases.new_url("sqlite"), tmp_path_factory.mktemp("progress-browser"))
    with live_server(site.app) as url:
        yield url


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    guard = Guard()
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    context.route("**/*", guard.route)
    new = context.new_page()
    guard.watch(new)
    yield new
    context.close()
    assert not guard.outside, f"requests left the server: {guard.outside}"
    assert not guard.dialogs and not guard.errors, (guard.dialogs, guard.errors)


def test_editor_fills_in_progress_and_the_list_shows_an_earlier_date(page: Any, server: str) -> None:
    page.goto(server + "/login")
    page.fill("input[name=username]", "editor")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.login button[type=submit]")
    page.wait_for_url("**/projects")
    page.goto(server + "/projects/T-1")
    page.get_by_test_id("progress-link").first.click()
    page.wait_for_url("**/projects/T-1/progress")
    page.fill("#p-plan", "8")
    page.fill("#p-done-5", "2.5")
    page.fill("input[name=image_5]", "<b>主体</b>施工")
    page.fill("#p-actual_start", "2025-03-02")
    page.get_by_test_id("save-progress").click()
    page.wait_for_url("**/projects/T-1#history")
    history = page.get_by_test_id("history").inner_text()
    assert "月调度" in history and "累计完成投资 2.5 亿元" in history and "<b>主体</b>施工" in history
    assert "实际开工日期" in history and "2025-03-02" in history
    page.goto(server + "/projects?as_of=2020-01-01")
    assert "截至 2020-01-01" in page.get_by_test_id("as-of-banner").inner_text()
    assert page.locator("input[name=as_of]").input_value() == "2020-01-01"
    assert "没有符合条件的项目" in page.content()
    page.get_by_test_id("as-of-now").click()
    page.wait_for_url("**/projects")
    assert page.get_by_test_id("as-of-banner").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "progress-as-of.png"), full_page=True)
