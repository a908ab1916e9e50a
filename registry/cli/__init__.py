"""The `kpr` command group. Each concern keeps its subcommands in its own module below."""
from __future__ import annotations

import click

from registry.cli.backup import backup, restore
from registry.cli.db import db
from registry.cli.exchange import export, import_, import_template
from registry.cli.geocode import geocode
from registry.cli.geodata import geodata
from registry.cli.map import map_
from registry.cli.plan import ingest_plan, seeds
from registry.cli.progress import progress
from registry.cli.projects import projects
from registry.cli.seed import seed
from registry.cli.serve import serve
from registry.cli.users import users


@click.group(help="KPR 太原重点项目库 — key-project registry for Taiyuan.")
@click.version_option(package_name="kpr")
def main() -> None:
    pass


# `kpr --help` lists them alphabetically; each module documents its own options.
for command in (db, seed, serve, projects, map_, export, import_, import_template, geocode, geodata,
                ingest_plan, seeds, backup, restore, users, progress):
    main.add_command(command)
