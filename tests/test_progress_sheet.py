"""Reading 调度 sheets as offices send them (no database): the shared sample and variants of its layout."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]

from registry.progress.sheet import read
from tests.progress_sheets import SAMPLE, diaodu

D = Decimal


def test_the_sample_sheet_yields_its_twelve_projects_and_skips_the_rest() -> None:
    sheet = read(SAMPLE)
    assert sheet.problems == []
    assert (sheet.year, sheet.month) == (2025, 6)  # from 2025年1-6月完成情况 / 1-6月累计完成投资
    assert sheet.units == {"total": "万元", "plan": "万元", "completed": "万元"}  # from the 单位：万元 row
    assert [r.row for r in sheet.rows] == [9, 10, 11, 12, 13, 14, 15, 17, 18, 19, 20, 22]
    skipped = [label for _, label in sheet.skipped]
    assert skipped[0].startswith("合计") and any(s.startswith("一、产业转型") for s in skipped)
    assert skipped[-1].startswith("说明") and skipped[-2].startswith("备注")
    # The sample's own sums: each project row agrees with the 合计 row (万元 → 亿元).
    book = openpyxl.load_workbook(SAMPLE, data_only=True)
    total_row = [c.value for c in book.active[5]]
    assert sum(r.completed or 0 for r in sheet.rows) * 10_000 == total_row[10]  # 1-6月累计, not 6月完成
    assert sum(r.plan or 0 for r in sheet.rows) * 10_000 == total_row[8]
    first = sheet.rows[0]
    assert (first.name, first.plan, first.completed) == ("长城电源业务落地项目", D(8), D("4.2"))
    assert (first.image, first.issues) == ("厂房主体结构施工", "无")


def test_units_per_column_mixed_in_one_sheet(tmp_path: Path) -> None:
    path = diaodu(tmp_path / "mixed.xlsx", [(1, "甲项目", 12.5, 30000, 15000, "施工", None)], unit="")
    book = openpyxl.load_workbook(path)
    ws = book.active
    ws["C3"] = "总投资（亿元）"
    ws["D3"] = "2025年计划投资（万元）"
    ws["E3"] = "2025年1-6月完成情况(万元）"  # half-width open, full-width close, as in L1
    book.save(path)
    sheet = read(path)
    assert sheet.problems == []
    assert sheet.units == {"total": "亿元", "plan": "万元", "completed": "万元"}
    row = sheet.rows[0]
    assert (row.total, row.plan, row.completed) == (D("12.5"), D(3), D("1.5"))


def test_no_unit_anywhere_is_a_problem_not_a_guess(tmp_path: Path) -> None:
    sheet = read(diaodu(tmp_path / "nounit.xlsx", [(1, "甲项目", 1, 2, 1, None, None)], unit=""))
    assert {p.field for p in sheet.problems} == {"总投资", "年度计划投资", "累计完成投资"}
    assert all("单位" in p.message for p in sheet.problems)


def test_month_range_spellings_and_markers(tmp_path: Path) -> None:
    rows = [("1●", "★甲项目", 100, 50, 20, None, None), ("2", "乙项目", 100, 50, 20, None, None)]
    sheet = read(diaodu(tmp_path / "tilde.xlsx", rows, month=5, range_text="1～5月"))
    assert (sheet.year, sheet.month) == (2025, 5)
    assert [r.name for r in sheet.rows] == ["甲项目", "乙项目"]


def test_bad_amounts_are_reported_with_row_field_and_value(tmp_path: Path) -> None:
    rows = [(1, "甲项目", 100, -5, 20, None, None), (2, "乙项目", 100, "约50", 20, None, None),
            (3, "丙项目", 100, 50, 20.5, None, None)]  # 20.5 万元 is finer than the registry's 1 万元
    sheet = read(diaodu(tmp_path / "bad.xlsx", rows))
    found = {(p.row, p.field, p.value) for p in sheet.problems}
    assert found == {(7, "年度计划投资", -5), (8, "年度计划投资", "约50"), (9, "累计完成投资", 20.5)}
    assert "negative" in next(p for p in sheet.problems if p.row == 7).message


def test_three_row_header_and_total_in_the_name_column(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["漳州市项目进度表"])
    ws.append(["计量单位：万元"])
    ws.append(["序号", "项目名称", "总投资", "2010年度计划投资额", "投资情况", None, None])
    ws.append([None, None, None, None, "7月", None, None])
    ws.append([None, None, None, None, "1-7月累计完成投资", "形象进度", "项目建设中存在问题"])
    for c in range(1, 5):
        ws.merge_cells(start_row=3, start_column=c, end_row=5, end_column=c)
    ws.merge_cells("E3:G3")
    ws.merge_cells("E4:G4")
    ws.append([None, "合  计", 300, 90, 40, None, None])
    ws.append([1, "甲项目", 300, 90, 40, "主体施工", "无"])
    book.save(tmp_path / "three.xlsx")
    sheet = read(tmp_path / "three.xlsx")
    assert sheet.problems == []
    assert (sheet.year, sheet.month) == (2010, 7)
    assert [(r.row, r.name, r.completed, r.issues) for r in sheet.rows] == [(7, "甲项目", D(".004"), "无")]
    assert sheet.skipped == [(6, "合计")]


def test_a_file_that_is_not_a_sheet_is_one_clear_problem(tmp_path: Path) -> None:
    import pytest

    bad = tmp_path / "x.xlsx"
    bad.write_text("not a workbook")
    with pytest.raises(ValueError, match="xlsx"):
        read(bad)


def test_a_blank_month_placeholder_leaves_the_month_to_the_user(tmp_path: Path) -> None:
    # L2 templates print `1-  月累计完成投资`: the column is still year-to-date, the month is not stated.
    sheet = read(diaodu(tmp_path / "blank.xlsx", [(1, "甲项目", 100, 50, 20, None, None)], range_text="1-  月"))
    assert (sheet.year, sheet.month) == (2025, None)
    assert sheet.columns["completed"] == "2025年1-月完成情况/1-月累计完成投资"
    assert sheet.rows[0].completed == D(".002")
