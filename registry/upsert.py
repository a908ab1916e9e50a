"""Create or update projects from validated inputs. The caller owns the transaction.

Rows and child collections are touched only when their content differs, so applying the same data twice
changes nothing (no version bump, no new rows)."""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from registry.bulknew import insert_new
from registry.capacity import parse_capacity
from registry.crs import to_wgs84
from registry.errors import InvalidRecord, Problem
from registry.fields import LIST_COLUMNS, STORED
from registry.models import (
    Location,
    LocationDistrict,
    Project,
    ProjectChain,
    ProjectStrategy,
    Source,
)
from registry.records import ApplyReport, PlacementSpec, Placer, ProjectInput
from registry.validate import str_list, validate_project
from registry.vocabulary import Vocabulary


def stated_placement(item: ProjectInput) -> PlacementSpec:
    """The placement the text itself states; the geocoder refines it (see registry/geocode)."""
    if item.lon is not None and item.lat is not None:
        # Given coordinates are the most exact statement there is; stored in WGS-84.
        lon, lat = (float(v) for v in to_wgs84(item.lon, item.lat, item.crs or "wgs84"))
        district = item.district_stated
        return PlacementSpec(
            lon=lon, lat=lat, input_crs=item.crs or "wgs84", place_text=item.place_text,
            geometry=json.dumps({"type": "Point", "coordinates": [lon, lat]}),
            district_code=district, districts=((district, None),) if district else (),
            zone_code=item.zone_stated, precision=1, method="given_coordinates",
            evidence=f"{item.crs or 'wgs84'} {item.lon:.6f},{item.lat:.6f}", needs_review=district is None)
    if item.outside_taiyuan:
        return PlacementSpec(place_text=item.place_text, precision=6, method="stated_in_text",
                             evidence=item.place_text, needs_review=False)
    if item.zone_stated:
        return PlacementSpec(place_text=item.place_text, zone_code=item.zone_stated,
                             district_code=item.district_stated, precision=4, method="stated_in_text",
                             evidence=item.place_text, needs_review=item.district_stated is None)
    if item.district_stated:
        return PlacementSpec(place_text=item.place_text, district_code=item.district_stated,
                             districts=((item.district_stated, None),), precision=3,
                             method="stated_in_text", evidence=item.place_text, needs_review=False)
    return PlacementSpec(place_text=item.place_text)


def check_references(session: Session, raws: Sequence[tuple[int | None, dict[str, Any]]]) -> list[Problem]:
    """Chain and strategy codes must exist in the reference tables (checked on every row, valid or not)."""
    vocab = Vocabulary.load(session)
    chains, strategies = vocab.chains, vocab.strategies
    problems: list[Problem] = []
    for row, raw in raws:
        item_chains = str_list(raw, "chains", row, [])
        item_strategies = str_list(raw, "strategies", row, [])
        for code in item_chains:
            if code not in chains:
                problems.append(Problem(row, "chains", code, "unknown industry chain", "a code from the chain tree"))
        for code in item_strategies:
            if code not in strategies:
                problems.append(Problem(row, "strategies", code, "unknown strategy", "a strategy or corridor code"))
    return problems


def apply_project_dicts(
    session: Session,
    dicts: Iterable[dict[str, Any]],
    *,
    placer: Placer | None = None,
    skip_invalid: bool = False,
    protected: Mapping[str, frozenset[str]] | None = None,
    bulk_new: bool = False,
) -> ApplyReport:
    """Validate every dict; all-or-nothing unless skip_invalid (then bad rows are listed, good ones applied)."""
    raws = list(enumerate(dicts, start=1))
    valid: list[tuple[int | None, ProjectInput]] = []
    problems: list[Problem] = []
    for row, raw in raws:
        item, item_problems = validate_project(raw, row)
        problems.extend(item_problems)
        if item is not None:
            valid.append((row, item))
    problems.extend(check_references(session, raws))
    problems.sort(key=lambda p: (p.row or 0))
    bad_rows = {p.row for p in problems}
    if problems and not skip_invalid:
        raise InvalidRecord("; ".join(str(p) for p in problems))
    report = upsert_projects(session, [item for row, item in valid if row not in bad_rows], placer=placer,
                             protected=protected, bulk_new=bulk_new)
    report.skipped = problems
    return report


def place_all(placer: Placer, items: Sequence[ProjectInput]) -> list[PlacementSpec]:
    """Every item's placement, in one call when the placer places many at once (the geocoder does)."""
    many = getattr(placer, "place_many", None)
    return list(many(items)) if many is not None else [placer(item) for item in items]


