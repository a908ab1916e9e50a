"""`kpr progress import|template|close`: monthly 调度 figures (issue 17)."""
from __future__ import annotations

import getpass
import sys
from datetime import date
from pathlib import Path

import click

from registry.config import Settings
from registry.db import session_scope
from registry.models import ProgressClosedMonth
from registry.progress.files import write_report, write_template
from registry.progress.run import import_progress

YEARS = click.IntRange(2000, 2100)
MONTHS = click.IntRange(1, 12)


@click.group(help="Monthly progress (调度): import the offices' sheets, write a template, close a month.")
def progress() -> None:
    pass


@progress.command("import", help="Import a monthly 调度 sheet (.xlsx) as offices send it; all-or-nothing.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--year", type=YEARS, default=None, help="the report's year, if the sheet does not say")
@click.option("--month", type=MONTHS, default=None, help="the last month the year-to-date figures cover")
@click.option("--dry-run", is_flag=True, help="check and report what would change; write nothing")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="write the problems, the classes and the rule to this .xlsx")
@click.option("--user", "username", default=None, help="who imports, for the change history (default: the OS user)")
def import_(file: Path, year: int | None, month: int | None, dry_run: bool, report_path: Path | None,
            username: str | None) -> None:
    with session_scope(Settings.from_env()) as session:
        report = import_progress(session, file, year=year, month=month, dry_run=dry_run,
                                 username=(username or "").strip() or _os_user())
        if dry_run or not report.ok:
            session.rollback()
    for problem in report.problems[:50]:
        click.echo(f"  {problem}", err=True)
    if len(report.problems) > 50:
        click.echo(f"  … 共 {len(report.problems)} 个问题", err=True)
    if report_path is not None:
        write_report(report, str(report_path))
        click.echo(f"报告 → {report_path}", err=True)
    if report.ok:
        counts: dict[str, int] = {}
        for cls in report.classes.values():
            counts[cls] = counts.get(cls, 0) + 1
        click.echo("进度评价：" + "，".join(f"{k} {v}" for k, v in sorted(counts.items())) + f"（规则：{report.rule}）")
    click.echo(report.summary())
    if not report.ok:
        sys.exit(1)


def _os_user() -> str | None:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers)
        return None


@progress.command(help="Write an empty 调度 sheet (.xlsx) in the shape `kpr progress import` reads.")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--year", type=YEARS, default=None, help="default: this year")
@click.option("--month", type=MONTHS, default=None, help="default: this month")
def template(output: Path, year: int | None, month: int | None) -> None:
    today = date.today()
    write_template(str(output), year or today.year, month or today.month)
    click.echo(f"模板 → {output}", err=True)


@progress.command(help="Mark a month's figures final: imports that would change them are refused.")
@click.option("--year", type=YEARS, required=True)
@click.option("--month", type=MONTHS, required=True)
def close(year: int, month: int) -> None:
    with session_scope(Settings.from_env()) as session:
        if session.get(ProgressClosedMonth, (year, month)) is None:
            session.add(ProgressClosedMonth(year=year, month=month))
    click.echo(f"{year}年{month}月已关账 (closed)")
