"""Progress in the views (issue 17), on SQLite and PostgreSQL: an editor uploads two months of 调度 sheets on
the import page (preview, confirm an unsure row, apply), then progress_class= / progress_month= filter the
list, its JSON, the facet index and the CLI alike, and the list shows each project's class with the rule."""
from __future__ import annotations

import json
import re
import time
from datetime import date
from decimal import Decimal
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import quote

import openpyxl  # type: ignore[import-untyped]
import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from registry import stamp
from registry.cli import main
from registry.db import make_engine, make_session_factory
from registry.facetindex import FacetIndex
from registry.models import Project, ProjectMilestones, ProjectProgress
from registry.progress.classify import CLASSES, Rule
from registry.progress.monthly import class_clause
from registry.progress.run import import_progress
from registry.queries import ProjectFilter, facets, resolve, select_projects
from tests.account_helpers import Site, csrf_from, form_fields, prepare
from tests.progress_sheets import diaodu

# Toy projects (tests/account_helpers.TOY): T-1 小店区氢能产业园 (12.5 亿), T-2 阳曲县物流园, T-3 古交市煤层气项目 (3 亿).
# Amounts in 万元. May: T-1 1.2 of 2.4 × 5/12 = 120 % 超前, T-2 0.24 of 0.6 × 5/12 = 96 % 正常,
# T-3 0.3 of 1.2 × 5/12 = 60 % 滞后. June: T-1 1.3 / 1.2 = 108 % 超前, T-3 0.6 / 0.6 = 100 % 正常, T-2 not reported.
MAY = [(1, "小店区氢能产业园", 125000, 24000, 12000, "主体施工", None),
       (2, "阳曲县物流园", None, 6000, 2400, "场平", None),
       (3, "古交市煤层气项目", 30000, 12000, 3000, "前期", "用地未批")]
JUNE = [(1, "小店区氢能产业园", 125000, 24000, 13000, "主体封顶", None),
        (2, "古交市煤层气项目", 30000, 12000, 6000, "开钻", None)]


def _upload(client: FlaskClient, path: Path, action: str, **extra: str) -> Any:
    page = client.get("/import").get_data(as_text=True)
    with path.open("rb") as fh:
        return client.post("/import", data={"csrf_token": csrf_from(page), "kind": "progress", "action": action,
                                            "file": (fh, path.name), **extra}, content_type="multipart/form-data")


def _codes(client: FlaskClient, query: str) -> list[str]:
    return [p["code"] for p in client.get(f"/projects.json?{query}").get_json()["projects"]]


@pytest.fixture
def site(fresh_url: str, tmp_path: Path) -> Site:
    return prepare(fresh_url, tmp_path)


