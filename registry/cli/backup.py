"""`kpr backup` and `kpr restore`: the whole registry to one file and back into an empty database."""
from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from sqlalchemy.engine import make_url
from tqdm import tqdm

from registry import backup as core
from registry import migrate
from registry.config import Settings
from registry.pgdump import Progress

_URL_HELP = "database URL (default: KPR_DATABASE_URL)"


@contextmanager
def _bar(desc: str, unit: str) -> Iterator[Progress]:
    """A progress bar on stderr (hidden when stderr is not a terminal), fed (done, total) pairs. It opens on
    the first report, so a refusal before any work shows no empty bar."""
    bar: tqdm | None = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(desc=desc, unit=unit, total=total or None, file=sys.stderr, disable=None, leave=False)
        if total and bar.total != total:
            bar.total = total
        bar.update(done - bar.n)

    try:
        yield update
    finally:
        if bar is not None:
            bar.close()


def _unit(url: str) -> str:
    return "页" if core.backend_of(url) == "sqlite" else "表"


def _describe(summary: core.Summary) -> str:
    return (f"{len(summary.rows)} 张表 tables · {summary.total_rows} 行 rows · "
            f"版本 revision {summary.revision}")


@click.command(help="备份整个项目库 Back up the whole registry to FILE while the server runs "
                    "(SQLite: online backup API; PostgreSQL: pg_dump custom format). Restore with `kpr restore`.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="backup file to write (.sqlite3 for SQLite, .dump for PostgreSQL, by convention)")
@click.option("--force", is_flag=True, help="replace FILE if it exists")
@click.option("--database-url", default=None, help=_URL_HELP)
def backup(output: Path, force: bool, database_url: str | None) -> None:
    url = database_url or Settings.from_env().database_url
    if output.exists() and not force:
        raise click.ClickException(f"{output} 已存在，未覆盖；加 --force 替换 (file exists; add --force to replace it)")
    with _bar("备份 backup", _unit(url)) as progress:
        summary = core.backup(url, output, progress)
    size_mb = output.stat().st_size / 1024 / 1024
    click.echo(f"已备份 backed up → {output} ({size_mb:.1f} MB): {_describe(summary)}")


@click.command(help="从备份恢复 Restore FILE (made by `kpr backup`) into an EMPTY database of the same kind; "
                    "a database that already has tables is refused and left unchanged.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--database-url", default=None, help=_URL_HELP)
def restore(file: Path, database_url: str | None) -> None:
    url = database_url or Settings.from_env().database_url
    with _bar("恢复 restore", _unit(url)) as progress:
        summary = core.restore(file, url, progress)
    where = make_url(url).render_as_string(hide_password=True)
    click.echo(f"已恢复 restored {file} → {where}: {_describe(summary)}")
    head = migrate.head_revision()
    if summary.revision != head:
        known = summary.revision in migrate.revisions()
        hint = ("运行 `kpr db upgrade` 升级到最新 (run `kpr db upgrade` to reach head)" if known else
                "备份来自更新的 KPR 版本，请先升级程序 (the backup is from a newer KPR: upgrade the program)")
        click.echo(f"注意 note: 数据库版本 {summary.revision}，最新为 {head}；{hint}", err=True)
