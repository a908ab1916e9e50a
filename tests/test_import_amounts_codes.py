"""Strict amounts (the source text kept) and normalised project codes, through the spreadsheet import."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.importer.report import ImportReport
from registry.importer.run import import_file
from registry.models import Project
from registry.upsert import stated_placement
from registry.validate import normalize_code, validate_project
from registry.yamltext import load_yaml
from tests.exchange_helpers import count_projects, seed_toy, versions, write_csv, write_xlsx

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def toy(db_session: Session) -> Session:
    seed_toy(db_session)
    return db_session


def _import(session: Session, path: Path, **kwargs: object) -> ImportReport:
    return import_file(session, path, placer=stated_placement, **kwargs)  # type: ignore[arg-type]


def _project(session: Session, name: str) -> Project:
    project = session.scalar(select(Project).where(Project.name == name))
    assert project is not None, name
    return project


def test_ambiguous_amounts_are_problems_naming_row_field_value_and_form(toy: Session, tmp_path: Path) -> None:
    before, vers = count_projects(toy), versions(toy)
    rows = [["项目名称", "总投资（亿元）"], ["甲", "1,2亿"], ["乙", "1_000"], ["丙", "1e11"], ["丁", "约120亿元"],
            ["戊", "120"]]
    report = _import(toy, write_csv(tmp_path / "a.csv", rows))
    assert not report.applied and count_projects(toy) == before and versions(toy) == vers
    found = {(p.row, p.field, p.value) for p in report.problems}
    assert found == {(2, "总投资（亿元）", "1,2亿"), (3, "总投资（亿元）", "1_000"), (4, "总投资（亿元）", "1e11"),
                     (5, "总投资（亿元）", "约120亿元")}
    assert all("1,200" in p.expected and "亿元" in p.expected for p in report.problems)
    assert "three digits" in report.problems[0].message


def test_clear_amounts_are_exact_and_their_text_is_kept(toy: Session, tmp_path: Path) -> None:
    rows = [["项目名称", "总投资（亿元）"], ["全角项目", "１２０亿"], ["万元项目", "1,200万元"], ["千分项目", "1,234.5"],
            ["素数项目", "15.37"]]
    report = _import(toy, write_csv(tmp_path / "a.csv", rows))
    assert report.applied, report.problems
    expected = {"全角项目": ("120", "１２０亿"), "万元项目": ("0.12", "1,200万元"), "千分项目": ("1234.5", "1,234.5亿元"),
                "素数项目": ("15.37", None)}
    for name, (yi, text) in expected.items():
        project = _project(toy, name)
        assert project.total_investment == Decimal(yi) and project.investment_text == text, name


def test_wan_yuan_column_keeps_its_unit_in_the_text_and_xlsx_numbers_stay_numbers(toy: Session,
                                                                                    tmp_path: Path) -> None:
    rows: list[list[object]] = [["项目名称", "总投资（万元）", "投资额原文"], ["文本万元", "25,000", None], ["数字万元", 25000, None],
            ["有原文", "3000", "计划总投资3000万元"]]
    report = _import(toy, write_xlsx(tmp_path / "a.xlsx", rows))
    assert report.applied, report.problems
    assert (_project(toy, "文本万元").total_investment, _project(toy, "文本万元").investment_text) == (
        Decimal("2.5"), "25,000万元")
    assert (_project(toy, "数字万元").total_investment, _project(toy, "数字万元").investment_text) == (
        Decimal("2.5"), None)
    assert _project(toy, "有原文").investment_text == "计划总投资3000万元"  # the file's own text wins


def test_codes_are_one_spelling_whatever_the_width_or_case(toy: Session, tmp_path: Path) -> None:
    before = count_projects(toy)
    rows = [["编号", "项目名称"], ["t-2", "信创产业园"], ["ｔ－４", "坐标项目（改名）"]]
    report = _import(toy, write_csv(tmp_path / "a.csv", rows))
    assert report.applied and count_projects(toy) == before, report.problems
    assert _project(toy, "坐标项目（改名）").code == "T-4"
    twice = _import(toy, write_csv(tmp_path / "b.csv", [["编号", "项目名称"], ["ab-1", "甲"], ["ＡＢ-1", "甲"]]))
    assert not twice.applied and [(p.row, p.value) for p in twice.problems] == [(3, "AB-1")]


@pytest.mark.parametrize("code, why", [("A/1", "slash"), ("A\\1", "backslash"), ("A?1", "question"),
                                       ("A#1", "hash"), ("A 1", "whitespace"), ("A\u30001", "whitespace"),
                                       ("A\x071", "control"), ("A\u200b1", "invisible")])
def test_codes_that_cannot_be_a_web_address_are_refused(toy: Session, tmp_path: Path, code: str, why: str) -> None:
    report = _import(toy, write_csv(tmp_path / "a.csv", [["编号", "项目名称"], [code, "甲"]]))
    assert not report.applied
    [problem] = report.problems
    assert (problem.row, problem.field, problem.value) == (2, "编号", code)
    assert why in problem.message and "no / \\ ? #" in problem.expected


def test_every_path_shares_the_rule_and_seed_codes_are_unchanged() -> None:
    item, problems = validate_project({"code": " ｋｐ-2023-1 ", "name": "甲"})
    assert item is not None and item.code == "KP-2023-1" and not problems
    item, problems = validate_project({"code": "kp/1", "name": "甲"}, row=7)
    assert item is None and [(p.row, p.field, p.value) for p in problems] == [(7, "code", "kp/1")]
    seeds = load_yaml((REPO / "seeds" / "projects.yaml").read_text(encoding="utf-8"))
    codes = [str(p["code"]) for p in seeds]
    assert len(codes) > 300 and [c for c in codes if normalize_code(c) != c] == []
