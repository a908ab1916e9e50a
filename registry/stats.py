"""Dashboard figures for one filter: per industry chain, strategy, district, zone, status and investment
band, how many projects, their 总投资 and how many have no amount. Each dimension is counted under every
other filter (as the list page's facets are), so a bar's figures are what its link to the list shows."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, and_, case, exists, func, select, true
from sqlalchemy.orm import Session, aliased

from registry.models import Location, LocationDistrict, Project, ProjectChain, ProjectStrategy
from registry.money import wan_to_yi
from registry.queries import ResolvedFilter, Totals, conditions, totals

RAW_AMOUNT = Project.__table__.c.total_investment  # integer 万元: sums stay exact on both databases


@dataclass(frozen=True)
class Band:
    code: str
    label: str
    low: Decimal | None  # inclusive, 亿元
    high: Decimal | None  # inclusive: amounts have at most 4 decimals, so 9.9999 closes [1, 10)


BANDS: tuple[Band, ...] = (
    Band("lt1", "1 亿元以下", Decimal(0), Decimal("0.9999")),
    Band("1-10", "1–10 亿元", Decimal(1), Decimal("9.9999")),
    Band("10-50", "10–50 亿元", Decimal(10), Decimal("49.9999")),
    Band("50-100", "50–100 亿元", Decimal(50), Decimal("99.9999")),
    Band("ge100", "100 亿元及以上", Decimal(100), None),
)


@dataclass(frozen=True)
class Bar:
    code: str
    label: str
    count: int
    investment_sum: Decimal
    without_amount: int
    params: tuple[tuple[str, str], ...] | None  # the list filtered to this bar (None: no list can show it)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "label": self.label, "count": self.count,
                "total_investment": float(self.investment_sum), "without_amount": self.without_amount}


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    bars: tuple[Bar, ...]
    note: str = ""


@dataclass(frozen=True)
class Dashboard:
    totals: Totals
    charts: tuple[Chart, ...]


# Dashboard key → (title, ProjectFilter attribute skipped for its own counts, query parameter)
DIMENSIONS: dict[str, tuple[str, str, str]] = {
    "chains": ("产业链", "chains", "chain"), "strategies": ("区域战略（规划所列）", "strategies", "strategy"),
    "districts": ("区县", "districts", "district"), "zones": ("开发区", "zones", "zone"),
    "statuses": ("状态", "statuses", "status"),
}
SHARED = ("chains", "strategies", "districts")
NONE_WORDS = {"chains": "未列产业链", "strategies": "未列区域战略", "districts": "未落到区县（全市、市外或位置未知）",
              "zones": "不在任何开发区"}


def _aggregate(session: Session, codes: Any, where: Sequence[ColumnElement[bool]]) -> list[tuple[str, int, int, int]]:
    """(code, projects, 万元 sum, projects with an amount) per code; `codes` yields (code, project_id)."""
    pairs = codes.distinct().subquery()
    # A part whose package is in the same bar adds nothing: the package's amount holds it — what the bar's
    # list shows as its 合计 (queries.counted_amount).
    same, parent = codes.distinct().subquery(), aliased(Project)
    matching = select(Project.id).where(and_(true(), *where)).correlate(None)
    in_bar = exists().where(same.c[0] == pairs.c[0], same.c[1] == parent.id, parent.code == Project.parent_code,
                            parent.id.in_(matching))
    amount = case((in_bar, None), else_=RAW_AMOUNT)
    stmt = (select(pairs.c[0], func.count(), func.coalesce(func.sum(amount, type_=BigInteger), 0),
                   func.count(RAW_AMOUNT))
            .join(Project, Project.id == pairs.c[1]).where(and_(true(), *where)).group_by(pairs.c[0]))
    return [(str(c), int(n), int(w), int(k)) for c, n, w, k in session.execute(stmt)]


def _link_params(rf: ResolvedFilter, param: str, code: str) -> tuple[tuple[str, str], ...]:
    kept = [(k, v) for k, v in rf.raw.to_params() if k != param]
    return (*kept, (param, code))


def dimension(session: Session, rf: ResolvedFilter, key: str) -> Chart:
    title, skip, param = DIMENSIONS[key]
    where = conditions(rf, skip=skip)
    links: dict[str, Any] = {
        "chains": select(ProjectChain.chain_code, ProjectChain.project_id),
        "strategies": select(ProjectStrategy.strategy_code, ProjectStrategy.project_id)
        .where(ProjectStrategy.basis == "plan"),
        "districts": select(LocationDistrict.adcode, Location.project_id)
        .join(Location, Location.id == LocationDistrict.location_id),
        "zones": select(Project.zone_code, Project.id).where(Project.zone_code.is_not(None)),
        "statuses": select(Project.status, Project.id),
    }
    labels = rf.vocab.names(key)
    rows = _aggregate(session, links[key], where)
    bars = sorted((Bar(code, labels.get(code, code), n, wan_to_yi(wan), n - known, _link_params(rf, param, code))
                   for code, n, wan, known in rows), key=lambda b: (-b.count, b.code))
    linked = links[key].with_only_columns(links[key].selected_columns[1])
    none = session.scalar(select(func.count(Project.id)).where(and_(true(), *where), Project.id.not_in(linked)))
    notes = [f"另有 {int(none or 0)} 个项目{NONE_WORDS[key]}。"] if key in NONE_WORDS else []
    if key in SHARED:
        notes.append(f"一个项目可属于多个{title}，各条之和可能大于项目总数。")
    parents = [b.label for b in bars if b.code in _parents(rf, key)]
    if parents:  # the same rule as the list page's facets; the filter itself takes in the children
        notes.append(f"{'、'.join(parents[:2])}{'等' if len(parents) > 2 else ''}只计直接标注的项目（与列表筛选栏一致），"
                     "点开的列表含其下级。")
    return Chart(key, title, tuple(bars), "".join(notes))


def _parents(rf: ResolvedFilter, key: str) -> set[str]:
    """Codes that have children in this dimension's tree (filtering by one also matches its children)."""
    if key not in ("chains", "strategies", "zones"):
        return set()
    return {t.parent for t in rf.vocab.table(key).values() if t.parent}


