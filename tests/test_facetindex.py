"""The facet index gives exactly the SQL answers (rows, totals, every facet) on both databases."""
from __future__ import annotations

import pytest
from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

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


@pytest.mark.slow
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


def _same_answers(session: Session, refreshed: FacetIndex) -> None:
    rebuilt = FacetIndex(session, stamp.read(session))
    assert refreshed.size == rebuilt.size
    for params in FILTERS:
        _check(session, params, refreshed)
    for sort in ("code", "-code", "total_investment", "-total_investment"):
        rf = resolve(session, ProjectFilter())
        mine, theirs = refreshed.evaluate(rf).page_ids(sort, 0, 500), rebuilt.evaluate(rf).page_ids(sort, 0, 500)
        assert mine is not None and theirs is not None and mine.tolist() == theirs.tolist(), sort


def _synthetic(url: str, n: int, seed: int) -> tuple[Engine, sessionmaker[Session]]:
    """A migrated database with `n` synthetic projects, and a recording session factory on it."""
    migrate.upgrade(url)
    synth.load(url, n, seed=seed)
    engine = make_engine(url)
    return engine, make_session_factory(engine)


@pytest.mark.slow
def test_after_a_few_edits_the_index_refreshes_only_those_rows_and_answers_like_a_rebuild(fresh_url: str) -> None:
    from datetime import UTC, datetime

    from registry.models import Location, ProjectChain, Zone

    engine, factory = _synthetic(fresh_url, 400, seed=11)
    cache = IndexCache()
    with factory() as session:
        first = cache.get(session)
        assert first.refreshed_from is None
    with factory() as session:  # one edit: a name that q finds, a status, an amount
        project = session.scalars(select(Project).order_by(Project.id)).first()
        assert project is not None
        project.name, project.status, project.total_investment = "刷新测试氢能项目", "在建", None
        session.commit()
    with factory() as session:
        index = cache.get(session)
        assert index.refreshed_from == first.stamp and index.stamp == stamp.read(session)
        assert index.matching_ids(resolve(session, ProjectFilter.from_params({"q": ["刷新测试"]}))).size == 1
        _same_answers(session, index)
    with factory() as session:  # several commits in a row: archive, a chain removed, a review flag, a hard delete
        ids = list(session.scalars(select(Project.id).order_by(Project.id).limit(6)))
        session.get(Project, ids[1]).archived_at = datetime.now(UTC)  # type: ignore[union-attr]
        session.commit()
        session.execute(select(ProjectChain).limit(1))  # (a read: no bump)
        chain = session.scalars(select(ProjectChain).where(ProjectChain.project_id == ids[2])).first()
        if chain is not None:
            session.delete(chain)
        location = session.scalars(select(Location).where(Location.project_id == ids[3])).first()
        if location is not None:
            location.needs_review = not location.needs_review
        session.commit()
        session.delete(session.get(Project, ids[4]))
        session.commit()
    settings = settings_for(fresh_url)
    with session_scope(settings) as session:  # a new project through the importer's own path
        apply_project_dicts(session, [{"code": "FI-9", "name": "新增刷新项目", "status": "谋划", "total_investment": "7",
                                       "district_stated": "140105", "place_text": "小店区",
                                       "sources": [{"document": "test"}]}])
    with factory() as session:
        index = cache.get(session)
        assert index.refreshed_from is not None
        _same_answers(session, index)
    with factory() as session:  # bulk DML and reference data: which rows is not known, so a full rebuild
        session.execute(update(Project).where(Project.id == ids[5]).values(status="竣工"))
        session.commit()
    with factory() as session:
        index = cache.get(session)
        assert index.refreshed_from is None
        _same_answers(session, index)
    with factory() as session:
        zone = session.scalars(select(Zone)).first()
        assert zone is not None
        zone.aliases = [*(zone.aliases or []), "刷新测试别名"]
        session.commit()
    with factory() as session:
        assert cache.get(session).refreshed_from is None
    engine.dispose()


def test_current_gives_a_held_or_refreshed_index_and_never_builds(fresh_url: str) -> None:
    """What the map page asks: an index for its snapshot only when that costs a refresh, never a full build."""
    engine, factory = _synthetic(fresh_url, 60, seed=3)
    cache = IndexCache()
    try:
        with factory() as session:
            assert cache.current(session) is None  # nothing held: the caller answers from SQL
            held = cache.get(session)
            assert cache.current(session) is held
        with factory() as session:  # an ORM edit the stamp log attributes: refreshed, not rebuilt
            project = session.scalars(select(Project).order_by(Project.id).limit(1)).one()
            project.name = "改名后的项目"
            session.commit()
        with factory() as session:
            refreshed = cache.current(session)
            assert refreshed is not None and refreshed.refreshed_from == held.stamp
            assert refreshed.stamp == stamp.read(session)
        with factory() as session:  # bulk DML: which rows is not known, a refresh cannot answer
            session.execute(update(Project).values(description="批量"))
            session.commit()
        with factory() as session:
            assert cache.current(session) is None
    finally:
        engine.dispose()
