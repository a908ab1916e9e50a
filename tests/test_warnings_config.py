"""The pytest configuration turns a DeprecationWarning from the project's own modules into an error, and leaves
one raised from a third-party module a warning (pyproject.toml, [tool.pytest.ini_options] filterwarnings)."""
from __future__ import annotations

import warnings

import pytest


def _warn_from(module: str) -> None:
    warnings.warn_explicit("old API", DeprecationWarning, filename=f"{module}.py", lineno=1, module=module)


@pytest.mark.parametrize("module", ["registry", "registry.queries", "web", "web.views"])
def test_own_deprecations_are_errors(module: str) -> None:
    with pytest.raises(DeprecationWarning, match="old API"):
        _warn_from(module)


@pytest.mark.parametrize("module", ["sqlalchemy.orm", "registryx", "webob", "folium"])
def test_other_deprecations_stay_warnings(module: str) -> None:
    with pytest.warns(DeprecationWarning, match="old API"):
        _warn_from(module)
