"""An editor's weekly sheet through the web: a CSV of 20 seeded projects with a changed 项目简介, uploaded to
/import as a preview and then applied, again and again in one server process (the way an editor works through a
week's sheets), on the seeded registry (425 projects, SQLite).

Anchor, in the same run: building the geocoder from the geodata layers (what every import paid before the
process kept one geocoder: each upload built its own). Also in the same run, the core import of the same sheet
with a geocoder built for it, as every import ran before.

Usage: python -m benchmarks.bench_weekly [--rows 20] [--repeat 7]
Prints a markdown section.
"""
from __future__ import annotations

import argparse
import csv
import io
import os
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from flask.testing import FlaskClient

from registry import migrate
from registry.config import Settings
from registry.db import session_scope
from registry.geocode import Geocoder
from registry.importer.run import import_file
from registry.seeding import seed
from registry.users import add_user
from web import create_app

PASSWORD = "bench-weekly-1"


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html)
    if not found:
        raise SystemExit("the page has no csrf_token field")
    return found.group(1)


def _sheet(export: str, rows: int, week: int) -> bytes:
    """The first `rows` projects of the registry's own CSV export, each with this week's 项目简介."""
    table = list(csv.reader(io.StringIO(export.lstrip("\ufeff"))))
    header, body = table[0], table[1:rows + 1]
    column = header.index("项目简介")
    for row in body:
        row[column] = f"第{week}周核对：{row[column]}"[:2000]
    out = io.StringIO()
    csv.writer(out).writerows([header, *body])
    return out.getvalue().encode("utf-8-sig")


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _upload(client: FlaskClient, sheet: bytes, action: str) -> None:
    token = _csrf(client.get("/import").get_data(as_text=True))
    resp = client.post("/import", data={"file": (io.BytesIO(sheet), "本周.csv"), "action": action,
                                        "csrf_token": token}, content_type="multipart/form-data")
    if resp.status_code != 200:
        raise SystemExit(f"/import {action} answered {resp.status_code}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=20, help="projects in the weekly sheet")
    parser.add_argument("--repeat", type=int, default=7, help="uploads of each kind (the median is reported)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kpr-bench-weekly-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'weekly.sqlite3'}"
        migrate.upgrade(url)
        settings = replace(Settings.from_env({}), database_url=url, instance_dir=Path(tmp))
        with session_scope(settings) as session:
            seed(session, settings, placer=Geocoder.from_geodata(settings.geodata_dir))
            add_user(session, "editor", PASSWORD, "editor")
        load = os.getloadavg()[0]

        anchor = [_timed(lambda: Geocoder.from_geodata(settings.geodata_dir)) for _ in range(3)]

        client = create_app(settings).test_client()
        client.post("/login", data={"username": "editor", "password": PASSWORD,
                                    "csrf_token": _csrf(client.get("/login").get_data(as_text=True))})
        export = client.get("/projects.csv").get_data(as_text=True)
        sheets = [_sheet(export, args.rows, week) for week in range(1, 2 * args.repeat + 2)]
        first = _timed(lambda: _upload(client, sheets[0], "preview"))  # the process's first: builds the geocoder
        previews = [_timed(lambda s=s: _upload(client, s, "preview")) for s in sheets[1:args.repeat + 1]]
        applied = [_timed(lambda s=s: _upload(client, s, "apply")) for s in sheets[args.repeat + 1:]]
        if f"第{len(sheets)}周核对" not in client.get("/projects.csv").get_data(as_text=True):
            raise SystemExit("the last applied sheet is not in the registry")

        def built_per_import(sheet: bytes) -> None:  # the import as it ran before: a geocoder of its own
            path = Path(tmp) / "sheet.csv"
            path.write_bytes(sheet)
            with session_scope(settings) as session:
                import_file(session, path, dry_run=True, settings=settings,
                            placer=Geocoder.from_geodata(settings.geodata_dir))
        before = [_timed(lambda s=s: built_per_import(s)) for s in sheets[1:args.repeat + 1]]

    build = statistics.median(anchor)
    print(f"### A weekly sheet of {args.rows} projects through /import (bench_weekly.py; seeded registry, SQLite; "
          f"median of {args.repeat}; load average {load:.1f})\n")
    print("| run | median s | × geocoder build |")
    print("|---|---:|---:|")
    rows = [("preview, the process's first upload", first),
            ("preview, later uploads", statistics.median(previews)),
            ("apply, later uploads", statistics.median(applied)),
            ("core dry run with a geocoder built for it (every import before)", statistics.median(before)),
            ("anchor: building the geocoder", build)]
    for label, seconds in rows:
        print(f"| {label} | {seconds:.3f} | {seconds / build:.2f} |")


if __name__ == "__main__":
    main()
