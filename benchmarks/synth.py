"""Synthetic project portfolio for benchmarks (never loaded by `kpr seed`; every code starts with "SYN-").

Projects are spread like a real registry: points cluster around the development zones and thin out over the
rest of Taiyuan's ten districts (each point lies inside a real district polygon), chains and strategies come
from the real reference lists, amounts are log-normal with some unknown, names are Chinese.

Usage: python -m benchmarks.synth --url URL --n 100000   (into a migrated, otherwise empty database)
"""
from __future__ import annotations

import argparse
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from registry import stamp
from registry.config import Settings
from registry.db import make_engine
from registry.geodata import load_admin_units, load_zones
from registry.locate import DistrictIndex
from registry.models import Location, LocationDistrict, Project, ProjectChain, ProjectStrategy, Source
from registry.seeding import REFERENCE, chain_rows, strategy_rows, upsert_rows

CODE_PREFIX = "SYN-"
STATUSES = ("谋划", "前期", "在建", "竣工", "投产", "unknown")
STATUS_WEIGHTS = (0.15, 0.20, 0.35, 0.10, 0.05, 0.15)
KINDS = ("产业", "基础设施", "生态", "文化旅游", "能源", "服务业", "城市片区", "公共服务", "物流")
KIND_WEIGHTS = (0.30, 0.27, 0.09, 0.09, 0.06, 0.06, 0.05, 0.05, 0.03)
# Per project: how it is placed (precision code, share). 1 = a point, 3 = district only, 4 = zone only,
# 6 = outside Taiyuan, 8 = unknown.
PRECISION_MIX = ((1, 0.70), (3, 0.15), (4, 0.07), (6, 0.03), (8, 0.05))
ZONE_CLUSTER_SHARE = 0.55  # share of points drawn around a zone; the rest uniform over the city
ZONE_SIGMA_DEG = 0.03
# The old city (迎泽, 杏花岭, 万柏林…) is small in area but dense in projects: it counts as several zones.
CITY_CENTRE = (112.56, 37.87)
CITY_CENTRE_WEIGHT = 5
SECOND_SITE_SHARE = 0.05  # multi-site projects (a second location, often in another district)
NULL_AMOUNT_SHARE = 0.12
WORDS = ("智能制造", "新材料", "数据中心", "物流园", "新能源", "生物医药", "文旅", "综合管廊", "污水处理", "储能",
         "氢能", "半导体", "装备制造", "冷链", "会展", "康养", "光伏", "特钢", "信创", "碳纤维", "农产品加工")
SUFFIXES = ("产业园项目", "基地建设项目", "示范工程", "提升改造项目", "综合体", "中心项目", "一期工程", "二期工程")
BUILDERS = ("山西{}集团有限公司", "太原{}投资有限公司", "{}科技股份有限公司", "中国{}建设有限公司")


@dataclass
class Portfolio:
    """Rows per table, ready for Core executemany (ids assigned, children reference them)."""

    projects: list[dict[str, Any]] = field(default_factory=list)
    locations: list[dict[str, Any]] = field(default_factory=list)
    location_districts: list[dict[str, Any]] = field(default_factory=list)
    project_chains: list[dict[str, Any]] = field(default_factory=list)
    project_strategies: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)

    def tables(self) -> list[tuple[Any, list[dict[str, Any]]]]:
        """Parents before children (foreign keys)."""
        return [
            (Project.__table__, self.projects), (Location.__table__, self.locations),
            (LocationDistrict.__table__, self.location_districts), (ProjectChain.__table__, self.project_chains),
            (ProjectStrategy.__table__, self.project_strategies), (Source.__table__, self.sources),
        ]

    def counts(self) -> dict[str, int]:
        return {table.name: len(rows) for table, rows in self.tables()}


@dataclass(frozen=True)
class Start:
    """First free ids, so synthetic rows can join a database that already holds projects."""

    project: int = 1
    location: int = 1
    source: int = 1


