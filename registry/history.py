"""Change history as data: every flush that changes a project records, per field, the old and the new value in
the session's current change set (one per form save, import file, seed run or revert).

Recording hangs on the session factory's `before_flush` (installed by registry.db.make_session_factory), so no
write path can forget it: form saves, imports, seeds, re-geocoding and reverts all pass through it. Old values
come from SQLAlchemy's attribute history, before the flush writes anything."""
from __future__ import annotations

import sys
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.attributes import History

from registry.fields import RECORDED_COLUMNS
from registry.models import (
    Change,
    ChangeSet,
    Location,
    LocationDistrict,
    Project,
    ProjectChain,
    ProjectStrategy,
    Source,
)
from registry.progress import recorded
from registry.users import UserRecord

# Project columns recorded one by one (the field table's stored facts); the rest (id, version, timestamps, copies
# of the placement) are not facts.
SCALARS = (*RECORDED_COLUMNS, "archived_at")
COLLECTIONS = ("chains", "strategies", "placement", "sources")
FIELDS = SCALARS + COLLECTIONS
CREATED = "_created"  # one row for a new project: `new` holds its whole first state
PLACEMENT_ATTRS = ("lon", "lat", "geometry", "input_crs", "place_text", "district_code", "zone_code",
                   "precision", "method", "evidence", "needs_review")
_SET_KEY, _SEEN_KEY = "kpr_change_set", "kpr_changes"
_RECORDING = "kpr_history"  # key in Session.info: this session's factory records history (install())


def begin(session: Session, kind: str, *, user: UserRecord | None = None, comment: str | None = None,
          file_name: str | None = None, reverts: int | None = None, username: str | None = None) -> ChangeSet:
    """Open the change set the next writes of this transaction are recorded in. It is stored only once a
    change is recorded in it (a seed run that changes nothing leaves no empty change set behind).
    `username` names a person without an account (the OS user of a CLI import)."""
    change_set = ChangeSet(kind=kind, user_id=user.id if user else None,
                           username=user.username if user else username,
                           comment=(comment or "").strip() or None, file_name=file_name, reverts_id=reverts)
    session.info[_SET_KEY] = change_set
    session.info[_SEEN_KEY] = {}
    return change_set


def current(session: Session) -> ChangeSet | None:
    return session.info.get(_SET_KEY)


# -- values as JSON ---------------------------------------------------------------------------------
def jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # exact, never a float
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    return value


def _old_scalar(obj: Any, attr: str) -> Any:
    hist: History = inspect(obj).attrs[attr].history
    if not hist.has_changes():
        return getattr(obj, attr)  # unchanged (possibly not loaded yet)
    if hist.deleted:
        return hist.deleted[0]
    if hist.unchanged:
        return hist.unchanged[0]
    return None  # nothing was there before (a new object, or a value set where none was loaded)


def _old_items(obj: Any, attr: str) -> list[Any]:
    hist: History = inspect(obj).attrs[attr].history
    if not hist.has_changes():
        return list(getattr(obj, attr))  # unchanged (possibly not loaded yet)
    return [*hist.unchanged, *hist.deleted]


def _placement(location: Location | None, old: bool) -> dict[str, Any] | None:
    if location is None:
        return None
    read = (lambda a: _old_scalar(location, a)) if old else (lambda a: getattr(location, a))
    districts = _old_items(location, "districts") if old else list(location.districts)
    doc = {attr: read(attr) for attr in PLACEMENT_ATTRS}
    doc["districts"] = sorted([_old_scalar(d, "adcode") if old else d.adcode,
                               _old_scalar(d, "share") if old else d.share] for d in districts)
    return doc


def _primary(locations: Iterable[Location]) -> Location | None:
    return next((loc for loc in locations if loc.is_primary), None)


def document(project: Project, *, old: bool = False) -> dict[str, Any]:
    """The project's recorded fields as JSON values, as they are now or (old=True) before this flush."""
    doc: dict[str, Any] = {}
    for attr in SCALARS:
        doc[attr] = _old_scalar(project, attr) if old else getattr(project, attr)
    chains = _old_items(project, "chains") if old else list(project.chains)
    links = _old_items(project, "strategies") if old else list(project.strategies)
    locations = _old_items(project, "locations") if old else list(project.locations)
    sources = _old_items(project, "sources") if old else list(project.sources)
    doc["chains"] = sorted(c.chain_code for c in chains)
    doc["strategies"] = sorted(s.strategy_code for s in links if s.basis == "plan")
    placement = _placement(_primary(locations), old)
    if placement is not None:
        placement["place_strategies"] = sorted(s.strategy_code for s in links if s.basis == "place")
    doc["placement"] = placement
    doc["sources"] = [{"document": s.document, "line": s.line, "box": s.box, "excerpt": s.excerpt}
                      for s in sources]
    return jsonable(doc)


