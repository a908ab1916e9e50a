"""Every export and import path at 10,000 projects (issue 16: `kpr export` of ≥2,000 rows crashed once the
progress bar showed, and nothing tested that many). CLI: export csv/xlsx/geojson/gpkg, import csv/xlsx dry
run and for real; web: /projects.csv, .xlsx, .geojson, .json. Projects come from benchmarks/synth.py.

Marked slow: on the shared 2-core machine one 10k export takes ~25 s and one 10k import 1–3 min (the ORM
row loading in iter_rows and upsert, outside this module's reach)."""
from __future__ import annotations

import csv
import io
import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func, select

from benchmarks import synth
from registry import migrate
from registry.cli import main
from registry.config import Settings
from registry.db import make_engine
from registry.models import DataVersion, Project
from tests.conftest import BACKENDS, Databases, settings_for
from web import create_app

N = 10_000
FORMATS = ("csv", "xlsx", "geojson", "gpkg")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=BACKENDS)
def synth_url(request: pytest.FixtureRequest, databases: Databases) -> str:
    url = databases.new_url(str(request.param))
    migrate.upgrade(url)
    synth.load(url, N)
    return url


@pytest.fixture(scope="module")
def exported(synth_url: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Result]]:
    """`kpr export -o all.<fmt>` for every format, once per database."""
    out = tmp_path_factory.mktemp("export10k")
    runner = CliRunner()
    return {fmt: (out / f"all.{fmt}", runner.invoke(main, ["export", "-o", str(out / f"all.{fmt}")],
                                                   env={"KPR_DATABASE_URL": synth_url}))
            for fmt in FORMATS}


def _csv_codes(text: str) -> list[str]:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0][0] == "编号"
    return [r[0] for r in rows[1:]]


def _xlsx_codes(data: bytes) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    try:
        rows = book["项目"].iter_rows(min_row=2, max_col=1, values_only=True)
        return [str(r[0]) for r in rows if r[0] is not None]
    finally:
        book.close()


def _geojson_codes(data: bytes) -> list[str]:
    return [f["properties"]["code"] for f in json.loads(data)["features"]]


def _gpkg_count(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("SELECT table_name FROM gpkg_contents")]
        return sum(conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables if "project" in t)


def test_cli_exports_every_format_at_10k(exported: dict[str, tuple[Path, Result]]) -> None:
    for fmt, (path, result) in exported.items():
        assert result.exit_code == 0 and result.exception is None, (fmt, result.output[-500:])
        assert f"已导出 {N} 个项目" in result.output, fmt
    codes = _csv_codes(exported["csv"][0].read_text(encoding="utf-8"))
    assert len(codes) == len(set(codes)) == N and all(c.startswith(synth.CODE_PREFIX) for c in codes)
    assert _xlsx_codes(exported["xlsx"][0].read_bytes()) == codes
    assert sorted(_geojson_codes(exported["geojson"][0].read_bytes())) == sorted(codes)
    assert _gpkg_count(exported["gpkg"][0]) == N


def test_web_exports_at_10k(synth_url: str) -> None:
    client = create_app(settings_for(synth_url)).test_client()
    responses = {ext: client.get(f"/projects.{ext}") for ext in ("csv", "xlsx", "geojson", "json")}
    for ext, resp in responses.items():
        assert resp.status_code == 200, (ext, resp.data[:300])
    codes = _csv_codes(responses["csv"].get_data(as_text=True))
    assert len(set(codes)) == N
    assert sorted(_xlsx_codes(responses["xlsx"].data)) == sorted(codes)
    assert sorted(_geojson_codes(responses["geojson"].data)) == sorted(codes)
    listing = responses["json"].get_json()
    assert listing["count"] == N and 0 < len(listing["projects"]) < N  # paged: the count is whole, the page not
    paged = [p["code"] for p in listing["projects"]]
    while listing["next"] is not None:  # following `next` visits every project once, in list order
        listing = client.get(f"/projects.json?offset={listing['next']}").get_json()
        paged += [p["code"] for p in listing["projects"]]
    assert paged == codes


def _counts(url: str) -> tuple[int, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return (int(conn.scalar(select(func.count(Project.id))) or 0),
                    int(conn.scalar(select(func.count(DataVersion.id))) or 0))
    finally:
        engine.dispose()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_cli_import_at_10k_dry_run_and_for_real(fmt: str, synth_url: str, databases: Databases,
                                                 exported: dict[str, tuple[Path, Result]]) -> None:
    path = exported[fmt][0]
    runner = CliRunner()
    before = _counts(synth_url)
    dry = runner.invoke(main, ["import", "--dry-run", str(path)], env={"KPR_DATABASE_URL": synth_url})
    assert dry.exit_code == 0 and dry.exception is None, dry.output[-1000:]
    assert f"读取 {N} 行" in dry.output and "问题 0" in dry.output and f"未变 {N}" in dry.output
    assert _counts(synth_url) == before

    # For real, into a registry with the reference data and no projects: every row is created.
    target = databases.new_url("postgresql" if synth_url.startswith("postgresql") else "sqlite")
    migrate.upgrade(target)
    engine = make_engine(target)
    try:
        synth.load_reference(engine, replace(Settings.from_env(), database_url=target))
    finally:
        engine.dispose()
    empty, versions = _counts(target)
    assert empty == 0
    real = runner.invoke(main, ["import", str(path)], env={"KPR_DATABASE_URL": target})
    assert real.exit_code == 0 and real.exception is None, real.output[-1000:]
    assert f"新增 {N}" in real.output and "问题 0" in real.output
    assert _counts(target) == (N, versions + 1)  # one data version for the whole import
