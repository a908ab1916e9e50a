"""One database session per request, closed at teardown; the request commits where it writes.

A read-only request (GET, HEAD) reads one snapshot: count, totals, facets, rows and the data stamp of one
response come from one read transaction, even while imports commit (PostgreSQL: REPEATABLE READ, read only;
SQLite: an explicit BEGIN, since its driver opens transactions only for writes).

A read with `as_of=YYYY-MM-DD` gets a session on a rewound, always rolled-back transaction
(registry/asof.py): the same views then show the registry as it stood at the end of that day."""
from __future__ import annotations

from contextlib import ExitStack
from datetime import date
from typing import Any

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from registry.asof import as_of_session
from registry.errors import BadFilterValue
from registry.facetindex import IndexCache
from registry.queries import parse_as_of
from registry.stampcache import StampedCache

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


def as_of_day() -> date | None:
    """The day a read asks for; None for writes, no as_of, or a value the filter parser will refuse (the page
    then names it and shows today's registry)."""
    if not has_request_context() or request.method not in READ_ONLY_METHODS or request.blueprint == "edit":
        return None  # forms always edit today's registry
    raw = request.args.getlist("as_of")
    given = [v for v in raw if v.strip()]
    if not given:
        return None
    try:
        return parse_as_of(given[-1])
    except BadFilterValue:
        return None


def get_session() -> Session:
    if "kpr_session" not in g:
        day = as_of_day()
        if day is not None:
            g.kpr_as_of_stack, g.kpr_session = _as_of(day)
            return g.kpr_session  # type: ignore[no-any-return]
        session = current_app.extensions["kpr_sessions"]()
        if has_request_context() and request.method in READ_ONLY_METHODS:
            begin_snapshot(session)
        g.kpr_session = session
    return g.kpr_session  # type: ignore[no-any-return]


def _as_of(day: date, attempts: int = 3) -> tuple[ExitStack, Session]:
    """The rewound session. On PostgreSQL the rewind updates rows in a REPEATABLE READ snapshot: an edit
    committed meanwhile to one of them makes it fail as a serialization error; a fresh snapshot then works."""
    for attempt in range(attempts):
        stack = ExitStack()
        try:
            session = stack.enter_context(as_of_session(
                current_app.extensions["kpr_sessions"], current_app.extensions["kpr_engine"], day))
            return stack, session
        except OperationalError as exc:
            stack.close()
            if getattr(exc.orig, "sqlstate", None) != "40001" or attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


# Caches keyed by the data stamp hold today's registry; an as-of read gets throwaway ones of its own.
_FRESH: dict[str, Any] = {"kpr_facet_index": IndexCache, "kpr_map_data": lambda: StampedCache(size=1),
                          "kpr_json_pages": lambda: StampedCache(size=1),
                          "kpr_list_pages": lambda: StampedCache(size=1),
                          "kpr_map_base": lambda: StampedCache(size=1), "kpr_list_static": lambda: StampedCache(size=1),
                          "kpr_anchors": lambda: StampedCache(size=1)}


def cache(name: str) -> Any:
    """The app's stamped cache `name`, or, for an as-of read, one that lives only for this request."""
    if as_of_day() is None:
        return current_app.extensions[name]
    key = f"kpr_as_of_{name}"
    if key not in g:
        setattr(g, key, _FRESH[name]())
    return getattr(g, key)


def _close(_exc: BaseException | None) -> None:
    stack = g.pop("kpr_as_of_stack", None)
    session = g.pop("kpr_session", None)
    if stack is not None:
        stack.close()  # closes the session and rolls the rewind back
    elif session is not None:
        session.close()


def init_app(app: Flask) -> None:
    app.teardown_appcontext(_close)
