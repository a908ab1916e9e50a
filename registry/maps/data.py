"""The map's project data: the rows of a ProjectFilter, placed on anchors, grouped by chain or strategy,
with per-district totals for the choropleth. Columns are fetched lean (no ORM objects) so 100,000 projects
stay fast; the WHERE clauses are queries.conditions(), so map, list and totals always agree."""
from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BigInteger, and_, func, select, true
from sqlalchemy.orm import Session

from registry.errors import InvalidFilter
from registry.maps.anchors import Anchors, load_anchors
from registry.maps.palette import colour
from registry.models import PRECISIONS, Location, LocationDistrict, Project, ProjectChain, ProjectStrategy
from registry.money import wan_to_yi
from registry.queries import ResolvedFilter, Vocabulary, conditions, totals

GROUP_BY = ("chain", "strategy")
COLUMNS = ("code", "name", "lon", "lat", "precision", "investment", "status", "district", "groups")
NO_GROUP = "_none"
# Projects sharing one anchor (a district's or zone's representative point) are spread on a small sunflower
# so each stays clickable; at most this far (degrees, ~3 km) from the anchor.
SPREAD_MAX = 0.03
SPREAD_STEP = 0.004
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


@dataclass(frozen=True)
class Group:
    key: str
    name: str
    colour: str
    count: int


def check_group_by(value: str | None) -> str:
    value = value or "chain"
    if value not in GROUP_BY:
        raise InvalidFilter(f"group_by={value!r}: expected one of {' / '.join(GROUP_BY)}")
    return value


def _roll_up(vocab: Vocabulary, group_by: str) -> dict[str, str]:
    """Linked code → the group it is drawn in: a chain's 'chain'-level ancestor (a cluster stays itself);
    a corridor's enclosing strategy or region (corridors are overlays, not groups)."""
    out: dict[str, str] = {}
    if group_by == "chain":
        for code in vocab.chains:
            cur = code
            while vocab.chains[cur][2] == "segment" and vocab.chains[cur][1]:
                cur = vocab.chains[cur][1]  # type: ignore[assignment]
            out[code] = cur
    else:
        for code in vocab.strategies:
            cur = code
            while vocab.strategies[cur][3] == "corridor" and vocab.strategies[cur][2]:
                cur = vocab.strategies[cur][2]  # type: ignore[assignment]
            out[code] = cur
    return out


def _group_names(vocab: Vocabulary, group_by: str) -> dict[str, str]:
    if group_by == "chain":
        return {c: v[0] for c, v in vocab.chains.items()}
    return {c: v[0] for c, v in vocab.strategies.items()}


def _links(session: Session, rf: ResolvedFilter, group_by: str) -> dict[int, list[str]]:
    matching = select(Project.id).where(and_(true(), *conditions(rf)))
    if group_by == "chain":
        stmt = select(ProjectChain.project_id, ProjectChain.chain_code).where(ProjectChain.project_id.in_(matching))
    else:
        stmt = select(ProjectStrategy.project_id, ProjectStrategy.strategy_code).where(
            ProjectStrategy.project_id.in_(matching), ProjectStrategy.basis == "plan")
    out: dict[int, list[str]] = defaultdict(list)
    for pid, code in session.execute(stmt).tuples():
        out[pid].append(code)
    return out


def district_stats(session: Session, rf: ResolvedFilter) -> dict[str, tuple[int, int, int]]:
    """adcode → (projects touching it, their summed 万元, how many of them have an amount).

    Same rule as the district filter (any location touching the district), so a district's figures equal
    the list's totals with that district added to the filter."""
    pairs = (select(LocationDistrict.adcode, Location.project_id)
             .join(Location, Location.id == LocationDistrict.location_id)
             .where(Location.project_id.in_(select(Project.id).where(and_(true(), *conditions(rf)))))
             .distinct().subquery())
    raw = Project.__table__.c.total_investment
    stmt = (select(pairs.c.adcode, func.count(), func.coalesce(func.sum(raw, type_=BigInteger), 0), func.count(raw))
            .join(Project, Project.id == pairs.c.project_id).group_by(pairs.c.adcode))
    return {code: (int(n), int(wan), int(known)) for code, n, wan, known in session.execute(stmt).tuples()}


def _place(row: Any, anchors: Anchors) -> tuple[float, float] | None:
    if row.lon is not None and row.lat is not None:
        return row.lon, row.lat
    if row.precision == 4 and row.zone_code in anchors.zones:
        return anchors.zones[row.zone_code]
    if row.district_code in anchors.districts:
        return anchors.districts[row.district_code]
    if row.zone_code in anchors.zones:
        return anchors.zones[row.zone_code]
    return None


