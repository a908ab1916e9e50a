"""New projects written in bulk: one COPY (PostgreSQL) or executemany (SQLite) per table per batch instead of an
ORM object graph per project (issue 16: the ORM unit of work and the history hook cost ~70 % of an import,
benchmarks/results/import_profile_before.txt).

The rows written are the ones `upsert._apply` would have given a new Project, and the history row is the one
the before_flush hook (registry/history.py) would have recorded: a `_created` change holding `document()` of
the new project (tests/test_bulk_new.py compares both ways). The data stamp is told which projects were
written, as its after_flush hook would have been."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from sqlalchemy import JSON, Connection, Table, inspect, select
from sqlalchemy.orm import Session

from registry import history, plannerstats, stamp
from registry.capacity import parse_capacity
from registry.fields import MONEY_COLUMNS, STORED
from registry.models import (
    Change,
    Location,
    LocationDistrict,
    Project,
    ProjectChain,
    ProjectStrategy,
    Source,
    utcnow,
)
from registry.records import PlacementSpec, ProjectInput

_PROJECTS, _LOCATIONS, _CHANGES = (cast(Table, m.__table__) for m in (Project, Location, Change))


def _project_row(item: ProjectInput, place: PlacementSpec) -> dict[str, Any]:
    # The field table's one-to-one columns, as the ORM path copies them (upsert._apply); lists as lists.
    row: dict[str, Any] = {column: (list(value) if isinstance(value := getattr(item, name), tuple) else value)
                           for name, column in STORED.items()}
    capacity = parse_capacity(item.capacity_text)
    row |= {"code": item.code, "group_name": item.group, "stated_district_code": item.district_stated,
            "stated_zone_code": item.zone_stated, "aliases": list(item.aliases), "partners": list(item.partners),
            "partner_regions": list(item.partner_regions), "archived_at": None, "version": 1,
            "capacity_value": float(capacity[0]) if capacity else None,
            "capacity_unit": capacity[1] if capacity else None,
            # The primary placement's copy on the project (apply_placement).
            "district_code": place.district_code, "zone_code": place.zone_code, "lon": place.lon,
            "lat": place.lat, "precision": place.precision}
    return row


def _shares(place: PlacementSpec) -> list[tuple[str, float | None]]:
    return sorted(place.districts) or ([(place.district_code, None)] if place.district_code else [])


def _links(item: ProjectInput, place: PlacementSpec) -> list[tuple[str, str]]:
    return sorted({(s, "plan") for s in item.strategies} | {(s, "place") for s in place.place_strategies})


def created_document(row: dict[str, Any], item: ProjectInput, place: PlacementSpec) -> dict[str, Any]:
    """history.document() of the project these rows make, without building it."""
    # Built from JSON-ready values (lists, not tuples), so only amounts need history.jsonable's conversion.
    doc: dict[str, Any] = {attr: row[attr] for attr in history.SCALARS}
    for attr in MONEY_COLUMNS:
        doc[attr] = history.jsonable(doc[attr])
    links = _links(item, place)
    doc["chains"] = sorted(set(item.chains))
    doc["strategies"] = [code for code, basis in links if basis == "plan"]
    placement: dict[str, Any] = {attr: getattr(place, attr) for attr in history.PLACEMENT_ATTRS}
    placement["districts"] = [[adcode, share] for adcode, share in _shares(place)]
    placement["place_strategies"] = [code for code, basis in links if basis == "place"]
    doc["placement"] = placement
    doc["sources"] = [{"document": s.document, "line": s.line, "box": s.box, "excerpt": s.excerpt}
                      for s in item.sources]
    return doc


def _processor(column: Any, dialect: Any) -> Callable[[Any], Any] | None:
    """The column type's bind conversion; a JSON column's with its answers for None and [] (most rows' lists)
    worked out once."""
    proc: Callable[[Any], Any] | None = column.type._cached_bind_processor(dialect)
    if proc is None or not isinstance(column.type, JSON):
        return proc
    null, empty = proc(None), proc([])
    return lambda value: null if value is None else (empty if value == [] else proc(value))


def _insert(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """INSERT rows (every one with the same keys) through the driver: COPY on PostgreSQL, executemany of one
    prepared statement on SQLite. Each value passes through its column type's own bind conversion first
    (亿元 → 万元, JSON text, SQLite datetimes), so the stored values are the ones a Core insert stores; the
    per-row parameter handling of Core is what this skips (half of an import's insert time)."""
    if not rows:
        return
    columns = list(rows[0])
    dialect = conn.dialect
    processors = [_processor(table.c[name], dialect) for name in columns]
    values = [[row[name] if proc is None else proc(row[name]) for name, proc in zip(columns, processors, strict=True)]
              for row in rows]
    names = ", ".join(f'"{name}"' for name in columns)
    driver = conn.connection.driver_connection
    if dialect.name == "postgresql":
        with driver.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:  # type: ignore[union-attr]
            for value_row in values:
                copy.write_row(value_row)
        return
    cursor = driver.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(f'INSERT INTO "{table.name}" ({names}) VALUES ({", ".join("?" * len(columns))})', values)
    finally:
        cursor.close()


def insert_new(session: Session, items: Sequence[tuple[ProjectInput, PlacementSpec]]) -> list[int]:
    """Insert these new projects with their location, links and sources; record their creation. → ids."""
    if not items:
        return []
    session.flush()  # pending ORM work first, so ids and foreign keys are in order
    conn = session.connection()
    rows = [_project_row(item, place) for item, place in items]
    # Ids read back by the unique code (RETURNING in parameter order runs one statement per row on SQLite).
    now = utcnow()  # one creation time for the batch
    _insert(conn, _PROJECTS, [row | {"created_at": now, "updated_at": now} for row in rows])
    by_code = {code: pid for code, pid in conn.execute(select(_PROJECTS.c.code, _PROJECTS.c.id).where(
        _PROJECTS.c.code.in_([row["code"] for row in rows])))}
    ids = [int(by_code[row["code"]]) for row in rows]
    locations = [{"project_id": pid, "is_primary": True, "geometry": place.geometry, "lon": place.lon,
                  "lat": place.lat, "input_crs": place.input_crs, "place_text": place.place_text,
                  "district_code": place.district_code, "zone_code": place.zone_code, "precision": place.precision,
                  "method": place.method, "evidence": place.evidence, "needs_review": place.needs_review}
                 for pid, (_, place) in zip(ids, items, strict=True)]
    _insert(conn, _LOCATIONS, locations)
    # A new project has exactly one location, its primary.
    by_project = {pid: lid for pid, lid in conn.execute(select(_LOCATIONS.c.project_id, _LOCATIONS.c.id).where(
        _LOCATIONS.c.project_id.in_(ids)))}
    location_ids = [int(by_project[pid]) for pid in ids]
    children: list[tuple[Any, list[dict[str, Any]]]] = [
        (LocationDistrict.__table__, [{"location_id": lid, "adcode": adcode, "share": share}
                                      for lid, (_, place) in zip(location_ids, items, strict=True)
                                      for adcode, share in _shares(place)]),
        (ProjectChain.__table__, [{"project_id": pid, "chain_code": code, "segment": None}
                                  for pid, (item, _) in zip(ids, items, strict=True) for code in sorted(set(item.chains))]),
        (ProjectStrategy.__table__, [{"project_id": pid, "strategy_code": code, "basis": basis}
                                     for pid, (item, place) in zip(ids, items, strict=True)
                                     for code, basis in _links(item, place)]),
        (Source.__table__, [{"project_id": pid, "document": s.document, "line": s.line, "box": s.box,
                             "excerpt": s.excerpt}
                            for pid, (item, _) in zip(ids, items, strict=True) for s in item.sources]),
    ]
    for table, table_rows in children:
        _insert(conn, table, table_rows)
    if history.recording(session):
        change_set = history.current(session) or history.auto_change_set(session)
        if not inspect(change_set).persistent:  # stored only once it records something, as the hook does
            session.add(change_set)
            session.flush()
        _insert(conn, _CHANGES, [
            {"change_set_id": change_set.id, "project_id": pid, "field": history.CREATED, "old": None,
             "new": created_document(row, item, place), "reverted_by_id": None}
            for pid, row, (item, place) in zip(ids, rows, items, strict=True)])
    stamp.note_written(session, ids)
    plannerstats.note_rows_written(session, len(ids))
    return ids
