"""Stated facts reach the database: each source's own box, the mapped status (issue 13 §1 and §2)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from registry.db import make_engine, make_session_factory
from registry.models import Project


def test_sources_keep_their_box_and_statuses_arrive(seeded_url: str) -> None:
    engine = make_engine(seeded_url)
    with make_session_factory(engine)() as session:
        school = session.scalar(select(Project).where(Project.code == "001-B1-17")
                                .options(selectinload(Project.sources)))
        assert school is not None
        boxes = {s.document[:3]: s.box for s in school.sources}
        assert boxes["001"] == "专栏1 融入京津冀重点合作项目"
        assert (boxes["004"] or "").startswith("专栏12-2")  # listed again in 004 专栏12-2, not 专栏1
        assert school.status == "在建"  # 004 专栏12-2 "建成…综改示范区实验学校…等一批新学校"
        conceived = session.scalar(select(Project.status).where(Project.code == "001-B1-04"))
        assert conceived == "谋划"  # 001 专栏1 (4) "谋划京津冀晋产业协作融合示范项目"
    engine.dispose()
