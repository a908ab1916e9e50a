"""Alembic environment: the connection comes from the caller (registry.migrate), never a URL."""
from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from registry import models  # noqa: F401  (registers every table on Base.metadata)
from registry.db import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # Batch mode recreates a table by DROP + rename; with foreign keys on, dropping a parent cascades and
        # deletes every child row (locations, sources, links). Alembic's advice: keep them off while migrating.
        # The pragma is ignored inside a transaction, so end any the caller's connection began.
        if connection.in_transaction():
            connection.commit()
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()  # so Alembic begins (and on error rolls back) the migration's own transaction
    try:
        _configure_and_run(connection)
    finally:
        if sqlite:
            if connection.in_transaction():
                connection.rollback()
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


def _configure_and_run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things: batch mode recreates tables instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations() -> None:
    # One road for configuration: registry.migrate opens the connection from Settings and hands it over; no URL
    # travels through Alembic's INI text and nothing here reads the environment.
    connection = config.attributes.get("connection")
    if connection is None or context.is_offline_mode():
        raise RuntimeError("run migrations through `kpr db upgrade` (registry.migrate hands Alembic a connection)")
    _run(connection)


run_migrations()