def _taiyuan_points(n: int, rng: np.random.Generator, index: DistrictIndex, districts: Sequence[str],
                    centres: npt.NDArray[np.float64]) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """n points inside Taiyuan's districts: a mixture of zone clusters and a uniform background."""
    units = [u for u in load_admin_units() if u.adcode in districts]
    x0, y0, x1, y1 = shapely.union_all([u.geometry for u in units]).bounds
    lon_parts: list[npt.NDArray[np.float64]] = []
    lat_parts: list[npt.NDArray[np.float64]] = []
    have = 0
    while have < n:
        m = max(2 * (n - have), 1000)
        clustered = rng.random(m) < ZONE_CLUSTER_SHARE
        pick = centres[rng.integers(0, len(centres), m)]
        lon = np.where(clustered, pick[:, 0] + rng.normal(0, ZONE_SIGMA_DEG, m), rng.uniform(x0, x1, m))
        lat = np.where(clustered, pick[:, 1] + rng.normal(0, ZONE_SIGMA_DEG, m), rng.uniform(y0, y1, m))
        keep = np.isin(index.district_of(lon, lat), districts)
        lon_parts.append(lon[keep])
        lat_parts.append(lat[keep])
        have += int(keep.sum())
    return np.concatenate(lon_parts)[:n], np.concatenate(lat_parts)[:n]


