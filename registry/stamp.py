"""The data stamp: the one freshness marker for every cache (facet index, /map/data.json, /map/base.json).

A registry session marks itself dirty when it flushes changed rows or runs ORM bulk DML, and bumps the
counter once, in `before_commit`: on PostgreSQL the stamp row's lock is then held only for the commit, not
for the whole transaction. The row always exists (migration 0005 seeds it), so a bump is a plain UPDATE and
two first writers never race to insert it. The epoch is a random token set by the migration: a downgrade and
upgrade resets the counter but not to an (epoch, counter) pair any cache has seen. Writes that bypass the ORM
session (Core on a Connection, COPY) must call `bump()` themselves.

Each bump also writes a `data_stamp_log` row naming the projects the commit touched (or NULL: "something
else changed, rebuild"), so the facet index can refresh a few rows instead of rebuilding (`changed_projects`)."""
from __future__ import annotations

import json
from typing import Any, NamedTuple

from sqlalchemy import Connection, delete, event, insert, select, update
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction, sessionmaker
from sqlalchemy.sql.elements import TextClause

from registry.errors import StampMissing
from registry.models import (
    Change,
    ChangeSet,
    DataStamp,
    DataStampLog,
    DataVersion,
    Location,
    LocationDistrict,
    Project,
    User,
)

STAMP_ID = 1
_DIRTY = "kpr_stamp_dirty"  # key in Session.info: this transaction wrote registry rows
AS_OF = "kpr_as_of"  # key in Session.info: the session reads a rewound registry (registry/asof.py)
_TOUCHED = "kpr_stamp_touched"  # key in Session.info: ids of the projects written, or None for "anything"
LOG_KEEP = 1000  # log rows kept: an index more than this many commits behind rebuilds in full
# Rows that never feed a cache of registry data: writing them alone says nothing about which projects changed.
_BOOKKEEPING = (DataStamp, DataVersion, DataStampLog, User, ChangeSet, Change)
# Text statements that only read: anything else run through session.execute(text(...)) counts as a write.
_READ_WORDS = ("SELECT", "WITH", "SHOW", "EXPLAIN", "PRAGMA", "SET")


class Stamp(NamedTuple):
    epoch: str
    counter: int


def read(connection: Connection | Session) -> Stamp:
    row = connection.execute(select(DataStamp.epoch, DataStamp.value).where(DataStamp.id == STAMP_ID)).first()
    if row is None:
        raise StampMissing("数据戳缺失：请运行 `kpr db upgrade` (data_stamp row missing: run `kpr db upgrade`)")
    return Stamp(str(row[0]), int(row[1]))


def bump(connection: Connection) -> None:
    result = connection.execute(update(DataStamp).where(DataStamp.id == STAMP_ID)
                                .values(value=DataStamp.value + 1))
    if result.rowcount == 0:
        raise StampMissing("数据戳缺失：请运行 `kpr db upgrade` (data_stamp row missing: run `kpr db upgrade`)")


def uncommitted(session: Session) -> bool:
    """This transaction has written rows the stamp does not count yet (its own, or an as-of rewind's on the same
    connection, registry/asof.py): a stamp-keyed cache must neither answer it nor keep what it computes."""
    return bool(session.info.get(_DIRTY)) or bool(session.info.get(AS_OF)) or _changes_data(session) \
        or not counted(session)


def counted(session: Session) -> bool:
    """This session's commits bump the stamp (its factory ran install()). A plain Session's writes leave the
    stamp as it was, so for it the stamp says nothing about what it reads (tests' rolled-back sessions)."""
    return _after_flush in list(session.dispatch.after_flush)


def _changes_data(session: Session) -> bool:
    return any(not isinstance(obj, (DataStamp, DataVersion))
               for obj in (*session.new, *session.dirty, *session.deleted))


def _project_id(obj: object) -> int | None:
    """The project a written row belongs to, or None when it is not a project's row (or cannot tell)."""
    if isinstance(obj, Project):
        return obj.id
    if isinstance(obj, LocationDistrict):
        location = obj.__dict__.get("location")  # only if loaded: no SQL inside the flush events
        return location.project_id if isinstance(location, Location) else None
    project_id = getattr(obj, "project_id", None)
    return project_id if isinstance(project_id, int) else None