def test_an_editor_previews_then_applies_two_months_and_every_view_filters_by_class(site: Site,
                                                                                      tmp_path: Path) -> None:
    editor = site.client("editor")
    may = diaodu(tmp_path / "may.xlsx", MAY, month=5)
    preview = _upload(editor, may, "preview")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "试运行" in html
    assert re.findall(r'data-testid="line-class">([^<]+)<', html) == ["超前", "正常", "滞后"]
    assert "累计完成投资 ÷ (年度计划投资 × M ÷ 12)" in html  # the rule, in words
    assert editor.get("/projects/T-1.json").get_json()["progress"] == []  # a preview writes nothing
    assert "已导入" in _upload(editor, may, "apply").get_data(as_text=True)
    june = diaodu(tmp_path / "june.xlsx", JUNE, month=6)
    assert "已导入" in _upload(editor, june, "apply").get_data(as_text=True)
    again = _upload(editor, june, "apply").get_data(as_text=True)
    assert "新增 0，更新 0，未变 2" in again  # re-importing a month changes nothing

    anyone = site.client()
    # Default month: the newest with figures (June); T-2 has none then.
    assert _codes(anyone, "progress_class=超前") == ["T-1"]
    assert _codes(anyone, "progress_class=未填报") == ["T-2"]
    assert _codes(anyone, "progress_class=滞后") == []
    assert _codes(anyone, "progress_class=滞后&progress_month=2025-05") == ["T-3"]
    assert _codes(anyone, "progress_class=正常,behind&progress_month=2025-5") == ["T-2", "T-3"]
    page = anyone.get("/projects?progress_class=超前&progress_class=未填报").get_data(as_text=True)
    assert re.findall(r'data-testid="ptag">([^<]+)<', page) == ["超前", "未填报"]
    assert 'data-testid="progress-rule"' in page and "高于 105% 为超前" in page
    assert {"超前", "未填报"} <= set(re.findall(r'class="chip"[^>]*>× ([^<]+)<', page))
    assert '<option value="超前" selected>' in page and '<input type="hidden" name="progress_class" value="未填报">' in page
    words = anyone.get("/projects.json?progress_class=超前").get_json()["filter"]
    assert "进度评价（2025年1-6月）：超前" in words and "为超前" in words
    csv_rows = anyone.get("/projects.csv?progress_class=滞后&progress_month=2025-05").get_data(as_text=True)
    assert len(csv_rows.strip().splitlines()) == 2 and "T-3" in csv_rows  # header and T-3
    assert anyone.get("/stats.json?progress_class=超前").get_json()["count"] == 1
    named = anyone.get("/projects.xlsx?progress_class=滞后&progress_month=2025-05").headers["Content-Disposition"]
    assert quote("重点项目_滞后_2025-05_") in named  # the export's file name says the class and its month
    geo = anyone.get("/projects.geojson?progress_class=未填报").get_json()
    assert {f["properties"]["code"] for f in geo["features"]} <= {"T-2"}
    assert "超前" in anyone.get("/projects/print?progress_class=超前").get_data(as_text=True)
    bad = anyone.get("/projects?progress_class=超钱")
    assert bad.status_code == 400 and re.search(r'data-testid="fix">超前<', bad.get_data(as_text=True))
    assert anyone.get("/projects.json?progress_month=2025-13").status_code == 400

    out = CliRunner().invoke(main, ["projects", "--progress-class", "滞后", "--progress-month", "2025-05",
                                    "--format", "json"], env={"KPR_DATABASE_URL": site.url}, catch_exceptions=False)
    assert out.exit_code == 0, out.output
    assert [p["code"] for p in json.loads(out.output)["projects"]] == ["T-3"]

    engine = make_engine(site.url)
    with make_session_factory(engine)() as session:
        index = FacetIndex(session, stamp.read(session))
        for params in ({}, {"progress_class": ["未填报"]}, {"progress_class": ["超前", "滞后"], "district": ["140105"]},
                       {"progress_class": ["滞后"], "progress_month": ["2025-05"]}):
            rf = resolve(session, ProjectFilter.from_params(params))
            sql_ids = sorted(p.id for p in session.scalars(select_projects(rf)))
            assert sorted(index.matching_ids(rf).tolist()) == sql_ids, params
            assert index.facets(rf)["progress_classes"] == facets(session, rf)["progress_classes"], params
    engine.dispose()


def test_the_map_colours_by_progress_with_the_rule_in_the_legend(site: Site, tmp_path: Path) -> None:
    editor = site.client("editor")
    _upload(editor, diaodu(tmp_path / "may.xlsx", MAY, month=5), "apply")
    data = editor.get("/map/data.json?group_by=progress&progress_month=2025-05").get_json()
    assert [(g["name"], g["count"], g["colour"]) for g in data["groups"]] == [
        ("超前", 1, "#1a9850"), ("正常", 1, "#4575b4"), ("滞后", 1, "#d73027")]
    assert "2025年1-5月" in data["rule"] and "为滞后" in data["rule"]
    assert editor.get("/map/data.json").get_json()["rule"] is None
    page = editor.get("/map?group_by=progress").get_data(as_text=True)
    assert 'value="progress" selected' in page and 'data-testid="progress-rule"' in page


def test_an_unsure_row_is_confirmed_from_its_candidates_without_uploading_again(site: Site, tmp_path: Path) -> None:
    editor = site.client("editor")
    near = [(1, "小店区氢能产业园一期", 125000, 24000, 12000, "主体施工", None),
            (2, "古交市煤层气项目", 30000, 12000, 3000, "前期", None)]
    first = _upload(editor, diaodu(tmp_path / "near.xlsx", near, month=5), "apply")
    html = first.get_data(as_text=True)
    assert first.status_code == 422 and "未导入任何数据" in html and "候选" in html
    assert editor.get("/projects/T-3.json").get_json()["progress"] == []  # all or nothing
    fields = form_fields(html, "progress-confirm")
    assert "confirm_7" not in fields  # no candidate is picked for the user
    assert re.search(r'<option value="T-1">T-1 小店区氢能产业园</option>', html)
    fields.update(confirm_7="T-1", action="preview")
    preview = editor.post("/import", data=fields).get_data(as_text=True)
    assert "人工确认" in preview and re.findall(r'data-testid="line-class">([^<]+)<', preview) == ["超前", "滞后"]
    applied = editor.post("/import", data={**form_fields(preview, "progress-confirm"), "action": "apply"})
    assert applied.status_code == 200 and "已导入" in applied.get_data(as_text=True)
    assert [m["progress_class"] for m in editor.get("/projects/T-1.json").get_json()["progress"]] == ["超前"]


