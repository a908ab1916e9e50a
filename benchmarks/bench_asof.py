"""The registry as of a date (registry/asof.py): what the rewind costs per request on the seeded registry.

History: the seed (2025-01-01), an edit of every project's 总投资 and status (2025-06-01), six months of 调度
figures for every project (2025-07-05). Each page is asked for today (the anchor: the same view, no rewind)
and as of days that undo nothing, the progress, the progress and the edits, and everything (all created
later). Median of --repeat requests through the Flask test client, per backend.

Usage: python -m benchmarks.bench_asof [--repeat 5] [--backends sqlite,postgresql]
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select, update

from benchmarks.bench_queries import fresh_database
from registry import history
from registry.config import Settings
from registry.db import make_engine, make_session_factory
from registry.models import ChangeSet, Project, ProjectProgress

DAYS = {"today (anchor)": None, "2025-07-10 (undoes nothing)": "2025-07-10",
        "2025-06-15 (undoes 调度 months)": "2025-06-15", "2025-05-01 (months + edits)": "2025-05-01",
        "2024-12-31 (before the seed)": "2024-12-31"}
PAGES = ("/projects.json?limit=50", "/projects", "/map/data.json", "/stats.json")


def _history(url: str, workdir: Path) -> tuple[Settings, int, int]:
    from registry.placement import default_placer
    from registry.seeding import seed

    os.environ["KPR_DATABASE_URL"], os.environ["KPR_INSTANCE_DIR"] = url, str(workdir)
    settings = Settings.from_env()
    engine = make_engine(url)
    factory = make_session_factory(engine)
    with factory() as s:
        seed(s, settings, placer=default_placer(s, settings))
        s.commit()
        s.execute(update(ChangeSet).where(ChangeSet.kind == "seed").values(at=datetime(2025, 1, 1, tzinfo=UTC)))
        s.commit()
        history.begin(s, "edit", comment="bench")
        projects = list(s.scalars(select(Project)))
        for p in projects:
            p.total_investment = (p.total_investment or Decimal(0)) + 1
            p.status = "在建"
        s.commit()
        s.execute(update(ChangeSet).where(ChangeSet.kind == "edit").values(at=datetime(2025, 6, 1, tzinfo=UTC)))
        history.begin(s, "progress-import", file_name="bench.xlsx")
        for p in projects:
            for m in range(1, 7):
                s.add(ProjectProgress(project_id=p.id, year=2025, month=m, plan_investment=Decimal(12),
                                      completed_investment=Decimal(m), image_progress="施工"))
        s.commit()
        s.execute(update(ChangeSet).where(ChangeSet.kind == "progress-import")
                  .values(at=datetime(2025, 7, 5, tzinfo=UTC)))
        s.commit()
    engine.dispose()
    return settings, len(projects), len(projects) * 6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    from web import create_app

    print(f"### As-of reads (bench_asof.py, median of {args.repeat} requests, Flask test client; load average "
          f"{os.getloadavg()[0]:.1f})\n")
    for backend in args.backends.split(","):
        with tempfile.TemporaryDirectory(prefix="kpr-bench-asof-") as tmp, \
                fresh_database(backend, Path(tmp), "asof") as url:
            settings, projects, months = _history(url, Path(tmp))
            client = create_app(settings).test_client()
            print(f"{backend}: {projects} seeded projects, {months} 调度 months\n")
            print("| page | " + " | ".join(DAYS) + " |")
            print("|---|" + "---:|" * len(DAYS))
            for page in PAGES:
                cells = []
                for day in DAYS.values():
                    url_ = page + (("&" if "?" in page else "?") + f"as_of={day}" if day else "")
                    times = []
                    for _ in range(args.repeat):
                        start = time.perf_counter()
                        resp = client.get(url_)
                        times.append(time.perf_counter() - start)
                        assert resp.status_code == 200, (url_, resp.status_code)
                    cells.append(f"{statistics.median(times) * 1000:.0f} ms")
                print(f"| `{page}` | " + " | ".join(cells) + " |")
            print()


if __name__ == "__main__":
    main()
