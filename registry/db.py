"""Engine and session factories. The declarative Base lives in registry.models (re-exported here for older
imports); importing it from there keeps the graph db → stamp → models free of cycles."""
from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from registry import history, stamp
from registry.config import Settings
from registry.models import Base  # noqa: F401 — re-exported for migrations/env.py, seeding, old imports


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _json_dumps(value: Any) -> str:
    # Keep Chinese readable in JSON columns so text search (LIKE) on aliases matches it.
    return json.dumps(value, ensure_ascii=False)


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # Writers wait for each other (a seed or import holds the write lock for a while) instead of failing at once.
        engine = create_engine(url, json_serializer=_json_dumps, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, json_serializer=_json_dumps)


def make_session_factory(engine: Engine, settings: Settings | None = None) -> sessionmaker[Session]:
    # The settings travel with each session (session.info), so the core reads them from there, not the environment.
    factory = sessionmaker(bind=engine, expire_on_commit=False, info={"settings": settings} if settings else None)
    stamp.install(factory)  # every commit that wrote registry rows bumps the data stamp
    history.install(factory)  # and is recorded, field by field, in the change history
    return factory


def begin_outer_transaction(session: Session) -> None:
    """Open the session's transaction in the database before a SAVEPOINT is taken inside it.

    SQLite's driver (pysqlite) sends BEGIN only before a write. A SAVEPOINT taken before any write starts a
    transaction of its own, and releasing it commits: the caller's later rollback (an import preview) undoes
    nothing. BEGIN IMMEDIATE also takes the write lock now, so a writer committing meanwhile cannot make this
    transaction's first write fail; it waits its turn like any SQLite writer. PostgreSQL needs nothing."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    driver = connection.connection.driver_connection
    if driver is not None and not driver.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


@contextmanager
def session_scope(settings: Settings, engine: Engine | None = None) -> Iterator[Session]:
    """A session that commits on success and rolls back on error: for CLI commands and scripts."""
    own_engine = engine is None
    engine = engine or make_engine(settings.database_url)
    session = make_session_factory(engine, settings)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
        if own_engine:
            engine.dispose()
