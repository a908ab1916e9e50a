"""Load: gunicorn serving the app (SQLite and PostgreSQL) under two mixes, measured and reported apart:

- pages: N concurrent clients for a fixed time on the list page (a few filters), /projects.json pages and
  /map/data.json: what browsing users ask for;
- exports: a few concurrent clients on CSV/xlsx downloads of a filtered view and of the whole registry, which
  hold a worker thread for seconds to minutes each and would otherwise dominate the pages' latency figures.

Only on 127.0.0.1; each mix stops sending after --duration seconds (answers in flight are awaited).

Usage: python -m benchmarks.bench_load [--size 100000] [--clients 50] [--duration 60] [--backends sqlite,postgresql]
                                       [--workers 3] [--threads 4] [--export-clients 4] [--mixes pages,exports]
Server: gunicorn gthread (workers × threads) by default, as a deployment on this 2-core machine would run it:
one process per core plus one, each with a few threads so a request waiting on the database or the socket does
not hold a whole process. --threads 1 runs sync workers. The report names the configuration measured.
Each client (an asyncio task with its own connection) requests the next URL of its mix as soon as its last
answer arrived. An error is a non-2xx answer, a timeout or a broken connection.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

from benchmarks import synth
from benchmarks.bench_queries import free_port, fresh_database, gunicorn_argv, percentile, server

# Filtered like a page view: each data request selects one small zone or filter (a few hundred of 100k
# projects). Whole-district exports (thousands of rows each) saturate 2 CPUs at ~1.5 req/s: see
# benchmarks/results/load_heavy_mix.md; they are in the exports mix now.
MIXES: dict[str, tuple[tuple[str, str], ...]] = {
    "pages": (
        ("list", "/projects?district=小店区&status=在建"),
        ("list", "/projects?chain=nextgen_it&page=2"),
        ("list", "/projects?zone=xishan"),
        ("list", "/projects"),
        ("json", "/projects.json?zone=tanghuai"),
        ("json", "/projects.json?limit=50&offset=500"),
        ("map", "/map/data.json?zone=xiaohe"),
    ),
    # What staff download for a meeting: a zone's or a district's list. The whole registry's spreadsheet
    # (minutes at 100k with other downloads running) is measured alone by bench_export.
    "exports": (
        ("csv (zone)", "/projects.csv?zone=xiaohe"),
        ("xlsx (zone)", "/projects.xlsx?zone=xuefu"),
        ("csv (district)", "/projects.csv?district=阳曲县"),
        ("xlsx (district)", "/projects.xlsx?district=清徐县"),
    ),
}
CANDIDATES = tuple(pair for mix in MIXES.values() for pair in mix)
WARM_MS = 5000  # a warm-up round slower than this still had a worker building its facet index


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)  # kind → ms
    errors: Counter[str] = field(default_factory=Counter)
    bytes: int = 0


async def client_loop(client: httpx.AsyncClient, urls: Sequence[tuple[str, str]], offset: int, deadline: float,
                      tally: Tally) -> None:
    i = offset
    while time.monotonic() < deadline:
        kind, url = urls[i % len(urls)]
        i += 1
        start = time.perf_counter()
        try:
            response = await client.get(url)
            body = response.content
        except httpx.HTTPError as exc:
            tally.errors[f"{kind}: {type(exc).__name__}"] += 1
            continue
        elapsed = (time.perf_counter() - start) * 1000
        if response.status_code >= 300:
            tally.errors[f"{kind}: HTTP {response.status_code}"] += 1
            continue
        tally.latencies.setdefault(kind, []).append(elapsed)
        tally.bytes += len(body)


async def run_load(base: str, urls: Sequence[tuple[str, str]], clients: int, duration: float,
                   timeout: float) -> Tally:
    tally = Tally()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=timeout, limits=limits) as client:
        deadline = time.monotonic() + duration
        await asyncio.gather(*(client_loop(client, urls, k, deadline, tally) for k in range(clients)))
    return tally


def available(base: str, wanted: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The URLs this app answers (endpoints being added by others may not exist yet). One request per path,
    with the first (filtered, cheap) URL of that path: a whole-registry export is not fetched to check it."""
    found, answered = [], {}
    with httpx.Client(base_url=base, timeout=600) as client:
        for kind, url in wanted:
            path = url.split("?")[0]
            if path not in answered:
                answered[path] = client.get(url).status_code == 200
            if answered[path]:
                found.append((kind, url))
    return found


