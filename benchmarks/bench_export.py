"""Export and import throughput: our xlsx writer vs raw xlsxwriter (constant_memory) vs pandas.to_excel.

Each writer runs in its own subprocess so peak RSS is its own. Rows are synthetic ProjectRow objects made
in-process (Chinese names, amounts, lists, a location), never loaded into a database.

Usage: python -m benchmarks.bench_export [--n 100000] [--out benchmarks/results/export.md]
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

from registry.records import DistrictShare, LocationRow, ProjectRow, SourceRef

DISTRICTS = [("140105", "小店区"), ("140106", "迎泽区"), ("140107", "杏花岭区"), ("140108", "尖草坪区"),
             ("140109", "万柏林区"), ("140110", "晋源区"), ("140121", "清徐县"), ("140122", "阳曲县")]
WORDS = "新能源汽车电子信息装备制造现代医药食品加工信创大数据轨道交通新材料文化旅游物流枢纽生态修复"


def synth_rows(n: int) -> Iterator[ProjectRow]:
    for i in range(n):
        adcode, district = DISTRICTS[i % len(DISTRICTS)]
        word = WORDS[i % 30: i % 30 + 6]
        lon, lat = (112.4 + (i % 997) / 3000, 37.7 + (i % 991) / 3000) if i % 3 else (None, None)
        loc = LocationRow(geometry=None, lon=lon, lat=lat, input_crs="wgs84" if lon else None,
                          place_text=f"{district}{word}路{i % 300}号", districts=(DistrictShare(adcode, district, None),),
                          zone_code=None, zone=None, precision=1 if lon else 3,
                          precision_label="精确位置 exact site" if lon else "区县 district",
                          method="given_coordinates" if lon else "stated_in_text", evidence=None, needs_review=False)
        yield ProjectRow(
            code=f"SYN-{i:06d}", name=f"太原{district}{word}产业园项目{i}", aliases=(f"{word}园{i}",), kind="产业",
            status=("谋划", "前期", "在建", "竣工", "投产")[i % 5], status_text=None, construction_type="新建",
            total_investment=None if i % 7 == 0 else Decimal(i % 5000) / 100 + Decimal("0.37"),
            investment_text=None, capacity_text=f"年产{i % 90}万吨{word}", start_year=2021 + i % 4,
            end_year=2026 + i % 4, builder=f"山西{word}有限公司", partners=("北京", "天津") if i % 2 else (),
            chain_codes=("it-xc",), chains=("信创产业链",), strategy_codes=("jjj",), strategies=("京津冀协同发展",),
            place_strategy_codes=(), district_code=adcode, district=district, zone_code=None, zone=None, lon=lon,
            lat=lat, precision=loc.precision, precision_label=loc.precision_label, place_text=loc.place_text,
            outside_taiyuan=False, box=None, group=None, description=f"{word}项目简介{i}", locations=(loc,),
            sources=(SourceRef("004.txt", 100 + i % 900, None, None),), version=1)


def _ours(n: int, path: Path) -> None:
    from registry.export import ExportContext, export_rows

    export_rows(synth_rows(n), path, context=ExportContext())


def _raw(n: int, path: Path) -> None:
    """The floor: the same cells (project sheet and location sheet) with no formatting logic of ours."""
    import xlsxwriter

    from registry.export.columns import LOCATION_COLUMNS, PROJECT_COLUMNS
    from registry.vocabulary import Vocabulary

    vocab = Vocabulary()
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    projects, locations = book.add_worksheet("项目"), book.add_worksheet("位置")
    for r, row in enumerate(synth_rows(n), start=1):
        for c, col in enumerate(PROJECT_COLUMNS):
            value = col.get(row, vocab)
            if value is not None:
                projects.write(r, c, float(value) if isinstance(value, Decimal) else value)
        for c, lcol in enumerate(LOCATION_COLUMNS):
            value = lcol.get(row, row.locations[0])
            if value is not None:
                locations.write(r, c, value)
    book.close()


def _pandas(n: int, path: Path) -> None:
    import pandas as pd

    from registry.export.columns import PROJECT_COLUMNS
    from registry.vocabulary import Vocabulary

    vocab = Vocabulary()
    frame = pd.DataFrame([[c.get(row, vocab) for c in PROJECT_COLUMNS] for row in synth_rows(n)],
                         columns=[c.header for c in PROJECT_COLUMNS])
    frame.to_excel(path, sheet_name="项目", index=False)


def _import_dry_run(n: int, path: Path) -> None:
    """A 100k-row CSV (our export) imported with --dry-run into an empty SQLite registry."""
    from registry import migrate
    from registry.config import Settings
    from registry.db import session_scope
    from registry.export import ExportContext, export_rows
    from registry.importer.run import import_file
    from registry.models import AdminUnit, IndustryChain, Strategy
    from registry.upsert import stated_placement

    csv_path = path.with_suffix(".csv")
    export_rows(synth_rows(n), csv_path, context=ExportContext())
    url = f"sqlite:///{path.with_suffix('.sqlite3')}"
    migrate.upgrade(url)
    settings = Settings.from_env({"KPR_DATABASE_URL": url})
    with session_scope(settings) as session:
        session.add_all([AdminUnit(adcode=a, name=nm, level="county", parent_adcode="140100") for a, nm in DISTRICTS])
        session.add_all([Strategy(code="jjj", name="京津冀协同发展", aliases=[], kind="strategy"),
                         IndustryChain(code="it", name="新一代信息技术产业集群", level="cluster")])
        session.flush()
        session.add(IndustryChain(code="it-xc", name="信创产业链", level="chain", parent_code="it"))
    start = time.perf_counter()
    with session_scope(settings) as session:
        report = import_file(session, csv_path, dry_run=True, placer=stated_placement)
    elapsed = time.perf_counter() - start
    assert len(report.created) == n and not report.problems, report.summary()
    print(json.dumps({"inner_seconds": elapsed}))


WRITERS = {"ours": _ours, "xlsxwriter": _raw, "pandas": _pandas, "import": _import_dry_run}


def _child(name: str, n: int) -> None:
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "out.xlsx"
        start = time.perf_counter()
        WRITERS[name](n, path)
        elapsed = time.perf_counter() - start
        size = path.stat().st_size if path.exists() else 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": elapsed, "peak_mb": peak / 1024, "extra_mb": (peak - base) / 1024,
                      "bytes": size}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--child")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.n)
        return
    results = {}
    for name in WRITERS:
        out = subprocess.run([sys.executable, "-m", "benchmarks.bench_export", "--child", name, "--n", str(args.n)],
                             check=True, capture_output=True, text=True).stdout.strip().splitlines()
        merged: dict[str, float] = {}
        for line in out:
            if line.startswith("{"):
                merged.update(json.loads(line))
        results[name] = merged
    raw = results["xlsxwriter"]["seconds"]
    lines = [f"Export of {args.n:,} synthetic projects (29 columns + location sheet), one subprocess per writer.", "",
             "| writer | time (s) | × raw xlsxwriter | peak RSS (MB) | extra over start (MB) |",
             "|---|---|---|---|---|"]
    for name, label in (("ours", "ours (registry.export xlsx, 3 sheets)"),
                        ("xlsxwriter", "raw xlsxwriter constant_memory (same cells, 2 sheets)"),
                        ("pandas", "pandas.to_excel (project sheet only)")):
        r = results[name]
        lines.append(f"| {label} | {r['seconds']:.1f} | {r['seconds'] / raw:.2f} | {r['peak_mb']:.0f} | "
                     f"{r['extra_mb']:.0f} |")
    imp = results["import"]
    lines += ["", (f"Import --dry-run of a {args.n:,}-row CSV (our export; stated placement, SQLite): "
                   f"{imp['inner_seconds']:.1f} s = {args.n / imp['inner_seconds']:,.0f} rows/s, "
                   f"peak RSS {imp['peak_mb']:.0f} MB (incl. writing the CSV first).")]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
