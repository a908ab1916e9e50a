"""Keep the README true: every `kpr` command it names exists, every command is documented, and every
setting it lists is one the code reads (and the other way round)."""
from __future__ import annotations

import re
from pathlib import Path

import click

from registry.cli import main
from registry.config import ENV_VARS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _all_commands(group: click.Group, prefix: str = "kpr") -> set[str]:
    # list_commands/get_command, not group.commands: `kpr` loads its subcommands lazily.
    out: set[str] = set()
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        assert cmd is not None, name
        path = f"{prefix} {name}"
        if isinstance(cmd, click.Group):
            out |= _all_commands(cmd, path)
        else:
            out.add(path)
    return out


def test_every_command_is_documented() -> None:
    commands = _all_commands(main)
    missing = [c for c in sorted(commands) if f"`{c}" not in README]
    assert not missing, f"commands missing from README: {missing}"


def test_every_documented_command_exists() -> None:
    commands = _all_commands(main)
    named = set(re.findall(r"`(kpr(?: [a-z][a-z-]*)+)", README))
    unknown = [n for n in sorted(named) if not any(c == n or c.startswith(n + " ") for c in commands)]
    assert not unknown, f"README names commands that do not exist: {unknown}"


def test_every_setting_is_documented_and_real() -> None:
    documented = set(re.findall(r"`(KPR_[A-Z_]+)`", README))
    assert set(ENV_VARS) <= documented
    assert documented - set(ENV_VARS) <= {"KPR_TEST_POSTGRES_URL"}


def test_readme_gives_the_two_commands() -> None:
    assert "make serve" in README and "make test" in README


def test_every_command_explains_itself() -> None:
    from click.testing import CliRunner

    runner = CliRunner()
    for command in sorted(_all_commands(main)):
        result = runner.invoke(main, command.split()[1:] + ["--help"])
        assert result.exit_code == 0, (command, result.output)
        assert len(result.output.splitlines()) >= 3