def upsert_projects(
    session: Session, items: Sequence[ProjectInput], *, placer: Placer | None = None,
    protected: Mapping[str, frozenset[str]] | None = None, bulk_new: bool = False,
) -> ApplyReport:
    """Create or update; `protected` names, per code, fields a person edited that this source must not undo
    (history field names: name, status, placement, chains …). `bulk_new`: new projects are inserted in bulk
    (registry/bulknew.py: the same rows and history, without an ORM object per row)."""
    placer = placer or stated_placement
    existing = {
        p.code: p
        for p in session.scalars(
            select(Project)
            .where(Project.code.in_([i.code for i in items]))
            .options(selectinload(Project.chains), selectinload(Project.strategies),
                     selectinload(Project.sources), selectinload(Project.locations).selectinload(Location.districts))
        )
    }
    report = ApplyReport()
    places = place_all(placer, items)
    fresh: list[tuple[ProjectInput, PlacementSpec]] = []
    for item, place in zip(items, places, strict=True):
        project = existing.get(item.code)
        if project is None and bulk_new:
            fresh.append((item, place))
            report.created.append(item.code)
        elif project is None:
            project = new_project(item.code)
            session.add(project)
            _apply(project, item, place)
            report.created.append(item.code)
        elif _apply(project, item, place, keep=(protected or {}).get(item.code, frozenset())):
            report.updated.append(item.code)
        else:
            report.unchanged.append(item.code)
    session.flush()
    if fresh:
        insert_new(session, fresh)
    return report


def new_project(code: str) -> Project:
    """An empty project; its lists are set here, not by the column default at insert, because 修改记录's first
    state is read before the insert."""
    return Project(code=code, status="unknown", **{column: [] for column in LIST_COLUMNS})


def _stored(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def _set(obj: object, attr: str, value: object) -> bool:
    current = getattr(obj, attr)
    # An empty list and a NULL list column say the same (rows written before a list column existed hold NULL).
    if current == value or (isinstance(value, list) and not value and not current):
        return False
    setattr(obj, attr, value)
    return True


def _apply(project: Project, item: ProjectInput, place: PlacementSpec | None,
           keep: frozenset[str] = frozenset(), sources: bool = True) -> bool:
    """Copy the input onto the project; fields in `keep` and, with place=None, the placement stay as they are."""
    # The field table says which inputs are copied one to one, and onto which column (lists are stored as lists).
    values: dict[str, object] = {column: _stored(getattr(item, name)) for name, column in STORED.items()}
    changed = False
    for attr, value in values.items():
        if attr not in keep:
            changed |= _set(project, attr, value)
    if "capacity_text" not in keep:
        capacity = parse_capacity(item.capacity_text)
        changed |= _set(project, "capacity_value", float(capacity[0]) if capacity else None)
        changed |= _set(project, "capacity_unit", capacity[1] if capacity else None)
    if "placement" in keep:
        place = None
    changed |= _sync_links(project, item, place, keep)
    if sources and "sources" not in keep:
        changed |= _sync_sources(project, item)
    if place is not None:
        changed |= apply_placement(project, place)
    return changed


def _sync_links(project: Project, item: ProjectInput, place: PlacementSpec | None,
                keep: frozenset[str] = frozenset()) -> bool:
    changed = False
    if "chains" not in keep and [c.chain_code for c in project.chains] != sorted(set(item.chains)):
        segments = {c.chain_code: c.segment for c in project.chains}
        project.chains = [ProjectChain(chain_code=c, segment=segments.get(c)) for c in sorted(set(item.chains))]
        changed = True
    plan = ({s.strategy_code for s in project.strategies if s.basis == "plan"} if "strategies" in keep
            else set(item.strategies))
    by_place = ({s.strategy_code for s in project.strategies if s.basis == "place"} if place is None
                else set(place.place_strategies))
    wanted = sorted({(s, "plan") for s in plan} | {(s, "place") for s in by_place})
    if sorted((s.strategy_code, s.basis) for s in project.strategies) != wanted:
        project.strategies = [ProjectStrategy(strategy_code=s, basis=b) for s, b in wanted]
        changed = True
    return changed


def _sync_sources(project: Project, item: ProjectInput) -> bool:
    current = [(s.document, s.line, s.box, s.excerpt) for s in project.sources]
    wanted = [(s.document, s.line, s.box, s.excerpt) for s in item.sources]
    if current == wanted:
        return False
    project.sources = [Source(document=d, line=ln, box=b, excerpt=e) for d, ln, b, e in wanted]
    return True


def apply_placement(project: Project, place: PlacementSpec) -> bool:
    """Make the project's primary location match the placement; copy it onto the project's columns."""
    wanted = {
        "geometry": place.geometry, "lon": place.lon, "lat": place.lat, "input_crs": place.input_crs,
        "place_text": place.place_text, "district_code": place.district_code, "zone_code": place.zone_code,
        "precision": place.precision, "method": place.method, "evidence": place.evidence,
        "needs_review": place.needs_review,
    }
    primary = next((loc for loc in project.locations if loc.is_primary), None)
    changed = False
    if primary is None:
        primary = Location(is_primary=True)
        project.locations.append(primary)
        changed = True
    for attr, value in wanted.items():
        changed |= _set(primary, attr, value)
    shares = sorted(place.districts) or ([(place.district_code, None)] if place.district_code else [])
    if sorted((d.adcode, d.share) for d in primary.districts) != shares:
        primary.districts = [LocationDistrict(adcode=a, share=s) for a, s in shares]
        changed = True
    for attr in ("district_code", "zone_code", "lon", "lat", "precision"):
        changed |= _set(project, attr, wanted[attr])
    return changed