def value_now(session: Session, project: Project, field: str) -> Any:
    """One recorded field's current value: a project field, a progress month or a milestone date."""
    if recorded.is_recorded(field):
        return recorded.current_value(session, project, field)
    if field not in FIELDS:
        raise KeyError(field)
    return document(project)[field]


def _touched_projects(session: Session) -> list[Project]:
    found: dict[int, Project] = {}
    for obj in (*session.new, *session.dirty, *session.deleted):
        project: Project | None = None
        if isinstance(obj, Project):
            project = obj
        elif isinstance(obj, (ProjectChain, ProjectStrategy, Location, Source)):
            project = obj.project
        elif isinstance(obj, LocationDistrict) and obj.location is not None:
            project = obj.location.project
        if project is not None:
            found[id(project)] = project
    return list(found.values())


def recording(session: Session) -> bool:
    """Whether this session records history (made by a factory history.install() was given): writers that
    bypass the flush (registry/bulknew.py) record their own rows only then, as the hook would."""
    return bool(session.info.get(_RECORDING))


def auto_change_set(session: Session) -> ChangeSet:
    """Writes outside an explicit change set (scripts, ingest-plan) are still recorded, as `system`."""
    return begin(session, "system", comment=" ".join(sys.argv[:3])[:200] or None)


def _note(session: Session, change_set: ChangeSet, project: Project, field: str, old: Any, new: Any) -> None:
    seen: dict[tuple[int, str], Change] = session.info.setdefault(_SEEN_KEY, {})
    earlier = seen.get((id(project), field))
    if earlier is not None:  # a second flush in the same change set: keep the first old value
        earlier.new = new
        return
    change = Change(change_set=change_set, project=project, field=field, old=old, new=new)
    session.add(change)
    seen[(id(project), field)] = change


def _record(session: Session, _context: Any, _instances: Any) -> None:
    projects = _touched_projects(session)
    progress = recorded.flushed_changes(session)
    if not projects and not progress:
        return
    change_set = current(session) or auto_change_set(session)
    seen: dict[tuple[int, str], Change] = session.info.setdefault(_SEEN_KEY, {})
    deleted = set(map(id, session.deleted))
    for project, field, old, new in progress:
        if id(project) not in deleted:
            _note(session, change_set, project, field, old, new)
    for project in projects:
        if id(project) in deleted or inspect(project).deleted:
            continue  # a hard delete (scripts only) takes its history with it
        if inspect(project).pending:
            if (id(project), CREATED) not in seen:
                change = Change(change_set=change_set, project=project, field=CREATED, old=None,
                                new=document(project))
                session.add(change)
                seen[(id(project), CREATED)] = change
            continue
        before, after = document(project, old=True), document(project)
        for field in FIELDS:
            if before[field] != after[field]:
                _note(session, change_set, project, field, before[field], after[field])


def _forget(session: Session, *_: Any) -> None:
    session.info.pop(_SET_KEY, None)
    session.info.pop(_SEEN_KEY, None)


def install(factory: sessionmaker[Session]) -> None:
    """Record history for every session this factory makes (idempotent)."""
    factory.configure(info={**factory.kw.get("info", {}), _RECORDING: True})
    for name, listener in (("before_flush", _record), ("after_commit", _forget), ("after_rollback", _forget)):
        event.listen(factory, name, listener)  # each factory is new: no id()-keyed contains() guard


# Change sets made by people (as opposed to seeds and scripts): their fields are not undone by a re-seed.
PERSON_KINDS = ("create", "edit", "place", "archive", "restore", "import", "revert", "progress",
                "progress-import")


def person_edited_fields(session: Session) -> dict[str, frozenset[str]]:
    """code → the fields people changed, so re-running a seed keeps their work."""
    from sqlalchemy import select

    rows = session.execute(
        select(Project.code, Change.field).join(Change, Change.project_id == Project.id)
        .join(ChangeSet, ChangeSet.id == Change.change_set_id).where(ChangeSet.kind.in_(PERSON_KINDS))
        .distinct())
    out: dict[str, set[str]] = {}
    for code, field in rows:
        out.setdefault(code, set()).add(field)
    return {code: frozenset(fields) for code, fields in out.items()}
