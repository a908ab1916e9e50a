"""Monthly progress in a real Chromium (issue 17): on a seeded registry an editor uploads two months of 调度
sheets built from seeded project names (the sample's layout: title, unit row, merged header, 合计 and group
rows, notes), previews, applies, and sees the classes in the preview, the list, the map legend and the
dashboard — with the rule in words, no console or CSP error and no request leaving the server."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from registry import migrate
from registry.db import make_engine, make_session_factory, session_scope
from registry.models import Project
from registry.placement import default_placer
from registry.seeding import seed
from registry.users import add_user
from tests.account_helpers import PASSWORD
from tests.conftest import Databases, settings_for
from tests.progress_sheets import diaodu
from tests.test_browser_map import ARTIFACTS, Guard, live_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def seeded(databases: Databases, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[str]]]:
    """A seeded registry with an editor, served on a free port; also three seeded project names."""

    from web import create_app

    url = databases.new_url("sqlite")
    migrate.upgrade(url)
    settings = settings_for(url, instance_dir=tmp_path_factory.mktemp("progress-browser"))
    with session_scope(settings) as session:
        seed(session, settings, placer=default_placer(session, settings))
        add_user(session, "editor", PASSWORD, "editor")
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        names = list(session.scalars(select(Project.name).where(Project.total_investment > 5)
                                     .order_by(Project.code).limit(3)))
    engine.dispose()
    with live_server(create_app(settings)) as url:
        yield url, names


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    guard = Guard()
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.route("**/*", guard.route)
    tab = context.new_page()

    guard.watch(tab)
    yield tab
    context.close()
    assert not guard.outside, f"requests left the server: {guard.outside}"
    assert not guard.dialogs, f"a dialog opened: {guard.dialogs}"
    assert not guard.errors, f"page errors: {guard.errors}"


def _upload(page: Any, server: str, path: Path, action: str) -> None:
    page.goto(server + "/import")
    form = page.get_by_test_id("progress-form")
    form.locator("input[type=file]").set_input_files(str(path))
    form.get_by_test_id(f"progress-{action}").click()
    page.wait_for_selector("[data-testid=progress-summary]")


def test_an_editor_uploads_two_months_and_sees_the_classes_everywhere(page: Any, seeded: tuple[str, list[str]],
                                                                      tmp_path: Path) -> None:
    server, names = seeded
    a, b, c = names
    # 万元: plan 12,000 each; May due 5,000, June due 6,000.
    may = diaodu(tmp_path / "may.xlsx", [(1, a, None, 12000, 6000, "主体施工", None),
                                         (2, b, None, 12000, 4900, "基础施工", None),
                                         (3, c, None, 12000, 2000, "前期", "用地未批")], month=5)
    june = diaodu(tmp_path / "june.xlsx", [(1, a, None, 12000, 6600, "主体封顶", None),
                                           (2, b, None, 12000, 5000, "主体施工", "资金到位慢")], month=6)
    page.goto(server + "/login")
    page.fill("input[name=username]", "editor")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.login button[type=submit]")
    page.wait_for_url("**/projects")

    _upload(page, server, may, "preview")
    assert "试运行" in page.get_by_test_id("progress-summary").inner_text()
    assert page.get_by_test_id("line-class").all_inner_texts() == ["超前", "正常", "滞后"]
    assert "为超前" in page.get_by_test_id("progress-rule").first.inner_text()
    page.get_by_test_id("progress-confirm-apply").click()  # apply the previewed file without uploading again
    page.wait_for_selector("[data-testid=progress-summary]")
    assert page.get_by_test_id("progress-summary").inner_text().startswith("已导入")
    _upload(page, server, june, "apply")
    assert page.get_by_test_id("line-class").all_inner_texts() == ["超前", "滞后"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "progress_upload.png"), full_page=True)

    page.goto(server + "/projects?progress_class=超前&progress_class=滞后")
    assert sorted(page.get_by_test_id("ptag").all_inner_texts()) == sorted(["超前", "滞后"])
    assert "2025-06" in page.get_by_test_id("progress-rule").inner_text()
    page.select_option("[data-testid=select-progress_month]", "2025-05")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**progress_month=2025-05**")
    assert sorted(page.get_by_test_id("ptag").all_inner_texts()) == sorted(["超前", "滞后"])

    page.goto(server + "/map?group_by=progress")
    page.wait_for_function("() => document.body && document.body.dataset.kprReady === '1'", timeout=15000)
    legend = page.locator(".kpr-legend li[data-group]")
    assert legend.evaluate_all("els => els.map(e => e.dataset.group)") == ["超前", "滞后", "未填报"]
    assert "为滞后" in page.get_by_test_id("legend-rule").inner_text()
    page.screenshot(path=str(ARTIFACTS / "progress_map.png"))

    page.goto(server + "/stats")
    assert page.get_by_test_id("class-超前").inner_text() == "1"
    assert page.get_by_test_id("class-滞后").inner_text() == "1"
    assert "开工率" in page.get_by_test_id("start-rate").inner_text()
    page.screenshot(path=str(ARTIFACTS / "progress_stats.png"), full_page=True)

    page.goto(server + "/projects?progress_class=超前")
    page.locator("table.projects tbody a").first.click()
    page.wait_for_selector("[data-testid=progress-chart] circle[data-month]")
    chart = page.get_by_test_id("progress-chart")
    assert chart.locator("circle[data-month]").evaluate_all("els => els.map(e => e.dataset.class)") == ["超前", "超前"]
    assert page.get_by_test_id("progress-table-2025").locator("tbody tr").count() == 2
    page.screenshot(path=str(ARTIFACTS / "progress_detail.png"), full_page=True)
    # On a phone the progress table stays a table with its own headers (the list's cards, whose labels say
    # 总投资 and 产业链, are for the project list only) and the page does not scroll sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    table = page.get_by_test_id("progress-table-2025")
    assert table.locator("thead").is_visible()
    assert table.locator("td:nth-child(3)").first.evaluate("e => getComputedStyle(e, '::before').content") in ("none", "normal")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(server + "/projects?lang=en")
    label = page.locator("table.projects tbody tr td:nth-child(3)").first.evaluate("e => getComputedStyle(e, '::before').content")
    assert "Total investment" in label, label
    page.screenshot(path=str(ARTIFACTS / "progress_detail_phone.png"), full_page=True)
    # The English map coloured by progress names the classes and states the rule in English.
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(server + "/map?group_by=progress&lang=en")
    page.wait_for_function("() => document.body.dataset.kprReady === '1'")
    legend = page.locator(".kpr-legend").first.inner_text()
    assert "ahead" in legend and "not reported" in legend and "超前" not in legend and "未填报" not in legend, legend
    assert "completed Jan–M" in page.get_by_test_id("legend-rule").inner_text()
    page.screenshot(path=str(ARTIFACTS / "progress_map_en.png"))
