"""The first list request after a one-project edit (issue 16 target: ≤ 100 ms at 100,000 projects).

Usage: python -m benchmarks.bench_refresh [--n 100000] [--repeat 5] [--backends sqlite,postgresql]
Prints a markdown section. For each database: N synthetic projects; a warm-up request builds the facet index;
then, `--repeat` times, one project is edited through an ORM session (as the edit form does) and the very next
`GET /projects` (the list page with facets and totals) is timed (the index refreshes the edited rows from the stamp log). The anchor, in the same
run on the same data: the same request after a bulk `UPDATE` of one row, which the log cannot attribute, so the
index is rebuilt in full — what every edit cost before the log existed.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select, update

from benchmarks import synth
from benchmarks.bench_queries import fresh_database
from registry.config import Settings
from registry.models import Project


def _timed_request(client: object, path: str) -> float:
    start = time.perf_counter()
    resp = client.get(path)  # type: ignore[attr-defined]
    elapsed = time.perf_counter() - start
    assert resp.status_code == 200, resp.status_code
    return elapsed


def measure(url: str, repeat: int) -> tuple[list[float], list[float], int]:
    from dataclasses import replace

    from web import create_app

    app = create_app(replace(Settings.from_env(), database_url=url))
    client = app.test_client()
    factory = app.extensions["kpr_sessions"]
    path = "/projects"  # the list page: rows, facets and totals from the facet index
    _timed_request(client, path)  # builds the index
    with factory() as session:
        ids = list(session.scalars(select(Project.id).order_by(Project.id).limit(repeat)))
    refreshed, rebuilt = [], []
    for i, pid in enumerate(ids):
        with factory() as session:  # as the edit form does: an ORM change, recorded in the history
            project = session.get(Project, pid)
            assert project is not None
            project.name = f"{project.name}（改{i}）"
            session.commit()
        refreshed.append(_timed_request(client, path))
        with factory() as session:  # the anchor: a write the stamp log cannot attribute → full rebuild
            session.execute(update(Project).where(Project.id == pid).values(description=f"基准{i}"))
            session.commit()
        rebuilt.append(_timed_request(client, path))
    with factory() as session:
        size = len(session.scalars(select(Project.id)).all())
    app.extensions["kpr_engine"].dispose()
    return refreshed, rebuilt, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="kpr-bench-refresh-") as tmp:
        for backend in args.backends.split(","):
            with fresh_database(backend, Path(tmp), "refresh") as url:
                print(f"loading {args.n:,} projects into {backend} …", file=sys.stderr, flush=True)
                synth.load(url, args.n)
                refreshed, rebuilt, size = measure(url, args.repeat)
                rows.append((backend, size, refreshed, rebuilt))
    print(f"### First list request after a one-project edit (bench_refresh.py, {args.n:,} projects, "
          f"{args.repeat} edits; load average {os.getloadavg()[0]:.1f})\n")
    print("| database | projects | after an edit: median ms | max ms | anchor: full rebuild median ms | max ms "
          "| anchor ÷ ours |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for backend, size, refreshed, rebuilt in rows:
        ours, anchor = statistics.median(refreshed) * 1000, statistics.median(rebuilt) * 1000
        print(f"| {backend} | {size:,} | {ours:.0f} | {max(refreshed) * 1000:.0f} | {anchor:.0f} "
              f"| {max(rebuilt) * 1000:.0f} | {anchor / ours:.1f}× |")
    print("\nOurs: the request after an ORM edit of one project (the index re-reads that row from the stamp log). "
          "Anchor: the request after a bulk UPDATE of one row (not attributable, so a full rebuild).")


if __name__ == "__main__":
    main()
