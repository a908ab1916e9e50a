"""Export → import changes nothing (seeded registry, SQLite and PostgreSQL); LibreOffice reads the export."""
from __future__ import annotations

import csv
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.db import make_engine
from registry.export import build_context, export_rows
from registry.export.columns import PROJECT_COLUMNS
from registry.importer.run import import_file
from registry.models import DataVersion, Project
from registry.queries import ProjectFilter, iter_rows, resolve
from registry.upsert import apply_project_dicts, stated_placement
from tests.conftest import settings_for
from tests.exchange_helpers import count_projects, seed_toy, versions


@pytest.mark.parametrize("ext", ["xlsx", "csv"])
def test_export_then_import_changes_nothing(seeded_url: str, tmp_path: Path, ext: str) -> None:
    engine = make_engine(seeded_url)
    session = Session(bind=engine)
    try:
        rf = resolve(session, ProjectFilter())
        path = tmp_path / f"all.{ext}"
        written = export_rows(iter_rows(session, rf), path, context=build_context(session, rf))
        before, vers = count_projects(session), versions(session)
        dv = session.query(DataVersion).count()
        report = import_file(session, path, settings=settings_for(seeded_url))
        session.flush()
        assert report.applied and not report.problems, report.problems[:5]
        assert not report.created and not report.updated, report.updated[:5]
        assert len(report.unchanged) == written == before
        assert versions(session) == vers and session.query(DataVersion).count() == dv
    finally:
        session.rollback()
        session.close()
        engine.dispose()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice (apt-get install libreoffice-calc)")
def test_libreoffice_reads_the_export(db_session: Session, tmp_path: Path) -> None:
    seed_toy(db_session)
    rf = resolve(db_session, ProjectFilter())
    rows = list(iter_rows(db_session, rf))
    path = tmp_path / "p.xlsx"
    context = build_context(db_session, rf)
    export_rows(rows, path, context=context)
    profile = tmp_path / "lo-profile"
    # 76 = UTF-8; the first sheet (项目) is converted.
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=120)
    with (tmp_path / "p.csv").open(encoding="utf-8") as fh:
        table = list(csv.reader(fh))
    assert table[0] == [c.header for c in PROJECT_COLUMNS]
    for row, line in zip(rows, table[1:], strict=True):
        cells = dict(zip([c.key for c in PROJECT_COLUMNS], line))
        assert cells["code"] == row.code and cells["name"] == row.name  # formula-like names stay text
        amount = cells["total_investment"].replace(",", "")
        assert (Decimal(amount) if amount else None) == row.total_investment
        expected = next(c for c in PROJECT_COLUMNS if c.key == "builder").get(row, context.vocab)
        assert cells["builder"] == (expected or "")


def test_xlsx_round_trip_keeps_full_precision_coordinates(db_session: Session, tmp_path: Path) -> None:
    # Excel keeps 15 significant digits: 112.46478844955821 comes back as 112.4647884495582 and must not
    # count as a move (it re-placed 6,335 of 10,000 synthetic projects before).
    seed_toy(db_session)
    apply_project_dicts(db_session, [{"code": "T-9", "name": "精确坐标项目", "lon": 112.46478844955821,
                                      "lat": 38.00530345378584, "crs": "wgs84"}], placer=stated_placement)
    rf = resolve(db_session, ProjectFilter())
    path = tmp_path / "all.xlsx"
    export_rows(iter_rows(db_session, rf), path, context=build_context(db_session, rf))
    vers = versions(db_session)
    report = import_file(db_session, path, placer=stated_placement)
    assert report.applied and not report.problems and not report.updated, (report.problems, report.updated)
    assert versions(db_session) == vers
    # An xlsx cell's text is literal: the csv-only unquoting no longer eats T-3's leading '.
    assert db_session.scalar(select(Project.capacity_text).where(Project.code == "T-3")) == "'=quoted already"
