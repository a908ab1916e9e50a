"""`kpr backup` and `kpr restore` through the CLI, on SQLite and PostgreSQL: every table comes back row for
row, a non-empty or wrong-kind target is refused untouched, and a backup taken beside an open write
transaction holds only committed data."""
from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any, Self

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import MetaData, inspect, select, text
from sqlalchemy.engine import make_url

from registry import backup as backup_core
from registry import migrate
from registry.cli import main
from registry.db import Base, make_engine
from registry.pgdump import libpq_args
from tests.conftest import Databases

Snapshot = dict[str, list[tuple[Any, ...]]]


def kpr(url: str, *args: str) -> Result:
    return CliRunner().invoke(main, list(args), env={"KPR_DATABASE_URL": url})


def ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.output


def backend_of(url: str) -> str:
    return make_url(url).get_backend_name()


def snapshot(url: str) -> Snapshot:
    """Every table of the live database (reflected, not listed in code), rows sorted, plus sequence states."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            meta = MetaData()
            meta.reflect(conn)
            # JSON columns cannot be ordered on PostgreSQL: sort in Python by a total order on the values.
            tables: Snapshot = {name: sorted((tuple(row) for row in conn.execute(select(tbl))), key=repr)
                                for name, tbl in meta.tables.items()}
            # Where the next id comes from must survive too: PostgreSQL sequences, SQLite's AUTOINCREMENT table.
            if conn.dialect.name == "postgresql":
                for seq in inspect(conn).get_sequence_names():
                    state = conn.execute(text(f'SELECT last_value, is_called FROM "{seq}"')).one()
                    tables[f"sequence {seq}"] = [tuple(state)]
            elif conn.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'")).first():
                tables["sequence sqlite_sequence"] = sorted(
                    tuple(row) for row in conn.execute(text("SELECT name, seq FROM sqlite_sequence")))
            return tables
    finally:
        engine.dispose()


def backup_to(url: str, path: Path) -> str:
    out = ok(kpr(url, "backup", "-o", str(path)))
    assert path.is_file() and path.stat().st_size > 0
    return out


def test_backup_and_restore_copy_every_table(seeded_url: str, databases: Databases, tmp_path: Path) -> None:
    backend = backend_of(seeded_url)
    before = snapshot(seeded_url)
    # The comparison is generic: it covers every model table and any table a later migration adds.
    assert set(Base.metadata.tables) <= set(before) and "alembic_version" in before
    file = tmp_path / "kpr.backup"
    out = backup_to(seeded_url, file)
    rows = sum(len(v) for k, v in before.items() if not k.startswith("sequence "))
    assert f"{rows} 行 rows" in out and f"{len([k for k in before if not k.startswith('sequence ')])} 张表" in out
    magic = file.read_bytes()[:16]
    assert magic == b"SQLite format 3\x00" if backend == "sqlite" else magic.startswith(b"PGDMP")
    if backend == "sqlite":
        assert magic and file.read_bytes()[18] == 1  # rollback journal: one self-contained file, no -wal needed

    target = databases.new_url(backend)
    out = ok(CliRunner().invoke(main, ["restore", str(file), "--database-url", target]))
    assert "已恢复" in out and f"{rows} 行 rows" in out
    after = snapshot(target)
    assert set(after) == set(before)
    for name in before:
        assert after[name] == before[name], name
    assert migrate.current_revision(target) == migrate.current_revision(seeded_url) == migrate.head_revision()
    assert "ok" in ok(kpr(target, "db", "check"))


def test_restore_into_a_non_empty_database_is_refused_and_changes_nothing(
        seeded_url: str, databases: Databases, tmp_path: Path) -> None:
    backend = backend_of(seeded_url)
    file = tmp_path / "kpr.backup"
    backup_to(seeded_url, file)
    migrated = databases.new_url(backend)  # tables but no project rows
    migrate.upgrade(migrated)
    restored = databases.new_url(backend)  # a full registry
    ok(kpr(restored, "restore", str(file)))
    for target in (migrated, restored):
        before = snapshot(target)
        result = kpr(target, "restore", str(file))
        assert result.exit_code != 0
        assert "目标数据库不是空的" in result.output and "not empty" in result.output, result.output
        assert "Traceback" not in result.output
        assert snapshot(target) == before


def test_backup_beside_an_open_write_transaction_holds_committed_data(
        seeded_url: str, databases: Databases, tmp_path: Path) -> None:
    backend = backend_of(seeded_url)
    before = snapshot(seeded_url)
    file = tmp_path / "during-write.backup"
    engine = make_engine(seeded_url)
    try:
        with engine.connect() as writer:
            tx = writer.begin()
            changed = writer.execute(text("UPDATE projects SET name = name || '（未提交）'")).rowcount
            writer.execute(text("UPDATE data_stamp SET value = value + 1000"))
            assert changed == len(before["projects"]) > 0
            backup_to(seeded_url, file)  # the writer still holds its uncommitted transaction
            tx.rollback()
    finally:
        engine.dispose()
    target = databases.new_url(backend)
    ok(kpr(target, "restore", str(file)))
    assert snapshot(target) == before


class Committer:
    """Another connection committing n into two tables at once, n = 1, 2, …: a copy of one moment has them
    equal; a copy mixing moments does not."""

    def __init__(self, url: str) -> None:
        self.url, self.commits, self.errors = url, 0, list[BaseException]()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run)

    def _run(self) -> None:
        engine = make_engine(self.url)
        try:
            while not self._stop.is_set():
                with engine.begin() as conn:
                    conn.execute(text("UPDATE projects SET version = :n"), {"n": self.commits + 1})
                    conn.execute(text("UPDATE data_stamp SET value = :n"), {"n": self.commits + 1})
                self.commits += 1
        except BaseException as exc:  # noqa: BLE001 — handed to the test thread, which fails on it
            self.errors.append(exc)
        finally:
            engine.dispose()

    def __enter__(self) -> Self:
        self._thread.start()
        while self.commits < 3 and self._thread.is_alive():
            time.sleep(0.01)
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        assert not self.errors, self.errors


def private_copy(seeded_url: str, databases: Databases, tmp_path: Path) -> str:
    """A restored copy of the seeded database that a test may write to."""
    seed_copy = tmp_path / "seed.backup"
    backup_to(seeded_url, seed_copy)
    url = databases.new_url(backend_of(seeded_url))
    ok(kpr(url, "restore", str(seed_copy)))
    return url


def one_moment(url: str) -> int:
    """The writer's n that the database holds, failing if its two tables disagree."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            versions = set(conn.execute(text("SELECT DISTINCT version FROM projects")).scalars())
            stamp = int(conn.execute(text("SELECT value FROM data_stamp")).scalar_one())
    finally:
        engine.dispose()
    assert versions == {stamp}, (versions, stamp)
    return stamp


