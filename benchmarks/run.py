"""`make bench`: run every benchmarks/bench_*.py as `python -m benchmarks.bench_x ARGS`, keep what each printed
in benchmarks/results.json (machine, commit, command, every table as columns and rows: the figures with their
units in the headers, the anchors' rows beside ours) and generate benchmarks/RESULTS.md from that file.

Usage: python -m benchmarks.run [--quick] [--only bench_queries,bench_load]
Full sizes (100,000 projects) are chosen so the whole run stays within 15 minutes on a 2-CPU machine; --quick runs
each scenario at 10,000 (in a few minutes) and writes results-quick.json / RESULTS-quick.md instead. A script that
fails (non-zero exit or timeout) is recorded as failed, and this command exits non-zero after writing the files.
"""
from __future__ import annotations

import argparse
import json
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
    "bench_load": ["--size", "100000", "--clients", "50", "--duration", "30", "--backends", "sqlite,postgresql"],
    "bench_refresh": ["--n", "100000", "--repeat", "5"],
    "bench_import": ["--n", "100000"],
}
# --quick: every scenario at 10,000 projects (or a tenth of its work), for a check after each change.
QUICK_ARGS: dict[str, list[str]] = {
    "bench_crs": ["--n", "100000", "--loop-n", "10000"],
    "bench_locate": ["--n", "100000"],
    "bench_geocode": ["--repeat", "30"],
    "bench_export": ["--n", "10000"],
    "bench_map": ["--n", "10000", "--anchor-n", "2000"],
    "bench_queries": ["--sizes", "10000", "--backends", "sqlite,postgresql", "--repeat", "5"],
    "bench_load": ["--size", "10000", "--clients", "20", "--duration", "8", "--warmup", "5",
                   "--backends", "sqlite,postgresql"],
    "bench_asof": ["--repeat", "3"],
    "bench_startup": ["--repeat", "3"],
    "bench_refresh": ["--n", "10000", "--repeat", "3"],
    "bench_import": ["--n", "10000"],
    "bench_weekly": ["--repeat", "3"],
}
TIMEOUT_S = 900  # bench_load and bench_import at 100,000 on both databases take 8-10 min on 2 cores


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


def run_one(name: str, quick: bool = False) -> Outcome:
    argv = [sys.executable, "-m", f"benchmarks.{name}", *(QUICK_ARGS if quick else ARGS).get(name, [])]
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


def tables(markdown: str) -> list[dict[str, object]]:
    """Every markdown table a script printed, as {title, columns, rows}: the title is the nearest heading or text
    line above it, the units live in the column headers ("median s", "time (s)", "× raw xlsxwriter")."""
    found: list[dict[str, object]] = []
    title, lines = "", markdown.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if line.startswith("|") and i + 1 < len(lines) and set(lines[i + 1].strip()) <= set("|-: "):
            columns = [c.strip() for c in line.strip("|").split("|")]
            rows, i = [], i + 2
            while i < len(lines) and lines[i].strip().startswith("|"):
                rows.append([c.strip() for c in lines[i].strip().strip("|").split("|")])
                i += 1
            found.append({"title": title, "columns": columns, "rows": rows})
            continue
        if line:
            title = line.lstrip("#").strip()
        i += 1
    return found


def as_record(o: Outcome) -> dict[str, object]:
    status = "ok" if o.returncode == 0 else ("timed out" if o.returncode is None else f"failed (exit {o.returncode})")
    return {"name": o.name, "command": o.command, "status": status, "returncode": o.returncode,
            "date": f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC", "commit": git_commit(),
            "seconds": round(o.seconds, 1), "load_before": round(o.load_before, 2), "load_after": round(o.load_after, 2),
            "tables": tables(o.stdout), "markdown": o.stdout.rstrip(),
            "stderr_tail": "" if o.returncode == 0 else "\n".join(o.stderr.rstrip().splitlines()[-30:])}


