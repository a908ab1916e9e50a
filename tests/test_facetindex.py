"""The facet index gives exactly the SQL answers (rows, totals, every facet) on both databases."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from benchmarks import synth
from registry import migrate, stamp
from registry.db import make_engine, make_session_factory, session_scope
from registry.facetindex import FacetIndex, IndexCache
from registry.models import Project
from registry.queries import ProjectFilter, facets, resolve, select_projects, totals
from registry.upsert import apply_project_dicts
from tests.conftest import settings_for

FILTERS: list[dict[str, list[str]]] = [
    {}, {"district": ["小店区"]}, {"district": ["140122", "140108"]}, {"strategy": ["jjj"]},
    {"corridor": ["太忻一体化经济区"]}, {"zone": ["综改区"]}, {"status": ["unknown"]},
    {"min_investment": ["10"]}, {"max_investment": ["5.5"]}, {"min_investment": ["1"], "max_investment": ["100"]},
    {"q": ["物流"]}, {"q": ["太原 中心"]}, {"q": ["001-B1"]}, {"review": ["1"]},
    {"district": ["小店区"], "strategy": ["jjj"], "min_investment": ["1"]},
]


def _check(session: Session, params: dict[str, list[str]], index: FacetIndex) -> None:
    rf = resolve(session, ProjectFilter.from_params(params))
    sql_ids = set(session.scalars(select_projects(rf).with_only_columns(Project.id)))
    assert set(index.matching_ids(rf).tolist()) == sql_ids, params
    assert index.totals(rf) == totals(session, rf), params
    assert index.facets(rf) == facets(session, rf), params


def test_index_equals_sql_on_seeded_data(seeded_url: str) -> None:
    engine = make_engine(seeded_url)
    with make_session_factory(engine)() as session:
        index = FacetIndex(session, stamp.read(session))
        for params in [*FILTERS, {"chain": ["信创产业链"]}]:
            _check(session, params, index)
    engine.dispose()


def test_index_equals_sql_on_a_synthetic_portfolio(fresh_url: str) -> None:
    migrate.upgrade(fresh_url)
    synth.load(fresh_url, 400, seed=7)
    engine = make_engine(fresh_url)
    with make_session_factory(engine)() as session:
        index = FacetIndex(session, stamp.read(session))
        for params in FILTERS:
            _check(session, params, index)
    engine.dispose()


def test_cache_rebuilds_when_data_changes(seeded_url: str) -> None:
    engine = make_engine(seeded_url)
    factory = make_session_factory(engine)
    cache = IndexCache()
    with factory() as session:
        first = cache.get(session)
        assert cache.get(session) is first  # unchanged data: the same index
    settings = settings_for(seeded_url)
    with session_scope(settings) as session:
        apply_project_dicts(session, [{"code": "FI-1", "name": "新增测试项目", "sources": [{"document": "test"}]}])
    try:
        with factory() as session:
            second = cache.get(session)
            assert second is not first and second.size == first.size + 1
    finally:
        with factory() as session:
            session.delete(session.scalar(select(Project).where(Project.code == "FI-1")))
            session.commit()
        engine.dispose()


@pytest.mark.parametrize("sort", ["code", "-code", "total_investment", "-total_investment"])
def test_index_pages_equal_sql_pages(seeded_url: str, sort: str) -> None:
    engine = make_engine(seeded_url)
    with make_session_factory(engine)() as session:
        index = FacetIndex(session, stamp.read(session))
        for params in ({}, {"strategy": ["jjj"]}, {"district": ["小店区"]}):
            rf = resolve(session, ProjectFilter.from_params(params))
            for offset in (0, 50):
                sql = list(session.scalars(select_projects(rf, sort).with_only_columns(Project.id)
                                           .offset(offset).limit(50)))
                page = index.evaluate(rf).page_ids(sort, offset, 50)
                assert page is not None and page.tolist() == sql, (params, sort, offset)
        assert index.evaluate(resolve(session, ProjectFilter())).page_ids("name", 0, 50) is None
    engine.dispose()