def _spread(points: list[tuple[float, float]], exact: list[bool]) -> list[tuple[float, float]]:
    """Fan out projects stacked on the same anchor; exact sites are never moved."""
    stacks: dict[tuple[float, float], list[int]] = defaultdict(list)
    for i, (pt, is_exact) in enumerate(zip(points, exact)):
        if not is_exact:
            stacks[pt].append(i)
    out = list(points)
    for (lon, lat), members in stacks.items():
        step = min(SPREAD_STEP, SPREAD_MAX / math.sqrt(len(members)))
        coslat = math.cos(math.radians(lat)) or 1.0
        for k, i in enumerate(members):
            r, a = step * math.sqrt(k), k * GOLDEN_ANGLE
            out[i] = (lon + r * math.cos(a) / coslat, lat + r * math.sin(a))
    return out


def map_data(session: Session, rf: ResolvedFilter, group_by: str, *, crs: str = "wgs84",
             anchors: Anchors | None = None) -> dict[str, Any]:
    """The JSON the map page fetches: groups, one compact row per placed project, district figures, totals.

    Rows are arrays in COLUMNS order (a third of GeoJSON's size at 100,000 projects). Text is raw: the page
    escapes it where it is shown."""
    group_by = check_group_by(group_by)
    anchors = anchors or load_anchors(session)
    vocab = rf.vocab
    roll = _roll_up(vocab, group_by)
    names = _group_names(vocab, group_by)
    links = _links(session, rf, group_by)
    stmt = (select(Project.id, Project.code, Project.name, Project.lon, Project.lat, Project.precision,
                   Project.total_investment, Project.status, Project.district_code, Project.zone_code)
            .where(and_(true(), *conditions(rf))).order_by(Project.code))
    result = session.execute(stmt).all()
    keys: dict[str, int] = {}
    counts: dict[str, int] = defaultdict(int)
    placed: list[tuple[Any, tuple[float, float], list[str]]] = []
    unplaced: dict[int, int] = defaultdict(int)
    for row in result:
        groups = list(dict.fromkeys(roll.get(c, c) for c in links.get(row.id, ()))) or [NO_GROUP]
        for g in groups:
            counts[g] += 1
        point = _place(row, anchors)
        if point is None:
            unplaced[row.precision] += 1
            continue
        placed.append((row, point, groups))
    order = sorted(counts, key=lambda g: (g == NO_GROUP, -counts[g], g))
    for i, g in enumerate(order):
        keys[g] = i
    points = _spread([p for _, p, _ in placed], [r.lon is not None and r.precision <= 2 for r, _, _ in placed])
    points = _to_crs(points, crs)
    rows = [
        [r.code, r.name, round(lon, 5), round(lat, 5), r.precision,
         None if r.total_investment is None else float(r.total_investment), r.status,
         vocab.districts.get(r.district_code or "", None), [keys[g] for g in gs]]
        for (r, _, gs), (lon, lat) in zip(placed, points)
    ]
    sums = totals(session, rf)
    none_label = {"chain": "未归产业链", "strategy": "未关联区域战略"}[group_by]
    groups_out = [Group(g, none_label if g == NO_GROUP else names.get(g, g), colour(i, g == NO_GROUP), counts[g])
                  for i, g in enumerate(order)]
    districts = district_stats(session, rf)
    return {
        "group_by": group_by,
        "count": sums.count,
        "total_investment": str(sums.investment_sum),
        "without_amount": sums.without_amount,
        "placed": len(rows),
        "unplaced": {str(k): v for k, v in sorted(unplaced.items())},
        "precisions": {str(k): v for k, v in PRECISIONS.items()},
        "groups": [g.__dict__ for g in groups_out],
        "columns": list(COLUMNS),
        "rows": rows,
        "districts": {code: {"count": n, "investment": str(wan_to_yi(wan)), "without_amount": n - known}
                      for code, (n, wan, known) in districts.items()},
        "crs": crs,
    }


def _to_crs(points: list[tuple[float, float]], crs: str) -> list[tuple[float, float]]:
    if crs == "wgs84" or not points:
        return points
    from registry.crs import from_wgs84

    lon, lat = from_wgs84([p[0] for p in points], [p[1] for p in points], crs)
    return list(zip((float(x) for x in lon), (float(y) for y in lat)))


def group_counts(data: Mapping[str, Any]) -> dict[str, int]:
    """Group name → count, as the legend shows them (for tests and the CLI's summary)."""
    return {g["name"]: g["count"] for g in data["groups"]}
