"""One database session per request, closed at teardown; the request commits where it writes.

A read-only request (GET, HEAD) reads one snapshot: count, totals, facets, rows and the data stamp of one
response come from one read transaction, even while imports commit (PostgreSQL: REPEATABLE READ, read only;
SQLite: an explicit BEGIN, since its driver opens transactions only for writes)."""
from __future__ import annotations

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy.orm import Session

READ_ONLY_METHODS = ("GET", "HEAD")


def begin_snapshot(session: Session) -> None:
    """Start the session's transaction as one consistent read snapshot."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ", "postgresql_readonly": True})
    elif dialect == "sqlite":
        # The driver's own BEGIN comes only before a write; this one holds a read snapshot (WAL) until the
        # session ends. Rolling back at close ends it.
        session.connection().exec_driver_sql("BEGIN")


def get_session() -> Session:
    if "kpr_session" not in g:
        session = current_app.extensions["kpr_sessions"]()
        if has_request_context() and request.method in READ_ONLY_METHODS:
            begin_snapshot(session)
        g.kpr_session = session
    return g.kpr_session  # type: ignore[no-any-return]


def _close(_exc: BaseException | None) -> None:
    session = g.pop("kpr_session", None)
    if session is not None:
        session.close()


def init_app(app: Flask) -> None:
    app.teardown_appcontext(_close)