def test_only_editors_upload_and_a_post_needs_its_csrf_token(site: Site, tmp_path: Path) -> None:
    path = diaodu(tmp_path / "may.xlsx", MAY, month=5)
    viewer = site.client("viewer")
    with path.open("rb") as fh:
        refused = viewer.post("/import", data={"kind": "progress", "action": "apply", "file": (fh, "may.xlsx")},
                              content_type="multipart/form-data")
    assert refused.status_code in (400, 403)
    editor = site.client("editor")
    with path.open("rb") as fh:
        no_token = editor.post("/import", data={"kind": "progress", "action": "apply", "file": (fh, "may.xlsx")},
                               content_type="multipart/form-data")
    assert no_token.status_code == 400
    assert editor.get("/projects/T-1.json").get_json()["progress"] == []


def test_the_excel_export_has_a_diaodu_sheet_that_reimports_as_no_change(site: Site, tmp_path: Path) -> None:
    editor = site.client("editor")
    may = [(*MAY[0][:5], "+1 主体施工", "@风险"), *MAY[1:]]  # text a spreadsheet would take for a formula
    _upload(editor, diaodu(tmp_path / "may.xlsx", may, month=5), "apply")
    _upload(editor, diaodu(tmp_path / "june.xlsx", JUNE, month=6), "apply")
    exported = tmp_path / "export.xlsx"
    exported.write_bytes(editor.get("/projects.xlsx?progress_month=2025-05").data)
    book = openpyxl.load_workbook(exported)
    sheet = book["调度"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][0] == "太原市2025年重点项目1-5月推进情况表" and rows[1][0] == "单位：万元"
    assert rows[2] == ["序号", "项目名称", "编号", "2025年计划投资（万元）", "2025年1-5月累计完成投资（万元）",
                       "完成率（%）", "1-5月形象进度", "存在问题", "进度"]
    assert rows[3] == [1, "小店区氢能产业园", "T-1", 24000, 12000, 50, "+1 主体施工", "@风险", "超前"]
    assert sheet.cell(4, 7).data_type == "s"  # text, not a formula
    assert [r[8] for r in rows[3:6]] == ["超前", "正常", "滞后"]
    assert rows[6][:5] == ["合计（3项）", None, None, 42000, 17400]
    assert "进度评价规则" in str(rows[8][0])
    engine = make_engine(site.url)
    with make_session_factory(engine)() as session:
        report = import_progress(session, exported)
        assert report.problems == [] and (report.year, report.month) == (2025, 5)
        assert (report.added, report.changed, sorted(report.unchanged)) == ([], [], ["T-1", "T-2", "T-3"])
        session.rollback()
    engine.dispose()
    # June: T-2 has no figures; its row is blank and 未填报, and re-importing it adds nothing.
    exported.write_bytes(editor.get("/projects.xlsx").data)
    june = [list(r) for r in openpyxl.load_workbook(exported)["调度"].iter_rows(values_only=True)]
    assert june[4] == [2, "阳曲县物流园", "T-2", None, None, None, None, None, "未填报"]
    engine = make_engine(site.url)
    with make_session_factory(engine)() as session:
        report = import_progress(session, exported)
        assert report.problems == [] and (report.added, report.changed) == ([], [])
        session.rollback()
    engine.dispose()


def test_the_dashboard_shows_start_and_completion_rates_classes_and_completion_against_plan(
        site: Site, tmp_path: Path) -> None:
    editor = site.client("editor")
    _upload(editor, diaodu(tmp_path / "may.xlsx", MAY, month=5), "apply")
    _upload(editor, diaodu(tmp_path / "june.xlsx", JUNE, month=6), "apply")
    engine = make_engine(site.url)
    with make_session_factory(engine)() as session:
        session.execute(update(Project).where(Project.code == "T-3").values(status="在建"))
        session.add(ProjectMilestones(project_id=session.scalar(select(Project.id).where(Project.code == "T-1")),
                                      actual_end=date(2025, 5, 30)))
        session.commit()
    engine.dispose()
    board = editor.get("/stats.json").get_json()["progress"]
    assert board["month"] == "2025-06" and board["time_percent"] == 50.0 and "为超前" in board["rule"]
    assert (board["start_rate"]["started"], board["start_rate"]["projects"]) == (2, 3)  # 在建, and a 竣工 date
    assert (board["completion_rate"]["completed"], board["completion_rate"]["percent"]) == (1, 33.3)
    assert board["classes"] == {"超前": 1, "正常": 1, "滞后": 0, "未填报": 1}
    overall = board["completion"]["overall"]
    assert (overall["plan_investment"], overall["completed_investment"], overall["completion_percent"]) == (
        3.6, 1.9, 52.8)
    assert [(d["code"], d["completion_percent"]) for d in board["completion"]["districts"]] == [("140105", 54.2)]
    assert [(s["code"], s["projects"]) for s in board["completion"]["strategies"]] == [("jjj", 1)]
    may = editor.get("/stats.json?progress_month=2025-05").get_json()["progress"]
    assert may["classes"] == {"超前": 1, "正常": 1, "滞后": 1, "未填报": 0}
    page = editor.get("/stats").get_data(as_text=True)
    assert "开工率" in page and "竣工率" in page and 'data-testid="time-line"' in page
    link = re.search(r'href="([^"]*)" data-testid="class-超前"', page)
    assert link and _codes(editor, unescape(link.group(1)).split("?", 1)[1]) == ["T-1"]


