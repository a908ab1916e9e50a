"""The synthetic benchmark portfolio loads on both databases, the query layer filters it, and the real seed
never contains or loads synthetic (SYN-) projects. No timings here: performance lives in benchmarks/."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from benchmarks import synth
from registry import migrate
from registry.db import make_engine, make_session_factory
from registry.models import LocationDistrict, Project, ProjectChain, ProjectStrategy, Source
from registry.queries import ProjectFilter, facets, fetch_rows, resolve, totals
from registry.yamltext import load_yaml

N = 200
REPO = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_synth_loads_and_queries(fresh_url: str) -> None:
    migrate.upgrade(fresh_url)
    report = synth.load(fresh_url, N)
    assert report.counts["projects"] == N
    engine = make_engine(fresh_url)
    try:
        with make_session_factory(engine)() as session:
            codes = list(session.scalars(select(Project.code)))
            assert len(codes) == N and all(c.startswith(synth.CODE_PREFIX) for c in codes)
            for model in (Source, LocationDistrict, ProjectChain, ProjectStrategy):
                assert session.scalar(select(func.count()).select_from(model)) > 0
            placed = dict(session.execute(select(Project.district_code, func.count()).group_by(Project.district_code)
                                          ).all())
            assert {c for c in placed if c} <= {f"1401{k:02d}" for k in range(100)}  # Taiyuan's districts
            assert len([c for c in placed if c]) >= 5  # spread, not piled into one district

            everything = resolve(session, ProjectFilter())
            assert totals(session, everything).count == N
            assert len(fetch_rows(session, everything, limit=50)) == 50

            busiest = max((c for c in placed if c), key=lambda c: placed[c])
            by_district = resolve(session, ProjectFilter(districts=(busiest,)))
            counted = totals(session, by_district).count
            assert counted >= placed[busiest]  # + projects whose second site is there
            district_facet = {v.code: v.count for v in facets(session, everything)["districts"]}
            assert district_facet[busiest] == counted

            status_facet = {v.code: v.count for v in facets(session, everything)["statuses"]}
            in_progress = totals(session, resolve(session, ProjectFilter(statuses=("在建",)))).count
            assert in_progress == status_facet["在建"] > 0
            strategy_facet = facets(session, everything)["strategies"]
            top = strategy_facet[0]
            assert totals(session, resolve(session, ProjectFilter(strategies=(top.code,)))).count >= top.count
    finally:
        engine.dispose()


def test_seed_files_hold_no_synthetic_projects() -> None:
    seeds = load_yaml((REPO / "seeds" / "projects.yaml").read_text(encoding="utf-8")) or []
    assert seeds and not [p["code"] for p in seeds if str(p["code"]).startswith(synth.CODE_PREFIX)]


def test_seeded_database_has_no_synthetic_projects(seeded_url: str) -> None:
    engine = make_engine(seeded_url)
    try:
        with engine.connect() as conn:
            total = conn.scalar(select(func.count()).select_from(Project))
            synthetic = conn.scalar(select(func.count()).where(Project.code.like(f"{synth.CODE_PREFIX}%")))
        assert total and synthetic == 0
    finally:
        engine.dispose()


@pytest.mark.slow
def test_bench_run_keeps_results_json_and_generates_the_markdown_from_it(tmp_path: Path) -> None:
    """`python -m benchmarks.run --quick --only bench_startup`: results.json holds the printed tables as data
    (columns with units, our rows and the anchor's), and the markdown is generated from that file alone."""
    import json
    import subprocess
    import sys

    from benchmarks.run import render

    out = tmp_path / "R.md"
    subprocess.run([sys.executable, "-m", "benchmarks.run", "--quick", "--only", "bench_startup", "--out", str(out)],
                   cwd=REPO, check=True, capture_output=True, timeout=300)
    results = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert results["quick"] is True and len(results["commit"]) >= 7
    (scenario,) = results["scenarios"]
    assert scenario["status"] == "ok" and scenario["command"].endswith("bench_startup --repeat 3")
    (table,) = scenario["tables"]
    assert table["columns"] == ["command", "median s", "min s"]
    labels = [row[0] for row in table["rows"]]
    assert labels[0] == "`python -c pass (anchor)`" and "`kpr users list`" in labels
    assert all(float(row[1]) > 0 for row in table["rows"])
    assert out.read_text(encoding="utf-8") == render(results)


@pytest.mark.slow
def test_the_weekly_sheet_benchmark_uploads_previews_and_applies_through_the_web() -> None:
    """bench_weekly logs in through the form, previews and applies real sheets (it stops if the last applied
    sheet is not in the registry) and prints each run beside the geocoder-build anchor."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "benchmarks.bench_weekly", "--rows", "5", "--repeat", "1"],
                          cwd=REPO, check=True, capture_output=True, text=True, timeout=300)
    rows = [line for line in done.stdout.splitlines() if line.startswith("| ") and not line.startswith("| run")]
    assert [r.split("|")[1].strip() for r in rows] == [
        "preview, the process's first upload", "preview, later uploads", "apply, later uploads",
        "core dry run with a geocoder built for it (every import before)", "anchor: building the geocoder"]
    assert rows[-1].split("|")[3].strip() == "1.00"
