"""Several app servers on one database (issue 16): two real `kpr serve` processes share one database, as two
gunicorn workers or two machines behind a load balancer would. Each process keeps its own caches (facet index,
map data, stamped pages); an edit through one must be visible through the other on its very next request."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.account_helpers import PASSWORD, csrf_from, form_fields, prepare

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(base: str, proc: subprocess.Popen[bytes], deadline_s: float = 60) -> None:
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise AssertionError(f"server exited with {proc.returncode}: {proc.stderr.read().decode()[-2000:]}"
                                 if proc.stderr else f"server exited with {proc.returncode}")
        try:
            if requests.get(base + "/projects.json?limit=1", timeout=5).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{base} did not answer within {deadline_s} s")


@pytest.fixture
def two_servers(fresh_url: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    prepare(fresh_url, tmp_path)  # migrated, reference data, toy projects, one account per role
    # Both processes read one instance folder, so they share the cookie-signing key as real replicas do.
    env = {**os.environ, "KPR_DATABASE_URL": fresh_url, "KPR_INSTANCE_DIR": str(tmp_path)}
    procs, bases = [], []
    for _ in range(2):
        port = _free_port()
        procs.append(subprocess.Popen(
            [sys.executable, "-c", "from registry.cli import main; main()", "serve", "--port", str(port)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
        bases.append(f"http://127.0.0.1:{port}")
    try:
        for base, proc in zip(bases, procs, strict=True):
            _wait_until_up(base, proc)
        yield bases[0], bases[1]
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()


def _login(base: str, username: str) -> requests.Session:
    browser = requests.Session()
    page = browser.get(base + "/login", timeout=10)
    resp = browser.post(base + "/login", data={"username": username, "password": PASSWORD,
                                               "csrf_token": csrf_from(page.text)},
                        allow_redirects=False, timeout=10)
    assert resp.status_code == 302, resp.text[:500]
    return browser


def _names(base: str, query: str) -> dict[str, str]:
    page = requests.get(f"{base}/projects.json?{query}", timeout=10).json()
    return {p["code"]: p["name"] for p in page["projects"]}


def test_an_edit_through_one_server_shows_on_the_other_at_once(two_servers: tuple[str, str]) -> None:
    first, second = two_servers
    # Warm every cache of the second server first, so a stale cache would show the old name below.
    assert _names(second, "district=140105")["T-1"] == "小店区氢能产业园"
    assert requests.get(second + "/projects?district=140105", timeout=10).status_code == 200
    assert "小店区氢能产业园" in requests.get(second + "/map/data.json", timeout=30).text

    editor = _login(first, "editor")
    fields = form_fields(editor.get(first + "/projects/T-1/edit", timeout=10).text, "edit-form")
    fields |= {"name": "小店区氢能产业园（两台服务器）", "comment": "经第一台服务器修改"}
    resp = editor.post(first + "/projects/T-1/edit", data=fields, allow_redirects=False, timeout=10)
    assert resp.status_code == 302, resp.text[:500]

    # The very next request to the other process sees the edit: list JSON, the list page, its facets and the map.
    assert _names(second, "district=140105")["T-1"] == "小店区氢能产业园（两台服务器）"
    assert "小店区氢能产业园（两台服务器）" in requests.get(second + "/projects?district=140105", timeout=10).text
    assert _names(second, "q=两台服务器") == {"T-1": "小店区氢能产业园（两台服务器）"}
    assert "小店区氢能产业园（两台服务器）" in requests.get(second + "/map/data.json", timeout=30).text
    history = requests.get(second + "/projects/T-1/history.json", timeout=10).json()["history"]
    assert {(e["user"], e["comment"]) for e in history if e["field"] == "name"} == {("editor", "经第一台服务器修改")}

    # And the other way round: the login made on the first server is honoured by the second (shared key), and an
    # archive through the second disappears from the first's list at once.
    page = editor.get(second + "/projects/T-3", timeout=10).text
    archive = editor.post(second + "/projects/T-3/archive", data=form_fields(page, "archive-form"),
                         allow_redirects=False, timeout=10)
    assert archive.status_code == 302, archive.text[:500]
    assert "T-3" not in _names(first, "")
    assert requests.get(first + "/projects.json", timeout=10).json()["count"] == 2
