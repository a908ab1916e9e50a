"""Load: gunicorn serving the app (SQLite and PostgreSQL), N concurrent clients for a fixed time on the list
page, /projects.json, /map/data.json (if the app has it) and the exports (/projects.csv, /projects.xlsx if
present). Only on 127.0.0.1; stops by itself after --duration seconds.

Usage: python -m benchmarks.bench_load [--size 100000] [--clients 50] [--duration 60] [--backends sqlite,postgresql]
                                       [--workers 5]
Each client (an asyncio task with its own connection) requests the next URL of the mix as soon as its last
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

# Filtered like a page view: each data/export request selects one small zone (a few hundred of 100k
# projects). Whole-district exports (thousands of rows each) saturate 2 CPUs at ~1.5 req/s: see
# benchmarks/results/load_heavy_mix.md.
CANDIDATES = (
    ("list", "/projects?district=小店区&status=在建"),
    ("list", "/projects?chain=nextgen_it&page=2"),
    ("json", "/projects.json?zone=tanghuai"),
    ("map", "/map/data.json?zone=xiaohe"),
    ("csv", "/projects.csv?zone=xiaohe"),
    ("xlsx", "/projects.xlsx?zone=xuefu"),
)


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


async def run_load(base: str, urls: Sequence[tuple[str, str]], clients: int, duration: float) -> Tally:
    tally = Tally()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
        deadline = time.monotonic() + duration
        await asyncio.gather(*(client_loop(client, urls, k, deadline, tally) for k in range(clients)))
    return tally


def available(base: str) -> list[tuple[str, str]]:
    """The candidate URLs this app answers (endpoints being added by others may not exist yet)."""
    found = []
    with httpx.Client(base_url=base, timeout=120) as client:
        for kind, url in CANDIDATES:
            if client.get(url).status_code == 200:
                found.append((kind, url))
    return found


@dataclass(frozen=True)
class LoadResult:
    backend: str
    urls: list[tuple[str, str]]
    seconds: float
    tally: Tally
    peak_rss_mb: float


def server_rss_mb(pid: int) -> float:
    proc = psutil.Process(pid)
    return sum(p.memory_info().rss for p in [proc, *proc.children(recursive=True)]) / 2**20


async def sample_rss(pid: int, until: float, peak: list[float]) -> None:
    while time.monotonic() < until:
        peak[0] = max(peak[0], server_rss_mb(pid))
        await asyncio.sleep(1)


def measure(backend: str, args: argparse.Namespace, workdir: Path) -> LoadResult:
    with fresh_database(backend, workdir, f"load{args.size}") as url:
        synth.load(url, args.size)
        port = free_port()
        extra = ["--worker-class", "gthread", "--threads", str(args.threads)] if args.threads > 1 else []
        with server(gunicorn_argv(port, args.workers, extra), port, {"KPR_DATABASE_URL": url},
                    "/projects?district=小店区") as proc:
            base = f"http://127.0.0.1:{port}"
            urls = available(base)
            peak = [server_rss_mb(proc.pid)]

            async def both() -> Tally:
                until = time.monotonic() + args.duration
                tally, _ = await asyncio.gather(run_load(base, urls, args.clients, args.duration),
                                                sample_rss(proc.pid, until, peak))
                return tally

            started = time.perf_counter()
            tally = asyncio.run(both())
            seconds = time.perf_counter() - started
    return LoadResult(backend, urls, seconds, tally, peak[0])


def report(results: Sequence[LoadResult], args: argparse.Namespace) -> str:
    server_kind = f"gthread, {args.threads} threads each" if args.threads > 1 else "sync"
    lines = [(f"## Load (bench_load.py; {args.size:,} projects; gunicorn {args.workers} workers ({server_kind}); "
             f"{args.clients} concurrent clients for {args.duration:g} s on 127.0.0.1)\n"),
             "The load generator (Python asyncio + httpx) runs on the same machine and competes for its CPUs.\n",
             "| database | endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | max ms |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        for kind, values in sorted(r.tally.latencies.items()):
            lines.append(f"| {r.backend} | {kind} | {len(values):,} | {len(values) / r.seconds:.1f} | "
                         f"{percentile(values, 50):.0f} | {percentile(values, 95):.0f} | "
                         f"{percentile(values, 99):.0f} | {max(values):.0f} |")
        every = [ms for values in r.tally.latencies.values() for ms in values]
        errors = sum(r.tally.errors.values())
        lines.append(f"| {r.backend} | **all** | {len(every):,} | **{len(every) / r.seconds:.1f}** | "
                     f"{percentile(every, 50):.0f} | {percentile(every, 95):.0f} | {percentile(every, 99):.0f} | "
                     f"{max(every):.0f} |" if every else f"| {r.backend} | **all** | 0 | 0 | — | — | — | — |")
        detail = f" ({dict(r.tally.errors)})" if errors else ""
        lines.append(f"| {r.backend} | errors | **{errors}**{detail} | | | | | |")
    lines.append("")
    for r in results:
        missing = sorted({k for k, _ in CANDIDATES} - {k for k, _ in r.urls})
        lines.append(f"- {r.backend}: {r.tally.bytes / 2**20:.0f} MiB served; server peak RSS "
                     f"{r.peak_rss_mb:.0f} MiB (master + workers); URLs: "
                     + ", ".join(f"`{u}`" for _, u in r.urls)
                     + (f"; not in the app (404): {', '.join(missing)}" if missing else ""))
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=100_000, help="synthetic projects in the database")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients")
    parser.add_argument("--duration", type=float, default=60, help="seconds of load per database")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1,
                        help="gunicorn workers (default 2 × CPUs + 1, gunicorn's advice)")
    parser.add_argument("--threads", type=int, default=1, help=">1: gthread workers with this many threads")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="kpr_bench_") as tmp:
        for backend in (b.strip() for b in args.backends.split(",") if b.strip()):
            results.append(measure(backend, args, Path(tmp)))
            print(f"loaded {backend}", file=sys.stderr, flush=True)
    print(report(results, args))
    if any(r.tally.errors for r in results):
        sys.exit(1)


if __name__ == "__main__":
    main()
