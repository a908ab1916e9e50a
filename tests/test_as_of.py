"""The registry as of a date (issue 17), on SQLite and PostgreSQL: projects created, edited and given progress at
known times (change-set times set explicitly), then the list, its JSON, CSV, map data, dashboard and CLI asked
for days before, between and after give the lists, totals and progress that stood then — and leave the data,
the data stamp and the shared caches as they were."""
from __future__ import annotations

import csv
import io
import json
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl  # type: ignore[import-untyped]
import pytest
from click.testing import CliRunner
from sqlalchemy import select, update

from registry import stamp
from registry.cli import main
from registry.db import make_engine, make_session_factory
from registry.models import Change, ChangeSet, Project
from tests.account_helpers import Site, form_fields, prepare
from tests.progress_sheets import diaodu


def _at(site: Site, kind: str, when: datetime) -> None:
    """Date the newest change set of `kind` (the history's clock is UTC)."""
    engine = make_engine(site.url)
    with make_session_factory(engine)() as session:
        newest = session.scalar(select(ChangeSet.id).where(ChangeSet.kind == kind).order_by(ChangeSet.id.desc()))
        session.execute(update(ChangeSet).where(ChangeSet.id == newest).values(at=when))
        session.commit()
    engine.dispose()


@pytest.fixture
def history_site(fresh_url: str, tmp_path: Path, monkeypatch: Any) -> Site:
    """T-1..T-3 seeded 2025-01-01; T-9 created 2025-03-01; T-1's total 12.5 → 20 亿元 at 2025-04-11 00:30
    Beijing (2025-04-10 16:30 UTC); June progress for T-1 imported 2025-07-05 (0.5 亿元), corrected 2025-07-20
    (0.6 亿元)."""
    site = prepare(fresh_url, tmp_path)
    _at(site, "seed", datetime(2025, 1, 1, 2, tzinfo=UTC))
    editor = site.client("editor")
    fields = form_fields(editor.get("/projects/new").get_data(as_text=True), "edit-form")
    assert editor.post("/projects/new", data=fields | {"code": "T-9", "name": "晋源区新建项目",
                                                        "total_investment": "7"}).status_code == 302
    _at(site, "create", datetime(2025, 3, 1, 4, tzinfo=UTC))
    fields = form_fields(editor.get("/projects/T-1/edit").get_data(as_text=True), "edit-form")
    assert editor.post("/projects/T-1/edit", data=fields | {"total_investment": "20"}).status_code == 302
    _at(site, "edit", datetime(2025, 4, 10, 16, 30, tzinfo=UTC))
    monkeypatch.setenv("KPR_DATABASE_URL", site.url)
    sheet = diaodu(tmp_path / "june.xlsx", [(1, "小店区氢能产业园", 200000, 40000, 5000, "主体施工", None)])
    result = CliRunner().invoke(main, ["progress", "import", str(sheet), "--user", "li"])
    assert result.exit_code == 0, result.output
    _at(site, "progress-import", datetime(2025, 7, 5, 2, tzinfo=UTC))
    fixed = diaodu(tmp_path / "june-fixed.xlsx", [(1, "小店区氢能产业园", 200000, 40000, 6000, "主体施工", None)])
    result = CliRunner().invoke(main, ["progress", "import", str(fixed), "--user", "li"])
    assert result.exit_code == 0, result.output
    _at(site, "progress-import", datetime(2025, 7, 20, 2, tzinfo=UTC))
    return site


def _json(client: Any, as_of: str | None) -> dict[str, Any]:
    resp = client.get("/projects.json" + (f"?as_of={as_of}" if as_of else ""))
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    return resp.get_json()  # type: ignore[no-any-return]


def _summary(page: dict[str, Any]) -> tuple[list[str], float, dict[str, int]]:
    return ([p["code"] for p in page["projects"]], page["total_investment"],
            {p["code"]: len(p["progress"]) for p in page["projects"] if p["progress"]})


