"""Import throughput (issue 16): a spreadsheet of synthetic projects imported with every check and the geocoder,
(a) as a dry run and (b) applied, into an empty registry (reference data seeded) on SQLite and PostgreSQL.

Anchor, in the same run on the same database: a bare bulk insert of the same rows (the CSV read with the csv
module, its project columns inserted with one executemany INSERT into `projects`; no validation, no geocoding,
no history, no locations). The ratio says how far the full import is from that floor.

The CSV is written by the registry's own export (registry.export.export_rows) from benchmarks/synth.py's
portfolio, so every row has a code, a district or zone, and 70 % have coordinates (as an export of real data).

Usage: python -m benchmarks.bench_import [--n 100000] [--backends sqlite,postgresql] [--profile FILE]
"""
from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from benchmarks.bench_queries import fresh_database
from benchmarks.synth import Portfolio, generate, load_reference
from registry.config import Settings
from registry.db import make_engine, make_session_factory
from registry.export import ExportContext, export_rows
from registry.importer.run import import_file
from registry.models import Change, ChangeSet, Project
from registry.records import DistrictShare, LocationRow, ProjectRow, SourceRef


def portfolio_rows(data: Portfolio) -> Iterator[ProjectRow]:
    """The synthetic portfolio as the export's rows (primary location only, as the project sheet shows)."""
    chains: dict[int, list[str]] = {}
    plan: dict[int, list[str]] = {}
    place: dict[int, list[str]] = {}
    for link in data.project_chains:
        chains.setdefault(link["project_id"], []).append(link["chain_code"])
    for link in data.project_strategies:
        (plan if link["basis"] == "plan" else place).setdefault(link["project_id"], []).append(link["strategy_code"])
    primary = {loc["project_id"]: loc for loc in data.locations if loc["is_primary"]}
    for p in data.projects:
        loc = primary[p["id"]]
        district = p["district_code"]
        location = LocationRow(
            geometry=None, lon=loc["lon"], lat=loc["lat"], input_crs=loc["input_crs"], place_text=loc["place_text"],
            districts=(DistrictShare(district, None, None),) if district else (), zone_code=loc["zone_code"],
            zone=None, precision=loc["precision"], precision_label="", method=loc["method"], evidence=None,
            needs_review=loc["needs_review"])
        yield ProjectRow(
            code=p["code"], name=p["name"], aliases=tuple(p["aliases"]), kind=p["kind"], status=p["status"],
            status_text=None, construction_type=p["construction_type"], total_investment=p["total_investment"],
            investment_text=p["investment_text"], capacity_text=p["capacity_text"], start_year=p["start_year"],
            end_year=p["end_year"], builder=p["builder"], partners=tuple(p["partners"]),
            chain_codes=tuple(chains.get(p["id"], ())), chains=(), strategy_codes=tuple(plan.get(p["id"], ())),
            strategies=(), place_strategy_codes=tuple(place.get(p["id"], ())),
            # The export writes where the project is (its located district/zone), as `kpr export` does.
            district_code=district, district=None, zone_code=p["zone_code"], zone=None, lon=p["lon"],
            lat=p["lat"], precision=p["precision"], precision_label="", place_text=p["place_text"],
            outside_taiyuan=p["outside_taiyuan"], box=None, group=None, description=p["description"],
            locations=(location,), sources=(SourceRef("SYN-synthetic.txt", p["id"], None, None),), version=1)


@dataclass
class Figures:
    """Wall seconds and this process's CPU seconds (the database server's CPU is not in it) per run."""

    dry_s: float = 0.0
    apply_s: float = 0.0
    anchor_s: float = 0.0
    dry_cpu: float = 0.0
    apply_cpu: float = 0.0
    anchor_cpu: float = 0.0
    changes: int = 0
    change_sets: int = 0


def _settings(url: str) -> Settings:
    return replace(Settings.from_env(), database_url=url)


def _import(url: str, path: Path, dry_run: bool, n: int) -> tuple[float, float, int, int]:
    """One `kpr import` as the CLI runs it (default placer: the geocoder), committed unless dry. → (s, CPU s,
    changes, change sets)."""
    settings = _settings(url)
    engine = make_engine(url)
    try:
        session = make_session_factory(engine)()
        try:
            start, cpu = time.perf_counter(), time.process_time()
            report = import_file(session, path, dry_run=dry_run, settings=settings)
            session.commit()
            elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        finally:
            session.close()
        assert len(report.created) == n and not report.problems, (report.summary(), report.problems[:3])
        with engine.connect() as conn:
            changes = int(conn.execute(select(func.count()).select_from(Change)).scalar_one())
            sets = int(conn.execute(select(func.count()).select_from(ChangeSet)).scalar_one())
        return elapsed, cpu, changes, sets
    finally:
        engine.dispose()


# CSV headers → projects columns for the anchor (the plain text and number columns; lists and links left out).
_ANCHOR_COLUMNS = {"编号": "code", "项目名称": "name", "类别": "kind", "状态": "status", "开工年份": "start_year",
                   "竣工年份": "end_year", "建设单位": "builder", "建设地点": "place_text", "项目简介": "description",
                   "投资额原文": "investment_text", "经度": "lon", "纬度": "lat"}
