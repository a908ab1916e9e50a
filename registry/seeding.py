"""`kpr seed`: load reference data (districts, zones, strategies, the chain tree) and the curated seed
projects in one idempotent step. Rows the seeds do not name (added by users) are never deleted."""
from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry import geodata, history
from registry.config import Settings
from registry.db import Base
from registry.models import AdminUnit, DataVersion, IndustryChain, Project, Strategy, Zone
from registry.records import ApplyReport, Placer
from registry.upsert import apply_project_dicts
from registry.yamltext import read_yaml

M = TypeVar("M", bound=Base)


@dataclass(frozen=True)
class SeedReport:
    reference: dict[str, tuple[int, int]]  # table → (created, updated)
    projects: ApplyReport
    retired: list[str] = field(default_factory=list)  # codes archived: merged into another or judged no project
    kept: list[str] = field(default_factory=list)  # codes the seeds retired that people edited: left live

    def lines(self) -> list[str]:
        out = [f"{table}: 新增 {c} · 更新 {u}" for table, (c, u) in self.reference.items()]
        out.append(f"projects: {self.projects.summary()}")
        if self.retired:
            out.append(f"归档 {len(self.retired)} 个已并入其他项目或不再列为项目的种子编码: {', '.join(self.retired)}")
        if self.kept:
            out.append(f"保留 {len(self.kept)} 个（有人工修改，请人工核对是否归档）: {', '.join(self.kept)}")
        return out


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
    edited = history.person_edited_fields(session)
    report = apply_project_dicts(session, projects, placer=placer, protected=edited)
    retired, kept = retire_codes(session, _retired_codes(settings), edited)
    done = SeedReport(reference=reference, projects=report, retired=retired, kept=kept)
    if report.created or report.updated or retired or any(c or u for c, u in reference.values()):
        session.add(DataVersion(kind="seed", summary="; ".join(done.lines())))
    return done


def _retired_codes(settings: Settings) -> set[str]:
    """Codes an earlier seed may have loaded that the seeds now fold into another project (merge) or no longer
    count as projects (exclude), from seeds/overrides.yaml."""
    path = settings.seeds_dir / "overrides.yaml"
    overrides = read_yaml(path) if path.exists() else None
    if not overrides:
        return set()
    merged = {code for merge in overrides.get("merge") or [] for code in merge["codes"]}
    return merged | set(overrides.get("exclude") or [])


def retire_codes(session: Session, codes: set[str], edited: dict[str, frozenset[str]]) -> tuple[list[str], list[str]]:
    """Archive the live projects with these codes (recorded in the history, restorable by an admin), so a
    registry seeded before a merge does not keep both listings and count their money twice. A project people
    have edited is left live and named, for a person to decide."""
    if not codes:
        return [], []
    live = session.scalars(select(Project).where(Project.code.in_(sorted(codes)), Project.archived_at.is_(None)))
    retired, kept = [], []
    for project in live:
        if project.code in edited:
            kept.append(project.code)
            continue
        project.archived_at = datetime.now(UTC)
        retired.append(project.code)
    return sorted(retired), sorted(kept)
