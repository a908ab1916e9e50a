"""Progress in the change history: one Change per project and month (`progress:2025-06`, its four figures as one
value) and one per milestone date (`planned_start` …). registry/history.py records them, registry/revert.py
and registry/asof.py put them back; this module is the one place that knows how they are named and stored."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from registry.models import Project, ProjectMilestones, ProjectProgress

MONTH_FIELDS = ("plan_investment", "completed_investment", "image_progress", "issues")
AMOUNTS = ("plan_investment", "completed_investment")  # stored exactly (YiYuan), recorded as decimal text
MILESTONES = ("planned_start", "actual_start", "planned_end", "actual_end")
MILESTONE_LABELS = {"planned_start": "计划开工日期", "actual_start": "实际开工日期",
                    "planned_end": "计划竣工日期", "actual_end": "实际竣工日期"}
MONTH_LABELS = {"plan_investment": "年度计划投资", "completed_investment": "累计完成投资",
                "image_progress": "形象进度", "issues": "存在问题"}
_MONTH = re.compile(r"progress:(\d{4})-(\d{2})\Z")


def month_field(year: int, month: int) -> str:
    return f"progress:{year}-{month:02d}"


def parse_month_field(field: str) -> tuple[int, int] | None:
    found = _MONTH.match(field)
    return (int(found[1]), int(found[2])) if found else None


def is_recorded(field: str) -> bool:
    return field in MILESTONES or parse_month_field(field) is not None


def label(field: str) -> str | None:
    """The field as 修改记录 names it (2025年6月调度), or None when it is not a progress field."""
    period = parse_month_field(field)
    if period is not None:
        return f"{period[0]}年{period[1]}月调度"
    return MILESTONE_LABELS.get(field)


def _text(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _old(obj: Any, attr: str) -> Any:
    hist = inspect(obj).attrs[attr].history  # type: ignore[attr-defined]
    if not hist.has_changes():
        return getattr(obj, attr)
    if hist.deleted:
        return hist.deleted[0]
    return hist.unchanged[0] if hist.unchanged else None


def month_value(row: ProjectProgress | None, *, old: bool = False) -> dict[str, Any] | None:
    if row is None:
        return None
    return {f: _text(_old(row, f) if old else getattr(row, f)) for f in MONTH_FIELDS}


def _project_of(session: Session, obj: ProjectProgress | ProjectMilestones) -> Project | None:
    project = inspect(obj).attrs.project.loaded_value  # type: ignore[attr-defined]
    if isinstance(project, Project):
        return project
    return session.get(Project, obj.project_id) if obj.project_id is not None else None


def flushed_changes(session: Session) -> list[tuple[Project, str, Any, Any]]:
    """(project, field, old, new) for every progress month and milestone date this flush changes."""
    out: list[tuple[Project, str, Any, Any]] = []
    deleted = set(map(id, session.deleted))
    touched = [obj for obj in (*session.new, *session.dirty, *session.deleted)
               if isinstance(obj, (ProjectProgress, ProjectMilestones))]
    ids = {obj.project_id for obj in touched if obj.project_id is not None}
    if ids:  # one query for an import's projects, not one per row (session.get then finds them)
        list(session.scalars(select(Project).where(Project.id.in_(ids))))
    for obj in touched:
        project = _project_of(session, obj)
        if project is None:
            continue
        gone, new = id(obj) in deleted, bool(inspect(obj).pending)  # type: ignore[attr-defined]
        if isinstance(obj, ProjectProgress):
            before = None if new else month_value(obj, old=True)
            after = None if gone else month_value(obj)
            if before != after:
                out.append((project, month_field(obj.year, obj.month), before, after))
            continue
        for attr in MILESTONES:
            was = None if new else _text(_old(obj, attr))
            now = None if gone else _text(getattr(obj, attr))
            if was != now:
                out.append((project, attr, was, now))
    return out


def _month_row(session: Session, project: Project, year: int, month: int) -> ProjectProgress | None:
    return session.scalar(select(ProjectProgress).where(
        ProjectProgress.project_id == project.id, ProjectProgress.year == year, ProjectProgress.month == month))


def current_value(session: Session, project: Project, field: str) -> Any:
    period = parse_month_field(field)
    if period is not None:
        return month_value(_month_row(session, project, *period))
    stones = session.get(ProjectMilestones, project.id)
    return None if stones is None else _text(getattr(stones, field))


def set_value(session: Session, project: Project, field: str, value: Any) -> None:
    """Put a recorded value back (revert, as-of): a month's four figures, or one date; None removes."""
    period = parse_month_field(field)
    if period is not None:
        row = _month_row(session, project, *period)
        if value is None:
            if row is not None:
                session.delete(row)
            return
        if row is None:
            row = ProjectProgress(project_id=project.id, year=period[0], month=period[1])
            session.add(row)
        for f in MONTH_FIELDS:
            raw = value.get(f)
            setattr(row, f, Decimal(raw) if raw is not None and f in AMOUNTS else raw)
        return
    if field not in MILESTONES:
        raise KeyError(field)
    stones = session.get(ProjectMilestones, project.id)
    if stones is None:
        stones = ProjectMilestones(project_id=project.id)
        session.add(stones)
    setattr(stones, field, date.fromisoformat(value) if value else None)
