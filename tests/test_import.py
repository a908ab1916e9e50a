"""Imports: aliases and units, all-or-nothing, --skip-invalid, matching without codes, coordinates."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.importer.report import write_report_xlsx
from registry.importer.run import import_file
from registry.models import Location, Project
from registry.upsert import stated_placement
from tests.exchange_helpers import count_projects, seed_toy, versions, write_csv, write_xlsx


@pytest.fixture
def toy(db_session: Session) -> Session:
    seed_toy(db_session)
    return db_session


def _import(session: Session, path: Path, **kwargs: object):  # type: ignore[no-untyped-def]
    return import_file(session, path, placer=stated_placement, **kwargs)  # type: ignore[arg-type]


def test_header_aliases_and_wan_yuan_are_converted_exactly(toy: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", [["名称", "投资额（万元）", "县区", "开发区", "所属产业链", "战略", "性质"],
                                          ["新材料基地", "123456", "小店", "综改区", "信创产业链", "京津冀", "新建"]])
    report = _import(toy, path)
    assert report.applied and len(report.created) == 1, report.problems
    project = toy.scalar(select(Project).where(Project.name == "新材料基地"))
    assert project is not None and project.total_investment == Decimal("12.3456")
    assert project.district_code == "140105" and project.zone_code == "zgq" and project.construction_type == "新建"
    assert [c.chain_code for c in project.chains] == ["it-xc"]
    assert project.code.startswith("IMP-")


def test_wan_yuan_below_one_wan_is_a_problem(toy: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", [["项目名称", "总投资（万元）"], ["零头项目", "12.5"]])
    report = _import(toy, path)
    assert not report.applied and report.problems[0].field == "总投资（万元）"
    assert "1 万元" in report.problems[0].message


def test_one_bad_row_changes_nothing_and_report_names_row_column_value(toy: Session, tmp_path: Path) -> None:
    before, vers = count_projects(toy), versions(toy)
    path = write_xlsx(tmp_path / "a.xlsx", [["编号", "项目名称", "状态", "总投资（亿元）", "区县"],
                                            ["T-1", "阳曲大盂—盂县(晋冀界)高速公路项目", "在建", 130, "阳曲县"],
                                            ["N-1", "新项目", "已完成", "很多", "火星区"]])
    report = _import(toy, path)
    assert not report.applied and count_projects(toy) == before and versions(toy) == vers
    found = {(p.row, p.field, str(p.value)) for p in report.problems}
    assert {(3, "状态", "已完成"), (3, "总投资（亿元）", "很多"), (3, "区县", "火星区")} <= found
    assert all(p.expected for p in report.problems)
    out = tmp_path / "report.xlsx"
    write_report_xlsx(report, out)
    rows = list(openpyxl.load_workbook(out)["问题"].iter_rows(values_only=True))
    assert rows[0] == ("行号", "列", "值", "问题", "应为") and any(r[2] == "火星区" for r in rows)


def test_skip_invalid_applies_good_rows(toy: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", [["编号", "项目名称", "状态"], ["T-1", "阳曲大盂—盂县(晋冀界)高速公路项目", "在建"],
                                          ["N-1", "新项目", "已完成"]])
    report = _import(toy, path, skip_invalid=True)
    assert report.applied and report.updated == ["T-1"] and report.bad_rows == {3}
    assert toy.scalar(select(Project.status).where(Project.code == "T-1")) == "在建"
    assert toy.scalar(select(Project).where(Project.code == "N-1")) is None


def test_dry_run_reports_but_writes_nothing(toy: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", [["项目名称", "区县"], ["全新项目", "小店区"]])
    report = _import(toy, path, dry_run=True)
    assert len(report.created) == 1 and not report.applied
    assert toy.scalar(select(Project).where(Project.name == "全新项目")) is None


def test_rows_without_code_update_by_name_and_district(toy: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", [["项目名称", "区县", "总投资（亿元）"], ["信创产业园项目", "小店区", "16"],
                                          ["信创产业园", "阳曲县", "1"]])
    report = _import(toy, path)
    assert report.updated == ["T-2"] and len(report.created) == 1
    assert toy.scalar(select(Project.total_investment).where(Project.code == "T-2")) == Decimal(16)
    assert [d.row for d in report.duplicates] == [3] and report.duplicates[0].matches[0].code == "T-2"


def test_same_code_twice_in_a_file_is_a_problem(toy: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", [["编号", "项目名称"], ["X-1", "甲"], ["X-1", "乙"]])
    report = _import(toy, path)
    assert not report.applied and report.problems[0].row == 3 and "row 2" in report.problems[0].message


def test_gcj02_coordinates_are_stored_in_wgs84(toy: Session, tmp_path: Path) -> None:
    from registry.crs import wgs84_to_gcj02

    lon, lat = wgs84_to_gcj02(112.55, 37.87)
    path = write_csv(tmp_path / "a.csv", [["项目名称", "经度", "纬度", "坐标系", "区县"], ["坐标新项目", lon, lat, "GCJ-02", "小店"]])
    assert _import(toy, path).applied
    loc = toy.scalar(select(Location).join(Project).where(Project.name == "坐标新项目"))
    assert loc is not None and loc.precision == 1 and loc.method == "given_coordinates" and loc.input_crs == "gcj02"
    assert loc.lon == pytest.approx(112.55, abs=1e-8) and loc.lat == pytest.approx(37.87, abs=1e-8)


def test_coordinates_without_system_or_out_of_range_are_problems(toy: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", [["项目名称", "经度", "纬度", "坐标系"], ["甲", "112.5", "37.8", ""],
                                          ["乙", "512.5", "37.8", "wgs84"], ["丙", "112.5", "", "wgs84"]])
    report = _import(toy, path)
    fields = {(p.row, p.field) for p in report.problems}
    assert {(2, "坐标系"), (3, "经度"), (4, "纬度")} <= fields and not report.applied


def test_formula_cells_are_never_evaluated(toy: Session, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "f.xlsx", [["项目名称", "总投资（亿元）"], ["公式项目", None]],
                      formulas={(1, 1): "=1+1"})
    report = _import(toy, path)
    assert not report.applied and report.problems[0].field == "总投资（亿元）"
    assert "formula" in report.problems[0].message and report.problems[0].value == "=1+1"


def test_quoted_text_in_xlsx_is_literal(toy: Session, tmp_path: Path) -> None:
    book_path = tmp_path / "q.xlsx"
    import xlsxwriter

    book = xlsxwriter.Workbook(str(book_path), {"strings_to_formulas": False})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["项目名称", "建设单位"])
    sheet.write_string(1, 0, "=SUM(A1:A9)")
    sheet.write_string(1, 1, "@evil")
    book.close()
    report = _import(toy, book_path)
    assert report.applied
    assert toy.scalar(select(Project.builder).where(Project.name == "=SUM(A1:A9)")) == "@evil"
