"""The 待核实位置 queue: which projects need a person to confirm their place, why, and what the geocoder
would suggest (accepted in one click as a 人工核实 placement)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.geocode import Geocoder
from registry.models import PRECISIONS, Location, Project


@dataclass(frozen=True)
class ReviewItem:
    code: str
    name: str
    version: int
    place_text: str | None
    precision: int
    precision_label: str
    reasons: tuple[str, ...]
    suggestion: tuple[str | None, str | None] | None  # (district_code, zone_code) the geocoder points to
    suggestion_label: str | None


def reasons(project: Project, location: Location | None, geocoder: Geocoder) -> tuple[str, ...]:
    out: list[str] = []
    precision = location.precision if location else 8
    evidence = (location.evidence if location else None) or ""
    if precision == 8:
        out.append("未提及地点（规划只给出名称）" if not project.place_text else "地点文字未能识别")
    if precision == 5:
        out.append("仅到全市一级")
    if precision == 6 or project.outside_taiyuan:
        out.append("位于太原市外")
    if location and location.zone_code and not location.district_code:
        zone = geocoder.zones.get(location.zone_code)
        if zone and len(zone.districts) > 1:
            out.append("开发区跨多个区县")
    if "冲突" in evidence or "不一致" in evidence:
        out.append("证据相互矛盾")
    if location and len(location.districts) > 1 and precision != 8:
        out.append("涉及多个区县")
    return tuple(out) or ("位置待人工确认",)


def suggestion(project: Project, location: Location | None,
               geocoder: Geocoder) -> tuple[str | None, str | None] | None:
    """What the text points to: the recorded district/zone if any, else a fresh reading of name and place."""
    if location and (location.district_code or location.zone_code):
        return location.district_code, location.zone_code
    found = geocoder.geocode_text(" ".join(t for t in (project.place_text, project.name) if t))
    if found.district_code or found.zone_code:
        return found.district_code, found.zone_code
    return None


def review_items(session: Session, geocoder: Geocoder, limit: int = 500) -> list[ReviewItem]:
    stmt = (select(Project, Location).join(Location, Location.project_id == Project.id)
            .where(Location.is_primary.is_(True), Location.needs_review.is_(True), Project.archived_at.is_(None))
            .order_by(Project.code).limit(limit))
    items: list[ReviewItem] = []
    for project, location in session.execute(stmt):
        hint = suggestion(project, location, geocoder)
        label = None
        if hint:
            label = "、".join(n for n in (geocoder.name_of(hint[0]), geocoder.name_of(hint[1])) if n)
        items.append(ReviewItem(project.code, project.name, project.version, project.place_text, location.precision,
                                PRECISIONS.get(location.precision, ""), reasons(project, location, geocoder), hint,
                                label))
    return items
