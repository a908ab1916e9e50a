"""Shared set-up for tests that write through the web app: a migrated database with the reference data,
three toy projects and one account per role; a client that logs in through the real login form."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from registry import history, migrate
from registry.db import make_engine, make_session_factory
from registry.seeding import REFERENCE, upsert_rows
from registry.upsert import apply_project_dicts
from registry.users import add_user
from tests.conftest import settings_for

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
    migrate.upgrade(url)
    settings = settings_for(url, instance_dir=tmp, **overrides)
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        for _table, model, key, loader in REFERENCE:
            upsert_rows(session, model, key, loader(settings))
        history.begin(session, "seed", file_name="toy")
        apply_project_dicts(session, TOY)
        for role in ROLES:
            add_user(session, role, PASSWORD, role)
        session.commit()
    engine.dispose()
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
