"""Validation reports every problem; upserts are idempotent and all-or-nothing; edits are versioned."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from registry.errors import InvalidRecord
from registry.models import Project, ProjectStrategy
from registry.upsert import apply_project_dicts
from registry.validate import validate_project
from tests.reference_toy import add_toy_reference

ROAD = {
    "code": "001-B1-01", "name": "阳曲大盂—盂县(晋冀界)高速公路项目", "total_investment": "120",
    "investment_text": "总投资约120亿元", "strategies": ["jjj", "dayu_yuxian"], "district_stated": "140122",
    "place_text": "阳曲县大盂镇北", "sources": [{"document": "001_68a8e69ac921afbf.txt", "line": 733,
                                                 "excerpt": "(1)阳曲大盂—盂县(晋冀界)高速公路项目。"}],
}


def test_validation_names_row_field_value_and_expectation() -> None:
    item, problems = validate_project({"code": "", "name": "x", "status": "done", "total_investment": "-3",
                                       "start_year": "2030", "end_year": "2020"}, row=7)
    assert item is None
    fields = {p.field for p in problems}
    assert {"code", "status", "total_investment", "end_year"} <= fields
    assert all(p.row == 7 for p in problems)
    assert any("谋划" in p.expected for p in problems if p.field == "status")


def test_apply_twice_changes_nothing(db_session: Session) -> None:
    add_toy_reference(db_session)
    first = apply_project_dicts(db_session, [ROAD])
    assert first.created == ["001-B1-01"]
    project = db_session.scalar(select(Project).where(Project.code == "001-B1-01"))
    assert project is not None and project.total_investment == Decimal(120) and project.version == 1
    assert project.district_code == "140122" and project.precision == 3
    second = apply_project_dicts(db_session, [dict(ROAD)])
    assert second.unchanged == ["001-B1-01"] and not second.updated
    db_session.refresh(project)
    assert project.version == 1
    assert db_session.scalar(select(func.count(ProjectStrategy.project_id))) == 2


def test_change_bumps_version(db_session: Session) -> None:
    add_toy_reference(db_session)
    apply_project_dicts(db_session, [ROAD])
    report = apply_project_dicts(db_session, [{**ROAD, "total_investment": "121.5"}])
    assert report.updated == ["001-B1-01"]
    project = db_session.scalar(select(Project).where(Project.code == "001-B1-01"))
    assert project is not None and project.version == 2 and project.total_investment == Decimal("121.5")


def test_one_bad_row_changes_nothing(db_session: Session) -> None:
    add_toy_reference(db_session)
    bad = {**ROAD, "code": "X-2", "strategies": ["nowhere"], "status": "done"}
    with pytest.raises(InvalidRecord) as err:
        apply_project_dicts(db_session, [ROAD, bad])
    assert "row 2" in err.value.message and "nowhere" in err.value.message and "status" in err.value.message
    assert db_session.scalar(select(func.count(Project.id))) == 0


def test_skip_invalid_applies_good_rows_and_lists_the_rest(db_session: Session) -> None:
    add_toy_reference(db_session)
    bad = {**ROAD, "code": "X-2", "chains": ["no-such-chain"]}
    report = apply_project_dicts(db_session, [ROAD, bad], skip_invalid=True)
    assert report.created == ["001-B1-01"]
    assert [(p.row, p.field, p.value) for p in report.skipped] == [(2, "chains", "no-such-chain")]


def test_stale_edit_is_refused(migrated_url: str) -> None:
    from registry.db import make_engine, make_session_factory

    engine = make_engine(migrated_url)
    factory = make_session_factory(engine)
    with factory() as s:
        s.add(Project(code="STALE-1", name="并发编辑", aliases=[], partners=[]))
        s.commit()
    try:
        with factory() as a, factory() as b:
            pa = a.scalar(select(Project).where(Project.code == "STALE-1"))
            pb = b.scalar(select(Project).where(Project.code == "STALE-1"))
            assert pa is not None and pb is not None
            pa.name = "甲的修改"
            a.commit()
            pb.name = "乙的修改"
            with pytest.raises(StaleDataError):
                b.commit()
    finally:
        with factory() as s:
            s.delete(s.scalar(select(Project).where(Project.code == "STALE-1")))
            s.commit()
        engine.dispose()
