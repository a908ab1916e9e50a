"""`make lint` is pinned and real: ruff's pin in pyproject's dev extra is the installed ruff, ESLint's pin in
web/package.json is the one installed from the lockfile, and the ESLint config catches a bad script."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ESLINT = REPO / "web" / "node_modules" / ".bin" / "eslint"


def test_ruff_is_pinned_to_the_installed_version() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    dev = project["optional-dependencies"]["dev"]
    pins = [re.fullmatch(r"ruff==([0-9.]+)", spec) for spec in dev]
    pinned = [m.group(1) for m in pins if m]
    assert pinned == [version("ruff")], dev


def test_eslint_is_pinned_and_installed_from_the_lockfile() -> None:
    declared = json.loads((REPO / "web" / "package.json").read_text(encoding="utf-8"))["devDependencies"]
    locked = json.loads((REPO / "web" / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    for name, pin in declared.items():
        assert re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+", pin), (name, pin)  # exact, no ^ or ~
        assert locked[f"node_modules/{name}"]["version"] == pin, name
    assert "eslint" in declared
    assert "eslint.config.mjs" in (REPO / "Makefile").read_text(encoding="utf-8")


def test_eslint_config_catches_a_bad_script() -> None:
    if not ESLINT.exists() or shutil.which("node") is None:
        pytest.skip("ESLint not installed: run `npm ci --prefix web` (make install does)")
    config = ["--config", "web/eslint.config.mjs"]
    for target in ("web/static/probe.js", "registry/maps/static/probe.js"):
        done = subprocess.run([str(ESLINT), *config, "--stdin", "--stdin-filename", target],
                              input="(function () { undefinedName(); })();\n", capture_output=True,
                              text=True, cwd=REPO, timeout=120, check=False)
        assert done.returncode == 1 and "no-undef" in done.stdout, (target, done.stdout, done.stderr)
    scripts = [str(p.relative_to(REPO)) for pattern in ("web/static/*.js", "registry/maps/static/*.js")
               for p in sorted(REPO.glob(pattern))]
    assert len(scripts) >= 3
    clean = subprocess.run([str(ESLINT), *config, "--max-warnings", "0", *scripts], capture_output=True,
                           text=True, cwd=REPO, timeout=120, check=False)
    assert clean.returncode == 0, clean.stdout
