"""The `kpr` command group. Each concern registers its subcommands from its own module below."""
from __future__ import annotations

import click


@click.group(help="KPR 太原重点项目库 — key-project registry for Taiyuan.")
@click.version_option(package_name="kpr")
def main() -> None:
    pass


# Subcommand registration: one import per concern.
