"""Fixtures: every database test runs on SQLite and on PostgreSQL.

PostgreSQL comes from KPR_TEST_POSTGRES_URL (default: the project's local server). Each test run creates
its own throwaway databases on it, so parallel runs never see each other's rows. With CI=true a missing
PostgreSQL fails the run instead of skipping it."""
from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from registry import migrate
from registry.config import Settings
from registry.db import make_engine

REPO = Path(__file__).resolve().parents[1]
# No test may touch a developer's instance/ database: the default points at a throwaway folder.
_SANDBOX = Path(tempfile.mkdtemp(prefix="kpr-tests-"))
os.environ["KPR_INSTANCE_DIR"] = str(_SANDBOX)
os.environ["KPR_DATABASE_URL"] = f"sqlite:///{_SANDBOX / 'default.sqlite3'}"
SHARED = REPO.parent / "shared"
PG_ADMIN_URL = os.environ.get("KPR_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = ("sqlite", "postgresql")


def _pg_available() -> str | None:
    try:
        engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return None
    except Exception as exc:  # noqa: BLE001 — any connection failure is reported below
        return f"{type(exc).__name__}: {exc}"


class Databases:
    """Creates and drops throwaway databases for one test run."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.pg_created: list[str] = []
        self.pg_error = _pg_available()

    def new_url(self, backend: str) -> str:
        name = f"kpr_t_{os.getpid()}_{uuid.uuid4().hex[:8]}"
        if backend == "sqlite":
            return f"sqlite:///{self.tmp / (name + '.sqlite3')}"
        if self.pg_error:
            message = f"PostgreSQL not reachable at {PG_ADMIN_URL}: {self.pg_error}"
            if os.environ.get("CI", "").lower() == "true":
                pytest.fail(message)
            pytest.skip(message)
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        self.pg_created.append(name)
        return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        """Every database this run made: its own, and those tests/account_helpers.py made beside them (a
        template, renamed-away empties), which share the run's prefix."""
        if self.pg_error:
            return
        admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            names = conn.scalars(text("SELECT datname FROM pg_database WHERE datname LIKE :a OR datname LIKE :b"),
                                 {"a": f"kpr_t_{os.getpid()}_%", "b": f"kpr_tpl_{os.getpid()}_%"}).all()
            for name in {*self.pg_created, *names}:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    dbs = Databases(tmp_path_factory.mktemp("dbs"))
    yield dbs
    dbs.drop_all()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def fresh_url(databases: Databases, backend: str) -> str:
    """A brand-new, empty, unmigrated database."""
    return databases.new_url(backend)


@pytest.fixture(scope="session", params=BACKENDS)
def migrated_url(request: pytest.FixtureRequest, databases: Databases) -> str:
    """One migrated (empty) database per backend, shared by transactional tests."""
    url = databases.new_url(str(request.param))
    migrate.upgrade(url)
    return url


@contextmanager
def rolled_back_session(url: str) -> Iterator[Session]:
    """A session on `url` whose work is rolled back afterwards, even if the code under test commits."""
    engine = make_engine(url)
    with engine.connect() as conn:
        outer = conn.begin()
        session = Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)
        try:
            yield session
        finally:
            session.close()
            outer.rollback()
    engine.dispose()


@pytest.fixture
def db_session(migrated_url: str) -> Iterator[Session]:
    """A session whose work is rolled back after the test, even if the code under test commits."""
    with rolled_back_session(migrated_url) as session:
        yield session


def settings_for(url: str, **overrides: object) -> Settings:
    """Settings for a test database. Passwords hash with argon2's cheapest parameters (the suite logs in a hundred
    times); tests/test_users_cli.py checks the standard cost through `kpr users`, which reads the environment."""
    overrides = {"password_profile": "cheapest", **overrides}
    return replace(Settings.from_env({}), database_url=url, **overrides)  # type: ignore[arg-type]


@pytest.fixture(scope="session", params=BACKENDS)
def seeded_url(request: pytest.FixtureRequest, databases: Databases) -> str:
    """One migrated and seeded database per backend, for read-only tests (CLI, web, queries)."""
    from registry.db import session_scope
    from registry.placement import default_placer
    from registry.seeding import seed

    url = databases.new_url(str(request.param))
    migrate.upgrade(url)
    settings = settings_for(url)
    with session_scope(settings) as session:
        seed(session, settings, placer=default_placer(session, settings))
    return url


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright (never `playwright install`), one per test module."""
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} missing (apt-get install chromium fonts-noto-cjk)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Under CI=true nothing may be skipped: a skip there means an install step is missing."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.skipped and os.environ.get("CI", "").lower() == "true" and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped under CI (a dependency or file is missing): {report.longrepr}"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--backend", choices=BACKENDS, default=None,
                     help="run only the tests of one database (make test-fast: sqlite); default both")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """--backend sqlite leaves out every test parametrized on PostgreSQL (and the other way round)."""
    only = config.getoption("--backend")
    if not only:
        return
    other = {b for b in BACKENDS if b != only}
    kept, left = [], []
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        (left if other & {v for v in params.values() if isinstance(v, str)} else kept).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept
