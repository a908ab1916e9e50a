"""The data stamp: every ORM flush that changes registry rows bumps one counter in the same transaction,
so caches (the facet index) can tell in one cheap query whether the data changed. Writes that bypass the
ORM (raw SQL, bulk COPY) must call `bump()` themselves."""
from __future__ import annotations

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.orm import Session, UOWTransaction

from registry.models import DataStamp, DataVersion

STAMP_ID = 1


def read(connection: Connection | Session) -> int:
    value = connection.execute(select(DataStamp.value).where(DataStamp.id == STAMP_ID)).scalar()
    return int(value or 0)


def bump(connection: Connection) -> None:
    if connection.execute(update(DataStamp).where(DataStamp.id == STAMP_ID)
                          .values(value=DataStamp.value + 1)).rowcount == 0:
        connection.execute(insert(DataStamp).values(id=STAMP_ID, value=1))


def _changes_data(session: Session) -> bool:
    return any(not isinstance(obj, (DataStamp, DataVersion))
               for obj in (*session.new, *session.dirty, *session.deleted))


def _after_flush(session: Session, _context: UOWTransaction) -> None:
    # After a flush the session still lists what it flushed as new/dirty/deleted.
    if _changes_data(session):
        bump(session.connection())


def install() -> None:
    """Listen on every Session (idempotent)."""
    from sqlalchemy import event

    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