@dataclass(frozen=True)
class MixResult:
    backend: str
    mix: str
    clients: int
    urls: list[tuple[str, str]]
    seconds: float
    tally: Tally
    peak_rss_mb: float


def server_rss_mb(pid: int) -> float:
    proc = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [proc, *proc.children(recursive=True)]) / 2**20


async def sample_rss(pid: int, done: asyncio.Event, peak: list[float]) -> None:
    while not done.is_set():
        peak[0] = max(peak[0], server_rss_mb(pid))
        try:
            await asyncio.wait_for(done.wait(), timeout=1)
        except TimeoutError:
            pass


def run_mix(base: str, pid: int, urls: Sequence[tuple[str, str]], clients: int, duration: float,
            timeout: float) -> tuple[Tally, float, float]:
    """(tally, seconds from first request to last answer, server peak RSS MiB)."""
    peak = [server_rss_mb(pid)]

    async def both() -> Tally:
        done = asyncio.Event()
        sampler = asyncio.create_task(sample_rss(pid, done, peak))
        try:
            return await run_load(base, urls, clients, duration, timeout)
        finally:
            done.set()
            await sampler

    started = time.perf_counter()
    tally = asyncio.run(both())
    return tally, time.perf_counter() - started, peak[0]


# gthread closes a kept-alive connection whose next request still waits in its queue when the keep-alive time
# (2 s by default) runs out, which happens under 50 clients; a browser resends such a request, httpx reports
# an error. A keep-alive longer than the longest queueing keeps that from being counted as a failure.
KEEP_ALIVE_S = 10


def server_extra(args: argparse.Namespace) -> list[str]:
    if args.threads <= 1:
        return []
    return ["--worker-class", "gthread", "--threads", str(args.threads), "--keep-alive", str(KEEP_ALIVE_S)]


def server_words(args: argparse.Namespace) -> str:
    kind = f"gthread × {args.threads} threads, keep-alive {KEEP_ALIVE_S} s" if args.threads > 1 else "sync"
    return f"gunicorn {args.workers} workers ({kind})"


def warm_up(base: str, pid: int, args: argparse.Namespace) -> None:
    """Not measured: every worker builds its facet index on its first list request, as after a restart or a
    data change (bench_queries reports that build time: tens of seconds at 100k on a loaded machine). Which
    worker takes a connection is not ours to choose, so the pages mix runs in rounds of --warmup seconds
    until a round has no answer slower than WARM_MS (no worker still building), at most 10 rounds."""
    urls = available(base, MIXES["pages"])
    before = float("inf")
    for _ in range(10):
        tally, _, _ = run_mix(base, pid, urls, args.clients, args.warmup, 300)
        slowest = max((ms for values in tally.latencies.values() for ms in values), default=0.0)
        print(f"warm-up round: slowest answer {slowest:.0f} ms", file=sys.stderr, flush=True)
        # Fast enough, or no faster than the round before: queueing under load, not a build, is left.
        if not tally.errors and (slowest < WARM_MS or slowest > 0.8 * before):
            return
        before = slowest


def measure(backend: str, args: argparse.Namespace, workdir: Path) -> list[MixResult]:
    out = []
    with fresh_database(backend, workdir, f"load{args.size}") as url:
        synth.load(url, args.size)
        port = free_port()
        with server(gunicorn_argv(port, args.workers, server_extra(args)), port, {"KPR_DATABASE_URL": url},
                    "/projects?district=小店区") as proc:
            base = f"http://127.0.0.1:{port}"
            warm_up(base, proc.pid, args)
            for mix in args.mixes:
                urls = available(base, MIXES[mix])
                clients = args.clients if mix == "pages" else args.export_clients
                # An export of the whole registry takes minutes on a loaded machine: not a timeout error.
                timeout = 120 if mix == "pages" else 900
                tally, seconds, peak = run_mix(base, proc.pid, urls, clients, args.duration, timeout)
                out.append(MixResult(backend, mix, clients, urls, seconds, tally, peak))
                # Each mix's table as soon as it is measured: a later failure or interruption does not lose it.
                print(report(out[-1:], args), file=sys.stderr, flush=True)
                print(f"{backend} {mix}: {sum(map(len, tally.latencies.values()))} answers in {seconds:.0f} s",
                      file=sys.stderr, flush=True)
    return out


