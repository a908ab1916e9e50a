"""The registry as it stood at the end of a day (Beijing time), from the change history (issue 17).

Every view runs unchanged on a rewound copy: inside a transaction that is always rolled back, the change sets
newer than the day are undone by a plain session (neither the history nor the data-stamp listeners: the
rewind is not a change and must not bump any cache), then the normal view reads that transaction. Per field,
the value at the cutoff is the `old` of the first change after it; a project whose creation came after it
is removed (its rows cascade). Facts with no history (progress imported before it was recorded, rows written
by scripts with the listeners off) stand as they are.

Costs: the rewind writes inside the transaction, so on SQLite an as-of read holds the write lock for the
request, and on PostgreSQL it locks the rewound rows until the rollback. benchmarks/bench_asof.py measures it."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Connection, Table, delete, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from registry import history, stamp
from registry.clock import day_end
from registry.config import Settings
from registry.models import Change, ChangeSet, Project, ProjectProgress
from registry.progress import recorded


@dataclass(frozen=True)
class Rewound:
    day: date
    change_sets: int  # undone
    removed: int  # projects created after the day
    fields: int  # fields put back


def rewind(session: Session, day: date) -> Rewound:
    """Undo, in `session`'s transaction, every change set recorded after `day`. The caller rolls back."""
    from registry.revert import set_field  # revert imports editing → upsert; keep this module light

    limit = day_end(day)
    rows = session.execute(
        select(Change.project_id, Change.field, Change.old, Change.change_set_id)
        .join(ChangeSet, ChangeSet.id == Change.change_set_id)
        .where(ChangeSet.at >= limit).order_by(Change.id)).all()
    first: dict[tuple[int, str], Any] = {}
    for project_id, field, old, _ in rows:
        first.setdefault((project_id, field), old)
    created = {pid for pid, field in first if field == history.CREATED}
    if created:
        session.execute(delete(Project).where(Project.id.in_(created)), execution_options={
            "synchronize_session": False})
    put_back = {key: old for key, old in first.items() if key[0] not in created and key[1] != history.CREATED}
    months = {key: old for key, old in put_back.items() if recorded.parse_month_field(key[1])}
    _put_months_back(session, months)
    put_back = {key: old for key, old in put_back.items() if key not in months}
    projects = {p.id: p for p in session.scalars(select(Project).where(
        Project.id.in_({pid for pid, _ in put_back})))} if put_back else {}
    with session.no_autoflush:
        for (project_id, field), old in put_back.items():
            project = projects.get(project_id)
            if project is not None:
                set_field(session, project, field, old)
    session.flush()
    return Rewound(day, len({r[3] for r in rows}), len(created), len(put_back))


def _put_months_back(session: Session, months: dict[tuple[int, str], Any]) -> None:
    """Progress months in bulk (a 调度 import touches every project): delete what is there, insert what was."""
    by_period: dict[tuple[int, int], list[int]] = {}
    for project_id, field in months:
        period = recorded.parse_month_field(field)
        assert period is not None
        by_period.setdefault(period, []).append(project_id)
    table = cast(Table, ProjectProgress.__table__)
    for (year, month), ids in by_period.items():
        for start in range(0, len(ids), 500):
            session.execute(delete(table).where(table.c.year == year, table.c.month == month,
                                                table.c.project_id.in_(ids[start:start + 500])))
    rows = [{"project_id": project_id, "year": period[0], "month": period[1],
             **{f: (Decimal(old[f]) if old.get(f) is not None and f in recorded.AMOUNTS else old.get(f))
                for f in recorded.MONTH_FIELDS}}
            for (project_id, field), old in months.items() if old is not None
            for period in [recorded.parse_month_field(field)] if period is not None]
    if rows:
        session.execute(insert(table), rows)


@contextmanager
def rewound_connection(engine: Engine, day: date) -> Iterator[tuple[Connection, Rewound]]:
    """A connection whose transaction holds the registry as of `day`; rolled back on exit, always.
    Sessions joined to it are closed only after the rollback, so none can end the transaction early."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        outer = conn.begin()
        plain = Session(bind=conn, autoflush=False)
        try:
            done = rewind(plain, day)
            yield conn, done
        finally:
            if outer.is_active:  # a failed rewind has rolled it back already
                outer.rollback()
            plain.close()


def _refuse_commit(_session: Session) -> None:
    raise RuntimeError("as-of sessions are read-only: their data is rewound and is rolled back")


def read_only(session: Session) -> Session:
    """Mark a session on a rewound connection so that nothing can commit through it."""
    from sqlalchemy import event

    event.listen(session, "before_commit", _refuse_commit)
    session.info[stamp.AS_OF] = True
    return session


@contextmanager
def as_of_session(factory: sessionmaker[Session], engine: Engine, day: date) -> Iterator[Session]:
    """A normal registry session (the views' own factory) reading the registry as of `day`."""
    session: Session | None = None
    try:
        with rewound_connection(engine, day) as (conn, _done):
            session = read_only(factory(bind=conn))
            yield session
    finally:
        if session is not None:
            session.close()


@contextmanager
def reading_scope(day: date | None, settings: Settings) -> Iterator[Session]:
    """For CLI commands that read: today's registry (session_scope), or the registry as of `day`."""
    from registry.db import make_engine, make_session_factory, session_scope

    if day is None:
        with session_scope(settings) as session:
            yield session
        return
    engine = make_engine(settings.database_url)
    try:
        with as_of_session(make_session_factory(engine, settings), engine, day) as session:
            yield session
    finally:
        engine.dispose()