def test_backup_while_another_connection_keeps_committing_is_one_moment(
        seeded_url: str, databases: Databases, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backup_core, "_SQLITE_STEP_PAGES", 8)  # many small steps for the writer to slip between
    source, file = private_copy(seeded_url, databases, tmp_path), tmp_path / "busy.backup"
    with Committer(source) as writer:
        at_start = writer.commits
        backup_to(source, file)
        during = writer.commits - at_start
    assert at_start >= 3 and during > 0  # the writer really committed while the backup ran
    target = databases.new_url(backend_of(seeded_url))
    ok(kpr(target, "restore", str(file)))
    assert one_moment(target) >= at_start


@pytest.mark.slow
def test_sqlite_backup_reads_one_snapshot_without_restarting(
        databases: Databases, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Commits by others between steps restart an online backup unless it holds one read transaction; under
    # steady writes a restarting backup might never finish.
    monkeypatch.setattr(backup_core, "_SQLITE_STEP_PAGES", 4)
    source = databases.new_url("sqlite")
    migrate.upgrade(source)
    ok(kpr(source, "seed"))
    steps: list[tuple[int, int]] = []
    with Committer(source) as writer:
        at_start = writer.commits
        backup_core.backup(source, tmp_path / "s.backup", progress=lambda done, total: steps.append((done, total)))
        during = writer.commits - at_start
    assert during > 0 and len(steps) > 10
    assert [done for done, _ in steps] == sorted(done for done, _ in steps), "the copy restarted"
    assert steps[-1][0] == steps[-1][1]
    copy = databases.new_url("sqlite")
    backup_core.restore(tmp_path / "s.backup", copy)
    assert one_moment(copy) >= at_start


def test_wrong_kind_damaged_or_foreign_files_are_refused(databases: Databases, tmp_path: Path) -> None:
    sqlite_src, pg_src = databases.new_url("sqlite"), databases.new_url("postgresql")
    for url in (sqlite_src, pg_src):
        migrate.upgrade(url)
    files = {"sqlite": tmp_path / "s.backup", "postgresql": tmp_path / "p.backup"}
    backup_to(sqlite_src, files["sqlite"])
    backup_to(pg_src, files["postgresql"])

    for kind, other in (("sqlite", "postgresql"), ("postgresql", "sqlite")):
        target = databases.new_url(other)
        result = kpr(target, "restore", str(files[kind]))
        assert result.exit_code != 0 and "备份类型与目标数据库不符" in result.output, result.output
        assert f"a {kind} backup cannot be restored into {other}" in result.output
        if other == "sqlite":
            assert not Path(str(make_url(target).database)).exists()  # refused before touching anything
        else:
            assert snapshot(target) == {}

    garbage = tmp_path / "notes.txt"
    garbage.write_text("这不是备份 not a backup", encoding="utf-8")
    for backend in ("sqlite", "postgresql"):
        result = kpr(databases.new_url(backend), "restore", str(garbage))
        assert result.exit_code != 0 and "不是 KPR 备份文件" in result.output and "PGDMP" in result.output

    for kind, file in files.items():
        damaged = tmp_path / f"damaged-{kind}.backup"
        data = file.read_bytes()
        damaged.write_bytes(data[: len(data) // 2])
        target = databases.new_url(kind)
        result = kpr(target, "restore", str(damaged))
        assert result.exit_code != 0 and "Traceback" not in result.output, result.output
        assert "损坏" in result.output or "恢复失败" in result.output, result.output
        if kind == "postgresql":
            assert snapshot(target) == {}  # one transaction: nothing half-restored


def test_backup_refuses_what_it_cannot_copy(fresh_url: str, tmp_path: Path) -> None:
    file = tmp_path / "empty.backup"
    result = kpr(fresh_url, "backup", "-o", str(file))  # no such file (SQLite) / no tables (PostgreSQL)
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "数据库文件不存在" in result.output or "不是 KPR 数据库" in result.output, result.output
    assert not file.exists() and not list(tmp_path.iterdir())  # no half-written file left behind

    migrate.upgrade(fresh_url)
    backup_to(fresh_url, file)
    result = kpr(fresh_url, "backup", "-o", str(file))
    assert result.exit_code != 0 and "--force" in result.output
    ok(kpr(fresh_url, "backup", "-o", str(file), "--force"))
    result = kpr(fresh_url, "backup", "-o", str(file / "inside-a-file.backup"))
    assert result.exit_code != 0 and "无法写入备份文件" in result.output and "Traceback" not in result.output


def test_libpq_args_keep_the_password_out_of_the_command_line() -> None:
    conn = libpq_args("postgresql+psycopg://kpr:p%40ss'w@db.example:5433/reg?sslmode=require")
    assert conn.conninfo == "host='db.example' port='5433' user='kpr' dbname='reg' sslmode='require'"
    assert "p@ss" not in conn.conninfo and conn.env["PGPASSWORD"] == "p@ss'w"
    assert libpq_args("postgresql://u@h/it's").conninfo == "host='h' user='u' dbname='it\\'s'"


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_an_in_memory_database_cannot_be_backed_up(url: str, tmp_path: Path) -> None:
    result = kpr(url, "backup", "-o", str(tmp_path / "x.backup"))
    assert result.exit_code != 0 and "只能备份 SQLite 文件数据库" in result.output
