"""Toy reference rows for unit tests of queries and upserts (not registry data)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from registry.models import AdminUnit, IndustryChain, Strategy, Zone


def add_toy_reference(session: Session) -> None:
    session.add_all([
        AdminUnit(adcode="140105", name="小店区", level="county", parent_adcode="140100"),
        AdminUnit(adcode="140122", name="阳曲县", level="county", parent_adcode="140100"),
        AdminUnit(adcode="140108", name="尖草坪区", level="county", parent_adcode="140100"),
    ])
    session.add_all([Zone(code="zgq", name="山西转型综合改革示范区", aliases=["综改区", "示范区"], kind="国家级"),
                     Strategy(code="jjj", name="京津冀协同发展", aliases=["京津冀"], kind="strategy"),
                     Strategy(code="tai_xin", name="太忻一体化经济区", aliases=["太忻"], kind="region"),
                     IndustryChain(code="it", name="新一代信息技术产业集群", level="cluster")])
    session.flush()
    session.add_all([Zone(code="xuefu", name="学府园区", aliases=[], parent_code="zgq"),
                     Strategy(code="dayu_yuxian", name="阳曲大盂—盂县(晋冀界)高速", kind="corridor", parent_code="jjj"),
                     IndustryChain(code="it-xc", name="信创产业链", level="chain", parent_code="it")])
    session.flush()
