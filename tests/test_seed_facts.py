"""Stated facts reach the database: each source's own box, the mapped status (issue 13 §1 and §2)."""
from __future__ import annotations

from decimal import Decimal

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


def test_ranges_parts_and_regions_arrive(seeded_url: str) -> None:
    """Issue 13 §2/§4: a stated range keeps its bounds and no point value; parts keep their package."""
    engine = make_engine(seeded_url)
    with make_session_factory(engine)() as session:
        base = session.scalar(select(Project).where(Project.code == "000-L0071-1"))  # 000 l.72 吸引投资30—50亿元
        assert base is not None and base.total_investment is None
        assert (base.investment_low, base.investment_high, base.plan_period) == (
            Decimal(30), Decimal(50), "2006—2010")
        line = session.scalar(select(Project).where(Project.code == "001-B5-03-P4"))  # 001 l.1547 R1号线
        assert line is not None and line.parent_code == "001-B5-03"
        yuantong = session.scalar(select(Project).where(Project.code == "001-B2-03"))  # 上海圆通速递有限公司投资
        assert yuantong is not None and yuantong.partner_regions == ["上海"]
    engine.dispose()