def _note_touched(session: Session) -> None:
    if _TOUCHED in session.info and session.info[_TOUCHED] is None:
        return  # already "anything"
    touched: set[int] = session.info.setdefault(_TOUCHED, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, _BOOKKEEPING):
            continue
        project_id = _project_id(obj)
        if project_id is None:
            session.info[_TOUCHED] = None
            return
        touched.add(project_id)


def note_written(session: Session, project_ids: list[int]) -> None:
    """Rows of these projects were written on the session's connection without a flush (registry/bulknew.py):
    count them as the after_flush hook counts flushed rows, so the commit bumps the stamp and logs them."""
    if not project_ids:
        return
    session.info[_DIRTY] = True
    touched = session.info.setdefault(_TOUCHED, set())
    if touched is not None:
        touched.update(project_ids)


def _after_flush(session: Session, _context: UOWTransaction) -> None:
    # After a flush the session still lists what it flushed as new/dirty/deleted (with their ids).
    if _changes_data(session):
        session.info[_DIRTY] = True
        _note_touched(session)


def _writes(state: ORMExecuteState) -> bool:
    if state.is_insert or state.is_update or state.is_delete:
        return True
    statement = state.statement
    if isinstance(statement, TextClause):
        return not statement.text.lstrip().upper().startswith(_READ_WORDS)
    return False


def _do_orm_execute(state: ORMExecuteState) -> None:
    # session.execute(update(...)) / insert / delete never pass through a flush.
    if _writes(state):
        state.session.info[_DIRTY] = True
        state.session.info[_TOUCHED] = None  # bulk DML: which rows is not known here


def _before_commit(session: Session) -> None:
    # before_commit runs before the commit's own flush: flush first so its changes are counted.
    session.flush()
    touched = session.info.pop(_TOUCHED, None)
    if session.info.pop(_DIRTY, False):
        connection = session.connection()
        bump(connection)
        _log(connection, touched)


def _log(connection: Connection, touched: set[int] | None) -> None:
    counter = read(connection).counter  # ours: the stamp row stays locked until this commit ends
    projects = None if touched is None else json.dumps(sorted(touched))
    connection.execute(insert(DataStampLog).values(counter=counter, projects=projects))
    if counter % 100 == 0:
        connection.execute(delete(DataStampLog).where(DataStampLog.counter <= counter - LOG_KEEP))


def changed_projects(connection: Connection | Session, since: Stamp, until: Stamp) -> set[int] | None:
    """The ids of the projects written by the commits after `since` up to `until`, or None when that is not
    known exactly (another epoch, a commit that changed other data, a bump with no log row, a pruned log)."""
    if since.epoch != until.epoch or since.counter > until.counter:
        return None
    rows = connection.execute(select(DataStampLog.counter, DataStampLog.projects).where(
        DataStampLog.counter > since.counter, DataStampLog.counter <= until.counter)).all()
    if len(rows) != until.counter - since.counter:
        return None
    changed: set[int] = set()
    for _counter, projects in rows:
        if projects is None:
            return None
        changed.update(json.loads(projects))
    return changed


def _after_rollback(session: Session) -> None:
    session.info.pop(_DIRTY, None)
    session.info.pop(_TOUCHED, None)


_EVENTS: tuple[tuple[str, Any], ...] = (
    ("after_flush", _after_flush),
    ("do_orm_execute", _do_orm_execute),
    ("before_commit", _before_commit),
    ("after_rollback", _after_rollback),
)


def install(factory: sessionmaker[Session]) -> None:
    """Listen on the sessions this factory makes (idempotent); other Sessions are left alone."""
    # No event.contains() guard: its registry is keyed by id(), and a new factory can reuse the id of a
    # garbage-collected one, so the guard could skip a fresh factory (seen as lost bumps in long test runs).
    for name, handler in _EVENTS:
        event.listen(factory, name, handler)
