"""Fuzz: thousands of generated malformed rows and cells never crash the importer and never half-apply."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from registry.errors import KprError
from registry.export.columns import PROJECT_COLUMNS
from registry.importer.limits import Limits
from registry.importer.run import import_file
from registry.upsert import stated_placement
from tests.exchange_helpers import count_projects, seed_toy, versions, write_xlsx

HEADERS = [c.header for c in PROJECT_COLUMNS] + ["名称", "投资额（万元）", "经度", "???", ""]
NASTY = ["=1+1", "+SUM(A1)", "-3", "@x", "\t=x", "'=x", "NaN", "inf", "-0", "1e400", "1e-30", "０.５", "１２０",
         "小店", "综改区", "信创产业链", "京津冀", "gcj02", "bd09", "wgs84", "是", "否", "2023", "2023年", "9999",
         "在建", "谋划", "新建", "、、", "；", "\r\n", "\x00", "\ufeff", "😀", "a" * 300, "汉" * 300, ""]
cell = st.one_of(st.none(), st.sampled_from(NASTY), st.text(max_size=40),
                 st.integers(min_value=-10**20, max_value=10**20).map(str),
                 st.floats(allow_nan=True, allow_infinity=True).map(repr))
row = st.lists(cell, min_size=0, max_size=len(HEADERS) + 2)
table = st.tuples(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=12, unique=True),
                  st.lists(row, min_size=1, max_size=40))


def _write(path: Path, headers: list[str], rows: list[list[str | None]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        writer.writerows([["" if v is None else v for v in r] for r in rows])


@pytest.fixture
def toy(db_session: Session) -> Session:
    seed_toy(db_session)
    return db_session


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@pytest.mark.slow
@given(data=table, skip=st.booleans(), as_xlsx=st.booleans())
def test_importer_never_crashes_or_half_applies(toy: Session, tmp_path: Path, data: tuple[list[str],
                                                list[list[str | None]]], skip: bool, as_xlsx: bool) -> None:
    headers, rows = data
    path = tmp_path / ("fuzz.xlsx" if as_xlsx else "fuzz.csv")
    if as_xlsx:
        clean = [[None if v is None else v.replace("\x00", "") for v in r] for r in rows]
        write_xlsx(path, [headers, *clean])
    else:
        _write(path, headers, rows)
    before, vers = count_projects(toy), versions(toy)
    savepoint = toy.begin_nested()
    try:
        report = import_file(toy, path, placer=stated_placement, skip_invalid=skip, limits=Limits(max_problems=50))
    except KprError:  # a refused file: the only exception allowed, and nothing changed
        assert count_projects(toy) == before and versions(toy) == vers
        savepoint.rollback()
        return
    try:
        if report.problem_count and not skip:
            assert not report.applied
            assert count_projects(toy) == before and versions(toy) == vers
        else:
            assert count_projects(toy) == before + len(report.created)
    finally:
        savepoint.rollback()
