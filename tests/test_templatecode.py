"""Templates compile once per process, shared by every app create_app makes, and an edited one compiles again."""
from __future__ import annotations

from typing import Any

import pytest
from jinja2 import DictLoader, Environment

from tests.conftest import settings_for
from web import create_app
from web.templatecode import ProcessTemplateCode


def _never(*_args: Any, **_kwargs: Any) -> Any:
    raise AssertionError("the template was compiled again")


@pytest.mark.parametrize("path", ["/login", "/"])
def test_a_second_app_renders_without_compiling(migrated_url: str, path: str,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    first = create_app(settings_for(migrated_url)).test_client().get(path)
    assert first.status_code == 200
    second_app = create_app(settings_for(migrated_url))
    monkeypatch.setattr(second_app.jinja_env, "compile", _never)
    second = second_app.test_client().get(path)
    assert second.status_code == 200
    assert len(second.get_data()) > 1000


def test_an_edited_template_compiles_again() -> None:
    cache = ProcessTemplateCode()
    before = Environment(loader=DictLoader({"t.html": "旧 {{ x }}"}), bytecode_cache=cache)
    assert before.get_template("t.html").render(x=1) == "旧 1"
    after = Environment(loader=DictLoader({"t.html": "新 {{ x }}"}), bytecode_cache=cache)
    assert after.get_template("t.html").render(x=1) == "新 1"
    again = Environment(loader=DictLoader({"t.html": "新 {{ x }}"}), bytecode_cache=cache)
    again.compile = _never  # type: ignore[method-assign]
    assert again.get_template("t.html").render(x=2) == "新 2"