def generate(n: int, *, seed: int = 1, start: Start = Start(), settings: Settings | None = None) -> Portfolio:
    """n synthetic projects with their locations, district links, chains, strategies and one source each."""
    settings = settings or Settings.from_env()
    rng = np.random.default_rng(seed)
    index = DistrictIndex.from_geodata(settings.geodata_dir)
    taiyuan = {u.adcode: u.name for u in load_admin_units(settings.geodata_dir)
               if u.group == "taiyuan" and u.level == "county"}
    district_codes = sorted(taiyuan)
    zones = [z for z in load_zones(settings.geodata_dir) if z.geometry is not None]
    zone_names = {z.code: z.name for z in zones}
    centres = np.array([[p.x, p.y] for p in (z.geometry.representative_point() for z in zones)]
                       + [CITY_CENTRE] * CITY_CENTRE_WEIGHT)
    chain_codes = [row["code"] for row in chain_rows(settings)]
    strategy_codes = [row["code"] for row in strategy_rows(settings)]
    # A few popular chains and strategies, a long tail of rare ones (Zipf-like weights).
    chain_w = 1 / np.arange(1, len(chain_codes) + 1) ** 0.8
    chain_w /= chain_w.sum()
    strat_w = 1 / np.arange(1, len(strategy_codes) + 1) ** 1.1
    strat_w /= strat_w.sum()

    lon, lat = _taiyuan_points(n, rng, index, district_codes, centres)
    located = index.locate(lon, lat)
    precision = rng.choice([p for p, _ in PRECISION_MIX], size=n, p=[w for _, w in PRECISION_MIX])
    status = rng.choice(STATUSES, size=n, p=STATUS_WEIGHTS)
    kind = rng.choice(KINDS, size=n, p=KIND_WEIGHTS)
    # Log-normal 亿元, median ~4 亿 with a long tail to a few hundred; stored exactly to 1 万元.
    wan = np.round(np.exp(rng.normal(np.log(4.0), 1.3, n)) * 10_000).astype(np.int64).clip(1, None)
    amount_null = rng.random(n) < NULL_AMOUNT_SHARE
    n_chains = rng.choice([0, 1, 2], size=n, p=[0.25, 0.60, 0.15])
    n_strats = rng.choice([0, 1, 2], size=n, p=[0.60, 0.30, 0.10])
    words = rng.integers(0, len(WORDS), n)
    suffixes = rng.integers(0, len(SUFFIXES), n)
    builders = rng.integers(-len(BUILDERS), len(BUILDERS), n)  # negative: builder not stated
    second_site = rng.random(n) < SECOND_SITE_SHARE
    years = rng.integers(2021, 2028, n)
    zone_list = list(zone_names)
    # Draw every chain and strategy link at once (per-row rng.choice is the slow part at 100k).
    chain_pick = rng.choice(len(chain_codes), size=(n, 2), p=chain_w)
    strat_pick = rng.choice(len(strategy_codes), size=(n, 2), p=strat_w)
    corridor_codes = list(located.corridors)
    corridor_mask = np.column_stack([located.corridors[c] for c in corridor_codes]) if corridor_codes \
        else np.zeros((n, 0), dtype=bool)
    zone_pick = rng.integers(0, len(zone_list), n)
    other_pick = rng.integers(0, len(district_codes), n)
    stamp = datetime.now(UTC)  # one timestamp for the batch, like one import

    out = Portfolio()
    loc_id = start.location
    for i in range(n):
        pid = start.project + i
        code = f"{CODE_PREFIX}{i + 1:06d}"
        prec = int(precision[i])
        district: str | None = located.district[i] or None
        zone: str | None = located.zone[i] or None
        x: float | None = float(lon[i])
        y: float | None = float(lat[i])
        if prec != 1:
            x = y = None
        if prec == 4 and zone is None:
            zone = zone_list[int(zone_pick[i])]
        if prec == 3:
            zone = None
        if prec in (6, 8):
            district = zone = None
        place_word = zone_names[zone] if zone else (taiyuan[district] if district else "太原市")
        name = f"{place_word}{WORDS[words[i]]}{SUFFIXES[suffixes[i]]}"
        amount = None if amount_null[i] else Decimal(int(wan[i])) / 10_000
        builder = BUILDERS[builders[i]].format(WORDS[(words[i] + 3) % len(WORDS)]) if builders[i] >= 0 else None
        out.projects.append({
            "id": pid, "code": code, "name": name, "aliases": [], "kind": str(kind[i]), "status": str(status[i]),
            "construction_type": None, "total_investment": amount,
            "investment_text": None if amount is None else f"总投资{amount}亿元",
            "capacity_text": None, "capacity_value": None, "capacity_unit": None,
            "start_year": int(years[i]), "end_year": int(years[i]) + 3, "builder": builder, "partners": [],
            "description": f"合成数据（基准测试用）：{name}", "place_text": place_word,
            "stated_district_code": district if prec in (3, 4) else None,
            "stated_zone_code": zone if prec == 4 else None, "outside_taiyuan": prec == 6,
            "specificity": "synthetic", "box": None, "group_name": None,
            "district_code": district, "zone_code": zone, "lon": x, "lat": y, "precision": prec, "version": 1,
            "created_at": stamp, "updated_at": stamp,
        })
        geometry = None if x is None else json.dumps({"type": "Point", "coordinates": [x, y]})
        out.locations.append({
            "id": loc_id, "project_id": pid, "is_primary": True, "geometry": geometry, "lon": x, "lat": y,
            "input_crs": "wgs84" if x is not None else None, "place_text": place_word, "district_code": district,
            "zone_code": zone, "precision": prec, "method": "synthetic", "evidence": None,
            "needs_review": prec == 8,
        })
        if district:
            out.location_districts.append({"location_id": loc_id, "adcode": district, "share": None})
        loc_id += 1
        if second_site[i] and district:
            other = district_codes[int(other_pick[i])]
            out.locations.append({
                "id": loc_id, "project_id": pid, "is_primary": False, "geometry": None, "lon": None, "lat": None,
                "input_crs": None, "place_text": taiyuan[other], "district_code": other, "zone_code": None,
                "precision": 3, "method": "synthetic", "evidence": None, "needs_review": False,
            })
            out.location_districts.append({"location_id": loc_id, "adcode": other, "share": None})
            loc_id += 1
        for chain in sorted({chain_codes[k] for k in chain_pick[i, :n_chains[i]]}):
            out.project_chains.append({"project_id": pid, "chain_code": chain, "segment": None})
        plan = {strategy_codes[k] for k in strat_pick[i, :n_strats[i]]}
        place = {corridor_codes[k] for k in np.flatnonzero(corridor_mask[i])} if prec == 1 else set()
        for strategy in sorted(plan):
            out.project_strategies.append({"project_id": pid, "strategy_code": strategy, "basis": "plan"})
        for strategy in sorted(place):
            out.project_strategies.append({"project_id": pid, "strategy_code": strategy, "basis": "place"})
        out.sources.append({"id": start.source + i, "project_id": pid, "document": "SYN-synthetic.txt",
                            "line": i + 1, "box": None, "excerpt": f"{name}（合成）"})
    return out


