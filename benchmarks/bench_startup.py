"""CLI start-up: wall time of `kpr --help`, `kpr users list` and `kpr db current` in a fresh interpreter
(target: under 0.4 s on an idle machine), with `python -c pass` as the anchor.

Usage: python -m benchmarks.bench_startup [--repeat 7]
Prints a markdown section. Uses a throwaway SQLite database, migrated before timing.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
KPR = "from registry.cli import main; main(prog_name='kpr')"


def _timed(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, *args], env=env, cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=7, help="runs per command (the median is reported)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kpr-bench-startup-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'b.sqlite3'}"
        env = {**os.environ, "PYTHONPATH": str(REPO), "KPR_DATABASE_URL": url}
        subprocess.run([sys.executable, "-c", KPR, "db", "upgrade"], env=env, cwd=REPO, check=True,
                       stdout=subprocess.DEVNULL)
        cases = {
            "python -c pass (anchor)": ["-c", "pass"],
            "kpr --help": ["-c", KPR, "--help"],
            "kpr users list": ["-c", KPR, "users", "list"],
            "kpr db current": ["-c", KPR, "db", "current"],
        }
        print(f"### CLI start-up (bench_startup.py, median of {args.repeat} runs; load average "
              f"{os.getloadavg()[0]:.1f})\n")
        print("| command | median s | min s |")
        print("|---|---:|---:|")
        for label, argv in cases.items():
            times = [_timed(argv, env) for _ in range(args.repeat)]
            print(f"| `{label}` | {statistics.median(times):.3f} | {min(times):.3f} |")


if __name__ == "__main__":
    main()
