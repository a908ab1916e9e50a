"""The projects of a filter that the map cannot draw, grouped by why: city-wide (全市), outside Taiyuan (市外),
or no known place (位置未知). The map page lists them beside the map, so nothing filtered is silently missing.

Same placement rule as the map (data.place): a project is off the map when it has no own coordinates and
neither its district nor its zone has a representative point."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import and_, or_, select, true
from sqlalchemy.orm import Session

from registry.maps.anchors import Anchors, load_anchors
from registry.maps.data import place
from registry.models import Project
from registry.queries import ResolvedFilter, conditions

REASONS = ("citywide", "outside", "unknown")
LISTED = 100  # per reason: beyond this the page says how many more and points to the list


@dataclass(frozen=True)
class OffMapProject:
    code: str
    name: str
    investment: Decimal | None
    precision: int


@dataclass(frozen=True)
class OffMapGroup:
    reason: str
    count: int
    projects: list[OffMapProject] = field(default_factory=list)  # the first LISTED, largest amount first

    @property
    def more(self) -> int:
        return self.count - len(self.projects)


def reason_for(precision: int) -> str:
    return {5: "citywide", 6: "outside"}.get(precision, "unknown")


def off_map(session: Session, rf: ResolvedFilter, anchors: Anchors | None = None,
            listed: int = LISTED) -> list[OffMapGroup]:
    """The groups that have projects, in REASONS order."""
    anchors = anchors or load_anchors(session)
    t = Project.__table__
    # Only rows the map may fail to place are read (the rule is checked again row by row below).
    maybe_off = and_(or_(t.c.lon.is_(None), t.c.lat.is_(None)),
                     or_(t.c.district_code.is_(None), t.c.district_code.not_in(list(anchors.districts) or [""])),
                     or_(t.c.zone_code.is_(None), t.c.zone_code.not_in(list(anchors.zones) or [""])))
    stmt = (select(t.c.code, t.c.name, t.c.total_investment, t.c.precision, t.c.lon, t.c.lat, t.c.district_code,
                   t.c.zone_code).where(and_(true(), *conditions(rf)), maybe_off))
    found: dict[str, list[OffMapProject]] = {r: [] for r in REASONS}
    for code, name, amount, precision, lon, lat, district, zone in session.execute(stmt):
        if place(lon, lat, precision, district, zone, anchors) is None:
            found[reason_for(precision)].append(OffMapProject(code, name, amount, precision))
    out = []
    for reason in REASONS:
        items = sorted(found[reason], key=lambda p: (p.investment is None, -(p.investment or 0), p.code))
        if items:
            out.append(OffMapGroup(reason, len(items), items[:listed]))
    return out
