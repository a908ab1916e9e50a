"""The data stamp is the one freshness marker: each probe of issue 15 on SQLite and PostgreSQL.

Toy rows (tests/reference_toy.py plus a few projects) in a fresh database per test: these tests write."""
from __future__ import annotations

import json
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from registry import migrate, stamp
from registry.db import make_engine, make_session_factory
from registry.facetindex import IndexCache
from registry.models import Project, ProjectChain, Zone
from registry.stamp import Stamp
from registry.stampcache import StampedCache
from tests.conftest import Databases, settings_for
from tests.reference_toy import add_toy_reference
from web import create_app

TOY_PROJECTS = 3


def _add_projects(session: Session, codes: list[str]) -> None:
    session.add_all([Project(code=code, name=f"测试项目{code}", lon=112.5 + i / 100, lat=37.8, precision=1)
                     for i, code in enumerate(codes)])


def _toy_database(url: str) -> str:
    migrate.upgrade(url)
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        add_toy_reference(session)
        _add_projects(session, [f"S-{i}" for i in range(TOY_PROJECTS)])
        session.commit()
    engine.dispose()
    return url


@pytest.fixture
def toy_url(fresh_url: str) -> str:
    return _toy_database(fresh_url)


@pytest.fixture
def factory(toy_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(toy_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def pg_factory(databases: Databases) -> Iterator[sessionmaker[Session]]:
    """Row locks between writers: PostgreSQL only (SQLite has one writer at a time)."""
    engine = make_engine(_toy_database(databases.new_url("postgresql")))
    yield make_session_factory(engine)
    engine.dispose()


def _stamp(factory: sessionmaker[Session]) -> Stamp:
    with factory() as session:
        return stamp.read(session)


# --- bumping -------------------------------------------------------------------------------------------

def test_the_migration_seeds_the_row_with_a_random_epoch(fresh_url: str) -> None:
    migrate.upgrade(fresh_url)
    engine = make_engine(fresh_url)
    with make_session_factory(engine)() as session:
        first = stamp.read(session)
    engine.dispose()
    assert first.counter == 0 and len(first.epoch) == 32


def test_upgrading_an_existing_stamp_keeps_its_counter_and_draws_a_new_epoch(fresh_url: str) -> None:
    migrate.upgrade(fresh_url, "0004")  # a database stamped before the epoch existed
    engine = make_engine(fresh_url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO data_stamp (id, value) VALUES (1, 41)"))
    migrate.upgrade(fresh_url)
    with engine.connect() as conn:
        first = stamp.read(conn)
    migrate.downgrade(fresh_url, "0004")  # below the epoch migration, whatever the head is now
    migrate.upgrade(fresh_url)
    with engine.connect() as conn:
        second = stamp.read(conn)
    engine.dispose()
    assert first.counter == second.counter == 41
    assert first.epoch != second.epoch  # a cache made before the downgrade can never match again


def test_a_commit_bumps_once_however_many_flushes(factory: sessionmaker[Session]) -> None:
    before = _stamp(factory)
    with factory() as session:
        _add_projects(session, ["B-1"])
        session.flush()
        session.scalar(select(Project).where(Project.code == "S-0")).name = "改名"  # type: ignore[union-attr]
        session.flush()
        _add_projects(session, ["B-2"])  # left for the commit's own flush
        session.commit()
    assert _stamp(factory) == Stamp(before.epoch, before.counter + 1)


def test_reads_and_rollbacks_do_not_bump(factory: sessionmaker[Session]) -> None:
    before = _stamp(factory)
    with factory() as session:
        session.scalars(select(Project)).all()
        session.execute(text("SELECT count(*) FROM projects"))
        session.commit()
    with factory() as session:
        _add_projects(session, ["R-1"])
        session.flush()
        session.rollback()
        session.commit()  # the rolled-back write must not be counted by a later commit
    assert _stamp(factory) == before


def test_orm_bulk_dml_bumps(factory: sessionmaker[Session]) -> None:
    before = _stamp(factory)
    with factory() as session:
        session.execute(update(Project).where(Project.code == "S-1").values(name="批量改名"))
        session.commit()
    middle = _stamp(factory)
    with factory() as session:
        session.execute(delete(ProjectChain))
        session.execute(text("UPDATE projects SET builder = 'x' WHERE code = 'S-2'"))
        session.commit()
    assert middle.counter == before.counter + 1 and _stamp(factory).counter == before.counter + 2


def test_only_registry_sessions_are_instrumented(toy_url: str, factory: sessionmaker[Session]) -> None:
    # Installed on make_session_factory's sessionmaker, not on the global Session class.
    before = _stamp(factory)
    engine = make_engine(toy_url)
    with Session(engine) as session:
        _add_projects(session, ["P-1"])
        session.commit()
    engine.dispose()
    assert _stamp(factory) == before


def test_two_first_writers_on_postgresql_both_commit(pg_factory: sessionmaker[Session]) -> None:
    factory = pg_factory
    before = _stamp(factory)
    barrier = threading.Barrier(2, timeout=20)
    errors: list[BaseException] = []

    def write(code: str) -> None:
        try:
            with factory() as session:
                _add_projects(session, [code])
                session.flush()
                barrier.wait()  # both transactions have written before either commits
                session.commit()
        except BaseException as exc:  # noqa: BLE001 — reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(code,)) for code in ("W-1", "W-2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Project).where(Project.code.in_(["W-1", "W-2"]))) == 2
    assert _stamp(factory).counter == before.counter + 2


def test_a_long_write_does_not_block_another_writers_commit(pg_factory: sessionmaker[Session]) -> None:
    factory = pg_factory
    before = _stamp(factory)
    done = threading.Event()
    long = factory()
    try:
        _add_projects(long, ["L-1"])
        long.flush()  # the long import has written; its transaction stays open

        def quick() -> None:
            with factory() as session:
                _add_projects(session, ["Q-1"])
                session.commit()
            done.set()

        writer = threading.Thread(target=quick)
        writer.start()
        assert done.wait(15), "the quick writer waited for the long transaction's stamp lock"
        long.commit()
        writer.join(15)
    finally:
        long.close()
    # Both writes landed and each commit bumped the stamp once. (A full CI run once read an unchanged counter
    # here: the stamp listener had been skipped for a session factory reusing a collected one's id().)
    with factory() as session:
        codes = set(session.scalars(select(Project.code).where(Project.code.in_(["L-1", "Q-1"]))))
    assert codes == {"L-1", "Q-1"}
    assert _stamp(factory).counter == before.counter + 2
    assert _stamp(factory).epoch == before.epoch


# --- caches --------------------------------------------------------------------------------------------

def test_a_cache_never_replaces_a_newer_entry_with_an_older_one() -> None:
    cache: StampedCache[str] = StampedCache(size=2)
    newer, older = Stamp("e1", 5), Stamp("e1", 4)
    assert cache.get("k", newer, lambda: "new") == "new"
    assert cache.get("k", older, lambda: "old") == "old"  # the slow reader gets its own snapshot's answer…
    assert cache.stamps() == {"k": newer}  # …but the cache keeps the newer one
    assert cache.get("k", newer, lambda: pytest.fail("rebuilt although current")) == "new"
    assert cache.get("k", Stamp("e2", 0), lambda: "re-migrated") == "re-migrated"  # another epoch wins
    assert cache.stamps() == {"k": Stamp("e2", 0)}


def test_the_list_keeps_other_rows_across_an_edit_and_shows_the_edit(toy_url: str,
                                                                     factory: sessionmaker[Session]) -> None:
    """After an edit the list's per-stamp cache keeps the vocabulary and the other projects' rows (the first list
    request after an edit stays under 100 ms at 100,000 projects) and re-reads the edited one; after a write the
    stamp log cannot attribute, everything is read again."""
    app = create_app(settings_for(toy_url))
    client = app.test_client()
    assert "测试项目S-1" in client.get("/projects").get_data(as_text=True)
    lists = app.extensions["kpr_list_static"]
    before = lists.entry(None)[1]
    with factory() as session:
        ids = {code: pid for code, pid in session.execute(select(Project.code, Project.id))}
        edited = session.get(Project, ids["S-1"])
        edited.name = "改过的名字"
        session.commit()
    page = client.get("/projects").get_data(as_text=True)
    assert "改过的名字" in page and "测试项目S-1" not in page
    after = lists.entry(None)[1]
    assert after is not before and after.vocab is before.vocab
    rule = next(iter(before._rows))[1]
    assert after.rows([ids["S-0"]], rule, lambda missing: pytest.fail(f"re-read {missing}")) == \
        before.rows([ids["S-0"]], rule, lambda missing: pytest.fail(f"re-read {missing}"))
    with factory() as session:  # bulk DML: which projects is not known, so nothing is kept
        session.execute(update(Project).where(Project.code == "S-0").values(name="批量改名"))
        session.commit()
    assert "批量改名" in client.get("/projects").get_data(as_text=True)
    assert lists.entry(None)[1].vocab is not before.vocab


def test_a_json_page_is_built_once_per_stamp_and_an_edit_shows_at_once(toy_url: str,
                                                                      factory: sessionmaker[Session]) -> None:
    app = create_app(settings_for(toy_url))
    client = app.test_client()
    first = client.get("/projects.json", query_string={"limit": "2"})
    assert first.status_code == 200 and first.get_json()["count"] == TOY_PROJECTS
    assert first.headers["Link"].endswith("limit=2&offset=2>; rel=\"next\"")
    pages = app.extensions["kpr_json_pages"]
    held = {key: entry for key in pages.stamps() if (entry := pages.entry(key))}
    again = client.get("/projects.json", query_string={"limit": "2"})
    assert again.get_data() == first.get_data() and again.headers["ETag"] == first.headers["ETag"]
    assert all(pages.entry(key)[1] is value for key, (_, value) in held.items())  # answered from the cache, not rebuilt: the same object
    assert client.get("/projects.json", query_string={"limit": "2"},
                      headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    with factory() as session:
        edited = session.scalars(select(Project).where(Project.code == "S-0")).one()
        edited.name = "新名字"
        session.commit()
    names = [p["name"] for p in client.get("/projects.json", query_string={"limit": "2"}).get_json()["projects"]]
    assert "新名字" in names


def _client(url: str, **overrides: Any) -> FlaskClient:
    return create_app(settings_for(url, **overrides)).test_client()


def _map_groups(client: FlaskClient, **params: str) -> dict[str, str]:
    """Project code → the name of the group it is drawn in."""
    data = client.get("/map/data.json", query_string=params).get_json()
    names = [g["name"] for g in data["groups"]]
    return {row[0]: names[row[8][0]] for row in data["rows"]}


def test_a_chains_only_change_reaches_the_map(toy_url: str, factory: sessionmaker[Session]) -> None:
    client = _client(toy_url)
    assert _map_groups(client)["S-0"] == "未归产业链"
    with factory() as session:  # only a link row changes: the project's own row is untouched
        project_id = session.scalar(select(Project.id).where(Project.code == "S-0"))
        session.add(ProjectChain(project_id=project_id, chain_code="it-xc"))
        session.commit()
    assert _map_groups(client)["S-0"] == "信创产业链"


def test_a_chains_only_upsert_reaches_the_map(toy_url: str, factory: sessionmaker[Session]) -> None:
    """The `kpr ingest-plan --apply` path: apply_project_dicts changing nothing but a project's chains."""
    from registry.upsert import apply_project_dicts

    item: dict[str, Any] = {"code": "U-1", "name": "链条测试项目", "sources": [{"document": "test"}]}
    with factory() as session:
        apply_project_dicts(session, [item])
        session.commit()
    client = _client(toy_url)

    def counts() -> dict[str, int]:
        return {g["name"]: g["count"] for g in client.get("/map/data.json").get_json()["groups"]}

    assert "信创产业链" not in counts()
    with factory() as session:
        version = session.scalar(select(Project.version).where(Project.code == "U-1"))
        report = apply_project_dicts(session, [{**item, "chains": ["it-xc"]}])
        session.commit()
        assert report.updated == ["U-1"]
        assert session.scalar(select(Project.version).where(Project.code == "U-1")) == version  # row untouched
    assert counts()["信创产业链"] == 1


def test_two_spellings_of_one_filter_share_one_cache_entry(toy_url: str) -> None:
    app = create_app(settings_for(toy_url))
    client = app.test_client()
    by_name = client.get("/map/data.json", query_string={"district": "小店区"})
    by_code = client.get("/map/data.json", query_string={"district": "140105"})
    assert by_name.status_code == by_code.status_code == 200
    assert by_name.get_data() == by_code.get_data()
    assert len(app.extensions["kpr_map_data"].stamps()) == 1


def test_import_zones_reaches_base_json_without_restart(toy_url: str, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("geopandas")
    from registry.cli import main
    from registry.geodata import geodata_dir
    from registry.seeding import upsert_rows, zone_rows

    geo = tmp_path / "geodata"
    shutil.copytree(geodata_dir(), geo)
    (geo / "zones_official.geojson").unlink(missing_ok=True)
    monkeypatch.setenv("KPR_GEODATA_DIR", str(geo))
    monkeypatch.setenv("KPR_DATABASE_URL", toy_url)
    settings = settings_for(toy_url, geodata_dir=geo)
    engine = make_engine(toy_url)
    with make_session_factory(engine)() as session:
        upsert_rows(session, Zone, "code", zone_rows(settings))
        session.commit()
    engine.dispose()
    client = _client(toy_url, geodata_dir=geo)

    def qingxu() -> dict[str, Any]:
        zones = client.get("/map/base.json").get_json()["zones"]["features"]
        return next(f for f in zones if f["properties"]["code"] == "qingxu_etdz")

    before = qingxu()
    assert before["properties"]["status"] == "schematic"
    square = {"type": "Polygon", "coordinates": [[[112.30, 37.58], [112.34, 37.58], [112.34, 37.62],
                                                  [112.30, 37.62], [112.30, 37.58]]]}
    path = tmp_path / "official.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "qingxu_etdz"}, "geometry": square}]}), encoding="utf-8")
    result = CliRunner().invoke(main, ["geodata", "import-zones", str(path)])
    assert result.exit_code == 0, result.output
    after = qingxu()
    assert after["properties"]["status"] == "official" and after["geometry"] != before["geometry"]


def test_the_project_page_draws_a_zone_project_at_the_zones_current_point(toy_url: str,
                                                                         factory: sessionmaker[Session]) -> None:
    """The page keeps the zones' and districts' points per data stamp; a zone's new boundary moves the point a
    project known only by that zone is drawn at."""
    from registry.seeding import upsert_rows, zone_rows
    from registry.upsert import apply_project_dicts

    with factory() as session:
        upsert_rows(session, Zone, "code", zone_rows(settings_for(toy_url)))
        apply_project_dicts(session, [{"code": "T-QX", "name": "清徐开发区测试项目", "zone_stated": "qingxu_etdz",
                                       "sources": [{"document": "test"}]}])
        session.commit()
    client = _client(toy_url)

    def drawn_at() -> list[float]:
        page = client.get("/projects/T-QX").get_data(as_text=True)
        data = json.loads(page.split('id="kpr-detail-data">')[1].split("</script>")[0])
        return data["rows"][0][2:4]  # type: ignore[no-any-return]

    before = drawn_at()
    assert drawn_at() == before
    square = {"type": "Polygon", "coordinates": [[[112.30, 37.58], [112.34, 37.58], [112.34, 37.62],
                                                  [112.30, 37.62], [112.30, 37.58]]]}
    with factory() as session:
        session.execute(update(Zone).where(Zone.code == "qingxu_etdz").values(geometry=json.dumps(square)))
        session.commit()
    after = drawn_at()
    assert after != before and 112.30 < after[0] < 112.34 and 37.58 < after[1] < 37.62


def test_downgrade_and_upgrade_never_make_an_old_cache_look_current(toy_url: str,
                                                                     factory: sessionmaker[Session]) -> None:
    cache = IndexCache()
    with factory() as session:
        old = cache.get(session)
    assert old.size == TOY_PROJECTS
    migrate.downgrade(toy_url, "0003")  # drops the stamp; the projects stay
    migrate.upgrade(toy_url)
    # Writes until the counter is back at the old value, the last one deleting a project: the very
    # (counter) an old cache holds, with different data.
    with factory() as session:
        for _ in range(old.stamp.counter - stamp.read(session).counter - 1):
            session.execute(update(Project).where(Project.code == "S-0").values(builder="b"))
            session.commit()
        session.execute(delete(Project).where(Project.code == "S-1"))
        session.commit()
    with factory() as session:
        assert stamp.read(session).counter == old.stamp.counter
        fresh = cache.get(session)
    assert fresh.stamp.epoch != old.stamp.epoch
    assert fresh is not old and fresh.size == TOY_PROJECTS - 1


# --- one snapshot per request --------------------------------------------------------------------------

@pytest.mark.slow
def test_one_response_reads_one_snapshot_while_a_writer_commits(toy_url: str,
                                                                factory: sessionmaker[Session]) -> None:
    client = _client(toy_url)
    stop = threading.Event()
    errors: list[BaseException] = []

    def writer() -> None:
        n = 0
        try:
            while not stop.is_set():
                with factory() as session:
                    _add_projects(session, [f"C-{n}-{k}" for k in range(3)])
                    session.commit()
                n += 1
        except BaseException as exc:  # noqa: BLE001 — reported below
            errors.append(exc)

    thread = threading.Thread(target=writer)
    thread.start()
    mismatches = []
    try:
        deadline = time.monotonic() + 4
        reads = 0
        while time.monotonic() < deadline or reads < 20:
            body = client.get("/projects.json").get_json()
            reads += 1
            # A page holds every matching row up to its limit (the writer can pass 1,000 projects).
            if min(body["count"], body["limit"]) != len(body["projects"]):
                mismatches.append((body["count"], len(body["projects"])))
    finally:
        stop.set()
        thread.join(30)
    assert not errors, errors
    assert not mismatches, f"{len(mismatches)} of {reads} responses disagreed: {mismatches[:5]}"
    with factory() as session:
        assert (session.scalar(select(func.count()).select_from(Project)) or 0) > TOY_PROJECTS  # it wrote
