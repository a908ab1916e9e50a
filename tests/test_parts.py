"""Parent and part (issue 13 §2): linked both ways on the detail page, and totals never count a part and its
parent twice — in the list's 合计 (SQL and the in-memory facet index), /stats and the paged JSON."""
from __future__ import annotations

from decimal import Decimal

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from registry import stamp
from registry.errors import InvalidRecord
from registry.facetindex import FacetIndex
from registry.queries import ProjectFilter, resolve, totals
from registry.stats import dimension
from registry.upsert import apply_project_dicts
from tests.conftest import settings_for
from web import create_app

SOURCE = [{"document": "测试", "line": 1, "excerpt": "摘录"}]


def _sample(session: Session) -> None:
    rows = [
        {"code": "PKG", "name": "测试轨道交通包", "total_investment": "10", "status": "在建", "sources": SOURCE},
        {"code": "PKG-P1", "name": "测试一号线", "total_investment": "3", "parent_code": "PKG", "sources": SOURCE},
        {"code": "OTHER", "name": "测试其他项目", "total_investment": "2", "sources": SOURCE},
    ]
    report = apply_project_dicts(session, rows)
    assert not report.skipped, report.skipped
    session.flush()


def _sums(session: Session, flt: ProjectFilter) -> tuple[Decimal, Decimal]:
    rf = resolve(session, flt)
    index = FacetIndex(session, stamp.read(session))
    return totals(session, rf).investment_sum, index.evaluate(rf).totals().investment_sum


def test_a_part_and_its_package_are_counted_once(db_session: Session) -> None:
    _sample(db_session)
    assert _sums(db_session, ProjectFilter(q="测试")) == (Decimal(12), Decimal(12))  # not 15
    # Alone in a view, the part's own amount counts.
    assert _sums(db_session, ProjectFilter(q="一号线")) == (Decimal(3), Decimal(3))
    assert totals(db_session, resolve(db_session, ProjectFilter(q="测试"))).count == 3
    bars = {b.code: b for b in dimension(db_session, resolve(db_session, ProjectFilter(q="测试")), "statuses").bars}
    assert bars["在建"].investment_sum == Decimal(10) and bars["unknown"].investment_sum == Decimal(5)


def test_a_project_cannot_be_its_own_part(db_session: Session) -> None:
    with pytest.raises(InvalidRecord, match="parent_code='self': a project cannot be its own part"):
        apply_project_dicts(db_session, [{"code": "SELF", "name": "自指", "parent_code": "self", "sources": SOURCE}])


def test_detail_pages_link_package_and_parts(seeded_url: str) -> None:
    client: FlaskClient = create_app(settings_for(seeded_url)).test_client()
    package = client.get("/projects/001-B5-03").get_data(as_text=True)  # 太原城市轨道交通项目 (001 l.1547)
    assert "包含项目" in package and "轨道交通R1号线一期工程" in package and 'href="/projects/001-B5-03-P4"' in package
    line = client.get("/projects/001-B5-03-P2").get_data(as_text=True)
    assert "所属项目" in line and 'href="/projects/001-B5-03"' in line and "太原城市轨道交通项目" in line
    site = client.get("/projects/004-B7-1-026").get_data(as_text=True)  # 晋祠 → 晋祠片区 (004 l.2535)
    assert "晋祠片区" in site and 'href="/projects/004-B7-1-006"' in site
    listing = client.get("/projects.json?q=轨道交通&limit=1000").get_json()
    by_code = {p["code"]: p for p in listing["projects"]}
    assert {"001-B5-03", "001-B5-03-P1"} <= set(by_code)
    # The lines carry no amount of their own here; the total is the package's and nothing is added twice.
    assert listing["total_investment"] == sum(p["total_investment"] or 0 for p in listing["projects"])
