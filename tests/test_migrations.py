"""Every revision goes up, down and up again with rows in every table, and keeps them; the models never drift.

SQLite's batch mode recreates a table to alter it: with foreign keys on, dropping the old parent table
cascaded into every child (issue 15). Rows are compared column by column, on both databases."""
from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import MetaData, inspect, select
from sqlalchemy.engine import Engine

from registry import migrate
from registry.cli import main
from registry.db import make_engine

Rows = dict[str, set[tuple[tuple[str, Any], ...]]]
# The stamp is a cache marker, not data: downgrading past 0004 drops it by design (see test_stamp.py).
NOT_DATA = {"alembic_version", "data_stamp"}
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


def _value(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, str) and value[:1] in "[{":
        try:  # SQLite hands JSON back as text, PostgreSQL as objects: compare one spelling
            return json.dumps(json.loads(value), sort_keys=True, ensure_ascii=False)
        except ValueError:
            return value
    if isinstance(value, datetime):
        return value.replace(tzinfo=value.tzinfo or UTC).isoformat()
    return value


def _rows(engine: Engine) -> Rows:
    meta = MetaData()
    meta.reflect(engine)
    out: Rows = {}
    with engine.connect() as conn:
        for name, table in meta.tables.items():
            if name in NOT_DATA:
                continue
            cols = [c.name for c in table.columns]
            out[name] = {tuple(zip(cols, map(_value, row))) for row in conn.execute(select(table))}
    return out


def _project(rows: Rows, onto: Rows) -> Rows:
    """`rows` cut down to the tables and columns that exist in `onto` (a lower revision's schema)."""
    out: Rows = {}
    for name, sample in onto.items():
        cols = {c for row in sample for c, _ in row} or None
        if name in rows:
            out[name] = {tuple((c, v) for c, v in row if cols is None or c in cols) for row in rows[name]}
    return out


def _insert_sample(engine: Engine, k: int) -> None:
    """One row in every registry table that exists (child rows link to this sample's parents)."""
    meta = MetaData()
    meta.reflect(engine)
    t = meta.tables
    pid, code = 100 + k, f"T-{k}"
    project: dict[str, Any] = {
        "id": pid, "code": code, "name": f"测试项目{k}", "aliases": ["别名"], "status": "在建", "partners": [],
        "total_investment": 1230000 + k, "precision": 3, "version": 1, "created_at": NOW, "updated_at": NOW,
        "district_code": f"14{k:04d}", "lon": 112.5, "lat": 37.8}
    if "stated_district_code" in t["projects"].c:
        project.update(stated_district_code=f"14{k:04d}", stated_zone_code=f"zone-{k}")
    rows: list[tuple[str, dict[str, Any]]] = [
        ("admin_units", {"adcode": f"14{k:04d}", "name": f"区{k}", "level": "county", "group": "taiyuan"}),
        ("data_versions", {"id": 100 + k, "kind": "test", "summary": f"sample {k}", "created_at": NOW}),
        ("industry_chains", {"code": f"chain-{k}", "name": f"产业链{k}", "level": "chain", "sources": []}),
        ("strategies", {"code": f"strat-{k}", "name": f"战略{k}", "aliases": [], "kind": "strategy",
                        "member_units": [], "sources": []}),
        ("zones", {"code": f"zone-{k}", "name": f"园区{k}", "aliases": [], "industries": [], "districts": [],
                   "geometry_status": "schematic", "sources": []}),
        ("projects", project),
        ("locations", {"id": 200 + k, "project_id": pid, "is_primary": True, "precision": 3, "method": "test",
                       "needs_review": False, "district_code": f"14{k:04d}"}),
        ("location_districts", {"location_id": 200 + k, "adcode": f"14{k:04d}", "share": 1.0}),
        ("sources", {"id": 300 + k, "project_id": pid, "document": "测试文件", "line": k, "excerpt": "摘录"}),
        ("project_chains", {"project_id": pid, "chain_code": f"chain-{k}", "segment": "上游"}),
        ("project_strategies", {"project_id": pid, "strategy_code": f"strat-{k}", "basis": "plan"}),
    ]
    with engine.begin() as conn:
        for name, values in rows:
            conn.execute(t[name].insert().values(**values))


@pytest.mark.slow
def test_stairway_every_step_keeps_every_row(fresh_url: str) -> None:
    revisions = migrate.revisions()
    assert len(revisions) >= 5, revisions
    engine = make_engine(fresh_url)
    try:
        for k, rev in enumerate(revisions):
            migrate.upgrade(fresh_url, rev)
            _insert_sample(engine, k)
            before = _rows(engine)
            assert all(before[name] for name in ("projects", "locations", "sources", "project_chains"))
            if k == 0:
                continue  # below the first revision there are no tables to keep rows in
            migrate.downgrade(fresh_url, "-1")
            assert migrate.current_revision(fresh_url) == revisions[k - 1]
            lower = {name: rows for name, rows in _rows(engine).items() if name in before}  # not 0002's keep
            assert lower == _project(before, lower), f"rows lost going down from {rev}"
            migrate.upgrade(fresh_url, rev)
            assert _rows(engine) == before, f"rows lost going down and up again at {rev}"
    finally:
        engine.dispose()


def test_kpr_db_downgrade_to_0001_keeps_children_and_stated_places(fresh_url: str, monkeypatch: Any) -> None:
    monkeypatch.setenv("KPR_DATABASE_URL", fresh_url)
    migrate.upgrade(fresh_url)
    engine = make_engine(fresh_url)
    try:
        _insert_sample(engine, 1)
        before = _rows(engine)
        result = CliRunner().invoke(main, ["db", "downgrade", "0001"])
        assert result.exit_code == 0 and "0001" in result.output, result.output
        lower = _rows(engine)
        for child in ("locations", "location_districts", "sources", "project_chains", "project_strategies"):
            assert len(lower[child]) == 1, child
        result = CliRunner().invoke(main, ["db", "upgrade"])
        assert result.exit_code == 0, result.output
        assert _rows(engine) == before  # the stated district and zone came back too
        stated = {dict(r)["code"]: (dict(r)["stated_district_code"], dict(r)["stated_zone_code"])
                  for r in before["projects"]}
        assert stated == {"T-1": ("140001", "zone-1")}
    finally:
        engine.dispose()


def test_kpr_db_downgrade_minus_one_steps_back_one_revision(fresh_url: str, monkeypatch: Any) -> None:
    monkeypatch.setenv("KPR_DATABASE_URL", fresh_url)
    migrate.upgrade(fresh_url)
    revisions = migrate.revisions()
    result = CliRunner().invoke(main, ["db", "downgrade", "-1"])
    assert result.exit_code == 0, result.output
    assert migrate.current_revision(fresh_url) == revisions[-2]
    bad = CliRunner().invoke(main, ["db", "downgrade", "nonsense"])
    assert bad.exit_code != 0 and "REVISION='nonsense'" in bad.output and "Traceback" not in bad.output


def test_downgrade_to_base_removes_every_table(fresh_url: str) -> None:
    migrate.upgrade(fresh_url)
    _insert_sample(make_engine(fresh_url), 0)
    migrate.downgrade(fresh_url, "0001")  # leaves 0002's kept stated places behind…
    migrate.downgrade(fresh_url, "base")  # …which base removes with everything else
    engine = make_engine(fresh_url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()


def test_models_match_migrations(fresh_url: str) -> None:
    migrate.upgrade(fresh_url)
    migrate.check(fresh_url)  # raises AutogenerateDiffsDetected on drift
