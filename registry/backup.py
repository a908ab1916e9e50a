"""Back up the whole registry to one file and restore it into an empty database (no Flask, no click).

SQLite: the sqlite3 online backup API copies a consistent snapshot while the server keeps writing.
PostgreSQL: pg_dump --format=custom inside an exported snapshot, so the summary (tables, rows, revision) and
the dump see the same data. Every table is copied — the live database is the list, never a list in code.
A backup file's kind is told by its first bytes, so restoring into the wrong backend is refused up front."""
from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Connection, create_engine, func, inspect, select, table, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from registry import pgdump
from registry.db import make_engine
from registry.errors import BackupError
from registry.pgdump import Progress

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDMP_MAGIC = b"PGDMP"
VERSION_TABLE = "alembic_version"
_SQLITE_STEP_PAGES = 1024  # pages copied per step (4 MiB at the default page size): the progress grain


@dataclass(frozen=True)
class Summary:
    kind: str  # "sqlite" or "postgresql"
    revision: str | None
    rows: dict[str, int]  # table name → row count

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def backend_of(url: str) -> str:
    name = make_url(url).get_backend_name()
    if name not in ("sqlite", "postgresql"):
        raise BackupError(f"不支持的数据库类型 {name!r} (unsupported database {name!r}: expected sqlite or postgresql)")
    return name


def kind_of_file(path: Path) -> str:
    """'sqlite' or 'postgresql', told by the file's magic bytes."""
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise BackupError(f"无法读取备份文件 {path} (cannot read backup file: {exc.strerror})") from None
    if head == SQLITE_MAGIC:
        return "sqlite"
    if head.startswith(PGDMP_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} 不是 KPR 备份文件 (not a KPR backup: expected a SQLite database starting "
                      f"'SQLite format 3' or a pg_dump custom-format file starting 'PGDMP', found {head[:8]!r})")


def summarize(conn: Connection) -> Summary:
    """Tables, their row counts and the Alembic revision, read through one connection (one snapshot)."""
    names = sorted(inspect(conn).get_table_names())
    rows = {name: int(conn.execute(select(func.count()).select_from(table(name))).scalar_one()) for name in names}
    revision = None
    if VERSION_TABLE in names:
        revision = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
    return Summary(backend_of(str(conn.engine.url)), revision, rows)


def _summarize_url(url: str, plain: bool = False) -> Summary:
    # plain: no registry pragmas, which would switch a finished backup file back to WAL mode.
    engine = create_engine(url) if plain else make_engine(url)
    try:
        with engine.connect() as conn:
            return summarize(conn)
    finally:
        engine.dispose()


def _require_registry(summary: Summary, where: str) -> None:
    if summary.revision is None:
        raise BackupError(f"{where} 不是 KPR 数据库：没有 {VERSION_TABLE} 表或版本 "
                          f"(not a KPR database: no Alembic revision; run `kpr db upgrade` first)")


# --- backup -----------------------------------------------------------------------------------------------

def backup(url: str, output: Path, progress: Progress | None = None) -> Summary:
    """Write a consistent copy of the database at url to output (replaced atomically); return what it holds."""
    kind = backend_of(url)
    # Write beside the target and rename: a failed or interrupted backup never leaves a half file under its name.
    part = output.with_name(f".{output.name}.{os.getpid()}.part")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        summary = (_backup_sqlite(url, part, progress) if kind == "sqlite"
                   else _backup_postgresql(url, part, progress))
        os.replace(part, output)
        return summary
    except OSError as exc:
        raise BackupError(f"无法写入备份文件 {output} (cannot write the backup file: {exc.strerror or exc})") from None
    finally:
        with suppress(OSError):
            part.unlink(missing_ok=True)


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise BackupError(f"只能备份 SQLite 文件数据库 (only a SQLite database file can be backed up, got {url!r})")
    return Path(database)


def _open_readonly(path: Path) -> sqlite3.Connection:
    # mode=ro never creates a file (a mistyped path is an error, not a new empty database) and a backup needs
    # only read access to the registry.
    try:
        return sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error as exc:
        raise BackupError(f"无法打开 SQLite 数据库 {path} (cannot open SQLite database: {exc})") from None


