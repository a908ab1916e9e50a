"""A plain DB-API connection from a database URL, for light commands (`kpr db current`) that read one value and
must not pay for importing SQLAlchemy. Only the two backends the product supports: SQLite and PostgreSQL."""
from __future__ import annotations

import sqlite3
from typing import Any
from urllib.parse import unquote, urlsplit

from registry.errors import ConfigError


def sqlite_path(url: str) -> str | None:
    """The file of a sqlite:/// URL (None: an in-memory database)."""
    rest = url.split(":", 1)[1].removeprefix("//")
    path = unquote(rest.removeprefix("/").split("?", 1)[0]) if rest.startswith("/") else ""
    return None if path in ("", ":memory:") else path


def connect(url: str) -> Any:
    """An open DB-API connection (sqlite3 or psycopg), or None for a SQLite file that does not exist yet."""
    scheme = urlsplit(url).scheme.split("+", 1)[0]
    if scheme == "sqlite":
        path = sqlite_path(url)
        if path is None:
            return sqlite3.connect(":memory:")
        try:
            return sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        except sqlite3.OperationalError:
            return None  # no file: nothing migrated yet
    if scheme in ("postgresql", "postgres"):
        import psycopg

        # libpq reads the URL itself (user, password, host, port, database, ?sslmode …); only the driver goes.
        return psycopg.connect("postgresql:" + url.split(":", 1)[1], connect_timeout=10)
    raise ConfigError(f"unsupported database URL scheme {scheme!r} (expected sqlite or postgresql)")


def fetch_all(url: str, sql: str) -> list[tuple[Any, ...]]:
    """Every row of one read-only query without parameters ([] when the SQLite file does not exist yet)."""
    conn = connect(url)
    if conn is None:
        return []
    try:
        cur = conn.cursor()
        cur.execute(sql)
        return [tuple(row) for row in cur.fetchall()]
    finally:
        conn.close()


def alembic_revisions(url: str) -> list[str]:
    """The rows of alembic_version ([] when the table or the SQLite file does not exist)."""
    conn = connect(url)
    if conn is None:
        return []
    try:
        cur = conn.cursor()
        if isinstance(conn, sqlite3.Connection):
            cur.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'")
        else:
            cur.execute("SELECT 1 FROM information_schema.tables WHERE table_name = 'alembic_version' "
                        "AND table_schema = ANY (current_schemas(false))")
        if cur.fetchone() is None:
            return []
        cur.execute("SELECT version_num FROM alembic_version")
        return [str(row[0]) for row in cur.fetchall()]
    finally:
        conn.close()
