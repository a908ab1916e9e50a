"""The `kpr` command group. Each concern keeps its subcommands in its own module below.

The modules load lazily: `kpr --help` and a light command such as `kpr users list` import only what they use
(never Folium, Alembic, shapely, numpy or the spreadsheet writers), so they start quickly."""
from __future__ import annotations

import importlib
from typing import NamedTuple

import click

from registry.errors import InvalidFilter, as_kpr_error


class Entry(NamedTuple):
    module: str
    attr: str
    short_help: str  # `kpr --help` shows it without importing the module (test_cli_startup checks it)


COMMANDS: dict[str, Entry] = {
    "backup": Entry("registry.cli.backup", "backup",
                    "备份整个项目库 Back up the whole registry to FILE while the server runs "
                    "(SQLite: online backup API; PostgreSQL: pg_dump custom format)."),
    "db": Entry("registry.cli.db", "db",
                "数据库迁移 Database schema migrations (Alembic) for KPR_DATABASE_URL."),
    "export": Entry("registry.cli.exchange", "export",
                    "Export the filtered projects; the format follows the extension: "
                    ".xlsx .csv .geojson .gpkg"),
    "geocode": Entry("registry.cli.geocode", "geocode",
                     "Place a text (区县/开发区/走廊) or a point; --all re-places every project and reports moves."),
    "geodata": Entry("registry.cli.geodata", "geodata",
                     "Boundaries, development zones and corridors (geodata/)."),
    "import": Entry("registry.cli.exchange", "import_",
                    "Import projects from .xlsx or .csv: validated, all-or-nothing unless --skip-invalid."),
    "import-template": Entry("registry.cli.exchange", "import_template",
                             "Write an empty import template (.xlsx) with the export's columns."),
    "ingest-plan": Entry("registry.cli.plan", "ingest_plan",
                         "Read a plan text file (PDF-extracted) and list its candidate projects."),
    "map": Entry("registry.cli.map", "map_",
                 "Write a standalone HTML map of the filtered projects (no network needed)."),
    "progress": Entry("registry.cli.progress", "progress",
                      "Monthly progress (调度): import the offices' sheets, write a template, close a month."),
    "projects": Entry("registry.cli.projects", "projects",
                      "List projects with the same filters as the web app."),
    "restore": Entry("registry.cli.backup", "restore",
                     "从备份恢复 Restore FILE (made by `kpr backup`) into an EMPTY database of the same kind; a "
                     "database that already has tables is refused and left unchanged."),
    "seed": Entry("registry.cli.seed", "seed",
                  "Load districts, zones, strategies, the chain tree and the seed projects (safe to repeat)."),
    "seeds": Entry("registry.cli.plan", "seeds",
                   "Curated seed files (seeds/) built from the plan texts."),
    "serve": Entry("registry.cli.serve", "serve", "Serve the web app (default http://127.0.0.1:5000)."),
    "users": Entry("registry.cli.users", "users",
                   "Accounts for the web app: add, list, set-role, disable, enable, set-password."),
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use (the pattern from Click's documentation)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            entry = COMMANDS[cmd_name]
            command = getattr(importlib.import_module(entry.module), entry.attr)
            if not isinstance(command, click.Command):
                raise TypeError(f"{entry.module}.{entry.attr} is not a click command")
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> object:
        # The CLI's one translation of the error hierarchy: a message and exit status 1 (2 for a bad filter,
        # as for any bad option), never a traceback. Bugs are not KprErrors and still show theirs.
        try:
            return super().invoke(ctx)
        except Exception as exc:
            error = as_kpr_error(exc)
            if error is None:
                raise
            if isinstance(error, InvalidFilter):
                raise click.UsageError(error.message, ctx=click.get_current_context(silent=True)) from None
            raise click.ClickException(error.message) from None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # The listing uses the stored short help so that `kpr --help` imports no subcommand module.
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            loaded = self.commands.get(name)
            text = loaded.get_short_help_str(limit) if loaded else _shorten(COMMANDS[name].short_help, limit)
            rows.append((name, text))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _shorten(text: str, limit: int) -> str:
    # Click's own rule for a long first sentence: cut at a word and add an ellipsis.
    return click.Command("_", help=text).get_short_help_str(limit)


@click.group(cls=LazyGroup, help="KPR 太原重点项目库 — key-project registry for Taiyuan.")
@click.version_option(package_name="kpr")
def main() -> None:
    pass
