"""Undo one recorded change or a whole change set (admins). A revert puts each field back to its old value
only when the field still holds the value the change wrote: a later edit is never overwritten silently.
The revert is itself a change set (kind `revert`), so it can be seen, and reverted, like any other."""
from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry import history
from registry.editing import Actor, flush_or_conflict
from registry.errors import NotFound, RevertRefused
from registry.fields import MONEY_COLUMNS
from registry.models import Change, ChangeSet, Project, ProjectChain, ProjectStrategy, Source, utcnow
from registry.placing import set_place_links
from registry.progress import recorded
from registry.records import PlacementSpec
from registry.upsert import apply_placement


def _python(field: str, value: Any) -> Any:
    if value is None:
        return None
    if field in MONEY_COLUMNS:
        return Decimal(value)
    if field == "archived_at":
        return datetime.fromisoformat(value)
    return value


def set_field(session: Session, project: Project, field: str, value: Any) -> None:
    """Put one recorded value back (a revert here; registry/asof.py winds the registry back with it)."""
    if recorded.is_recorded(field):
        recorded.set_value(session, project, field, value)
    elif field in history.SCALARS:
        setattr(project, field, _python(field, value))
    elif field == "chains":
        segments = {c.chain_code: c.segment for c in project.chains}
        project.chains = [ProjectChain(chain_code=c, segment=segments.get(c)) for c in value or []]
    elif field == "strategies":
        current = {s.strategy_code: s for s in project.strategies if s.basis == "plan"}
        place = [s for s in project.strategies if s.basis == "place"]
        project.strategies = [current.get(c) or ProjectStrategy(strategy_code=c, basis="plan")
                              for c in value or []] + place
    elif field == "placement":
        doc = dict(value or {})
        place_links = doc.pop("place_strategies", [])
        districts = tuple((a, s) for a, s in doc.pop("districts", []))
        apply_placement(project, PlacementSpec(**doc, districts=districts) if value else PlacementSpec())
        set_place_links(project, place_links)
    elif field == "sources":
        project.sources = [Source(**s) for s in value or []]
    else:
        raise RevertRefused(f"字段 {field} 不能撤销")


def _revert_one(session: Session, change: Change, change_set: ChangeSet) -> None:
    project = session.get(Project, change.project_id)
    if project is None:
        raise NotFound(f"项目 {change.project_id} 不存在")
    if change.reverted_by_id is not None:
        raise RevertRefused(f"修改 #{change.id} 已被撤销过 (already reverted)")
    if change.field == history.CREATED:
        # Undoing a creation archives the project: nothing is hard-deleted.
        if project.archived_at is None:
            project.archived_at = utcnow()
    else:
        try:
            now = history.value_now(session, project, change.field)
        except KeyError:
            raise RevertRefused(f"字段 {change.field} 不能撤销") from None
        if json.dumps(now, sort_keys=True) != json.dumps(change.new, sort_keys=True):
            raise RevertRefused(f"项目 {project.code} 的字段 {change.field} 在此之后又被修改，未撤销，以免覆盖后来的修改 "
                                f"(field changed again since; not reverted)")
        set_field(session, project, change.field, change.old)
    project.updated_at = utcnow()
    change.reverted_by_id = change_set.id
    flush_or_conflict(session, project)


def revert(session: Session, actor: Actor, *, change_id: int | None = None,
           change_set_id: int | None = None) -> ChangeSet:
    """Revert one change, or every change of a change set (newest first); all or nothing."""
    if change_id is not None:
        change = session.get(Change, change_id)
        if change is None:
            raise NotFound(f"没有修改记录 #{change_id}")
        changes = [change]
        target = change.change_set_id
    else:
        changes = list(session.scalars(select(Change).where(Change.change_set_id == change_set_id)
                                       .order_by(Change.id.desc())))
        if not changes:
            raise NotFound(f"没有修改批次 #{change_set_id}")
        target = changes[0].change_set_id
    comment = actor.comment or (f"撤销修改 #{change_id}" if change_id is not None else f"撤销批次 #{change_set_id}")
    change_set = history.begin(session, "revert", user=actor.user, comment=comment, reverts=target)
    session.add(change_set)
    session.flush()  # the change set needs its id before changes point at it
    for change in changes:
        _revert_one(session, change, change_set)
    return change_set
