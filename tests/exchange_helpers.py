"""Shared helpers for export/import tests: toy projects and writing small spreadsheets."""
from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import xlsxwriter
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from registry.models import Project
from registry.queries import ProjectFilter, fetch_rows, resolve
from registry.records import ProjectRow
from registry.upsert import apply_project_dicts
from tests.reference_toy import add_toy_reference

TOY: list[dict[str, Any]] = [
    {"code": "T-1", "name": "阳曲大盂—盂县(晋冀界)高速公路项目", "total_investment": "120", "strategies": ["jjj"],
     "district_stated": "140122", "place_text": "阳曲县大盂镇北", "aliases": ["大盂高速"],
     "sources": [{"document": "001.txt", "line": 733, "excerpt": "(1)阳曲大盂"}]},
    {"code": "T-2", "name": "信创产业园", "total_investment": "15.37", "chains": ["it-xc"], "zone_stated": "xuefu",
     "district_stated": "140105", "status": "在建", "construction_type": "新建", "start_year": 2021, "end_year": 2025},
    {"code": "T-3", "name": "=HYPERLINK(\"http://evil\",\"x\")", "builder": "+1", "description": "@SUM(A1)",
     "partners": ["-2", "北京"], "capacity_text": "'=quoted already"},
    {"code": "T-4", "name": "坐标项目", "lon": 112.55, "lat": 37.87, "crs": "wgs84", "district_stated": "140105"},
]


def seed_toy(session: Session) -> None:
    add_toy_reference(session)
    apply_project_dicts(session, [dict(d) for d in TOY])


def toy_rows(session: Session) -> list[ProjectRow]:
    return fetch_rows(session, resolve(session, ProjectFilter()))


def count_projects(session: Session) -> int:
    return int(session.scalar(select(func.count(Project.id))) or 0)


def versions(session: Session) -> dict[str, int]:
    return {code: version for code, version in session.execute(select(Project.code, Project.version))}


def write_csv(path: Path, rows: Sequence[Sequence[Any]], encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[Any]], formulas: dict[tuple[int, int], str] | None = None) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("项目")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    for (r, c), formula in (formulas or {}).items():
        sheet.write_formula(r, c, formula)
    book.close()
    return path
