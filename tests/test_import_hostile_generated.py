"""Generated hostile files (tests/hostile_files.py: ~100 damaged variants of a real export) are refused with
a clear message, never another exception, through the core import_file and through `kpr import`."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session

from registry import migrate
from registry.cli import main
from registry.db import make_engine
from registry.errors import ImportRefused
from registry.export import build_context, export_rows
from registry.importer.precheck import check_upload
from registry.importer.run import import_file
from registry.queries import ProjectFilter, iter_rows, resolve
from registry.upsert import stated_placement
from tests.exchange_helpers import count_projects, seed_toy, versions
from tests.hostile_files import Hostile, hostile_files

# A workbook whose defined names point at a removed sheet is one of the damages: openpyxl warns while reading it.
pytestmark = pytest.mark.filterwarnings("ignore:Defined names for sheet index:UserWarning")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Hostile, Path]]:
    """Damaged copies of a real xlsx and csv export of the toy projects, written to disk."""
    tmp = tmp_path_factory.mktemp("hostile")
    url = f"sqlite:///{tmp / 'source.sqlite3'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            seed_toy(session)
            rf = resolve(session, ProjectFilter())
            for ext in ("xlsx", "csv"):
                export_rows(iter_rows(session, rf), tmp / f"good.{ext}", context=build_context(session, rf))
    finally:
        engine.dispose()
    out = []
    for case in hostile_files((tmp / "good.xlsx").read_bytes(), (tmp / "good.csv").read_bytes(), tmp):
        path = tmp / "files" / case.name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(case.data)
        out.append((case, path))
    return out


def test_the_generator_covers_every_kind_of_damage(hostile: list[tuple[Hostile, Path]]) -> None:
    names = {case.name for case, _ in hostile}
    for expected in ("bad-crc.xlsx", "corrupt-deflate-0.5.xlsx", "sheet-xml-cut-0.3.xlsx", "no-sheet.xlsx",
                     "cell-at-xfd1048576.xlsx", "random-16.csv", "tiny-1.csv", "utf32.csv", "empty.csv"):
        assert expected in names
    assert len(hostile) >= 90 and sum(case.must_refuse for case, _ in hostile) >= 50


def test_core_import_refuses_and_never_crashes(db_session: Session, hostile: list[tuple[Hostile, Path]]) -> None:
    seed_toy(db_session)
    before, vers = count_projects(db_session), versions(db_session)
    failures: list[str] = []
    for case, path in hostile:
        try:
            report = import_file(db_session, path, placer=stated_placement)
        except ImportRefused as exc:
            if not exc.message.strip() or "Traceback" in exc.message:
                failures.append(f"{case.name}: empty or raw message {exc.message!r}")
            continue
        except Exception as exc:  # noqa: BLE001 - exactly what this test looks for
            failures.append(f"{case.name}: {type(exc).__name__}: {exc}")
            continue
        if case.must_refuse:
            failures.append(f"{case.name}: read as a table ({report.summary()})")
        if report.applied:
            db_session.rollback()  # a damaged-but-readable file must not stay in the toy data
            seed_toy(db_session)
    assert not failures, "\n".join(failures)
    assert count_projects(db_session) == before and versions(db_session) == vers


def test_upload_check_refuses_the_same_files_up_front(hostile: list[tuple[Hostile, Path]]) -> None:
    """check_upload never crashes and refuses every must-refuse file, except damage that only shows when the
    sheet's XML is parsed (the check counts rows without parsing; the import then refuses those)."""
    failures = []
    for case, path in hostile:
        try:
            check_upload(path)
        except ImportRefused:
            continue
        except Exception as exc:  # noqa: BLE001 - exactly what this test looks for
            failures.append(f"{case.name}: {type(exc).__name__}: {exc}")
            continue
        if case.must_refuse and not case.name.startswith("sheet-xml-cut"):
            failures.append(f"{case.name}: passed the up-front check")
    assert not failures, "\n".join(failures)


def test_cli_import_refuses_with_a_message_and_no_traceback(migrated_url: str,
                                                             hostile: list[tuple[Hostile, Path]]) -> None:
    runner = CliRunner()
    failures = []
    # A readable file costs a geocoder start-up per run: two of them stand for the rest (the core test reads all).
    readable = [pair for pair in hostile if not pair[0].must_refuse][:2]
    for case, path in [pair for pair in hostile if pair[0].must_refuse] + readable:
        result = runner.invoke(main, ["import", "--dry-run", str(path)], env={"KPR_DATABASE_URL": migrated_url})
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            failures.append(f"{case.name}: {type(result.exception).__name__}: {result.exception}")
        elif "Traceback" in result.output:
            failures.append(f"{case.name}: traceback in output")
        elif case.must_refuse and (result.exit_code != 1 or "Error:" not in result.output):
            failures.append(f"{case.name}: exit {result.exit_code}, output {result.output[-200:]!r}")
    assert not failures, "\n".join(failures)
