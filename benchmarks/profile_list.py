"""Profile the list page in-process (pyinstrument) at N synthetic projects: what one warm request spends.

Usage: python -m benchmarks.profile_list [--size 100000] [--db PATH] [--backend sqlite|postgresql]
                                         [--requests 40] [--out benchmarks/results/list_profile.txt]
--db reuses (or creates once) a SQLite file so before/after profiles read the same data. The mix is the
bench_queries filters; every request is warmed once (facet index built) before the profiled rounds.
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from pyinstrument import Profiler

from benchmarks import synth
from benchmarks.bench_queries import CASES, fresh_database, percentile
from registry import migrate


def profile(url: str, requests: int) -> tuple[str, list[float]]:
    os.environ["KPR_DATABASE_URL"] = url
    from web import create_app

    app = create_app()
    client = app.test_client()
    urls = [f"/projects?{urlencode(case.ours)}" for case in CASES]
    for u in urls:  # warm-up: facet index, templates, vocabulary caches
        assert client.get(u).status_code == 200, u
    times: list[float] = []
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for k in range(requests):
        u = urls[k % len(urls)]
        started = time.perf_counter()
        response = client.get(u)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, u
    profiler.stop()
    return profiler.output_text(unicode=True, color=False, show_all=False), times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--backend", default="sqlite")
    parser.add_argument("--db", help="SQLite file to reuse (created and loaded if absent)")
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--out", default="benchmarks/results/list_profile.txt")
    args = parser.parse_args()
    if args.db and args.backend == "sqlite":
        path = Path(args.db)
        url = f"sqlite:///{path}"
        if not path.exists():
            migrate.upgrade(url)
            synth.load(url, args.size)
        text, times = profile(url, args.requests)
    else:
        with tempfile.TemporaryDirectory(prefix="kpr_prof_") as tmp, \
                fresh_database(args.backend, Path(tmp), f"prof{args.size}") as url:
            synth.load(url, args.size)
            text, times = profile(url, args.requests)
    head = (f"# /projects, {args.size:,} projects, {args.backend}, {args.requests} warm requests in-process "
            f"(Flask test client) over the bench_queries filters: p50 {percentile(times, 50):.1f} ms, "
            f"p95 {percentile(times, 95):.1f} ms\n\n")
    Path(args.out).write_text(head + text, encoding="utf-8")
    print(head)


if __name__ == "__main__":
    main()
