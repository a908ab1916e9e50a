"""One error hierarchy in one module, translated once for HTTP and once for the CLI (issue 15); a stale edit is
a 409, never a 500."""
from __future__ import annotations

import ast
import importlib
from dataclasses import replace
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from sqlalchemy.orm.exc import StaleDataError

from registry import errors
from registry.cli import COMMANDS, main
from registry.config import Settings
from registry.errors import InvalidFilter, KprError, NotFound, StaleEdit, as_kpr_error
from web import create_app

REPO = Path(__file__).resolve().parents[1]
SOURCES = sorted([*(REPO / "registry").rglob("*.py"), *(REPO / "web").rglob("*.py")])


def _module(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    for sub in list(found):
        found |= _subclasses(sub)
    return found


def test_every_domain_error_is_defined_in_errors() -> None:
    for path in SOURCES:
        importlib.import_module(_module(path))
    outside = sorted(f"{c.__module__}.{c.__qualname__}" for c in _subclasses(KprError)
                     if c.__module__ != "registry.errors")
    assert not outside, outside


def test_no_other_exception_class_is_defined_elsewhere() -> None:
    offenders = []
    for path in SOURCES:
        if path == REPO / "registry" / "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases = {b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases}
                if any(b.endswith(("Error", "Exception", "Refused", "Conflict")) for b in bases) or \
                        any(b in {"KprError", "StaleEdit", "InvalidRecord", "InvalidFilter"} for b in bases):
                    offenders.append(f"{path.relative_to(REPO)}:{node.name}")
    assert not offenders, offenders


def _count(pattern: str, paths: list[Path]) -> list[str]:
    return [str(p.relative_to(REPO)) for p in paths for _ in range(p.read_text(encoding="utf-8").count(pattern))]


def test_each_translation_exists_once() -> None:
    cli = sorted((REPO / "registry" / "cli").glob("*.py"))
    assert _count("as_kpr_error(", cli) == ["registry/cli/__init__.py"]
    assert _count("except KprError", cli) == []
    web = sorted((REPO / "web").glob("*.py"))
    assert _count("register_error_handler(KprError", web) == ["web/errors.py"]
    assert _count("register_error_handler(StaleDataError", web) == ["web/errors.py"]


def test_stale_data_is_a_stale_edit() -> None:
    error = as_kpr_error(StaleDataError("UPDATE statement on table 'projects' expected to update 1 row(s)"))
    assert isinstance(error, StaleEdit) and error.status == 409
    assert as_kpr_error(NotFound("x")) is not None and as_kpr_error(ZeroDivisionError()) is None


def test_every_error_has_a_code_and_a_status() -> None:
    classes = _subclasses(KprError) | {KprError}
    assert all(isinstance(c.code, str) and 400 <= c.status < 600 for c in classes)
    assert len({c.code for c in classes if c.__module__ == errors.__name__}) >= 10


@pytest.fixture()
def app_with_failures():  # type: ignore[no-untyped-def]
    app = create_app(replace(Settings.from_env({}), database_url="sqlite://"), {"TESTING": True})

    def stale() -> str:
        raise StaleDataError("UPDATE statement on table 'projects' expected to update 1 row(s); 0 were matched.")

    def missing() -> str:
        raise NotFound("没有这个项目 (no such project)")

    app.add_url_rule("/_test/stale", view_func=stale)
    app.add_url_rule("/_test/stale.json", endpoint="stale_json", view_func=stale)
    app.add_url_rule("/_test/missing.json", view_func=missing)
    return app


def test_http_translation(app_with_failures) -> None:  # type: ignore[no-untyped-def]
    client = app_with_failures.test_client()
    page = client.get("/_test/stale")
    assert page.status_code == 409 and "text/html" in page.content_type
    data = client.get("/_test/stale.json")
    assert data.status_code == 409 and data.get_json()["error"] == "stale_edit"
    gone = client.get("/_test/missing.json")
    assert gone.status_code == 404 and gone.get_json() == {"error": "not_found", "message": "没有这个项目 (no such project)"}


def test_cli_translation(monkeypatch: pytest.MonkeyPatch) -> None:
    @click.command()
    @click.argument("kind")
    def failing(kind: str) -> None:
        click.echo("started")
        if kind == "stale":
            raise StaleDataError("UPDATE statement on table 'projects' expected to update 1 row(s)")
        if kind == "filter":
            raise InvalidFilter("未知区县 nowhere (unknown district)")
        if kind == "bug":
            raise ZeroDivisionError("a bug keeps its traceback")
        raise NotFound("没有这个项目 (no such project)")

    monkeypatch.setitem(main.commands, "failing", failing)
    assert "failing" not in COMMANDS
    runner = CliRunner()
    result = runner.invoke(main, ["failing", "missing"])
    assert result.exit_code == 1 and "Error: 没有这个项目 (no such project)" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(main, ["failing", "stale"])
    assert result.exit_code == 1 and "已被他人修改" in result.output
    result = runner.invoke(main, ["failing", "filter"])
    assert result.exit_code == 2 and "未知区县 nowhere" in result.output
    result = runner.invoke(main, ["failing", "bug"])
    assert isinstance(result.exception, ZeroDivisionError)
