"""`kpr projects`: the project list with the web app's filters, as a table, JSON or CSV."""
from __future__ import annotations

import sys
from typing import Any

import click

from registry.cli.options import build_filter, filter_options
from registry.db import session_scope
from registry.errors import KprError
from registry.queries import SORTABLE, describe, fetch_rows, iter_rows, resolve, totals
from registry.textout import table, write_csv, write_json


@click.command(help="List projects with the same filters as the web app.")
@filter_options
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--sort", default="code", show_default=True,
              help=f"column to sort by, '-' for descending: {', '.join(SORTABLE)}")
@click.option("--limit", type=int, default=None, help="at most this many rows")
def projects(fmt: str, sort: str, limit: int | None, **kwargs: Any) -> None:
    flt = build_filter(kwargs)
    try:
        with session_scope() as session:
            rf = resolve(session, flt)
            if fmt == "table":
                rows = fetch_rows(session, rf, sort=sort, limit=limit)
                sums = totals(session, rf)
                click.echo(table(rows))
                click.echo(f"\n筛选：{describe(rf)}")
                click.echo(f"共 {sums.count} 个项目 · 总投资 {sums.investment_sum} 亿元"
                           f" · 未列投资额 {sums.without_amount} 个")
                return
            stream = iter_rows(session, rf, sort=sort)
            if limit is not None:
                stream = (row for i, row in zip(range(limit), stream))
            writer = write_json if fmt == "json" else write_csv
            writer(stream, sys.stdout)
    except KprError as exc:
        raise click.ClickException(exc.message) from None
