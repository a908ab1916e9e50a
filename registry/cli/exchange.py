"""`kpr export`, `kpr import`, `kpr import-template`: spreadsheets and GIS files in and out."""
from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click
from tqdm import tqdm

from registry.asof import reading_scope
from registry.cli.options import build_filter, filter_options
from registry.config import Settings
from registry.db import session_scope
from registry.export import build_context, export_rows, format_for
from registry.importer.limits import Limits
from registry.importer.report import write_report_xlsx
from registry.importer.run import import_file
from registry.importer.template import write_template
from registry.queries import SORTABLE, iter_rows, resolve
from registry.vocabulary import Vocabulary

PROGRESS_FROM = 2000  # rows; smaller jobs finish before a bar would help
T = TypeVar("T")


def _counted(items: Iterable[T], bar: tqdm) -> Iterator[T]:
    """Pass items through unchanged, advancing the bar. (tqdm.update() returns a bool once the bar is shown,
    so `bar.update(1) or row` put True into the row stream: issue 16.)"""
    for item in items:
        bar.update(1)
        yield item


@click.command(help="Export the filtered projects; the format follows the extension: .xlsx .csv .geojson .gpkg")
@filter_options
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="file to write (.xlsx, .csv, .geojson or .gpkg)")
@click.option("--sort", default="code", show_default=True, help=f"sort column: {', '.join(SORTABLE)}")
@click.option("--max-rows", type=click.IntRange(min=1), default=None,
              help="write at most this many projects; the file's 口径说明 says when more matched")
def export(output: Path, sort: str, max_rows: int | None, **kwargs: Any) -> None:
    flt = build_filter(kwargs)
    fmt = format_for(output)
    with reading_scope(flt.as_of, Settings.from_env()) as session:
        rf = resolve(session, flt)
        context = build_context(session, rf, row_limit=max_rows, fmt=fmt)
        count = context.totals.count if context.totals else 0
        count = min(count, max_rows) if max_rows else count
        with tqdm(total=count, unit="行", file=sys.stderr, disable=count < PROGRESS_FROM,
                  desc="导出") as bar:
            written = export_rows(_counted(iter_rows(session, rf, sort=sort), bar), output, fmt, context)
    click.echo(f"已导出 {written} 个项目 → {output}（筛选：{context.filter_words}）", err=True)
    if context.limit_note():
        click.echo(f"注意：{context.limit_note()}", err=True)


@click.command("import", help="Import projects from .xlsx or .csv: validated, all-or-nothing unless --skip-invalid.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="check and report what would change; write nothing")
@click.option("--sheet", default=None, help="worksheet to read (default: 项目, else the first)")
@click.option("--skip-invalid", is_flag=True, help="apply the valid rows and list the invalid ones")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="write the problem report to this .xlsx")
@click.option("--max-size-mb", type=int, default=100, show_default=True, help="refuse larger files")
@click.option("--max-rows", type=click.IntRange(min=1), default=Limits().max_rows, show_default=True,
              help="refuse files with more data rows (counted before any row is parsed)")
def import_(file: Path, dry_run: bool, sheet: str | None, skip_invalid: bool, report_path: Path | None,
            max_size_mb: int, max_rows: int) -> None:
    limits = Limits(max_bytes=max_size_mb * 1024 * 1024, max_rows=max_rows)
    settings = Settings.from_env()
    with session_scope(settings) as session, tqdm(unit="行", file=sys.stderr, desc="导入", mininterval=0.5,
                                                  disable=None) as bar:
        report = import_file(session, file, dry_run=dry_run, sheet=sheet, skip_invalid=skip_invalid, settings=settings,
                             limits=limits, progress=bar.update,
                             total_hint=lambda n: setattr(bar, "total", n))
    for problem in report.problems[:50]:
        click.echo(f"  {problem}", err=True)
    if report.problem_count > 50:
        click.echo(f"  … 共 {report.problem_count} 个问题", err=True)
    for dup in report.duplicates[:20]:
        click.echo(f"  疑似重复：{dup.describe()}", err=True)
    if report_path is not None:
        write_report_xlsx(report, str(report_path))
        click.echo(f"问题报告 → {report_path}", err=True)
    click.echo(report.summary())
    if report.problem_count and not skip_invalid:
        sys.exit(1)


@click.command("import-template", help="Write an empty import template (.xlsx) with the export's columns.")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path))
def import_template(output: Path) -> None:
    with session_scope(Settings.from_env()) as session:
        write_template(Vocabulary.load(session), str(output))
    click.echo(f"模板 → {output}", err=True)