def _sqlite_copy(source: sqlite3.Connection, target: sqlite3.Connection, progress: Progress | None) -> None:
    def report(_status: int, remaining: int, total: int) -> None:
        if progress:
            progress(total - remaining, total)

    # One read transaction for the whole copy: every step then reads the same snapshot, so writers that commit
    # meanwhile (WAL mode lets them) neither leak into the copy nor restart it.
    source.execute("BEGIN")
    source.execute("SELECT count(*) FROM sqlite_master").fetchone()
    try:
        source.backup(target, pages=_SQLITE_STEP_PAGES, progress=report)
    finally:
        source.rollback()


def _backup_sqlite(url: str, part: Path, progress: Progress | None) -> Summary:
    path = _sqlite_path(url)
    if not path.is_file():
        raise BackupError(f"数据库文件不存在 {path} (database file not found)")
    try:
        with closing(_open_readonly(path)) as source, closing(sqlite3.connect(part)) as target:
            _sqlite_copy(source, target, progress)
            # The copy keeps the source's WAL flag; a backup should be one self-contained file.
            target.execute("PRAGMA journal_mode=DELETE")
            check = target.execute("PRAGMA quick_check").fetchone()
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite 备份失败 (SQLite backup failed: {exc})") from None
    if not check or check[0] != "ok":
        raise BackupError(f"备份文件校验失败 (backup failed its integrity check: {check})")
    summary = _summarize_url(f"sqlite:///{part}", plain=True)
    _require_registry(summary, str(path))
    return summary


def _backup_postgresql(url: str, part: Path, progress: Progress | None) -> Summary:
    pg_dump = pgdump.tool("pg_dump")
    target = pgdump.libpq_args(url)
    engine = make_engine(url)
    try:
        with _exported_snapshot(engine.connect()) as (conn, snapshot):
            summary = summarize(conn)
            _require_registry(summary, make_url(url).render_as_string(hide_password=True))
            pgdump.run([pg_dump, "--format=custom", "--verbose", "--no-password", f"--snapshot={snapshot}",
                        f"--file={part}", f"--dbname={target.conninfo}"],
                       env=target.env, total=len(summary.rows), progress=progress)
    except DBAPIError as exc:
        raise BackupError(f"无法读取数据库 (cannot read the database: {exc.orig})") from None
    finally:
        engine.dispose()
    return summary


@contextmanager
def _exported_snapshot(conn: Connection) -> Iterator[tuple[Connection, str]]:
    """A repeatable-read transaction whose snapshot pg_dump joins (--snapshot), held until the dump ends."""
    with conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            snapshot = str(conn.execute(text("SELECT pg_export_snapshot()")).scalar_one())
            yield conn, snapshot


# --- restore ----------------------------------------------------------------------------------------------

def inspect_file(path: Path) -> tuple[str, str | None]:
    """The backup's kind and Alembic revision, checking the file is readable and whole enough to restore."""
    kind = kind_of_file(path)
    if kind == "sqlite":
        try:
            with closing(_open_readonly(path)) as conn:
                check = conn.execute("PRAGMA quick_check").fetchone()
                if not check or check[0] != "ok":
                    raise BackupError(f"备份文件已损坏 {path} (backup file is damaged: {check})")
                has_version = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?",
                                           (VERSION_TABLE,)).fetchone()
                revision = conn.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchone() if has_version \
                    else None
        except sqlite3.Error as exc:
            raise BackupError(f"备份文件已损坏 {path} (backup file is damaged: {exc})") from None
        return kind, (str(revision[0]) if revision else None)
    return kind, _dump_revision(path)


