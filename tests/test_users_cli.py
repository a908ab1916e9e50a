"""`kpr users …` on both databases: passwords only as argon2 hashes, never printed; roles and disabling take
effect on the next request (open sessions end)."""
from __future__ import annotations

from pathlib import Path

from argon2 import PasswordHasher
from click.testing import CliRunner
from sqlalchemy import select

from registry import migrate
from registry.cli import main
from registry.db import make_engine, make_session_factory
from registry.models import User
from tests.account_helpers import PASSWORD, csrf_from, login, prepare


def _run(url: str, *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), input=stdin, env={"KPR_DATABASE_URL": url})
    return result.exit_code, result.output


def test_users_add_list_set_role_disable(fresh_url: str) -> None:
    migrate.upgrade(fresh_url)
    code, out = _run(fresh_url, "users", "add", "王工", "--role", "editor", "--password-stdin",
                     stdin="s3cret-pass\n")
    assert code == 0 and "s3cret-pass" not in out
    code, out = _run(fresh_url, "users", "add", "李工", "--role", "viewer", stdin="pw-1234567\npw-1234567\n")
    assert code == 0, out  # prompted twice, hidden
    code, out = _run(fresh_url, "users", "add", "王工", "--role", "admin", "--password-stdin", stdin="another-pw\n")
    assert code != 0 and "已存在" in out
    code, out = _run(fresh_url, "users", "add", "短", "--role", "viewer", "--password-stdin", stdin="123\n")
    assert code != 0 and "至少" in out
    engine = make_engine(fresh_url)
    with make_session_factory(engine)() as session:
        stored = session.scalar(select(User.password_hash).where(User.username == "王工"))
        assert stored and stored.startswith("$argon2id$") and "s3cret-pass" not in stored
        assert not PasswordHasher().check_needs_rehash(stored)  # the library's full recommended cost
    engine.dispose()
    assert _run(fresh_url, "users", "set-role", "王工", "admin")[0] == 0
    assert _run(fresh_url, "users", "disable", "李工")[0] == 0
    code, out = _run(fresh_url, "users", "list")
    assert "王工\tadmin\t启用" in out and "李工\tviewer\t已停用" in out
    assert "$argon2" not in out


def test_disabled_user_is_logged_out_and_cannot_log_in(fresh_url: str, tmp_path: Path) -> None:
    site = prepare(fresh_url, tmp_path)
    client = site.client("editor")
    assert client.get("/projects/new").status_code == 200
    assert _run(fresh_url, "users", "disable", "editor")[0] == 0
    assert client.get("/projects/new").status_code == 302  # the open session ended
    fresh = site.client()
    token = csrf_from(fresh.get("/login").get_data(as_text=True))
    assert fresh.post("/login", data={"username": "editor", "password": PASSWORD,
                                      "csrf_token": token}).status_code == 401
    assert _run(fresh_url, "users", "enable", "editor")[0] == 0
    login(fresh, "editor")