def report(results: Sequence[MixResult], args: argparse.Namespace) -> str:
    lines = [(f"## Load (bench_load.py; {args.size:,} projects; {server_words(args)}; on 127.0.0.1, "
              f"{os.cpu_count()} CPUs)\n"),
             ("The load generator (Python asyncio + httpx) runs on the same machine and competes for its CPUs. "
              "The two mixes run one after the other against the same server, each for "
              f"{args.duration:g} s of sending (answers in flight are awaited: 'seconds' is the whole span, "
              f"and req/s is answers ÷ that span), after warm-up rounds of {args.warmup:g} s of the pages mix, "
              f"not measured, until no answer took {WARM_MS / 1000:g} s or more (each worker builds its facet index on its first list "
              "request).\n")]
    for mix in args.mixes:
        of_mix = [r for r in results if r.mix == mix]
        if not of_mix:
            continue
        lines += [f"### Mix '{mix}' ({of_mix[0].clients} concurrent clients)\n",
                  "| database | endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | max ms |",
                  "|---|---|---:|---:|---:|---:|---:|---:|"]
        for r in of_mix:
            for kind, values in sorted(r.tally.latencies.items()):
                lines.append(f"| {r.backend} | {kind} | {len(values):,} | {len(values) / r.seconds:.1f} | "
                             f"{percentile(values, 50):.0f} | {percentile(values, 95):.0f} | "
                             f"{percentile(values, 99):.0f} | {max(values):.0f} |")
            every = [ms for values in r.tally.latencies.values() for ms in values]
            errors = sum(r.tally.errors.values())
            lines.append(f"| {r.backend} | **all** | {len(every):,} | **{len(every) / r.seconds:.1f}** | "
                         f"{percentile(every, 50):.0f} | **{percentile(every, 95):.0f}** | "
                         f"{percentile(every, 99):.0f} | {max(every):.0f} |"
                         if every else f"| {r.backend} | **all** | 0 | 0 | — | — | — | — |")
            detail = f" ({dict(r.tally.errors)})" if errors else ""
            lines.append(f"| {r.backend} | errors | **{errors}**{detail} | | | | | |")
        lines.append("")
        for r in of_mix:
            missing = sorted({k for k, _ in MIXES[mix]} - {k for k, _ in r.urls})
            lines.append(f"- {r.backend}: {r.seconds:.0f} s; {r.tally.bytes / 2**20:.0f} MiB served; server peak "
                         f"RSS {r.peak_rss_mb:.0f} MiB (master + workers); URLs: "
                         + ", ".join(f"`{u}`" for _, u in r.urls)
                         + (f"; not in the app (404): {', '.join(missing)}" if missing else ""))
        lines.append("")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000, help="synthetic projects in the database")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients of the pages mix")
    parser.add_argument("--export-clients", type=int, default=4, help="concurrent clients of the exports mix")
    parser.add_argument("--duration", type=float, default=60, help="seconds of sending per mix and database")
    parser.add_argument("--warmup", type=float, default=10, help="seconds of the pages mix before measuring")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--mixes", default="pages,exports", help="pages, exports or both (measured apart)")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1,
                        help="gunicorn workers (default CPUs + 1: each holds its own facet index)")
    parser.add_argument("--threads", type=int, default=4, help=">1: gthread workers with this many threads; "
                        "1: sync workers")
    args = parser.parse_args()
    args.mixes = [m.strip() for m in args.mixes.split(",") if m.strip()]
    unknown = set(args.mixes) - set(MIXES)
    if unknown:
        parser.error(f"unknown mix {sorted(unknown)}; expected {sorted(MIXES)}")
    results: list[MixResult] = []
    with tempfile.TemporaryDirectory(prefix="kpr_bench_") as tmp:
        for backend in (b.strip() for b in args.backends.split(",") if b.strip()):
            results += measure(backend, args, Path(tmp))
            print(f"loaded {backend}", file=sys.stderr, flush=True)
    print(report(results, args))
    if any(r.tally.errors for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
