"""Importing 调度 sheets into the registry, on SQLite and PostgreSQL: matching, all-or-nothing checks, closed
months, re-imports that change nothing, and the progress list in each project's JSON."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped]
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from registry import migrate
from registry.cli import main
from registry.db import session_scope
from registry.models import ProgressClosedMonth, Project, ProjectProgress
from registry.progress.run import import_progress
from tests.conftest import settings_for
from tests.progress_sheets import SAMPLE, diaodu

D = Decimal


def _sample_names() -> list[tuple[str, str]]:
    """(name, the sheet's own 进度评价) of the sample's project rows."""
    book = openpyxl.load_workbook(SAMPLE, data_only=True)
    return [(str(r[1]), str(r[13])) for r in book.active.iter_rows(min_row=9, values_only=True)
            if isinstance(r[0], int)]


def _add(session: Session, *projects: tuple[str, str, Decimal | None, list[str]]) -> None:
    for code, name, total, aliases in projects:
        session.add(Project(code=code, name=name, total_investment=total, aliases=aliases, partners=[]))
    session.flush()


def _stored(session: Session) -> list[tuple[str, int, int, Any, Any]]:
    rows = session.execute(select(Project.code, ProjectProgress.year, ProjectProgress.month,
                                  ProjectProgress.plan_investment, ProjectProgress.completed_investment)
                           .join(Project, Project.id == ProjectProgress.project_id)
                           .order_by(Project.code, ProjectProgress.year, ProjectProgress.month))
    return [tuple(r) for r in rows]  # type: ignore[misc]


def test_the_sample_imports_and_classes_agree_with_the_sheets_own_column(db_session: Session) -> None:
    names = _sample_names()
    _add(db_session, *[(f"P-{i:02d}", n, None, []) for i, (n, _) in enumerate(names, start=1)])
    report = import_progress(db_session, SAMPLE)
    assert report.problems == [] and len(report.added) == 12
    assert (report.year, report.month) == (2025, 6)
    # The sample's 进度评价 column was computed by its author with the same rule: an independent check.
    assert [report.classes[f"P-{i:02d}"] for i in range(1, 13)] == [cls for _, cls in names]
    stored = _stored(db_session)
    assert stored[0] == ("P-01", 2025, 6, D(8), D("4.2"))
    again = import_progress(db_session, SAMPLE)
    assert again.problems == [] and (again.added, again.changed, len(again.unchanged)) == ([], [], 12)
    assert _stored(db_session) == stored


def test_code_then_name_then_alias_and_near_names_are_never_guessed(db_session: Session, tmp_path: Path) -> None:
    _add(db_session, ("R-1", "太原城市轨道交通项目", None, []), ("R-2", "汾河治理工程", None, ["汾河中游治理"]))
    rows = [(1, "太原市城市轨道交通建设项目", 100, 50, 25, None, None), (2, "汾河中游治理", 100, 50, 25, None, None)]
    report = import_progress(db_session, diaodu(tmp_path / "near.xlsx", rows))
    assert [(p.row, p.value) for p in report.problems] == [(7, "太原市城市轨道交通建设项目")]
    assert "R-1 太原城市轨道交通项目" in report.problems[0].expected  # the candidate, for confirmation
    assert _stored(db_session) == []  # all-or-nothing: the alias row was fine but nothing was written
    confirmed = [(1, "R-1", "太原市城市轨道交通建设项目", 100, 50, 25, None, None),
                 (2, None, "汾河中游治理", 100, 50, 25, None, None)]
    report = import_progress(db_session, diaodu(tmp_path / "code.xlsx", confirmed, code_column=True))
    assert report.problems == [] and sorted(report.added) == ["R-1", "R-2"]


def test_a_name_shared_by_two_projects_is_reported_with_both(db_session: Session, tmp_path: Path) -> None:
    _add(db_session, ("S-1", "综合管廊项目", None, []), ("S-2", "综合管廊项目", None, []))
    report = import_progress(db_session, diaodu(tmp_path / "dup.xlsx", [(1, "综合管廊项目", 9, 5, 2, None, None)]))
    assert len(report.problems) == 1 and "S-1" in report.problems[0].expected and "S-2" in report.problems[0].expected


def test_completion_above_total_investment(db_session: Session, tmp_path: Path) -> None:
    _add(db_session, ("T-1", "甲项目", D(2), []), ("T-2", "乙项目", None, []))
    rows = [(1, "甲项目", 900000, 30000, 25000, None, None),  # 2.5 亿元 > the registry's 2 亿元
            (2, "乙项目", 10000, 30000, 12000, None, None)]  # no total in the registry: the sheet's 1 亿元
    report = import_progress(db_session, diaodu(tmp_path / "over.xlsx", rows))
    assert [(p.row, p.field, p.value) for p in report.problems] == [
        (7, "累计完成投资", "2.5 亿元"), (8, "累计完成投资", "1.2 亿元")]
    assert "不超过总投资 2 亿元" in report.problems[0].expected
    assert _stored(db_session) == []


def test_months_out_of_order_and_a_closed_month(db_session: Session, tmp_path: Path) -> None:
    _add(db_session, ("M-1", "甲项目", None, []), ("M-2", "乙项目", None, []))
    june = [(1, "甲项目", 100000, 50000, 20000, "施工", None), (2, "乙项目", 100000, 50000, 20000, None, None)]
    assert import_progress(db_session, diaodu(tmp_path / "6.xlsx", june)).ok
    may = [(1, "甲项目", 100000, 50000, 15000, None, None), (2, "乙项目", 100000, 50000, 25000, None, None)]
    report = import_progress(db_session, diaodu(tmp_path / "5.xlsx", may, month=5))
    assert [(p.row, p.value) for p in report.problems] == [(8, "2.5 亿元")]  # more by May than by June
    assert "1-6月" in report.problems[0].message
    assert [r[2] for r in _stored(db_session)] == [6, 6]  # May's good row was not written either
    db_session.add(ProgressClosedMonth(year=2025, month=6))
    db_session.flush()
    assert import_progress(db_session, diaodu(tmp_path / "6again.xlsx", june)).ok  # the same figures: fine
    june[0] = (1, "甲项目", 100000, 50000, 21000, "施工", None)
    closed = import_progress(db_session, diaodu(tmp_path / "6changed.xlsx", june))
    assert [(p.row, p.value) for p in closed.problems] == [(7, "2025-06")]
    assert "已关账" in closed.problems[0].message


def test_options_fill_in_what_the_sheet_does_not_say_and_must_agree_with_it(
        db_session: Session, tmp_path: Path) -> None:
    _add(db_session, ("O-1", "甲项目", None, []))
    path = diaodu(tmp_path / "x.xlsx", [(1, "甲项目", 100, 50, 20, None, None)])
    report = import_progress(db_session, path, month=7)
    assert [(p.field, p.value) for p in report.problems] == [("月份 (month)", 7)]
    assert import_progress(db_session, path, year=2025, month=6, dry_run=True).ok
    assert _stored(db_session) == []  # a dry run writes nothing


def test_cli_import_then_project_json_carries_progress(fresh_url: str, tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("KPR_DATABASE_URL", fresh_url)
    migrate.upgrade(fresh_url)
    with session_scope(settings_for(fresh_url)) as session:
        _add(session, ("C-1", "甲项目", None, []))
    runner = CliRunner()
    may = diaodu(tmp_path / "5.xlsx", [(1, "甲项目", 100000, 120000, 30000, "基础施工", "征地")], month=5)
    june = diaodu(tmp_path / "6.xlsx", [(1, "甲项目", 100000, 120000, 60000, "主体施工", None)])
    for path in (june, may):  # order of arrival does not matter; the list is by month
        result = runner.invoke(main, ["progress", "import", str(path), "--report", str(tmp_path / "r.xlsx")])
        assert result.exit_code == 0, result.output
    assert "新增 1" in result.output and "进度评价" in result.output
    again = runner.invoke(main, ["progress", "import", str(june)])
    assert again.exit_code == 0 and "未变 1" in again.output
    out = runner.invoke(main, ["projects", "--format", "json"])
    assert out.exit_code == 0, out.output
    [project] = json.loads(out.output)["projects"]
    assert project["progress"] == [
        {"year": 2025, "month": 5, "plan_investment": 12.0, "completed_investment": 3.0,
         "image_progress": "基础施工", "issues": "征地", "progress_class": "滞后"},  # 3 ÷ (12×5/12) = 60 %
        {"year": 2025, "month": 6, "plan_investment": 12.0, "completed_investment": 6.0,
         "image_progress": "主体施工", "issues": None, "progress_class": "正常"}]  # 6 ÷ 6 = 100 %
    with session_scope(settings_for(fresh_url)) as session:
        before = session.scalar(select(func.count()).select_from(ProjectProgress))
    bad = diaodu(tmp_path / "bad.xlsx", [(1, "无此项目", 1, 1, 1, None, None)], month=7)
    result = runner.invoke(main, ["progress", "import", str(bad), "--report", str(tmp_path / "bad-r.xlsx")])
    assert result.exit_code == 1 and "row 7" in result.output and "Traceback" not in result.output
    report = openpyxl.load_workbook(tmp_path / "bad-r.xlsx").worksheets[0]
    assert [c.value for c in report[2]][:3] == [7, "项目名称 (project)", "无此项目"]
    with session_scope(settings_for(fresh_url)) as session:
        assert session.scalar(select(func.count()).select_from(ProjectProgress)) == before
    closed = runner.invoke(main, ["progress", "close", "--year", "2025", "--month", "6"])
    assert closed.exit_code == 0, closed.output
    template = runner.invoke(main, ["progress", "template", "-o", str(tmp_path / "t.xlsx"), "--year", "2025",
                                    "--month", "8"])
    assert template.exit_code == 0, template.output
    # The template, filled in as an office would, imports as it is.
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    ws = book.active
    for col, value in zip("ABCDEFGH", (1, "C-1", "甲项目", 100000, 120000, 80000, "主体封顶", None)):
        ws[f"{col}6"] = value
    book.save(tmp_path / "t.xlsx")
    filled = runner.invoke(main, ["progress", "import", str(tmp_path / "t.xlsx")])
    assert filled.exit_code == 0 and "2025年8月" in filled.output and "新增 1" in filled.output, filled.output
