"""Map benchmark: our page + data endpoint vs one folium.Marker per project in a MarkerCluster, same data.

Synthetic projects (default 100,000) are inserted into a throwaway SQLite (reference data from the real
seeding; the real seeds and databases are untouched). Both pages are served by the same app on 127.0.0.1 and
loaded in Debian's headless Chromium with a cold cache; "usable" = the markers are drawn (our page sets
body[data-kpr-ready]; the anchor's cluster icons appear).

    .venv/bin/python -m benchmarks.bench_map [--n 100000] [--anchor-n 100000] [--out benchmarks/results/map.md]
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import tempfile
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape
from sqlalchemy import func, insert, select

from registry import migrate
from registry.config import Settings
from registry.db import session_scope
from registry.models import (
    AdminUnit,
    IndustryChain,
    Location,
    LocationDistrict,
    Project,
    ProjectChain,
    ProjectStrategy,
    Strategy,
    Zone,
)
from registry.seeding import seed

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]
STATUSES = ("谋划", "前期", "在建", "竣工", "投产", "unknown")


def _points_in(geom: Any, n: int, rng: np.random.Generator) -> np.ndarray:
    minx, miny, maxx, maxy = geom.bounds
    out: list[np.ndarray] = []
    have = 0
    while have < n:
        xy = rng.uniform((minx, miny), (maxx, maxy), size=(n * 2, 2))
        keep = xy[shapely.contains_xy(geom, xy[:, 0], xy[:, 1])]
        out.append(keep)
        have += len(keep)
    return np.concatenate(out)[:n]


def build_db(url: str, n: int, seed_value: int = 7) -> None:
    """Migrate, load the reference data, then insert n synthetic projects with placements and links."""
    migrate.upgrade(url)
    settings = replace(Settings.from_env({}), database_url=url)
    rng = np.random.default_rng(seed_value)
    pyrng = random.Random(seed_value)
    with session_scope(settings) as session:
        seed(session, settings)
        districts = {c: shape(json.loads(g)) for c, g in session.execute(
            select(AdminUnit.adcode, AdminUnit.geometry).where(AdminUnit.group == "taiyuan",
                                                                AdminUnit.level == "county"))}
        zones = [c for c, g in session.execute(select(Zone.code, Zone.geometry)) if g]
        chains = list(session.scalars(select(IndustryChain.code)))
        strategies = list(session.scalars(select(Strategy.code)))
        next_id = (session.scalar(select(func.max(Project.id))) or 0) + 1
        next_loc = (session.scalar(select(func.max(Location.id))) or 0) + 1
        codes = sorted(districts)
        now = datetime.now(UTC)
        chunk = 10_000
        for start in range(0, n, chunk):
            size = min(chunk, n - start)
            which = rng.integers(0, len(codes), size)
            projects, locations, links, chain_rows, strat_rows = [], [], [], [], []
            for d_index in np.unique(which):
                members = np.nonzero(which == d_index)[0]
                pts = _points_in(districts[codes[int(d_index)]], len(members), rng)
                for k, i in enumerate(members.tolist()):
                    pid, lid = next_id + start + i, next_loc + start + i
                    adcode = codes[int(d_index)]
                    kind = pyrng.random()
                    precision, lon, lat, zone = 1, float(pts[k, 0]), float(pts[k, 1]), None
                    if kind > 0.6:  # 30 % known only to the district, 10 % to a zone
                        precision, lon, lat = 3, None, None
                    if kind > 0.9:
                        precision, zone = 4, pyrng.choice(zones)
                    amount = None if pyrng.random() < 0.3 else Decimal(pyrng.randint(1, 2_000_000)) / 10_000
                    projects.append({
                        "id": pid, "code": f"SYN-{start + i:06d}", "name": f"合成项目{start + i}号产业园建设工程",
                        "aliases": [], "partners": [], "kind": "产业", "status": pyrng.choice(STATUSES),
                        "total_investment": amount, "district_code": adcode, "zone_code": zone, "lon": lon,
                        "lat": lat, "precision": precision, "version": 1, "created_at": now, "updated_at": now,
                    })
                    locations.append({"id": lid, "project_id": pid, "is_primary": True, "lon": lon, "lat": lat,
                                      "district_code": adcode, "zone_code": zone, "precision": precision,
                                      "method": "synthetic", "needs_review": False})
                    links.append({"location_id": lid, "adcode": adcode, "share": 1.0})
                    chain_rows.append({"project_id": pid, "chain_code": pyrng.choice(chains)})
                    if pyrng.random() < 0.5:
                        strat_rows.append({"project_id": pid, "strategy_code": pyrng.choice(strategies),
                                           "basis": "plan"})
            session.execute(insert(Project), projects)
            session.execute(insert(Location), locations)
            session.execute(insert(LocationDistrict), links)
            session.execute(insert(ProjectChain), chain_rows)
            session.execute(insert(ProjectStrategy), strat_rows)


def naive_anchor(url: str, limit: int, asset_url: Any) -> tuple[str, float, int]:
    """One folium.Marker per project in a MarkerCluster (the usual Folium recipe), assets localised."""
    import folium
    from folium.plugins import MarkerCluster

    from registry.maps import assets
    from registry.maps.anchors import load_anchors

    settings = replace(Settings.from_env({}), database_url=url)
    t0 = time.perf_counter()
    with session_scope(settings) as session:
        anchors = load_anchors(session)
        rows = session.execute(select(Project.name, Project.lon, Project.lat, Project.district_code)
                               .order_by(Project.code).limit(limit)).all()
    fmap = folium.Map(location=(37.87, 112.55), zoom_start=9, tiles=None, maxZoom=18)
    cluster = MarkerCluster().add_to(fmap)
    drawn = 0
    for name, lon, lat, district in rows:
        if lon is None:
            if district not in anchors.districts:
                continue
            lon, lat = anchors.districts[district]
        folium.Marker((lat, lon), tooltip=folium.Tooltip(name), popup=folium.Popup(name)).add_to(cluster)
        drawn += 1
    assets.link(fmap, asset_url)
    html = fmap.get_root().render()
    return html, time.perf_counter() - t0, drawn


def _load_in_chromium(browser: Any, url: str, ready_js: str, timeout_s: float = 120) -> tuple[float, float]:
    """(wall seconds from navigation to usable, performance.now() at that moment)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.on("pageerror", lambda e: print(f"page error on {url}: {e}"))
    t0 = time.perf_counter()
    page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
    page.wait_for_function(ready_js, polling="raf", timeout=timeout_s * 1000)
    wall = time.perf_counter() - t0
    perf = float(page.evaluate("performance.now()")) / 1000
    context.close()
    return wall, perf


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--anchor-n", type=int, default=None, help="projects in the naive anchor (default: --n)")
    parser.add_argument("--out", type=Path, default=None, help="also write the markdown table here")
    parser.add_argument("--db", type=Path, default=None, help="reuse (or create) this SQLite file")
    args = parser.parse_args()
    anchor_n = args.anchor_n or args.n

    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    from web import create_app

    tmp = Path(tempfile.mkdtemp(prefix="kpr-bench-map-"))
    db_file = args.db or tmp / "bench.sqlite3"
    url = f"sqlite:///{db_file.resolve()}"
    if not db_file.exists():
        t0 = time.perf_counter()
        build_db(url, args.n)
        print(f"built {args.n} synthetic projects in {time.perf_counter() - t0:.1f} s ({url})")

    settings = replace(Settings.from_env({}), database_url=url)
    client = create_app(settings).test_client()  # Python timings on their own app: the served one stays cold
    client.get("/map/base.json")
    t0 = time.perf_counter()
    page_resp = client.get("/map")
    page_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    data_resp = client.get("/map/data.json?group_by=chain")
    data_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    client.get("/map/data.json?group_by=chain")
    cached_s = time.perf_counter() - t0
    base_size = len(client.get("/map/base.json").data)
    # What travels on the wire: the browser asks for br/gzip and the JSON twins are compressed (web/compression.py).
    wire = client.get("/map/data.json?group_by=chain", headers={"Accept-Encoding": "br, gzip"})
    wire_mb, wire_enc = len(wire.data) / 1024 / 1024, wire.headers.get("Content-Encoding", "none")
    count = data_resp.get_json()["count"]

    app = create_app(settings)
    naive_file = tmp / "naive.html"
    app.add_url_rule("/bench/naive", "bench_naive", lambda: naive_file.read_text(encoding="utf-8"))
    with app.test_request_context():
        from web.assets import asset_url

        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        naive_html, naive_s, naive_drawn = naive_anchor(url, anchor_n, asset_url)
        rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    naive_file.write_text(naive_html, encoding="utf-8")

    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    root = f"http://127.0.0.1:{httpd.server_port}"
    # Function strings, not expressions: the page's CSP forbids eval, which Playwright uses for expressions.
    ready = "() => document.body && document.body.dataset.kprReady === '1'"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        cold_wall, _ = _load_in_chromium(browser, root + "/map", ready)  # server builds data + boundaries
        ours_wall, ours_perf = _load_in_chromium(browser, root + "/map", ready)  # next visitor: server cache warm
        naive_wall, naive_perf = _load_in_chromium(
            browser, root + "/bench/naive", "() => document.querySelectorAll('.marker-cluster, .leaflet-marker-icon').length > 0")
        browser.close()
    httpd.shutdown()

    ours_kb = len(page_resp.data) / 1024
    naive_kb = len(naive_html.encode()) / 1024
    rows = [
        ("our page (`/map`) + `fetch()` of `/map/data.json`",
         f"{page_s:.2f} s page + {data_s:.2f} s data ({cached_s:.2f} s cached)",
         (f"{ours_kb:.0f} KB page + {len(data_resp.data) / 1024 / 1024:.1f} MB data ({wire_mb:.1f} MB on the wire, "
         f"{wire_enc}) + {base_size / 1024:.0f} KB boundaries"),
         f"{ours_wall:.2f} s server cache warm ({ours_perf:.2f} s perf.now); {cold_wall:.2f} s first request after start/change",
         f"{count:,} matched"),
        (f"anchor: one `folium.Marker` each in a `MarkerCluster` ({anchor_n:,} projects)",
         f"{naive_s:.1f} s (+{(rss1 - rss0) / 1024:.0f} MB peak RSS)", f"{naive_kb / 1024:.1f} MB",
         f"{naive_wall:.2f} s ({naive_perf:.2f} s perf.now)", f"{naive_drawn:,} markers"),
    ]
    table = ["| approach | Python render | HTML / bytes | headless Chromium load → markers drawn | notes |",
             "|---|---|---|---|---|"]
    table += [f"| {' | '.join(r)} |" for r in rows]
    scope = "" if anchor_n == args.n else f" (anchor at {anchor_n:,}, ours at {args.n:,})"
    table.append(f"| ratio anchor / ours{scope} | {naive_s / (page_s + data_s):.0f}× | {naive_kb / ours_kb:.0f}× (page only) "
                 f"| {naive_wall / ours_wall:.1f}× | |")
    verdict = (f"Targets: page < 200 KB → {'met' if ours_kb < 200 else 'MISSED'} ({ours_kb:.0f} KB); "
               f"usable < 2 s → {'met' if ours_wall < 2 else 'MISSED'} ({ours_wall:.2f} s); "
               f"data ≤ 3 MB on the wire → {'met' if wire_mb <= 3 else 'MISSED'} ({wire_mb:.1f} MB, {wire_enc}).")
    text = "\n".join(table) + "\n\n" + verdict + "\n"
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(f"# Map benchmark ({args.n:,} synthetic projects, one run)\n\n"
                            f"`python -m benchmarks.bench_map --n {args.n} --anchor-n {anchor_n}`\n\n" + text,
                            encoding="utf-8")


if __name__ == "__main__":
    main()