def test_the_detail_page_charts_plan_against_completion_by_month_with_a_table(site: Site, tmp_path: Path) -> None:
    editor = site.client("editor")
    assert 'data-testid="progress-section"' not in editor.get("/projects/T-1").get_data(as_text=True)
    _upload(editor, diaodu(tmp_path / "may.xlsx", MAY, month=5), "apply")
    _upload(editor, diaodu(tmp_path / "june.xlsx", JUNE, month=6), "apply")
    page = site.client().get("/projects/T-3").get_data(as_text=True)
    chart = page[page.index('data-testid="progress-chart"'):page.index("</svg>", page.index('data-testid="progress-chart"'))]
    assert 'data-testid="plan-line"' in chart and "年度计划 1.2 亿元" in chart
    assert re.findall(r'data-month="(\d+)" data-class="([^"]+)"', chart) == [("5", "滞后"), ("6", "正常")]
    table = page[page.index('data-testid="progress-table-2025"'):]
    assert re.findall(r'data-testid="month-class">([^<]+)<', table) == ["滞后", "正常"]
    assert "60.0%" in table and "100.0%" in table and "用地未批" in table  # completed ÷ due, and the issues
    assert "高于 105% 为超前" in page


@pytest.mark.parametrize("ahead, behind", [(Decimal(105), Decimal(95)), (Decimal("102.5"), Decimal("97.25"))])
def test_the_sql_class_filter_agrees_with_the_rule_at_its_edges(db_session: Session, ahead: Decimal,
                                                                behind: Decimal) -> None:
    """SQL compares the stored 万元 (no id lists); Rule.classify compares Decimals: the same at every edge."""
    rule = Rule(ahead=ahead, behind=behind)
    due = Decimal(6)  # plan 12 亿元 × 6 ÷ 12
    edges = [due * ahead / 100, due * behind / 100]
    completed = [e + d for e in edges for d in (Decimal("-0.0001"), Decimal(0), Decimal("0.0001"))]
    for i, done in enumerate([*completed, None]):
        project = Project(code=f"E-{i}", name=f"边界{i}", partners=[], aliases=[])
        db_session.add(project)
        db_session.flush()
        db_session.add(ProjectProgress(project_id=project.id, year=2025, month=6, plan_investment=Decimal(12),
                                       completed_investment=None if done is None else done.quantize(Decimal("0.0001"))))
    db_session.add(Project(code="E-none", name="未报", partners=[], aliases=[]))
    db_session.flush()
    rows = db_session.execute(select(Project.id, Project.code, ProjectProgress.plan_investment,
                                     ProjectProgress.completed_investment)
                              .outerjoin(ProjectProgress, ProjectProgress.project_id == Project.id)
                              .where(Project.code.like("E-%"))).all()
    expected = {code: rule.classify(plan, done, 6) for _, code, plan, done in rows}
    assert set(expected.values()) == set(CLASSES)
    for cls in CLASSES:
        clause = class_clause(rule, (2025, 6), [cls])
        found = set(db_session.scalars(select(Project.code).where(Project.code.like("E-%"), clause)))
        assert found == {code for code, c in expected.items() if c == cls}, (cls, found)
    db_session.rollback()


def test_a_large_sheet_runs_as_a_background_job_then_applies_from_its_page(fresh_url: str, tmp_path: Path) -> None:
    site = prepare(fresh_url, tmp_path, import_job_rows=5)  # the May sheet has 11 rows: a "large" one
    editor = site.client("editor")

    def finished(resp: Any) -> str:
        assert resp.status_code == 302 and "/import/jobs/" in resp.location
        for _ in range(200):
            state = editor.get(resp.location + ".json").get_json()
            if state["state"] != "running":
                break
            time.sleep(0.05)
        assert state["state"] == "done", state
        return str(editor.get(resp.location).get_data(as_text=True))

    page = finished(_upload(editor, diaodu(tmp_path / "may.xlsx", MAY, month=5), "preview"))
    assert "试运行" in page and re.findall(r'data-testid="line-class">([^<]+)<', page) == ["超前", "正常", "滞后"]
    assert editor.get("/projects/T-1.json").get_json()["progress"] == []
    applied = finished(editor.post("/import", data={**form_fields(page, "progress-confirm"), "action": "apply"}))
    assert "已导入" in applied and 'data-testid="progress-confirm"' not in applied
    assert [m["progress_class"] for m in editor.get("/projects/T-3.json").get_json()["progress"]] == ["滞后"]
