"""A stored Project → its ProjectRow, the one shape every view, export and the CLI read, with the vocabulary's
names for its codes. Apart from registry/records.py so the records stay plain data that anything may import."""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import object_session

from registry.fields import ROW_FIELDS, Field
from registry.models import PRECISIONS, Project
from registry.plans import plan_title
from registry.progress.classify import Rule
from registry.records import DistrictShare, LocationRow, ProgressRow, ProjectRow, SourceRef
from registry.vocabulary import Vocabulary


def project_row(project: Project, vocab: Vocabulary, rule: Rule | None = None) -> ProjectRow:
    """`rule`: pass it when building many rows (working it out per row costs more than the row)."""
    districts, zones = vocab.names("districts"), vocab.names("zones")
    chains, strategies = vocab.names("chains"), vocab.names("strategies")
    locations = tuple(
        LocationRow(
            geometry=json.loads(loc.geometry) if loc.geometry else None,
            lon=loc.lon,
            lat=loc.lat,
            input_crs=loc.input_crs,
            place_text=loc.place_text,
            districts=tuple(
                DistrictShare(d.adcode, districts.get(d.adcode), d.share) for d in loc.districts
            ),
            zone_code=loc.zone_code,
            zone=zones.get(loc.zone_code) if loc.zone_code else None,
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
    # Fields the table marks `row` are copied from their column (lists as tuples); the rest are derived here.
    copied = {f.key: _row_value(f, getattr(project, f.column or f.key)) for f in ROW_FIELDS}
    return ProjectRow(
        **copied,
        chain_codes=chain_codes,
        chains=tuple(chains.get(c, c) for c in chain_codes),
        strategy_codes=tuple(plan_links),
        strategies=tuple(strategies.get(c, c) for c in plan_links),
        place_strategy_codes=tuple(place_links),
        district_code=project.district_code,
        district=districts.get(project.district_code) if project.district_code else None,
        zone_code=project.zone_code,
        zone=zones.get(project.zone_code) if project.zone_code else None,
        lon=project.lon,
        lat=project.lat,
        precision=project.precision,
        precision_label=PRECISIONS.get(project.precision, str(project.precision)),
        locations=locations,
        sources=tuple(SourceRef(s.document, s.line, s.box, s.excerpt, plan_title(s.document))
                      for s in project.sources),
        needs_review=any(loc.needs_review for loc in project.locations),
        progress=progress_rows(project, rule),
    )


def _row_value(field_: Field, value: Any) -> Any:
    return tuple(value or ()) if field_.kind == "list" else value


def progress_rows(project: Project, rule: Rule | None = None) -> tuple[ProgressRow, ...]:
    rule = rule or Rule.of_session(object_session(project))
    months = sorted(project.progress, key=lambda p: (p.year, p.month))
    return tuple(ProgressRow(p.year, p.month, p.plan_investment, p.completed_investment, p.image_progress,
                             p.issues, rule.classify(p.plan_investment, p.completed_investment, p.month))
                 for p in months)
