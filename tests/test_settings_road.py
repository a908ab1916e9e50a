"""Configuration has one road (issue 15): Settings.from_env is the only place the product reads the
environment, the variables it reads are exactly those the README documents, and Alembic is handed a connection,
never a URL."""
from __future__ import annotations

import ast
import re
from dataclasses import replace
from pathlib import Path

from registry import config
from registry.config import ENV_VARS, Settings
from registry.db import make_engine, make_session_factory
from registry.progress.classify import Rule

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
PRODUCT = sorted([*(REPO / "registry").rglob("*.py"), *(REPO / "web").rglob("*.py"), *(REPO / "migrations").rglob("*.py")])
# pg_dump/pg_restore get the server's environment plus PGPASSWORD: passed through to a child, not read.
PASSES_THROUGH = {REPO / "registry" / "pgdump.py"}


def _reads_environment(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb") and \
                isinstance(node.value, ast.Name) and node.value.id == "os":
            return True
        if isinstance(node, ast.ImportFrom) and node.module == "os" and \
                any(a.name in ("environ", "getenv") for a in node.names):
            return True
    return False


def test_only_settings_reads_the_environment() -> None:
    readers = [str(p.relative_to(REPO)) for p in PRODUCT
               if p not in PASSES_THROUGH and _reads_environment(ast.parse(p.read_text(encoding="utf-8")))]
    assert readers == ["registry/config.py"]


def _read_by_settings() -> set[str]:
    """The KPR_ names Settings.from_env looks up (string constants in its body and in its helpers' calls)."""
    source = Path(config.__file__).read_text(encoding="utf-8")
    tree = ast.parse(source)
    from_env = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "from_env")
    return {n.value for n in ast.walk(from_env) if isinstance(n, ast.Constant) and isinstance(n.value, str)
            and re.fullmatch(r"KPR_[A-Z_]+", n.value)}


def test_the_variables_read_are_the_variables_documented() -> None:
    read = _read_by_settings()
    documented = set(re.findall(r"`(KPR_[A-Z_]+)`", README))
    assert read == set(ENV_VARS)
    assert read <= documented, sorted(read - documented)
    # The README may also name the test suite's own variable (read by tests/conftest.py, not the product).
    assert documented - read <= {"KPR_TEST_POSTGRES_URL"}, sorted(documented - read)
    assert Settings.from_env({name: "" for name in read}) == Settings.from_env({})


def test_no_kpr_variable_is_named_outside_settings() -> None:
    # Flask config keys (KPR_SETTINGS, KPR_PRINT_LIMIT) are app.config entries, not environment variables.
    app_keys = {"KPR_SETTINGS", "KPR_PRINT_LIMIT", "KPR_PRINT_PDF_LIMIT"}
    named: dict[str, str] = {}
    for path in PRODUCT:
        if path.name == "config.py" and path.parent.name == "registry":
            continue
        for name in re.findall(r"[\"'](KPR_[A-Z_]+)[\"']", path.read_text(encoding="utf-8")):
            named[name] = str(path.relative_to(REPO))
    assert set(named) <= app_keys, named


def test_alembic_gets_a_connection_not_a_url() -> None:
    env = (REPO / "migrations" / "env.py").read_text(encoding="utf-8")
    migrate = (REPO / "registry" / "migrate.py").read_text(encoding="utf-8")
    assert "sqlalchemy.url" not in env + migrate
    assert 'attributes["connection"]' in migrate and 'attributes.get("connection")' in env


def test_the_session_carries_the_settings_rule() -> None:
    settings = replace(Settings.from_env({}), database_url="sqlite://", progress_ahead=Rule().ahead + 10)
    engine = make_engine(settings.database_url)
    try:
        with make_session_factory(engine, settings)() as session:
            assert Rule.of_session(session) == Rule.from_settings(settings) != Rule()
        with make_session_factory(engine)() as session:
            assert Rule.of_session(session) == Rule()
    finally:
        engine.dispose()


def test_the_password_profile_reaches_hashing_through_the_session(tmp_path: Path) -> None:
    """KPR_PASSWORD_PROFILE picks the argon2 cost of new hashes; the session carries it to registry/users.py,
    and a login with a hash made at another cost rehashes it at the configured one."""
    import pytest
    from argon2 import PasswordHasher
    from argon2.profiles import CHEAPEST

    from registry import migrate
    from registry.errors import ConfigError
    from registry.models import User
    from registry.users import add_user, authenticate

    with pytest.raises(ConfigError, match="KPR_PASSWORD_PROFILE"):
        Settings.from_env({"KPR_PASSWORD_PROFILE": "weak"})
    url = f"sqlite:///{tmp_path / 'p.sqlite3'}"
    migrate.upgrade(url)
    standard = replace(Settings.from_env({}), database_url=url)
    cheapest = replace(standard, password_profile="cheapest")
    engine = make_engine(url)
    with make_session_factory(engine, cheapest)() as session:
        add_user(session, "wang", "long-enough-1", "editor")
        stored = session.get(User, 1)
        assert stored is not None and PasswordHasher().check_needs_rehash(stored.password_hash)
        assert not PasswordHasher.from_parameters(CHEAPEST).check_needs_rehash(stored.password_hash)
        session.commit()
    with make_session_factory(engine, standard)() as session:
        assert authenticate(session, "wang", "long-enough-1") is not None
        stored = session.get(User, 1)
        assert stored is not None and not PasswordHasher().check_needs_rehash(stored.password_hash)
    engine.dispose()
