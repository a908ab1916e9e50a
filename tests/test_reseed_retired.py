"""A registry seeded before a merge (issue 13 §2: one project under two listings) is cleaned up by the next
`kpr seed`: the folded-in listing is archived (recorded in 修改记录, restorable), unless people edited it."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from registry import history, migrate
from registry.db import session_scope
from registry.models import Change, ChangeSet, Project
from registry.placement import default_placer
from registry.seeding import seed
from registry.upsert import apply_project_dicts
from tests.conftest import settings_for

OLD = [  # as the seeds of the previous version loaded them (before the merges)
    {"code": "004-L2648-1", "name": "轨道交通1号线", "sources": [{"document": "004_4fcffdc077ed2adc.txt", "line": 2648}]},
    {"code": "004-L2650-1", "name": "滨河东路南延", "sources": [{"document": "004_4fcffdc077ed2adc.txt", "line": 2650}]},
]


@pytest.mark.slow
def test_reseeding_archives_listings_folded_into_another(fresh_url: str) -> None:
    migrate.upgrade(fresh_url)
    settings = settings_for(fresh_url)
    with session_scope(settings) as session:
        seed(session, settings, placer=default_placer(session, settings))
        history.begin(session, "seed", file_name="projects.yaml (previous version)")
        apply_project_dicts(session, OLD)
    with session_scope(settings) as session:  # somebody corrected one of them by hand
        history.begin(session, "edit", comment="人工修改")
        edited = session.scalar(select(Project).where(Project.code == "004-L2650-1"))
        assert edited is not None
        edited.name = "滨河东路南延（人工核对）"
    with session_scope(settings) as session:
        report = seed(session, settings, placer=default_placer(session, settings))
    assert report.retired == ["004-L2648-1"] and report.kept == ["004-L2650-1"]
    assert any("004-L2648-1" in line for line in report.lines())
    with session_scope(settings) as session:
        gone = session.scalar(select(Project).where(Project.code == "004-L2648-1"))
        assert gone is not None and gone.archived_at is not None
        assert session.scalar(select(Project.archived_at).where(Project.code == "004-L2650-1")) is None
        recorded = set(session.execute(
            select(ChangeSet.kind, Change.field).join(Change, Change.change_set_id == ChangeSet.id)
            .where(Change.project_id == gone.id)).all())
        assert ("seed", "archived_at") in recorded and {kind for kind, _ in recorded} == {"seed"}
    with session_scope(settings) as session:  # a second run changes nothing more
        again = seed(session, settings, placer=default_placer(session, settings))
    assert again.retired == [] and again.kept == ["004-L2650-1"]
