"""Where the map's first draw goes in headless Chromium: the page's own performance marks (kpr:*), the data
request's resource timing, and a CDP sampling profile's self time by function.

    .venv/bin/python -m benchmarks.profile_map --db /tmp/bench.sqlite3 [--n 100000] [--runs 3]

The database is bench_map's (built with --n projects when the file does not exist yet). Run 1 is the first
request after start (the server builds /map/data.json); later runs find the server cache warm.
"""
from __future__ import annotations

import argparse
import threading
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any

from benchmarks.bench_map import ARGS, CHROMIUM, build_db
from registry.config import Settings

READY = "() => document.body && document.body.dataset.kprReady === '1'"
# Marks and the data request, relative to navigation start (ms).
TIMELINE = """() => {
    const out = {};
    for (const m of performance.getEntriesByType('mark')) if (m.name.startsWith('kpr:')) out[m.name] = m.startTime;
    const data = performance.getEntriesByType('resource').find(r => r.name.includes('/map/data.json'));
    if (data) { out['data:requestStart'] = data.requestStart; out['data:responseStart'] = data.responseStart;
                out['data:responseEnd'] = data.responseEnd; out['data:bytes'] = data.encodedBodySize; }
    return out;
}"""


def _self_times(profile: dict[str, Any]) -> list[tuple[str, float]]:
    """Self time (ms) by function name and place, from a CDP Profiler profile."""
    nodes = {n["id"]: n for n in profile["nodes"]}
    ms: dict[str, float] = defaultdict(float)
    deltas = profile.get("timeDeltas", [])
    for sample, delta in zip(profile.get("samples", []), deltas[1:] + [0]):
        frame = nodes[sample]["callFrame"]
        where = frame["url"].rsplit("/", 1)[-1]
        name = frame["functionName"] or "(anonymous)"
        ms[f"{name} {where}:{frame['lineNumber'] + 1}" if where else name] += delta / 1000
    return sorted(ms.items(), key=lambda kv: -kv[1])


def _run(browser: Any, url: str, profile: bool) -> tuple[float, dict[str, float], list[tuple[str, float]]]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.on("pageerror", lambda e: print(f"page error: {e}"))
    cdp = context.new_cdp_session(page) if profile else None
    if cdp:
        cdp.send("Profiler.enable")
        cdp.send("Profiler.setSamplingInterval", {"interval": 200})
        cdp.send("Profiler.start")
    t0 = time.perf_counter()
    page.goto(url, wait_until="commit")
    page.wait_for_function(READY, polling="raf", timeout=120_000)
    wall = time.perf_counter() - t0
    marks = page.evaluate(TIMELINE)
    marks["ready (perf.now)"] = page.evaluate("() => performance.now()")
    top = _self_times(cdp.send("Profiler.stop")["profile"]) if cdp else []
    context.close()
    return wall, marks, top


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    url = f"sqlite:///{args.db.resolve()}"
    if not args.db.exists():
        build_db(url, args.n)

    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    from web import create_app

    app = create_app(replace(Settings.from_env({}), database_url=url))
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    root = f"http://127.0.0.1:{httpd.server_port}/map"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for run in range(1, args.runs + 1):
            wall, marks, top = _run(browser, root, profile=run == args.runs)
            label = "first request after start" if run == 1 else "server cache warm"
            print(f"run {run} ({label}): {wall:.2f} s wall to data-kpr-ready")
            for name, at in sorted(marks.items(), key=lambda kv: kv[1]):
                print(f"  {name:28s} {at:9.0f}" + (" bytes" if name == "data:bytes" else " ms"))
            if top:
                print(f"  CDP profile, self time, top {args.top}:")
                for name, ms in top[:args.top]:
                    print(f"    {ms:7.0f} ms  {name}")
        browser.close()
    httpd.shutdown()


if __name__ == "__main__":
    main()
