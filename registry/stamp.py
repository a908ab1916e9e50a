"""The data stamp: the one freshness marker for every cache (facet index, /map/data.json, /map/base.json).

A registry session marks itself dirty when it flushes changed rows or runs ORM bulk DML, and bumps the
counter once, in `before_commit`: on PostgreSQL the stamp row's lock is then held only for the commit, not
for the whole transaction. The row always exists (migration 0005 seeds it), so a bump is a plain UPDATE and
two first writers never race to insert it. The epoch is a random token set by the migration: a downgrade and
upgrade resets the counter but not to an (epoch, counter) pair any cache has seen. Writes that bypass the ORM
session (Core on a Connection, COPY) must call `bump()` themselves."""
from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy import Connection, event, select, update
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction, sessionmaker
from sqlalchemy.sql.elements import TextClause

from registry.errors import KprError
from registry.models import DataStamp, DataVersion

STAMP_ID = 1
_DIRTY = "kpr_stamp_dirty"  # key in Session.info: this transaction wrote registry rows
# Text statements that only read: anything else run through session.execute(text(...)) counts as a write.
_READ_WORDS = ("SELECT", "WITH", "SHOW", "EXPLAIN", "PRAGMA", "SET")


class Stamp(NamedTuple):
    epoch: str
    counter: int


class StampMissing(KprError):
    """The database has no stamp row: it was not created by `kpr db upgrade`."""

    code = "stamp_missing"
    status = 503


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
    """This transaction has written rows the stamp does not count yet: a stamp-keyed cache must not answer it."""
    return bool(session.info.get(_DIRTY)) or _changes_data(session)


def _changes_data(session: Session) -> bool:
    return any(not isinstance(obj, (DataStamp, DataVersion))
               for obj in (*session.new, *session.dirty, *session.deleted))


def _after_flush(session: Session, _context: UOWTransaction) -> None:
    # After a flush the session still lists what it flushed as new/dirty/deleted.
    if _changes_data(session):
        session.info[_DIRTY] = True


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


def _before_commit(session: Session) -> None:
    # before_commit runs before the commit's own flush: flush first so its changes are counted.
    session.flush()
    if session.info.pop(_DIRTY, False):
        bump(session.connection())


def _after_rollback(session: Session) -> None:
    session.info.pop(_DIRTY, None)


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
