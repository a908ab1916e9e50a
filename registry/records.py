"""Frozen dataclasses that cross boundaries. ORM objects never reach templates, JSON or spreadsheets:
they are turned into a ProjectRow (registry/projectrows.py), the one shape of a project for the CLI, the web and
exports.
Records on the way in live here too (ProjectInput, PlacementSpec, Placement), so a module that passes one
along needs only this module, not the service that made it."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from registry.errors import Problem
from registry.models import PRECISIONS

# --- Inbound: a project as it enters, and where it is placed -----------------------------------------

@dataclass(frozen=True)
class SourceInput:
    document: str
    line: int | None = None
    box: str | None = None
    excerpt: str | None = None


@dataclass(frozen=True)
class ProjectInput:
    """A validated project as it enters the registry (before geocoding)."""

    code: str
    name: str
    aliases: tuple[str, ...] = ()
    kind: str | None = None
    status: str = "unknown"
    status_text: str | None = None  # the stage word as the source wrote it (续建, 拟选址 …)
    construction_type: str | None = None
    total_investment: Decimal | None = None
    investment_text: str | None = None
    capacity_text: str | None = None
    start_year: int | None = None
    end_year: int | None = None
    builder: str | None = None
    partners: tuple[str, ...] = ()
    chains: tuple[str, ...] = ()
    strategies: tuple[str, ...] = ()
    place_text: str | None = None
    district_stated: str | None = None
    zone_stated: str | None = None
    outside_taiyuan: bool | None = None
    specificity: str | None = None
    box: str | None = None
    group: str | None = None
    description: str | None = None
    sources: tuple[SourceInput, ...] = field(default_factory=tuple)
    parent_code: str | None = None  # the package this project is a listed part of
    investment_low: Decimal | None = None  # an amount stated only as a range: its bounds, 亿元
    investment_high: Decimal | None = None
    partner_regions: tuple[str, ...] = ()
    plan_period: str | None = None
    # Given coordinates as stated, in the system `crs` names (placers convert them to WGS-84).
    lon: float | None = None
    lat: float | None = None
    crs: str | None = None


@dataclass(frozen=True)
class PlacementSpec:
    """Where a project is, as decided by the geocoder (or by the text when no geocoder is wired)."""

    lon: float | None = None
    lat: float | None = None
    geometry: str | None = None
    input_crs: str | None = None
    place_text: str | None = None
    district_code: str | None = None
    districts: tuple[tuple[str, float | None], ...] = ()
    zone_code: str | None = None
    precision: int = 8
    method: str = "none"
    evidence: str | None = None
    needs_review: bool = True
    place_strategies: tuple[str, ...] = ()


Placer = Callable[[ProjectInput], PlacementSpec]


@dataclass
class ApplyReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"新增 {len(self.created)} · 更新 {len(self.updated)} · 未变 {len(self.unchanged)}"
            f" · 跳过 {len(self.skipped)} (created/updated/unchanged/skipped)"
        )


@dataclass(frozen=True)
class Placement:
    district_code: str | None
    district: str | None
    zone_code: str | None
    zone: str | None
    corridors: tuple[str, ...]
    lon: float | None
    lat: float | None
    precision: int
    method: str
    evidence: str
    needs_review: bool = False
    districts: tuple[str, ...] = ()  # every district touched (linear works, several names)
    outside_taiyuan: bool = False
    input_crs: str | None = None
    conflicts: tuple[str, ...] = field(default_factory=tuple)
    beyond_shanxi: bool = False  # outside only by names of places beyond Shanxi

    def to_dict(self) -> dict[str, Any]:
        return {
            "district_code": self.district_code, "district": self.district, "districts": list(self.districts),
            "zone_code": self.zone_code, "zone": self.zone, "corridors": list(self.corridors),
            "lon": self.lon, "lat": self.lat, "input_crs": self.input_crs, "precision": self.precision,
            "precision_label": PRECISIONS.get(self.precision, str(self.precision)), "method": self.method,
            "evidence": self.evidence, "needs_review": self.needs_review, "outside_taiyuan": self.outside_taiyuan,
            "conflicts": list(self.conflicts),
        }


# --- Outbound: a project as the CLI, the web and exports show it -------------------------------------


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
