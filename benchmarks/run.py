"""`make bench`: run every benchmarks/bench_*.py as `python -m benchmarks.bench_x ARGS` and assemble
benchmarks/RESULTS.md (machine, date, and per scenario the exact command with its printed markdown).

Usage: python -m benchmarks.run [--only bench_queries,bench_load] [--out benchmarks/RESULTS.md]
Sizes below are chosen so the whole run stays within 15 minutes on a 2-CPU machine. A script that fails
(non-zero exit or timeout) is recorded as failed, and this command exits non-zero after writing the file.
"""
from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psutil
from sqlalchemy import create_engine, text

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PG_ADMIN_URL = os.environ.get("KPR_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
# Arguments per scenario (read each script's --help); scripts not listed run with their own defaults.
ARGS: dict[str, list[str]] = {
    "bench_crs": ["--n", "1000000", "--loop-n", "100000"],
    "bench_locate": ["--n", "1000000"],
    "bench_geocode": ["--repeat", "300"],
    "bench_export": ["--n", "50000"],  # 100k takes ~5 min here (pandas.to_excel)
    "bench_map": ["--n", "100000", "--anchor-n", "10000"],
    "bench_queries": ["--sizes", "1000,10000,100000", "--backends", "sqlite,postgresql", "--repeat", "15"],
    "bench_load": ["--size", "100000", "--clients", "50", "--duration", "60", "--backends", "sqlite,postgresql"],
}
TIMEOUT_S = 600


@dataclass(frozen=True)
class Outcome:
    name: str
    command: str
    returncode: int | None  # None: timed out
    seconds: float
    stdout: str
    stderr: str
    load_before: float
    load_after: float


def machine() -> list[str]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    try:
        engine = create_engine(PG_ADMIN_URL)
        with engine.connect() as conn:
            pg = str(conn.execute(text("SHOW server_version")).scalar_one())
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 (report, do not fail: bench_queries/bench_load fail loudly themselves)
        pg = f"not reachable ({type(exc).__name__})"
    return [
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; commit `{git_commit()}`",
        f"- CPU: {cpu}; `nproc` = {os.cpu_count()}; memory {psutil.virtual_memory().total / 2**30:.1f} GiB",
        f"- OS: {platform.platform()}",
        f"- Python {platform.python_version()}; SQLite {sqlite3.sqlite_version}; PostgreSQL {pg} (127.0.0.1:5432)",
    ]


def git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def run_one(name: str) -> Outcome:
    argv = [sys.executable, "-m", f"benchmarks.{name}", *ARGS.get(name, [])]
    command = " ".join(["python", *argv[1:]])
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    try:
        proc = subprocess.run(argv, check=False, cwd=REPO, capture_output=True, text=True, timeout=TIMEOUT_S)
        code: int | None = proc.returncode
        stdout, stderr = proc.stdout, proc.stderr
    except subprocess.TimeoutExpired as exc:
        code = None
        stdout = (exc.stdout or b"").decode(errors="replace") if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        stderr = (exc.stderr or b"").decode(errors="replace") if isinstance(exc.stderr, bytes) else (exc.stderr or "")
    return Outcome(name, command, code, time.perf_counter() - started, stdout, stderr, load_before,
                   os.getloadavg()[0])


def section(o: Outcome) -> list[str]:
    status = "ok" if o.returncode == 0 else ("TIMED OUT" if o.returncode is None else f"FAILED (exit {o.returncode})")
    lines = [f"### {o.name}: {status}, {o.seconds:.0f} s", "", "```sh", o.command, "```", "",
             f"<sub>1-minute load average {o.load_before:.1f} before, {o.load_after:.1f} after.</sub>", ""]
    if o.stdout.strip():
        # Each script prints its own markdown section; demote its headings one level under ours.
        lines += [("#" + line) if line.startswith("#") else line for line in o.stdout.rstrip().splitlines()]
        lines.append("")
    if o.returncode != 0:
        tail = "\n".join(o.stderr.rstrip().splitlines()[-30:])
        lines += ["stderr (last lines):", "", "```", tail, "```", ""]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="", help="comma-separated scenario names (default: every bench_*.py)")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    names = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if args.only:
        names = [n for n in names if n in set(args.only.split(","))]
    header = machine()
    outcomes = []
    started = time.perf_counter()
    for name in names:
        print(f"running {name} …", file=sys.stderr, flush=True)
        outcome = run_one(name)
        print(f"  {name}: exit {outcome.returncode} in {outcome.seconds:.0f} s", file=sys.stderr, flush=True)
        outcomes.append(outcome)
    total = time.perf_counter() - started
    failed = [o.name for o in outcomes if o.returncode != 0]
    lines = ["# Benchmark results", "",
             ("Written by `make bench` (`python -m benchmarks.run`); every figure below was printed by the command "
             "above it, in this run. Anchors run in the same run on the same machine."), "",
             "## Machine", "", *header, "",
             f"Total: {total / 60:.1f} min for {len(outcomes)} scenarios"
             + (f"; **failed: {', '.join(failed)}**" if failed else "; all succeeded") + ".", "",
             "## Scenarios", ""]
    for outcome in outcomes:
        lines += section(outcome)
    args.out.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({total / 60:.1f} min)", file=sys.stderr)
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