def load_reference(engine: Engine, settings: Settings) -> None:
    """Districts, zones, strategies and the chain tree, exactly as `kpr seed` loads them (no projects)."""
    with Session(engine) as session:
        for _table, model, key, loader in REFERENCE:
            upsert_rows(session, model, key, loader(settings))
        session.commit()


def _next_ids(engine: Engine) -> Start:
    with engine.connect() as conn:
        def after(column: Any) -> int:
            return int(conn.execute(select(func.coalesce(func.max(column), 0))).scalar_one()) + 1
        return Start(after(Project.id), after(Location.id), after(Source.id))


@dataclass(frozen=True)
class LoadReport:
    counts: dict[str, int]
    generate_s: float
    insert_s: float


def load(url: str, n: int, *, seed: int = 1, settings: Settings | None = None, chunk: int = 5000) -> LoadReport:
    """Reference data + n synthetic projects into a migrated database, with Core executemany inserts."""
    settings = replace(settings or Settings.from_env(), database_url=url)
    engine = make_engine(url)
    try:
        load_reference(engine, settings)
        began = time.perf_counter()
        data = generate(n, seed=seed, start=_next_ids(engine), settings=settings)
        generated = time.perf_counter()
        with engine.begin() as conn:
            for table, rows in data.tables():
                if engine.dialect.name == "postgresql":
                    _copy(conn, table, rows)
                    continue
                for offset in range(0, len(rows), chunk):
                    conn.execute(insert(table), rows[offset:offset + chunk])
            if engine.dialect.name == "postgresql":
                # Explicit ids leave the serial sequences behind: move them past the new rows.
                for table in ("projects", "locations", "sources"):
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                      f"(SELECT max(id) FROM {table}))"))
            stamp.bump(conn)  # Core inserts bypass the ORM's stamp: tell caches the data changed
        analyze(engine)
        return LoadReport(data.counts(), generated - began, time.perf_counter() - generated)
    finally:
        engine.dispose()


def _copy(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL: COPY FROM STDIN. psycopg's executemany sends one INSERT per row (~12k rows/s here);
    COPY loads the same rows ~10x faster. Values go through each column's own bind conversion (亿元 → 万元,
    JSON text), so the stored rows equal what Core inserts would store."""
    if not rows:
        return
    columns = list(rows[0])
    dialect = conn.dialect
    processors = [table.c[name].type._cached_bind_processor(dialect) for name in columns]
    names = ", ".join(f'"{name}"' for name in columns)
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([value if proc is None or value is None else proc(value)
                            for value, proc in zip(row.values(), processors)])


def analyze(engine: Engine) -> None:
    """Planner statistics, as autovacuum (PostgreSQL) or `PRAGMA optimize` (SQLite) would gather them."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="database URL (migrated, e.g. with `kpr db upgrade`)")
    parser.add_argument("--n", type=int, default=10_000, help="number of synthetic projects")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same portfolio)")
    args = parser.parse_args()
    report = load(args.url, args.n, seed=args.seed)
    rows = sum(report.counts.values())
    print(f"generated in {report.generate_s:.1f} s, inserted {rows:,} rows in {report.insert_s:.1f} s: {report.counts}")


if __name__ == "__main__":
    main()
