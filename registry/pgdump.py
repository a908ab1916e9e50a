"""Run PostgreSQL's client tools (pg_dump, pg_restore) against a SQLAlchemy URL, reporting progress.

The tools read libpq connection strings, not SQLAlchemy URLs: `libpq_args` translates. The password goes in
the PGPASSWORD environment variable of the child only, so it never shows in `ps` or in an error message."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.engine import make_url

from registry.errors import PgToolError

# (done, total) — total 0 when unknown
Progress = Callable[[int, int], None]
# --verbose lines that mark one table's data: pg_dump 'dumping contents of table "public.x"',
# pg_restore 'processing data for table "public.x"'.
_TABLE_LINE = re.compile(r'(dumping contents of|processing data for) table "')
_TAIL = 6  # stderr lines kept for an error message


@dataclass(frozen=True)
class Connection:
    conninfo: str  # libpq key=value string, without the password
    env: dict[str, str]  # environment of the child process (PGPASSWORD when the URL has one)


def _quote(value: str) -> str:
    # libpq conninfo: single quotes, backslash escapes quote and backslash.
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def libpq_args(url: str) -> Connection:
    """host, port, user, dbname and any query options (sslmode=… and the like) of a postgresql URL."""
    parsed = make_url(url)
    parts: dict[str, str] = {}
    for key, value in (("host", parsed.host), ("port", parsed.port), ("user", parsed.username),
                       ("dbname", parsed.database)):
        if value not in (None, ""):
            parts[key] = str(value)
    for key, option in parsed.query.items():
        # psycopg passes URL query options to libpq unchanged; a repeated option keeps its last value.
        parts[key] = option if isinstance(option, str) else option[-1]
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    return Connection(" ".join(f"{k}={_quote(v)}" for k, v in parts.items()), env)


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise PgToolError(f"找不到 {name}：请安装 PostgreSQL 客户端工具 "
                          f"({name} not found on PATH: install the PostgreSQL client tools, e.g. postgresql-client)")
    return path


def run(args: Sequence[str], env: dict[str, str] | None = None, total: int = 0,
        progress: Progress | None = None) -> str:
    """Run a pg tool with --verbose in args; call progress once per table it reports; return its stdout.

    Raise PgToolError naming the tool and its last stderr lines when it fails."""
    name = os.path.basename(args[0])
    tail: list[str] = []
    done = 0
    # stdout goes to a file, not a pipe: a full pipe would block the tool while we read stderr.
    with tempfile.TemporaryFile() as stdout, subprocess.Popen(
            list(args), env=env, stdout=stdout, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
            text=True, encoding="utf-8", errors="replace") as proc:
        assert proc.stderr is not None
        for line in proc.stderr:
            line = line.rstrip()
            if _TABLE_LINE.search(line):
                done += 1
                if progress:
                    progress(done, total)
            elif "error" in line.lower() or "warning" in line.lower() or "fatal" in line.lower():
                tail.append(line)
        code = proc.wait()
        stdout.seek(0)
        out = stdout.read().decode("utf-8", errors="replace")
    if code != 0:
        detail = "\n".join(tail[-_TAIL:]) or "(no message)"
        raise PgToolError(f"{name} 失败，退出码 {code} ({name} failed with exit code {code}):\n{detail}")
    return out