def _dump_revision(path: Path) -> str | None:
    pg_restore = pgdump.tool("pg_restore")
    try:
        pgdump.run([pg_restore, "--list", str(path)])  # reads the whole table of contents: a damaged file fails
        data = pgdump.run([pg_restore, "--data-only", f"--table={VERSION_TABLE}", "--file=-", str(path)])
    except pgdump.PgToolError as exc:
        raise BackupError(f"备份文件已损坏或格式不对 {path} (backup file is damaged or not pg_dump custom "
                          f"format):\n{exc.message}") from None
    # The data section reads: COPY public.alembic_version (version_num) FROM stdin; <rows> \.
    lines = data.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("COPY ") and f"{VERSION_TABLE} " in line and i + 1 < len(lines):
            return lines[i + 1] if lines[i + 1] != "\\." else None
    return None


def _table_count(path: Path) -> int:
    listing = pgdump.run([pgdump.tool("pg_restore"), "--list", str(path)])
    return sum(1 for line in listing.splitlines() if " TABLE DATA " in line and not line.startswith(";"))


def refuse_unless_empty(url: str) -> None:
    """Raise BackupError naming what is there when the target database has any table."""
    where = make_url(url).render_as_string(hide_password=True)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            summary = summarize(conn)
    except SQLAlchemyError as exc:
        detail = exc.orig if isinstance(exc, DBAPIError) else exc
        raise BackupError(f"无法连接目标数据库 {where}：请先创建空数据库 "
                          f"(cannot open the target database; create an empty one first: {detail})") from None
    finally:
        engine.dispose()
    if summary.rows:
        found = ", ".join(f"{name} {count} 行" for name, count in list(summary.rows.items())[:6])
        more = " …" if len(summary.rows) > 6 else ""
        raise BackupError(f"目标数据库不是空的，拒绝恢复 {where}：已有 {len(summary.rows)} 张表（{found}{more}）；"
                          f"请恢复到新建的空数据库 (target database is not empty: it has {len(summary.rows)} "
                          f"tables and {summary.total_rows} rows; restore into a new, empty database)")


def restore(path: Path, url: str, progress: Progress | None = None) -> Summary:
    """Load a backup into the empty database at url; return what the database now holds."""
    target_kind = backend_of(url)
    kind = kind_of_file(path)
    if kind != target_kind:
        raise BackupError(f"备份类型与目标数据库不符：{path} 是 {kind} 备份，目标是 {target_kind} "
                          f"(backup kind does not match the target: a {kind} backup cannot be restored into "
                          f"{target_kind}; use a {target_kind} database or a {target_kind} backup)")
    kind, revision = inspect_file(path)
    if revision is None:
        raise BackupError(f"{path} 不是 KPR 备份：没有 Alembic 版本 (not a KPR backup: no Alembic revision in it)")
    if kind == "sqlite":
        _restore_sqlite(path, url, progress)
    else:
        _restore_postgresql(path, url, progress)
    summary = _summarize_url(url)
    if summary.revision != revision:
        raise BackupError(f"恢复后版本不符 (after restore the database is at {summary.revision}, "
                          f"the backup at {revision})")
    return summary


def _restore_sqlite(path: Path, url: str, progress: Progress | None) -> None:
    target_path = _sqlite_path(url)
    if target_path.exists():
        refuse_unless_empty(url)
    target_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with closing(_open_readonly(path)) as source, closing(sqlite3.connect(target_path)) as target:
            _sqlite_copy(source, target, progress)
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite 恢复失败 (SQLite restore failed: {exc})") from None


def _restore_postgresql(path: Path, url: str, progress: Progress | None) -> None:
    refuse_unless_empty(url)
    target = pgdump.libpq_args(url)
    # One transaction, stop at the first error: a failed restore leaves the target as empty as it was.
    # Owners and grants belong to the source server; the restoring user owns what it creates.
    try:
        pgdump.run([pgdump.tool("pg_restore"), "--verbose", "--no-password", "--exit-on-error",
                    "--single-transaction", "--no-owner", "--no-privileges", f"--dbname={target.conninfo}",
                    str(path)], env=target.env, total=_table_count(path), progress=progress)
    except pgdump.PgToolError as exc:
        raise BackupError(f"PostgreSQL 恢复失败，目标数据库未改动 (restore failed; the target database was "
                          f"left unchanged):\n{exc.message}") from None
