"""The map's project data: the rows of a ProjectFilter, placed on anchors, grouped by chain or strategy,
with per-district totals for the choropleth. Columns are fetched lean (no ORM objects) so 100,000 projects
stay fast; the WHERE clauses are queries.conditions(), so map, list and totals always agree."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import BigInteger, and_, select, true, type_coerce
from sqlalchemy.orm import Session

from registry.errors import InvalidFilter
from registry.maps.anchors import Anchors, load_anchors
from registry.maps.palette import PROGRESS_COLOURS, colour
from registry.maps.symbols import size_scale
from registry.models import (
    PRECISIONS,
    Location,
    LocationDistrict,
    Project,
    ProjectChain,
    ProjectStrategy,
)
from registry.money import WAN_PER_YI, wan_to_yi
from registry.progress.classify import CLASSES
from registry.queries import ResolvedFilter, conditions, progress_month_words, totals
from registry.vocabulary import Term, Vocabulary

GROUP_BY = ("chain", "strategy", "progress")
# anchor: "d:<adcode>" or "z:<zone code>" when the project is drawn at a district's or zone's representative
# point (the page draws one badge per anchor with its count), null for a project's own site.
COLUMNS = ("code", "name", "lon", "lat", "precision", "investment", "status", "district", "groups", "anchor")
NO_GROUP = "_none"


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
    if group_by == "progress":
        return {c: c for c in CLASSES}
    if group_by == "chain":
        return {code: _climb(vocab.chains, code, "segment") for code in vocab.chains}
    return {code: _climb(vocab.strategies, code, "corridor") for code in vocab.strategies}


def _climb(table: Mapping[str, Term], code: str, kind: str) -> str:
    """Up the tree while the node is of `kind` and has a parent."""
    while table[code].kind == kind and table[code].parent in table:
        code = table[code].parent  # type: ignore[assignment]
    return code


def _group_names(vocab: Vocabulary, group_by: str) -> Mapping[str, str]:
    if group_by == "progress":
        return vocab.names("progress_classes")
    return vocab.names("chains" if group_by == "chain" else "strategies")


def _links(session: Session, rf: ResolvedFilter, group_by: str) -> dict[int, list[str]]:
    if group_by == "progress":  # every project has exactly one class for the month (未填报 when none)
        ids = session.scalars(select(Project.id).where(and_(true(), *conditions(rf))))
        return {pid: [rf.progress_class_of(pid)] for pid in ids}
    if group_by == "chain":
        link = ProjectChain.__table__
        stmt = select(link.c.project_id, link.c.chain_code)
    else:
        link = ProjectStrategy.__table__
        stmt = select(link.c.project_id, link.c.strategy_code).where(link.c.basis == "plan")
    conds = conditions(rf)
    if conds:  # unfiltered: every link, without an IN over every project id
        stmt = stmt.where(link.c.project_id.in_(select(Project.id).where(and_(true(), *conds))))
    out: dict[int, list[str]] = defaultdict(list)
    for pid, code in session.connection().execute(stmt):
        out[pid].append(code)
    return out


def district_stats(session: Session, rf: ResolvedFilter,
                   amounts: Mapping[int, int | None] | None = None) -> dict[str, tuple[int, int, int]]:
    """adcode → (projects touching it, their summed 万元, how many of them have an amount).

    Same rule as the district filter (any location touching the district), so a district's figures equal
    the list's totals with that district added to the filter. `amounts` (project id → 万元, for exactly the
    matching projects) lets the map reuse the rows it already read instead of a second join."""
    loc, link = Location.__table__, LocationDistrict.__table__
    if amounts is None:
        t = Project.__table__
        matching = select(t.c.id, type_coerce(t.c.total_investment, BigInteger)).where(and_(true(), *conditions(rf)))
        amounts = dict(session.connection().execute(matching).all())
    pairs = select(link.c.adcode, loc.c.project_id).join(loc, loc.c.id == link.c.location_id)
    seen: dict[str, set[int]] = defaultdict(set)
    for adcode, pid in session.connection().execute(pairs):
        if pid in amounts:
            seen[adcode].add(pid)
    out: dict[str, tuple[int, int, int]] = {}
    for adcode, pids in seen.items():
        known = [amounts[p] for p in pids if amounts[p] is not None]
        out[adcode] = (len(pids), sum(known), len(known))  # type: ignore[arg-type]
    return out


def place(lon: float | None, lat: float | None, precision: int, district: str | None, zone: str | None,
           anchors: Anchors) -> tuple[tuple[float, float], str | None] | None:
    """Where a project is drawn and, unless it is its own site, the anchor it shares with others."""
    if lon is not None and lat is not None:
        return (lon, lat), None
    if precision == 4 and zone in anchors.zones:
        return anchors.zones[zone], f"z:{zone}"
    if district in anchors.districts:
        return anchors.districts[district], f"d:{district}"
    if zone in anchors.zones:
        return anchors.zones[zone], f"z:{zone}"
    return None


def _anchor_info(key: str, vocab: Vocabulary) -> dict[str, str]:
    """What a badge says and which filter lists its projects."""
    kind, code = key.split(":", 1)
    if kind == "z":
        return {"kind": "zone", "param": "zone", "value": code, "name": vocab.name("zones", code)}
    return {"kind": "district", "param": "district", "value": code, "name": vocab.name("districts", code)}


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
    t = Project.__table__
    # Raw columns through Core (no ORM rows, no Decimal per row): this loop runs once per project.
    stmt = (select(t.c.id, t.c.code, t.c.name, t.c.lon, t.c.lat, t.c.precision,
                   type_coerce(t.c.total_investment, BigInteger), t.c.status, t.c.district_code, t.c.zone_code)
            .where(and_(true(), *conditions(rf))).order_by(t.c.code))
    counts: dict[str, int] = defaultdict(int)
    placed: list[tuple[Any, ...]] = []
    points: list[tuple[float, float]] = []
    anchor_keys: list[str | None] = []
    unplaced: dict[int, int] = defaultdict(int)
    amounts: dict[int, int | None] = {}
    none = [NO_GROUP]
    district_names = vocab.names("districts")  # looked up once, not once per row (0.24 s at 100,000 rows)
    for pid, code, name, lon, lat, precision, wan, status, district, zone in session.connection().execute(stmt):
        linked = links.get(pid)
        if not linked:
            groups = none
        elif len(linked) == 1:
            groups = [roll.get(linked[0], linked[0])]
        else:
            groups = list(dict.fromkeys(roll.get(c, c) for c in linked))
        for g in groups:
            counts[g] += 1
        amounts[pid] = wan
        where = place(lon, lat, precision, district, zone, anchors)
        if where is None:
            unplaced[precision] += 1
            continue
        placed.append((code, name, precision, None if wan is None else wan / WAN_PER_YI, status,
                       district_names.get(district) if district else None, groups))
        points.append(where[0])
        anchor_keys.append(where[1])
    order = sorted(counts, key=lambda g: (g == NO_GROUP, -counts[g], g))
    if group_by == "progress":  # the classes' own order, so the legend reads 超前 … 未填报
        order = [c for c in CLASSES if c in counts]
    keys = {g: i for i, g in enumerate(order)}
    xy = np.round(np.asarray(_to_crs(points, crs), dtype=float).reshape(-1, 2), 5).tolist()
    rows = [[code, name, x, y, precision, amount, status, district, [keys[g] for g in groups], anchor]
            for (code, name, precision, amount, status, district, groups), (x, y), anchor
            in zip(placed, xy, anchor_keys)]
    # Own sites are drawn sized by 总投资; the scale comes from the amounts drawn that way.
    sized = [row[5] for row in rows if row[9] is None and row[5] is not None]
    sums = totals(session, rf)
    none_label = {"chain": "未归产业链", "strategy": "未关联区域战略", "progress": "未填报"}[group_by]
    # Colours keyed by code (its place among all groups), so a chain keeps its colour under every filter.
    stable = {g: i for i, g in enumerate(sorted({roll.get(c, c) for c in names}))}
    groups_out = [Group(g, none_label if g == NO_GROUP else names.get(g, g),
                        PROGRESS_COLOURS[g] if group_by == "progress" else
                        colour(stable.get(g, len(stable)), g == NO_GROUP), counts[g]) for g in order]
    districts = district_stats(session, rf, amounts)
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
        "anchors": {key: _anchor_info(key, vocab) for key in sorted({k for k in anchor_keys if k})},
        "size": size_scale(sized),
        "crs": crs,
        # The class rule, for the legend: a colour by progress never appears without it.
        "rule": (f"{progress_month_words(rf)}：{rf.progress_rule.describe()}" if group_by == "progress" else None),
        # The same in English: the data is cached once per filter for both interfaces.
        "rule_en": (f"{_month_en(rf)}: {rf.progress_rule.describe_en()}" if group_by == "progress" else None),
    }


def _month_en(rf: ResolvedFilter) -> str:
    if rf.progress_month is None:
        return "no monthly figures yet"
    return f"Jan–{rf.progress_month[1]}/{rf.progress_month[0]}"


def _to_crs(points: list[tuple[float, float]], crs: str) -> list[tuple[float, float]]:
    if crs == "wgs84" or not points:
        return points
    from registry.crs import from_wgs84

    lon, lat = from_wgs84([p[0] for p in points], [p[1] for p in points], crs)
    return list(zip((float(x) for x in lon), (float(y) for y in lat)))


def cache_key(rf: ResolvedFilter) -> tuple[Any, ...]:
    """What a map answer depends on besides the data stamp: the resolved codes (two spellings of one district
    share an entry), the canonical labels the description prints, and the filters that are not names."""
    flt = rf.raw
    amounts = tuple(None if v is None else str(v) for v in (flt.min_investment, flt.max_investment))
    return (rf.strategies, rf.corridors, rf.districts, rf.zones, rf.chains, tuple(sorted(rf.labels.items())),
            flt.statuses, flt.kinds, amounts, flt.q, flt.needs_review, flt.progress_classes, rf.progress_month)


def group_counts(data: Mapping[str, Any]) -> dict[str, int]:
    """Group name → count, as the legend shows them (for tests and the CLI's summary)."""
    return {g["name"]: g["count"] for g in data["groups"]}
