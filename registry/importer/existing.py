"""Existing projects as the importer sees them: matched by code or by normalised name + district, turned
back into input dicts, with their placement kept when a row leaves the location columns as exported."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from registry.models import Location, Project
from registry.records import PlacementSpec

_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
_SUFFIXES = ("建设项目", "项目", "工程")


def norm_name(name: str) -> str:
    """太原 机场（三期）项目 = 太原机场三期: width, case, spaces, punctuation and a 项目/工程 tail dropped."""
    text = _PUNCT.sub("", unicodedata.normalize("NFKC", name).lower())
    for suffix in _SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            return text[: -len(suffix)]
    return text


def new_code(name: str, district: str | None) -> str:
    """A stable code for a code-less new row: the same name and district always get the same code."""
    digest = hashlib.sha1(f"{norm_name(name)}|{district or ''}".encode()).hexdigest()[:10].upper()
    return f"IMP-{digest}"


@dataclass(frozen=True)
class Candidate:
    code: str
    name: str
    district: str | None


class NameIndex:
    """Normalised name → projects, for every project in the database plus those created by this import."""

    def __init__(self) -> None:
        self.by_name: dict[str, list[Candidate]] = defaultdict(list)

    @classmethod
    def load(cls, session: Session) -> NameIndex:
        index = cls()
        for code, name, district in session.execute(select(Project.code, Project.name, Project.district_code)):
            index.add(code, name, district)
        return index

    def add(self, code: str, name: str, district: str | None) -> None:
        self.by_name[norm_name(name)].append(Candidate(code, name, district))

    def match(self, name: str, district: str | None) -> tuple[str | None, list[Candidate]]:
        """(code of the same project, or None; other projects with the same name — likely duplicates)."""
        found = self.by_name.get(norm_name(name), [])
        same = [c for c in found if district is None or c.district == district]
        if len(same) == 1:
            return same[0].code, []
        return None, found


@dataclass(frozen=True)
class Existing:
    base: dict[str, Any]  # the project as an apply_project_dicts dict
    exported_location: dict[str, Any]  # location columns as an export writes them
    placement: PlacementSpec | None


def load_existing(session: Session, codes: Iterable[str]) -> dict[str, Existing]:
    wanted = list(dict.fromkeys(codes))
    if not wanted:
        return {}
    stmt = select(Project).where(Project.code.in_(wanted)).options(
        selectinload(Project.chains), selectinload(Project.strategies), selectinload(Project.sources),
        selectinload(Project.locations).selectinload(Location.districts))
    return {p.code: _existing(p) for p in session.scalars(stmt)}


def _existing(p: Project) -> Existing:
    primary = next((loc for loc in p.locations if loc.is_primary), None)
    given = primary is not None and primary.method == "given_coordinates"
    base: dict[str, Any] = {
        "code": p.code, "name": p.name, "aliases": tuple(p.aliases or ()), "kind": p.kind, "status": p.status,
        "status_text": p.status_text,  # the plan's stage word: a spreadsheet has no column for it
        "construction_type": p.construction_type,
        "total_investment": None if p.total_investment is None else str(p.total_investment),
        "investment_text": p.investment_text, "capacity_text": p.capacity_text, "start_year": p.start_year,
        "end_year": p.end_year, "builder": p.builder, "partners": tuple(p.partners or ()),
        "chains": tuple(c.chain_code for c in p.chains),
        "strategies": tuple(s.strategy_code for s in p.strategies if s.basis == "plan"),
        # What the text stated (when the schema records it), not where the geocoder put it.
        "district_stated": getattr(p, "stated_district_code", None),
        "zone_stated": getattr(p, "stated_zone_code", None),
        "place_text": p.place_text, "outside_taiyuan": p.outside_taiyuan, "specificity": p.specificity,
        "box": p.box, "group": p.group_name, "description": p.description,
        # Parts, ranges and partner regions (0009): spreadsheets have no columns for them, imports keep them.
        "parent_code": p.parent_code, "partner_regions": tuple(p.partner_regions or ()),
        "investment_low": None if p.investment_low is None else str(p.investment_low),
        "investment_high": None if p.investment_high is None else str(p.investment_high),
        "plan_period": p.plan_period,
        "lon": p.lon if given else None, "lat": p.lat if given else None, "crs": "wgs84" if given else None,
        "sources": [{"document": s.document, "line": s.line, "box": s.box, "excerpt": s.excerpt} for s in p.sources],
    }
    exported = {"district_stated": p.district_code, "zone_stated": p.zone_code, "place_text": p.place_text,
                "outside_taiyuan": p.outside_taiyuan, "lon": p.lon, "lat": p.lat,
                "crs": "wgs84" if p.lon is not None else None}
    placement = None
    if primary is not None:
        placement = PlacementSpec(
            lon=primary.lon, lat=primary.lat, geometry=primary.geometry, input_crs=primary.input_crs,
            place_text=primary.place_text, district_code=primary.district_code,
            districts=tuple((d.adcode, d.share) for d in primary.districts), zone_code=primary.zone_code,
            precision=primary.precision, method=primary.method, evidence=primary.evidence,
            needs_review=primary.needs_review,
            place_strategies=tuple(s.strategy_code for s in p.strategies if s.basis == "place"))
    return Existing(base, exported, placement)