def bands(session: Session, rf: ResolvedFilter) -> Chart:
    """Investment bands, counted under every filter but the amount bounds (which the bands replace)."""
    unbounded = replace(rf, raw=replace(rf.raw, min_investment=None, max_investment=None))
    where = conditions(unbounded)
    bars: list[Bar] = []
    kept = [(k, v) for k, v in rf.raw.to_params() if k not in ("min_investment", "max_investment")]
    for band in BANDS:
        flt = replace(unbounded, raw=replace(unbounded.raw, min_investment=band.low, max_investment=band.high))
        sums = totals(session, flt)
        params = [*kept, ("min_investment", str(band.low))]
        if band.high is not None:
            params.append(("max_investment", str(band.high)))
        bars.append(Bar(band.code, band.label, sums.count, sums.investment_sum, 0, tuple(params)))
    unknown = int(session.scalar(select(func.count(Project.id)).where(and_(true(), *where), RAW_AMOUNT.is_(None)))
                  or 0)
    # Never hidden: the projects without an amount get their own bar (the list has no filter for them).
    bars.append(Bar("none", "未列投资额", unknown, Decimal(0), unknown, None))
    return Chart("bands", "投资规模", tuple(bars), "区间按总投资（亿元）划分，含下限不含上限。")


def dashboard(session: Session, rf: ResolvedFilter) -> Dashboard:
    charts = [dimension(session, rf, key) for key in DIMENSIONS]
    charts.insert(4, bands(session, rf))  # after the zones, before the statuses
    return Dashboard(totals(session, rf), tuple(charts))