def test_views_as_of_before_between_and_after(history_site: Site) -> None:
    client = history_site.client()
    assert _summary(_json(client, "2024-12-31")) == ([], 0.0, {})
    assert _summary(_json(client, "2025-02-01")) == (["T-1", "T-2", "T-3"], 15.5, {})
    assert _summary(_json(client, "2025-04-10")) == (["T-1", "T-2", "T-3", "T-9"], 22.5, {})
    assert _summary(_json(client, "2025-04-11")) == (["T-1", "T-2", "T-3", "T-9"], 30.0, {})
    assert _summary(_json(client, "2025-07-04")) == (["T-1", "T-2", "T-3", "T-9"], 30.0, {})
    after = _json(client, "2025-07-05")
    assert _summary(after) == (["T-1", "T-2", "T-3", "T-9"], 30.0, {"T-1": 1})
    assert after["projects"][0]["progress"][0]["completed_investment"] == 0.5
    assert "截至 2025-07-05" in after["filter"] and "截至" not in _json(client, None)["filter"]
    now = _json(client, None)
    assert _summary(now) == _summary(after) and now["projects"][0]["progress"][0]["completed_investment"] == 0.6

    # The page says so, keeps as_of in its form and chips, and links to today's registry.
    html = client.get("/projects?as_of=2025-04-10&status=unknown").get_data(as_text=True)
    assert 'data-testid="as-of-banner"' in html and "截至 2025-04-10" in html
    assert 'name="as_of" value="2025-04-10"' in html and "× 截至 2025-04-10" in html
    assert 'href="/projects?status=unknown" data-testid="as-of-now"' in html
    assert form_fields(html, "filters")["as_of"] == "2025-04-10"
    # The map page says so too, and asks for its data as of the same day.
    map_html = client.get("/map?as_of=2025-04-10").get_data(as_text=True)
    assert 'data-testid="as-of-banner"' in map_html and "as_of=2025-04-10" in map_html.split("map/data.json")[1][:200]
    assert "截至 2025-04-10" in client.get("/projects/print?as_of=2025-04-10").get_data(as_text=True)
    # CSV, map data and the dashboard read the same rewound registry.
    rows = list(csv.reader(io.StringIO(client.get("/projects.csv?as_of=2025-02-01").get_data(as_text=True))))
    assert len(rows) == 1 + 3
    assert client.get("/map/data.json?as_of=2025-02-01").get_json()["count"] == 3
    stats = client.get("/stats.json?as_of=2025-02-01").get_json()
    assert (stats["count"], stats["total_investment"]) == (3, 15.5)
    assert 'data-testid="as-of-banner"' in client.get("/stats?as_of=2025-02-01").get_data(as_text=True)
    book = openpyxl.load_workbook(io.BytesIO(client.get("/projects.xlsx?as_of=2025-02-01").data), read_only=True)
    assert len(list(book["项目"].iter_rows(min_row=2, values_only=True))) == 3
    # The detail page as of a day: the fields and 修改记录 as they stood, no edit controls.
    editor = history_site.client("editor")
    detail = editor.get("/projects/T-1?as_of=2025-04-10").get_data(as_text=True)
    assert 'data-testid="as-of-banner"' in detail and 'data-testid="edit-actions"' not in detail
    assert "种子数据" in detail and "编辑" not in detail.split('id="history"')[1]
    assert editor.get("/projects/T-9?as_of=2025-02-01").status_code == 404
    assert 'data-testid="edit-actions"' in editor.get("/projects/T-1").get_data(as_text=True)


