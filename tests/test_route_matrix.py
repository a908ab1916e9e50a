"""Every route in the URL map × method × role (anonymous, viewer, editor, admin): writes need the right role and
a CSRF token, reads stay open. A new route that writes without `require(...)` fails here."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from werkzeug.routing import Rule

from tests.account_helpers import Site, csrf_from, prepare

# POST endpoints that are not writes to the registry (logging in and out).
NOT_WRITES = {"auth.login", "auth.logout"}
ROLE_RANK = {None: -1, "viewer": 0, "editor": 1, "admin": 2}
SAMPLE = {"code": "T-1", "change_id": "1", "set_id": "1", "package": "leaflet", "path": "leaflet.js",
          "filename": "kpr.css"}


@pytest.fixture(scope="module")
def site(databases, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Site:  # type: ignore[no-untyped-def]
    url = databases.new_url("sqlite")
    return prepare(url, tmp_path_factory.mktemp("matrix"))


def _path(rule: Rule) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: SAMPLE.get(m.group(1), "x"), rule.rule)


def _rules(site: Site) -> list[Rule]:
    return [r for r in site.app.url_map.iter_rules() if r.endpoint != "static"]


def test_every_write_route_requires_a_role(site: Site) -> None:
    unprotected = []
    for rule in _rules(site):
        if rule.methods and "POST" in rule.methods and rule.endpoint not in NOT_WRITES:
            view = site.app.view_functions[rule.endpoint]
            if getattr(view, "kpr_required_role", None) not in ("editor", "admin"):
                unprotected.append(rule.rule)
    assert not unprotected, f"POST routes without require(role): {unprotected}"


@pytest.mark.parametrize("role", [None, "viewer", "editor", "admin"])
def test_matrix(site: Site, role: str | None) -> None:
    client = site.client(role)
    token = csrf_from(client.get("/login").get_data(as_text=True))
    failures: list[str] = []
    for rule in _rules(site):
        path = _path(rule)
        view = site.app.view_functions[rule.endpoint]
        needed = getattr(view, "kpr_required_role", None)
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            if method == "POST" and rule.endpoint in NOT_WRITES:
                continue
            if method == "POST":
                bare = client.post(path, data={})
                if bare.status_code != 400:  # no CSRF token: refused before anything else, for every role
                    failures.append(f"POST {path} without token → {bare.status_code}")
                resp = client.post(path, data={"csrf_token": token})
            else:
                resp = client.get(path)
            status = resp.status_code
            if status >= 500:
                failures.append(f"{method} {path} as {role} → {status}")
            elif needed and role is None and status not in (302, 401):
                failures.append(f"{method} {path} anonymous → {status} (expected login)")
            elif needed and role is not None and ROLE_RANK[role] < ROLE_RANK[needed] and status != 403:
                failures.append(f"{method} {path} as {role} → {status} (expected 403)")
            elif needed and ROLE_RANK[role] >= ROLE_RANK[needed] and status in (401, 403):
                failures.append(f"{method} {path} as {role} → {status} (role suffices)")
            elif not needed and status in (401, 403):
                failures.append(f"{method} {path} as {role} → {status} (reading is open)")
    assert not failures, "\n".join(failures)


def test_read_requires_login_setting(fresh_url: str, tmp_path: Path) -> None:
    site = prepare(fresh_url, tmp_path, read_requires_login=True)
    anonymous = site.client()
    for path in ("/projects", "/projects.json", "/map", "/projects/T-1", "/review"):
        resp = anonymous.get(path)
        assert resp.status_code == 302 and "/login" in resp.headers["Location"], path
    assert anonymous.get("/login").status_code == 200
    assert site.client("viewer").get("/projects.json").status_code == 200


def test_security_headers(site: Site) -> None:
    resp = site.client().get("/projects")
    csp = resp.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "default-src 'self'" in csp and "object-src 'none'" in csp
    script_src = next(part for part in csp.split(";") if part.strip().startswith("script-src"))
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
    nonce = script_src.split("'nonce-")[1].split("'")[0]
    page = resp.get_data(as_text=True)
    assert page.count("<script") == page.count(f'<script nonce="{nonce}"')  # every script tag carries it
    assert site.client().get("/projects").headers["Content-Security-Policy"] != csp  # a fresh nonce per response
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "same-origin"
    login_resp = site.client().post("/login", data={})
    assert login_resp.status_code == 400


def test_trusted_hosts(fresh_url: str, tmp_path: Path) -> None:
    site = prepare(fresh_url, tmp_path, trusted_hosts=("kpr.intranet",))
    client = site.client()
    assert client.get("/projects.json", headers={"Host": "kpr.intranet"}).status_code == 200
    assert client.get("/projects.json", headers={"Host": "evil.example"}).status_code == 400


def test_session_cookie_is_httponly_and_samesite(site: Site) -> None:
    client = site.client()
    token = csrf_from(client.get("/login").get_data(as_text=True))
    resp = client.post("/login", data={"username": "editor", "password": "correct horse 1", "csrf_token": token})
    cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
