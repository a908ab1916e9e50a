"""`kpr seed`: reference data and the curated seed projects, idempotently."""
from __future__ import annotations

import click

from registry import migrate
from registry.config import Settings
from registry.db import session_scope


@click.command(help="Load districts, zones, strategies, the chain tree and the seed projects (safe to repeat).")
@click.option("--no-upgrade", is_flag=True, help="do not migrate the database to head first")
def seed(no_upgrade: bool) -> None:
    from registry.placement import default_placer
    from registry.seeding import seed as run_seed

    settings = Settings.from_env()
    if not no_upgrade:
        migrate.upgrade(settings.database_url)
    with session_scope(settings) as session:
        report = run_seed(session, settings, placer=default_placer(session, settings))
    for line in report.lines():
        click.echo(line)