def section(scenario: dict[str, object]) -> list[str]:
    lines = [f"### {scenario['name']}: {scenario['status']}, {scenario['seconds']:.0f} s", "", "```sh",
             str(scenario["command"]), "```", "",
             (f"<sub>1-minute load average {scenario['load_before']:.1f} before, "
              f"{scenario['load_after']:.1f} after.</sub>"), ""]
    markdown = str(scenario["markdown"])
    if markdown.strip():
        # Each script prints its own markdown section; demote its headings one level under ours.
        lines += [("#" + line) if line.startswith("#") else line for line in markdown.splitlines()]
        lines.append("")
    if scenario["stderr_tail"]:
        lines += ["stderr (last lines):", "", "```", str(scenario["stderr_tail"]), "```", ""]
    return lines


def render(results: dict[str, object]) -> str:
    """RESULTS.md, generated from results.json alone."""
    scenarios = results["scenarios"]
    assert isinstance(scenarios, list)
    failed = [s["name"] for s in scenarios if s["status"] != "ok"]
    ran = ", ".join(str(n) for n in results.get("ran") or [])  # type: ignore[attr-defined]
    quick = " with `--quick` (10,000 projects per scenario)" if results["quick"] else ""
    lines = ["# Benchmark results" + (" (quick)" if results["quick"] else ""), "",
             (f"Generated from `{results['json']}`, written by `make bench` (`python -m benchmarks.run`){quick}; every "
              "figure below was printed by the command above it, in this run. Anchors run in the same run on the same "
              "machine."), "",
             "## Machine", "", *results["machine"], "",  # type: ignore[misc]
             f"Last run: {float(results['total_s']) / 60:.1f} min for "  # type: ignore[arg-type]
             f"{ran}; {len(scenarios)} scenarios in all, each with its own run date"
             + (f"; **failed: {', '.join(failed)}**" if failed else "; all succeeded") + ".", "",
             "## Scenarios", ""]
    for scenario in scenarios:
        lines += section(scenario)
    return "\n".join(lines).rstrip() + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default="", help="comma-separated scenario names (default: every bench_*.py)")
    parser.add_argument("--quick", action="store_true", help="every scenario at 10,000 projects, a few minutes")
    parser.add_argument("--out", type=Path, default=None,
                        help="markdown file (default: RESULTS.md, or RESULTS-quick.md with --quick)")
    args = parser.parse_args()
    stem = "results-quick" if args.quick else "results"
    out_md = args.out or HERE / ("RESULTS-quick.md" if args.quick else "RESULTS.md")
    out_json = out_md.with_name(stem + ".json") if args.out is None else args.out.with_suffix(".json")
    names = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if args.only:
        names = [n for n in names if n in set(args.only.split(","))]
    header = machine()
    scenarios = []
    started = time.perf_counter()
    for name in names:
        print(f"running {name} …", file=sys.stderr, flush=True)
        outcome = run_one(name, quick=args.quick)
        print(f"  {name}: exit {outcome.returncode} in {outcome.seconds:.0f} s", file=sys.stderr, flush=True)
        scenarios.append(as_record(outcome))
    if args.only and out_json.exists():
        # A partial run updates its scenarios in the kept file; the others keep their own date and commit.
        earlier = json.loads(out_json.read_text(encoding="utf-8"))
        ran = {s["name"] for s in scenarios}
        scenarios = sorted([s for s in earlier.get("scenarios", []) if s["name"] not in ran] + scenarios,
                           key=lambda s: str(s["name"]))
    results: dict[str, object] = {
        "json": out_json.relative_to(REPO).as_posix() if out_json.is_relative_to(REPO) else str(out_json),
        "date": f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC", "commit": git_commit(), "quick": args.quick,
        "machine": header, "total_s": round(time.perf_counter() - started, 1), "ran": names, "scenarios": scenarios}
    out_json.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    out_md.write_text(render(results), encoding="utf-8")
    print(f"wrote {out_json} and {out_md} ({float(results['total_s']) / 60:.1f} min)", file=sys.stderr)  # type: ignore[arg-type]
    if any(s["status"] != "ok" for s in scenarios):
        sys.exit(1)


if __name__ == "__main__":
    main()
