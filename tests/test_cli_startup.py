"""`kpr --help` and light commands import only what they use: heavy libraries (Folium, GeoPandas,
Alembic, shapely, numpy, the spreadsheet readers and writers) load inside the commands that need them.
Each check runs a fresh interpreter and reads its sys.modules (module lists, not timings: timings flake on a
busy machine)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from registry.cli import COMMANDS, main

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("folium", "branca", "geopandas", "pandas", "alembic", "shapely", "numpy", "openpyxl", "xlsxwriter",
         "pypinyin", "flask", "tqdm")
_PROBE = """
import json, sys
from registry.cli import main
try:
    main(sys.argv[1:], prog_name="kpr", standalone_mode=False)
finally:
    print("\\nMODULES=" + json.dumps(sorted(sys.modules)))
"""


def _loaded_after(*args: str, env: dict[str, str] | None = None) -> tuple[set[str], str]:
    """Run `kpr ARGS` in a fresh interpreter; return the top-level packages it imported and its output."""
    full_env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    done = subprocess.run([sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, env=full_env,
                          cwd=REPO, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    output, _, modules = done.stdout.rpartition("MODULES=")
    return {name.split(".")[0] for name in json.loads(modules)}, output


def test_import_of_the_cli_loads_no_heavy_module() -> None:
    probe = "import json, sys, registry.cli; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, cwd=REPO, timeout=120, check=True)
    loaded = {name.split(".")[0] for name in json.loads(done.stdout)}
    assert "click" in loaded  # the probe sees real imports
    assert not loaded & {*HEAVY, "sqlalchemy"}, sorted(loaded & {*HEAVY, "sqlalchemy"})


def test_help_lists_every_command_without_loading_them() -> None:
    loaded, output = _loaded_after("--help")
    assert not loaded & {*HEAVY, "sqlalchemy"}, sorted(loaded & {*HEAVY, "sqlalchemy"})
    for name in COMMANDS:
        assert f"  {name} " in output, name


@pytest.mark.parametrize("args", [["db", "--help"], ["users", "--help"], ["serve", "--help"]])
def test_group_help_is_light(args: list[str]) -> None:
    loaded, output = _loaded_after(*args)
    assert "Usage: kpr" in output
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_users_list_loads_no_heavy_module(migrated_url: str) -> None:
    # A plain DB-API read (registry/rawdb.py); tests/test_users_cli.py checks what it lists.
    loaded, _ = _loaded_after("users", "list", env={"KPR_DATABASE_URL": migrated_url})
    assert "sqlite3" in loaded or "psycopg" in loaded  # it did reach the database
    assert not loaded & {*HEAVY, "sqlalchemy", "argon2"}, sorted(loaded & {*HEAVY, "sqlalchemy", "argon2"})


def test_db_current_reads_the_revision_without_alembic_or_sqlalchemy(migrated_url: str) -> None:
    # alembic_version through a plain DB-API connection, the head from the revision files (registry/rawdb.py).
    from registry import migrate

    loaded, output = _loaded_after("db", "current", env={"KPR_DATABASE_URL": migrated_url})
    head = migrate.head_revision()
    assert f"current: {head}" in output and f"head:    {head}" in output
    assert head == migrate.revisions()[-1]  # the files' own reading agrees with Alembic's
    assert not loaded & {*HEAVY, "sqlalchemy"}, sorted(loaded & {*HEAVY, "sqlalchemy"})


def test_stored_short_help_matches_each_command() -> None:
    # `kpr --help` shows the stored text without importing; it must say what the command itself says.
    ctx = click.Context(main)
    for name, entry in COMMANDS.items():
        command = main.get_command(ctx, name)
        assert command is not None and command.name == name
        assert command.get_short_help_str(limit=10_000) == entry.short_help, name
