"""`kpr users`: accounts for the web app (viewer, editor, admin). Passwords are read from a hidden prompt or
standard input, hashed with argon2, and never printed."""
from __future__ import annotations

import sys

import click

from registry.config import Settings
from registry.roles import ROLES


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(click.prompt("密码 (password)", hide_input=True, confirmation_prompt="再输入一次 (repeat)"))


def _run(action: object) -> None:
    from registry.db import session_scope

    with session_scope(Settings.from_env()) as session:
        record = action(session)  # type: ignore[operator]
    if record is not None:
        click.echo(f"{record.username}\t{record.role}\t{'启用' if record.active else '已停用'}")


@click.group(help="Accounts for the web app: add, list, set-role, disable, enable, set-password.")
def users() -> None:
    pass


@users.command("add", help="Add an account (prompts for the password unless --password-stdin).")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--password-stdin", is_flag=True, help="read the password from standard input")
def add(name: str, role: str, password_stdin: bool) -> None:
    from registry.users import add_user

    password = _password(password_stdin)
    _run(lambda s: add_user(s, name, password, role))


@users.command("list", help="List accounts with their roles (never passwords).")
def list_() -> None:
    # A read of three columns: a plain DB-API query, so listing loads neither SQLAlchemy nor the models
    # (the same order as registry/users.py list_users). Every write below goes through the ORM and the history.
    from registry.rawdb import fetch_all

    rows = fetch_all(Settings.from_env().database_url, "SELECT username, role, active FROM users ORDER BY username")
    for username, role, active in rows:
        click.echo(f"{username}\t{role}\t{'启用' if active else '已停用'}")


@users.command("set-role", help="Change an account's role (its open sessions end).")
@click.argument("name")
@click.argument("role", type=click.Choice(ROLES))
def set_role_(name: str, role: str) -> None:
    from registry.users import set_role

    _run(lambda s: set_role(s, name, role))


@users.command("disable", help="Disable an account (it can no longer log in; open sessions end).")
@click.argument("name")
def disable(name: str) -> None:
    from registry.users import set_active

    _run(lambda s: set_active(s, name, False))


@users.command("enable", help="Enable a disabled account again.")
@click.argument("name")
def enable(name: str) -> None:
    from registry.users import set_active

    _run(lambda s: set_active(s, name, True))


@users.command("set-password", help="Set a new password (prompts unless --password-stdin).")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="read the password from standard input")
def set_password_(name: str, password_stdin: bool) -> None:
    from registry.users import set_password

    password = _password(password_stdin)
    _run(lambda s: set_password(s, name, password))
