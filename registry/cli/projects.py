"""`kpr projects`: the project list with the web app's filters, as a table, JSON or CSV.

JSON has the web's /projects.json shape (registry/export/jsonpage.py); CSV has the export's columns
(the same as /projects.csv, the .xlsx 项目 sheet and `kpr export x.csv`)."""
from __future__ import annotations

import sys
from typing import Any

import click

from registry.asof import reading_scope
from registry.cli.options import build_filter, filter_options
from registry.config import Settings
from registry.export import build_context, export_rows
from registry.export.jsonpage import Paging, envelope, page_rows, write_json_page
from registry.queries import SORTABLE, describe, fetch_rows, resolve, totals
from registry.textout import table


@click.command(help="List projects with the same filters as the web app.")
@filter_options
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--sort", default="code", show_default=True,
              help=f"column to sort by, '-' for descending: {', '.join(SORTABLE)}")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="at most this many rows")
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True,
              help="skip this many rows first (JSON's `next` gives the following page's offset)")
def projects(fmt: str, sort: str, limit: int | None, offset: int, **kwargs: Any) -> None:
    flt = build_filter(kwargs)
    with reading_scope(flt.as_of, Settings.from_env()) as session:
        rf = resolve(session, flt)
        if fmt == "table":
            rows = fetch_rows(session, rf, sort=sort, limit=limit, offset=offset)
            sums = totals(session, rf)
            click.echo(table(rows))
            click.echo(f"\n筛选：{describe(rf)}")
            click.echo(f"共 {sums.count} 个项目 · 总投资 {sums.investment_sum} 亿元"
                       f" · 未列投资额 {sums.without_amount} 个")
            return
        paging = Paging(limit, offset)
        if fmt == "json":
            head = envelope(session, rf, paging)
            write_json_page(head, page_rows(session, rf, paging, sort, head["count"]), sys.stdout)
            return
        rows_out = page_rows(session, rf, paging, sort, totals(session, rf).count)
        export_rows(rows_out, sys.stdout, "csv", build_context(session, rf, fmt="csv"))