_NUMBERS = {"start_year": int, "end_year": int, "lon": float, "lat": float}


def _anchor(url: str, path: Path) -> tuple[float, float]:
    """The floor: read the CSV, executemany INSERT its rows into projects. No checks of any kind."""
    engine = make_engine(url)
    try:
        start, cpu = time.perf_counter(), time.process_time()
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f)
            header = next(reader)
            picks = [(i, _ANCHOR_COLUMNS[h]) for i, h in enumerate(header) if h in _ANCHOR_COLUMNS]
            rows: list[dict[str, Any]] = []
            for cells in reader:
                row: dict[str, Any] = {"aliases": [], "partners": [], "outside_taiyuan": False, "version": 1}
                for i, column in picks:
                    text = cells[i] or None
                    row[column] = _NUMBERS[column](text) if text is not None and column in _NUMBERS else text
                row["status"] = row["status"] if row["status"] != "未注明" else "unknown"
                rows.append(row)
        with engine.begin() as conn:
            conn.execute(insert(Project.__table__), rows)
        return time.perf_counter() - start, time.process_time() - cpu
    finally:
        engine.dispose()


def _say(text: str) -> None:
    """Progress on stderr, so a long run shows its figures as they come."""
    print(text, file=sys.stderr, flush=True)


def run_backend(backend: str, path: Path, n: int, work: Path, settings: Settings) -> Figures:
    figures = Figures()
    with fresh_database(backend, work, "import") as url:
        load_reference(make_engine(url), _settings(url))
        figures.dry_s, figures.dry_cpu, _, _ = _import(url, path, True, n)
        _say(f"{backend} dry run: {figures.dry_s:.1f} s, CPU {figures.dry_cpu:.1f} s")
        figures.apply_s, figures.apply_cpu, figures.changes, figures.change_sets = _import(url, path, False, n)
        _say(f"{backend} applied: {figures.apply_s:.1f} s, CPU {figures.apply_cpu:.1f} s")
    with fresh_database(backend, work, "anchor") as url:
        load_reference(make_engine(url), _settings(url))
        figures.anchor_s, figures.anchor_cpu = _anchor(url, path)
        _say(f"{backend} anchor: {figures.anchor_s:.1f} s, CPU {figures.anchor_cpu:.1f} s")
    return figures


def profile(path: Path, n: int, work: Path, out: Path) -> None:
    """pyinstrument over one dry-run import on SQLite; its text report goes to `out`."""
    from pyinstrument import Profiler

    with fresh_database("sqlite", work, "profile") as url:
        load_reference(make_engine(url), _settings(url))
        profiler = Profiler(interval=0.002)
        profiler.start()
        seconds, _, _, _ = _import(url, path, True, n)
        profiler.stop()
    text = profiler.output_text(unicode=True, color=False, show_all=False)
    out.write_text(f"pyinstrument, dry-run import of {n:,} rows into SQLite: {seconds:.1f} s "
                   f"= {n / seconds:,.0f} rows/s (wall time under the profiler)\n\n{text}", encoding="utf-8")
    print(f"profile written to {out}: {seconds:.1f} s for {n:,} rows")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000, help="rows in the spreadsheet")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--profile", type=Path, default=None,
                        help="instead of the tables: profile one SQLite dry run, write pyinstrument's text here")
    args = parser.parse_args()
    settings = Settings.from_env()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        path = work / "projects.csv"
        began = time.perf_counter()
        export_rows(portfolio_rows(generate(args.n, settings=settings)), path, "csv", ExportContext())
        made = time.perf_counter() - began
        if args.profile:
            profile(path, args.n, work, args.profile)
            return
        load = os.getloadavg()[0]
        results = {b: run_backend(b, path, args.n, work, settings) for b in args.backends.split(",")}
    n = args.n
    lines = [f"## Import of a {n:,}-row CSV (our export of benchmarks/synth.py projects, written in {made:.1f} s)",
             "",
             ("Every check and the geocoder (default placer), into an empty registry with its reference data; "
              "applied = committed, with the history (one change set) and the data stamp. Anchor: the same CSV "
              "read with the csv module and its project columns inserted with one executemany INSERT into "
              "`projects` (no validation, geocoding, locations, links or history)."), "",
             (f"1-minute load average before: {load:.1f} on {os.cpu_count()} CPUs (wall times stretch under load; "
             "CPU s is this process's own, without the database server's)."), "",
             "| backend | run | time (s) | rows/s | × anchor time | CPU (s) | rows per CPU s |",
             "|---|---|---|---|---|---|---|"]
    for backend, f in results.items():
        for label, seconds, cpu in (("dry run", f.dry_s, f.dry_cpu), ("applied", f.apply_s, f.apply_cpu),
                                    ("anchor: bare bulk insert", f.anchor_s, f.anchor_cpu)):
            lines.append(f"| {backend} | {label} | {seconds:.1f} | {n / seconds:,.0f} | {seconds / f.anchor_s:.1f} | "
                         f"{cpu:.1f} | {n / cpu:,.0f} |")
    lines += ["", "| backend | history rows (changes) | change sets |", "|---|---|---|"]
    lines += [f"| {backend} | {f.changes:,} | {f.change_sets} |" for backend, f in results.items()]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
