"""Shared set-up for tests that write through the web app: a migrated database with the reference data,
three toy projects and one account per role; a client that logs in through the real login form."""
from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text, update
from sqlalchemy.engine import make_url

from registry import history, migrate
from registry.db import make_engine, make_session_factory
from registry.models import DataStamp
from registry.seeding import REFERENCE, upsert_rows
from registry.upsert import apply_project_dicts
from registry.users import add_user
from tests.conftest import PG_ADMIN_URL, settings_for

PASSWORD = "correct horse 1"
ROLES = ("viewer", "editor", "admin")
TOY = [
    {"code": "T-1", "name": "小店区氢能产业园", "status": "unknown", "total_investment": "12.5",
     "strategies": ["jjj"], "place_text": "小店区", "district_stated": "140105",
     "sources": [{"document": "001_68a8e69ac921afbf.txt", "line": 10, "box": "专栏1"}]},
    {"code": "T-2", "name": "阳曲县物流园", "place_text": None},
    {"code": "T-3", "name": "古交市煤层气项目", "total_investment": "3"},
]


@dataclass
class Site:
    url: str
    app: Flask

    def client(self, role: str | None = None) -> FlaskClient:
        client = self.app.test_client()
        if role is not None:
            login(client, role)
        return client


def prepare(url: str, tmp: Path, **overrides: Any) -> Site:
    """A site on `url` (a new, empty database): a copy of the run's template, built once per backend the long
    way (migrate, reference data, toy projects, argon2-hashed accounts), so each test pays a file or database
    copy instead of seconds of set-up. The copy gets its own stamp epoch: no two databases share a stamp."""
    _copy_template(url)
    settings = settings_for(url, instance_dir=tmp, **overrides)
    from web import create_app

    return Site(url, create_app(settings))


def csrf_from(html: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html)
    assert found, "page has no csrf_token field"
    return found.group(1)


def login(client: FlaskClient, username: str, password: str = PASSWORD) -> None:
    page = client.get("/login")
    resp = client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": csrf_from(page.get_data(as_text=True))})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]


def form_fields(html: str, form_testid: str) -> dict[str, Any]:
    """What a browser would submit for the form unchanged: inputs, textareas and selected options."""
    from html.parser import HTMLParser

    start = html.index(f'data-testid="{form_testid}"')
    end = html.index("</form>", start)
    chunk = html[html.rindex("<form", 0, start):end]
    fields: dict[str, Any] = {}

    class Parser(HTMLParser):
        select: str | None = None
        multiple = False
        textarea: str | None = None

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            a = dict(attrs)
            if tag == "input" and a.get("name") and a.get("type") not in ("radio", "checkbox", "submit") or tag == "input" and a.get("type") == "radio" and "checked" in a:
                fields[a["name"]] = a.get("value") or ""
            elif tag == "select":
                self.select, self.multiple = a.get("name"), "multiple" in a
                if self.multiple:
                    fields[self.select] = []
            elif tag == "option" and self.select and "selected" in a:
                if self.multiple:
                    fields[self.select].append(a.get("value"))
                else:
                    fields[self.select] = a.get("value")
            elif tag == "textarea":
                self.textarea = a.get("name")
                fields[self.textarea] = ""

        def handle_endtag(self, tag: str) -> None:
            if tag == "select":
                self.select = None
            if tag == "textarea":
                self.textarea = None

        def handle_data(self, data: str) -> None:
            if self.textarea:
                fields[self.textarea] += data

    Parser().feed(chunk)
    return fields


_TEMPLATES: dict[str, str] = {}  # backend → the template database's URL, built on first use in this run


def _build(url: str) -> None:
    migrate.upgrade(url)
    settings = settings_for(url)
    engine = make_engine(url)
    with make_session_factory(engine, settings)() as session:
        for _table, model, key, loader in REFERENCE:
            upsert_rows(session, model, key, loader(settings))
        history.begin(session, "seed", file_name="toy")
        apply_project_dicts(session, TOY)
        for role in ROLES:
            add_user(session, role, PASSWORD, role)  # hashed as settings_for asks: argon2's cheapest parameters
        session.commit()
    engine.dispose()


def _admin() -> Any:
    return create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")


def _template(backend: str) -> str:
    if backend not in _TEMPLATES:
        name = f"kpr_tpl_{os.getpid()}_{uuid.uuid4().hex[:8]}"  # the run drops its own at the end
        if backend == "sqlite":
            folder = Path(tempfile.mkdtemp(prefix="kpr-template-"))
            atexit.register(shutil.rmtree, folder, True)
            url = f"sqlite:///{folder / (name + '.sqlite3')}"
        else:
            admin = _admin()
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            admin.dispose()
            url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
        _build(url)
        _TEMPLATES[backend] = url
    return _TEMPLATES[backend]


def _copy_template(url: str) -> None:
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    template = make_url(_template(backend))
    if backend == "sqlite":
        assert parsed.database and template.database
        shutil.copyfile(template.database, parsed.database)
    else:
        # The test's database exists (empty). Renaming it away is instant where dropping it can wait on a
        # checkpoint; the copy then takes its name and the empty one is dropped when the run ends.
        admin = _admin()
        aside = f"{parsed.database}_empty"
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{parsed.database}" RENAME TO "{aside}"'))
            conn.execute(text(f'CREATE DATABASE "{parsed.database}" TEMPLATE "{template.database}" STRATEGY WAL_LOG'))
        admin.dispose()  # the run's end drops it with the others (tests/conftest.py Databases.drop_all)
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(update(DataStamp).values(epoch=uuid.uuid4().hex))
    engine.dispose()
