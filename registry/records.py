"""Frozen dataclasses that cross boundaries. ORM objects never reach templates, JSON or spreadsheets:
they are turned into a ProjectRow here, the one shape of a project for the CLI, the web and exports."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.models import PRECISIONS, AdminUnit, IndustryChain, Project, Strategy, Zone
from registry.plans import plan_title
from registry.progress.classify import Rule


@dataclass(frozen=True)
class SourceRef:
    document: str
    line: int | None
    box: str | None
    excerpt: str | None
    title: str | None = None  # the plan's own title (registry/plans.py); None when the text states none

    @property
    def label(self) -> str:
        return self.title or self.document


@dataclass(frozen=True)
class DistrictShare:
    adcode: str
    name: str | None
    share: float | None


@dataclass(frozen=True)
class LocationRow:
    geometry: dict[str, Any] | None
    lon: float | None
    lat: float | None
    input_crs: str | None
    place_text: str | None
    districts: tuple[DistrictShare, ...]
    zone_code: str | None
    zone: str | None
    precision: int
    precision_label: str
    method: str
    evidence: str | None
    needs_review: bool


@dataclass(frozen=True)
class ProgressRow:
    """One month of 调度 figures (亿元) and its class under the configured rule (registry/progress/classify.py)."""

    year: int
    month: int
    plan_investment: Decimal | None
    completed_investment: Decimal | None
    image_progress: str | None
    issues: str | None
    progress_class: str


@dataclass(frozen=True)
class ProjectRow:
    code: str
    name: str
    aliases: tuple[str, ...]
    kind: str | None
    status: str
    status_text: str | None
    construction_type: str | None
    total_investment: Decimal | None
    investment_text: str | None
    capacity_text: str | None
    start_year: int | None
    end_year: int | None
    builder: str | None
    partners: tuple[str, ...]
    chain_codes: tuple[str, ...]
    chains: tuple[str, ...]
    strategy_codes: tuple[str, ...]
    strategies: tuple[str, ...]
    place_strategy_codes: tuple[str, ...]
    district_code: str | None
    district: str | None
    zone_code: str | None
    zone: str | None
    lon: float | None
    lat: float | None
    precision: int
    precision_label: str
    place_text: str | None
    outside_taiyuan: bool | None
    box: str | None
    group: str | None
    description: str | None
    locations: tuple[LocationRow, ...]
    sources: tuple[SourceRef, ...]
    version: int
    needs_review: bool = False
    progress: tuple[ProgressRow, ...] = ()  # oldest first, newest last

    def progress_in(self, year: int, month: int) -> ProgressRow | None:
        """This project's figures for one month, if it has any."""
        return next((p for p in self.progress if (p.year, p.month) == (year, month)), None)

    def progress_class_in(self, month: tuple[int, int] | None) -> str:
        found = None if month is None else self.progress_in(*month)
        return "未填报" if found is None else found.progress_class

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape (issue 2): amounts are numbers in 亿元 or null, never 0 for unknown."""
        data = asdict(self)
        data["total_investment"] = (
            None if self.total_investment is None else float(self.total_investment)
        )
        for month in data["progress"]:
            for key in ("plan_investment", "completed_investment"):
                month[key] = None if month[key] is None else float(month[key])
        return data


class Names:
    """Code → display name for districts, zones, chains and strategies (small tables, read once)."""

    def __init__(self, session: Session) -> None:
        self.districts = dict(session.execute(select(AdminUnit.adcode, AdminUnit.name)).all())
        self.zones = dict(session.execute(select(Zone.code, Zone.name)).all())
        self.chains = dict(session.execute(select(IndustryChain.code, IndustryChain.name)).all())
        self.strategies = dict(session.execute(select(Strategy.code, Strategy.name)).all())


def project_row(project: Project, names: Names, rule: Rule | None = None) -> ProjectRow:
    """`rule`: pass it when building many rows (reading it from the environment per row costs more than the row)."""
    locations = tuple(
        LocationRow(
            geometry=json.loads(loc.geometry) if loc.geometry else None,
            lon=loc.lon,
            lat=loc.lat,
            input_crs=loc.input_crs,
            place_text=loc.place_text,
            districts=tuple(
                DistrictShare(d.adcode, names.districts.get(d.adcode), d.share) for d in loc.districts
            ),
            zone_code=loc.zone_code,
            zone=names.zones.get(loc.zone_code) if loc.zone_code else None,
            precision=loc.precision,
            precision_label=PRECISIONS.get(loc.precision, str(loc.precision)),
            method=loc.method,
            evidence=loc.evidence,
            needs_review=loc.needs_review,
        )
        for loc in project.locations
    )
    plan_links = [s.strategy_code for s in project.strategies if s.basis == "plan"]
    place_links = [s.strategy_code for s in project.strategies if s.basis == "place"]
    chain_codes = tuple(c.chain_code for c in project.chains)
    return ProjectRow(
        code=project.code,
        name=project.name,
        aliases=tuple(project.aliases or ()),
        kind=project.kind,
        status=project.status,
        status_text=project.status_text,
        construction_type=project.construction_type,
        total_investment=project.total_investment,
        investment_text=project.investment_text,
        capacity_text=project.capacity_text,
        start_year=project.start_year,
        end_year=project.end_year,
        builder=project.builder,
        partners=tuple(project.partners or ()),
        chain_codes=chain_codes,
        chains=tuple(names.chains.get(c, c) for c in chain_codes),
        strategy_codes=tuple(plan_links),
        strategies=tuple(names.strategies.get(c, c) for c in plan_links),
        place_strategy_codes=tuple(place_links),
        district_code=project.district_code,
        district=names.districts.get(project.district_code) if project.district_code else None,
        zone_code=project.zone_code,
        zone=names.zones.get(project.zone_code) if project.zone_code else None,
        lon=project.lon,
        lat=project.lat,
        precision=project.precision,
        precision_label=PRECISIONS.get(project.precision, str(project.precision)),
        place_text=project.place_text,
        outside_taiyuan=project.outside_taiyuan,
        box=project.box,
        group=project.group_name,
        description=project.description,
        locations=locations,
        sources=tuple(SourceRef(s.document, s.line, s.box, s.excerpt, plan_title(s.document))
                      for s in project.sources),
        version=project.version,
        needs_review=any(loc.needs_review for loc in project.locations),
        progress=progress_rows(project, rule),
    )


def progress_rows(project: Project, rule: Rule | None = None) -> tuple[ProgressRow, ...]:
    rule = rule or Rule.from_settings()
    months = sorted(project.progress, key=lambda p: (p.year, p.month))
    return tuple(ProgressRow(p.year, p.month, p.plan_investment, p.completed_investment, p.image_progress,
                             p.issues, rule.classify(p.plan_investment, p.completed_investment, p.month))
                 for p in months)
