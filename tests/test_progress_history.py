"""Progress in the change history and in the browser, on SQLite and PostgreSQL: editors fill in the 进度 page's own
form (strict amounts, checks naming field and value, optimistic locking), imports record one change set, a
re-import records nothing, 修改记录 shows the months in Chinese, and admins revert them."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from registry.cli import main
from registry.db import make_engine, make_session_factory
from registry.models import ChangeSet, ProgressClosedMonth, Project, ProjectMilestones, ProjectProgress
from tests.account_helpers import Site, csrf_from, form_fields, prepare
from tests.progress_sheets import diaodu


@pytest.fixture
def site(fresh_url: str, tmp_path: Path) -> Site:
    return prepare(fresh_url, tmp_path)


def _months(site: Site, code: str) -> dict[int, tuple[Any, ...]]:
    engine = make_engine(site.url)
    with make_session_factory(engine)() as session:
        rows = session.execute(select(ProjectProgress).join(Project).where(Project.code == code)).scalars()
        out = {r.month: (r.plan_investment, r.completed_investment, r.image_progress, r.issues) for r in rows}
    engine.dispose()
    return out


def _progress_form(client: Any, code: str = "T-1", year: int = 2025) -> dict[str, Any]:
    return form_fields(client.get(f"/projects/{code}/progress?year={year}").get_data(as_text=True), "progress-form")


def test_editor_enters_progress_in_the_form_and_history_shows_it(site: Site) -> None:
    client = site.client("editor")
    fields = _progress_form(client)
    assert fields["year"] == "2025" and fields["completed_3"] == ""
    fields |= {"plan_investment": "40000", "unit": "万元", "completed_3": "5000", "image_3": "主体施工",
               "completed_4": "1.2亿元", "issues_4": "用地<script>", "actual_start": "2025-03-02",
               "comment": "三月调度"}
    resp = client.post("/projects/T-1/progress", data=fields)
    assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
    D = __import__("decimal").Decimal
    assert _months(site, "T-1") == {3: (D(4), D("0.5"), "主体施工", None), 4: (D(4), D("1.2"), None, "用地<script>")}
    history = client.get("/projects/T-1/history.json").get_json()["history"]
    mine = {h["field"]: (h["old"], h["new"], h["field_label"]) for h in history if h["comment"] == "三月调度"}
    assert mine["progress:2025-03"] == (None, {"plan_investment": "4", "completed_investment": "0.5",
                                               "image_progress": "主体施工", "issues": None}, "2025年3月调度")
    assert mine["actual_start"] == (None, "2025-03-02", "实际开工日期")
    assert {h["kind_label"] for h in history if h["comment"] == "三月调度"} == {"填报进度"}
    page = client.get("/projects/T-1").get_data(as_text=True)
    assert "2025年4月调度" in page and "累计完成投资 1.2 亿元" in page and "用地&lt;script&gt;" in page
    # The form shows what was saved, and saving it unchanged records nothing.
    again = _progress_form(client)
    assert (again["plan_investment"], again["completed_4"], again["actual_start"]) == ("4", "1.2", "2025-03-02")
    assert client.post("/projects/T-1/progress", data=again | {"comment": "原样"}).status_code == 302
    assert not [h for h in client.get("/projects/T-1/history.json").get_json()["history"] if h["comment"] == "原样"]


@pytest.mark.parametrize(("change", "field", "shown"), [
    ({"completed_3": "-1"}, "completed_3", "金额为负"),
    ({"completed_3": "13"}, "completed_3", "超过项目总投资"),  # T-1's total is 12.5 亿元
    ({"completed_3": "5", "completed_4": "4"}, "completed_4", "月份顺序不符"),
    ({"plan_investment": "1,2"}, "plan_investment", "千位分隔符须每三位一组"),
    ({"actual_start": "2025-13-01"}, "actual_start", "不是日期"),
    ({"planned_start": "2025-05-01", "planned_end": "2025-01-01"}, "planned_end", "竣工早于开工"),
])
def test_bad_values_are_refused_naming_the_field_and_value(site: Site, change: dict[str, str], field: str,
                                                          shown: str) -> None:
    client = site.client("editor")
    resp = client.post("/projects/T-1/progress", data=_progress_form(client) | change)
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert f'data-testid="error-{field}"' in html and shown in html
    assert _months(site, "T-1") == {}


def test_a_closed_month_cannot_change_and_a_stale_form_conflicts(site: Site) -> None:
    client = site.client("editor")
    first = _progress_form(client)
    assert client.post("/projects/T-1/progress", data=first | {"completed_2": "1"}).status_code == 302
    stale = first | {"completed_2": "2"}  # made from the page before the save above
    resp = client.post("/projects/T-1/progress", data=stale)
    assert resp.status_code == 409 and 'data-testid="conflict"' in resp.get_data(as_text=True)
    engine = make_engine(site.url)
    with make_session_factory(engine)() as session:
        session.add(ProgressClosedMonth(year=2025, month=2))
        session.commit()
    engine.dispose()
    resp = client.post("/projects/T-1/progress", data=_progress_form(client) | {"completed_2": "2"})
    assert resp.status_code == 422 and "该月已关账" in resp.get_data(as_text=True)
    assert _months(site, "T-1")[2][1] == 1


def test_viewer_is_refused_and_no_csrf_changes_nothing(site: Site) -> None:
    viewer = site.client("viewer")
    assert viewer.get("/projects/T-1/progress").status_code == 403
    editor = site.client("editor")
    fields = _progress_form(editor)
    resp = viewer.post("/projects/T-1/progress", data=fields | {"completed_3": "1",
                       "csrf_token": csrf_from(viewer.get("/projects/T-1").get_data(as_text=True))})
    assert resp.status_code == 403
    del fields["csrf_token"]
    assert editor.post("/projects/T-1/progress", data=fields | {"completed_3": "1"}).status_code == 400
    assert _months(site, "T-1") == {}


def test_import_is_one_change_set_a_reimport_records_nothing_and_admin_reverts(site: Site, tmp_path: Path,
                                                                              monkeypatch: Any) -> None:
    monkeypatch.setenv("KPR_DATABASE_URL", site.url)
    sheet = diaodu(tmp_path / "june.xlsx", [(1, "小店区氢能产业园", 125000, 40000, 5000, "主体施工", None),
                                            (2, "古交市煤层气项目", 30000, 10000, 2000, None, "资金")])
    runner = CliRunner()
    for _ in range(2):
        result = runner.invoke(main, ["progress", "import", str(sheet), "--user", "li"])
        assert result.exit_code == 0, result.output
    engine = make_engine(site.url)
    with make_session_factory(engine)() as session:
        sets = session.scalars(select(ChangeSet).where(ChangeSet.kind == "progress-import")).all()
        assert [(s.username, s.file_name, len(s.changes)) for s in sets] == [("li", "june.xlsx", 2)]
        set_id = sets[0].id
    engine.dispose()
    admin = site.client("admin")
    history = admin.get("/projects/T-3/history.json").get_json()["history"]
    june = next(h for h in history if h["field"] == "progress:2025-06")
    assert june["kind_label"] == "导入调度表" and june["user"] == "li" and june["new"]["completed_investment"] == "0.2"
    page = admin.get("/projects/T-3").get_data(as_text=True)
    resp = admin.post(f"/changes/{june['change_id']}/revert", data={"csrf_token": csrf_from(page)})
    assert resp.status_code == 302
    assert _months(site, "T-3") == {} and 6 in _months(site, "T-1")
    resp = admin.post(f"/change-sets/{set_id}/revert", data={"csrf_token": csrf_from(page)})
    assert resp.status_code == 409  # T-3's month was reverted already: all or nothing, nothing changes
    assert 6 in _months(site, "T-1")


def test_milestones_revert_to_empty(site: Site) -> None:
    editor = site.client("editor")
    assert editor.post("/projects/T-2/progress", data=_progress_form(editor, "T-2") | {
        "planned_end": "2026-12-31"}).status_code == 302
    admin = site.client("admin")
    change = next(h for h in admin.get("/projects/T-2/history.json").get_json()["history"]
                  if h["field"] == "planned_end")
    page = admin.get("/projects/T-2").get_data(as_text=True)
    assert admin.post(f"/changes/{change['change_id']}/revert",
                      data={"csrf_token": csrf_from(page)}).status_code == 302
    engine = make_engine(site.url)
    with make_session_factory(engine)() as session:
        stones = session.scalar(select(ProjectMilestones).join(Project).where(Project.code == "T-2"))
        assert stones is not None and stones.planned_end is None
    engine.dispose()