def test_as_of_reads_leave_data_stamp_and_caches_alone(history_site: Site) -> None:
    engine = make_engine(history_site.url)
    with make_session_factory(engine)() as session:
        before = (stamp.read(session), session.scalar(select(Project.total_investment).where(Project.code == "T-1")),
                  len(session.scalars(select(Change)).all()))
    client = history_site.client()
    today = client.get("/projects").get_data(as_text=True)  # fills the shared facet index
    index = history_site.app.extensions["kpr_facet_index"]
    cached = client.get("/map/data.json").get_json()["count"]
    assert client.get("/projects?as_of=2025-02-01").status_code == 200
    assert client.get("/map/data.json?as_of=2025-02-01").get_json()["count"] == 3
    assert history_site.app.extensions["kpr_facet_index"] is index
    assert client.get("/projects").get_data(as_text=True) == today
    assert client.get("/map/data.json").get_json()["count"] == cached == 4
    with make_session_factory(engine)() as session:
        after = (stamp.read(session), session.scalar(select(Project.total_investment).where(Project.code == "T-1")),
                 len(session.scalars(select(Change)).all()))
    engine.dispose()
    assert after == before


def test_cli_as_of_and_bad_dates(history_site: Site, monkeypatch: Any) -> None:
    monkeypatch.setenv("KPR_DATABASE_URL", history_site.url)
    runner = CliRunner()
    result = runner.invoke(main, ["projects", "--as-of", "2025-04-10", "--format", "json"])
    assert result.exit_code == 0, result.output
    page = json.loads(result.output)
    assert _summary(page) == (["T-1", "T-2", "T-3", "T-9"], 22.5, {}) and "截至 2025-04-10" in page["filter"]
    bad = runner.invoke(main, ["projects", "--as-of", "2025-4-1"])
    assert bad.exit_code != 0 and "YYYY-MM-DD" in bad.output
    client = history_site.client()
    resp = client.get("/projects?as_of=2025-02-30")
    assert resp.status_code == 400 and 'data-param="as_of"' in resp.get_data(as_text=True)
    assert client.get("/projects.json?as_of=2999-01-01").status_code == 400


# PostgreSQL only (SQLite writers queue for the one write lock: there is no serialization failure to retry).
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_an_edit_committed_during_the_rewind_is_retried_not_an_error(history_site: Site, backend: str) -> None:
    """PostgreSQL: the rewind updates T-1 in its snapshot while another transaction holds and then commits an
    update of the same row; the request starts over on a fresh snapshot instead of failing."""
    engine = make_engine(history_site.url)
    other = engine.connect()
    held = other.begin()
    other.execute(update(Project).where(Project.code == "T-1").values(description="并发修改"))
    result: dict[str, Any] = {}

    def read() -> None:
        result["page"] = history_site.client().get("/projects.json?as_of=2025-04-10")

    thread = threading.Thread(target=read)
    thread.start()
    time.sleep(1.5)  # the rewind is now waiting for T-1's row lock
    held.commit()
    thread.join(30)
    other.close()
    engine.dispose()
    assert result["page"].status_code == 200
    assert _summary(result["page"].get_json()) == (["T-1", "T-2", "T-3", "T-9"], 22.5, {})


def test_progress_classes_as_of_a_day_never_share_the_live_cache(history_site: Site) -> None:
    """The month's classes are cached per data stamp; an as-of read runs on a rewound connection with the same
    stamp, so it must neither read the live entry nor leave its own behind (in either order)."""
    client = history_site.client()

    def codes(query: str) -> list[str]:
        return [p["code"] for p in _json_query(client, query)["projects"]]

    assert codes("as_of=2025-07-04&progress_class=滞后") == []  # no 调度 figures yet that day
    assert codes("progress_class=滞后") == ["T-1"]  # 0.6 of 10 亿元 due by June: behind
    assert codes("as_of=2025-07-04&progress_class=滞后") == []
    assert "T-1" in codes("as_of=2025-07-04&progress_class=未填报")
    assert codes("progress_class=滞后") == ["T-1"]


def _json_query(client: Any, query: str) -> dict[str, Any]:
    resp = client.get("/projects.json?" + query)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    return resp.get_json()  # type: ignore[no-any-return]
