"""The `kpr` command group. Each concern registers its subcommands from its own module below."""
from __future__ import annotations

import click


@click.group(help="KPR 太原重点项目库 — key-project registry for Taiyuan.")
@click.version_option(package_name="kpr")
def main() -> None:
    pass


# Subcommand registration: one import per concern.
from registry.cli.map import map_ as _map; main.add_command(_map)  # noqa: E402,E702
from registry.cli.db import db as _db; main.add_command(_db)  # noqa: E402,E702
from registry.cli.seed import seed as _seed; main.add_command(_seed)  # noqa: E402,E702
from registry.cli.projects import projects as _projects; main.add_command(_projects)  # noqa: E402,E702
from registry.cli.serve import serve as _serve; main.add_command(_serve)  # noqa: E402,E702
from registry.cli.geodata import geodata as _geodata; main.add_command(_geodata)  # noqa: E402,E702
from registry.cli.plan import ingest_plan as _ingest_plan, seeds as _seeds; main.add_command(_ingest_plan); main.add_command(_seeds)  # noqa: E402,E702
from registry.cli.geocode import geocode as _geocode; main.add_command(_geocode)  # noqa: E402,E702
from registry.cli.exchange import export as _export, import_ as _import, import_template as _tpl; main.add_command(_export); main.add_command(_import); main.add_command(_tpl)  # noqa: E402,E702
