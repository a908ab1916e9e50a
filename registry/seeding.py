"""`kpr seed`: load reference data (districts, zones, strategies, the chain tree) and the curated seed
projects in one idempotent step. Rows the seeds do not name (added by users) are never deleted."""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from sqlalchemy.orm import Session

from registry import geodata, history
from registry.config import Settings
from registry.db import Base
from registry.models import AdminUnit, DataVersion, IndustryChain, Strategy, Zone
from registry.upsert import ApplyReport, Placer, apply_project_dicts

M = TypeVar("M", bound=Base)


@dataclass(frozen=True)
class SeedReport:
    reference: dict[str, tuple[int, int]]  # table → (created, updated)
    projects: ApplyReport

    def lines(self) -> list[str]:
        out = [f"{table}: 新增 {c} · 更新 {u}" for table, (c, u) in self.reference.items()]
        out.append(f"projects: {self.projects.summary()}")
        return out


def read_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _parents_first(rows: Sequence[dict[str, Any]], key: str, parent: str) -> list[dict[str, Any]]:
    """Order rows so every parent is written before its children (self-referencing foreign keys)."""
    done: set[str] = set()
    ordered: list[dict[str, Any]] = []
    pending = list(rows)
    while pending:
        ready = [r for r in pending if not r.get(parent) or r[parent] in done]
        if not ready:
            missing = sorted({str(r[parent]) for r in pending})
            raise ValueError(f"unknown parent code(s) {missing} in {key} rows")
        for row in ready:
            ordered.append(row)
            done.add(row[key])
        pending = [r for r in pending if r[key] not in done]
    return ordered


def upsert_rows(session: Session, model: type[M], key: str, rows: Iterable[dict[str, Any]]) -> tuple[int, int]:
    """Insert or update reference rows by primary key, writing only values that differ."""
    created = updated = 0
    for values in rows:
        obj = session.get(model, values[key])
        if obj is None:
            session.add(model(**values))
            created += 1
            continue
        changed = False
        for attr, value in values.items():
            if getattr(obj, attr) != value:
                setattr(obj, attr, value)
                changed = True
        updated += changed
    session.flush()
    return created, updated


def _geojson(geom: Any) -> str | None:
    if geom is None:
        return None
    from shapely.geometry import mapping

    return json.dumps(mapping(geom), ensure_ascii=False, separators=(",", ":"))


def admin_unit_rows(settings: Settings) -> list[dict[str, Any]]:
    return [
        {"adcode": u.adcode, "name": u.name, "level": u.level, "parent_adcode": u.parent,
         "group": u.group, "geometry": _geojson(u.geometry)}
        for u in geodata.load_admin_units(settings.geodata_dir)
    ]


def _sources(refs: Iterable[geodata.SourceRef]) -> list[dict[str, Any]]:
    return [{"document": r.doc, "line": r.line, "excerpt": r.excerpt} for r in refs]


def zone_rows(settings: Settings) -> list[dict[str, Any]]:
    rows = [
        {"code": z.code, "name": z.name, "aliases": list(z.aliases), "kind": z.kind, "level": z.level,
         "parent_code": z.parent, "industries": list(z.industries), "stated_area_km2": z.stated_area_km2,
         "districts": [asdict(d) for d in z.districts], "geometry": _geojson(z.geometry),
         "geometry_status": z.geometry_status, "sources": _sources(z.sources)}
        for z in geodata.load_zones(settings.geodata_dir)
    ]
    return _parents_first(rows, "code", "parent_code")


def strategy_rows(settings: Settings) -> list[dict[str, Any]]:
    rows = [
        {"code": s.code, "name": s.name, "aliases": list(s.aliases), "kind": s.kind, "parent_code": s.parent,
         "member_units": [asdict(m) for m in s.member_units], "width_km": s.width_km,
         "geometry": _geojson(s.geometry), "sources": _sources(s.sources)}
        for s in geodata.load_strategies(settings.geodata_dir)
    ]
    return _parents_first(rows, "code", "parent_code")


def chain_rows(settings: Settings) -> list[dict[str, Any]]:
    rows = [
        {"code": c["code"], "name": c["name"], "level": c["level"], "tier": c.get("tier"),
         "parent_code": c.get("parent"), "sources": c.get("sources") or []}
        for c in read_yaml(settings.seeds_dir / "chains.yaml") or []
    ]
    return _parents_first(rows, "code", "parent_code")


REFERENCE: tuple[tuple[str, type[Base], str, Callable[[Settings], list[dict[str, Any]]]], ...] = (
    ("admin_units", AdminUnit, "adcode", admin_unit_rows),
    ("zones", Zone, "code", zone_rows),
    ("strategies", Strategy, "code", strategy_rows),
    ("industry_chains", IndustryChain, "code", chain_rows),
)


def seed(session: Session, settings: Settings, *, placer: Placer | None = None) -> SeedReport:
    """Reference data first (projects refer to it), then the seed projects."""
    reference = {
        table: upsert_rows(session, model, key, loader(settings)) for table, model, key, loader in REFERENCE
    }
    path = settings.seeds_dir / "projects.yaml"
    projects = read_yaml(path) or []
    if history.current(session) is None:
        history.begin(session, "seed", file_name=path.name)
    # What people changed in the registry stays: a seed run never undoes an edit.
    report = apply_project_dicts(session, projects, placer=placer,
                                 protected=history.person_edited_fields(session))
    if report.created or report.updated or any(c or u for c, u in reference.values()):
        session.add(DataVersion(kind="seed", summary="; ".join(SeedReport(reference, report).lines())))
    return SeedReport(reference=reference, projects=report)
