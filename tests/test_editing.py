"""Editing through the web app's own forms, on SQLite and PostgreSQL: every write authorised, CSRF-checked,
recorded in the history; stale saves never overwrite; archive, revert and re-seeding keep what people did."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from registry import history
from registry.db import make_engine, make_session_factory
from registry.models import Change, ChangeSet, Project
from tests.account_helpers import Site, csrf_from, form_fields, login, prepare


@pytest.fixture
def site(fresh_url: str, tmp_path: Path) -> Site:
    return prepare(fresh_url, tmp_path)


def _project(site: Site, code: str) -> Project:
    engine = make_engine(site.url)
    with make_session_factory(engine)() as session:
        project = session.scalar(select(Project).where(Project.code == code))
        assert project is not None
        session.expunge(project)
    engine.dispose()
    return project


def test_editor_saves_the_form_and_history_records_each_field(site: Site) -> None:
    client = site.client("editor")
    fields = form_fields(client.get("/projects/T-1/edit").get_data(as_text=True), "edit-form")
    assert fields["name"] == "小店区氢能产业园" and fields["strategies"] == ["jjj"]
    fields |= {"name": "小店区氢能产业园（一期）", "status": "在建", "total_investment": "5000",
               "investment_unit": "万元", "comment": "周调度更新"}
    resp = client.post("/projects/T-1/edit", data=fields)
    assert resp.status_code == 302
    project = _project(site, "T-1")
    assert project.name == "小店区氢能产业园（一期）" and project.status == "在建"
    assert str(project.total_investment) == "0.5"  # 5000 万元, exactly
    entries = client.get("/projects/T-1/history.json").get_json()["history"]
    changed = {e["field"]: (e["old"], e["new"]) for e in entries if e["comment"] == "周调度更新"}
    assert changed == {"name": ("小店区氢能产业园", "小店区氢能产业园（一期）"), "status": ("unknown", "在建"),
                       "total_investment": ("12.5", "0.5")}
    assert {e["user"] for e in entries if e["comment"] == "周调度更新"} == {"editor"}


def test_form_unchanged_saves_nothing(site: Site) -> None:
    client = site.client("editor")
    before = _project(site, "T-1")
    fields = form_fields(client.get("/projects/T-1/edit").get_data(as_text=True), "edit-form")
    assert client.post("/projects/T-1/edit", data=fields).status_code == 302
    after = _project(site, "T-1")
    assert (after.name, after.total_investment, after.status) == (before.name, before.total_investment,
                                                                   before.status)
    history_json = client.get("/projects/T-1/history.json").get_json()["history"]
    assert [e for e in history_json if e["kind"] == "edit"] == []


def test_invalid_values_keep_what_was_typed(site: Site) -> None:
    client = site.client("editor")
    fields = form_fields(client.get("/projects/T-1/edit").get_data(as_text=True), "edit-form")
    fields |= {"total_investment": "1,2", "start_year": "二〇二五", "name": "新名字"}
    resp = client.post("/projects/T-1/edit", data=fields)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert 'data-testid="error-total_investment"' in page and 'data-testid="error-start_year"' in page
    assert 'value="新名字"' in page and 'value="1,2"' in page
    assert _project(site, "T-1").name == "小店区氢能产业园"


def test_second_browser_gets_the_conflict_page_and_nothing_is_lost(site: Site) -> None:
    first, second = site.client("editor"), site.client("admin")
    form_a = form_fields(first.get("/projects/T-1/edit").get_data(as_text=True), "edit-form")
    form_b = form_fields(second.get("/projects/T-1/edit").get_data(as_text=True), "edit-form")
    assert first.post("/projects/T-1/edit", data=form_a | {"name": "甲的名字"}).status_code == 302
    resp = second.post("/projects/T-1/edit", data=form_b | {"builder": "乙填的建设单位"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 409 and 'data-testid="conflict"' in page
    assert "乙填的建设单位" in page and "甲的名字" in page  # theirs kept, current shown beside
    assert _project(site, "T-1").name == "甲的名字" and _project(site, "T-1").builder is None
    merged = form_fields(page, "edit-form")  # submit the conflict page's form: saves over the current version
    assert merged["builder"] == "乙填的建设单位"
    assert second.post("/projects/T-1/edit", data=merged).status_code == 302
    json_resp = first.post("/projects/T-1/edit", data=form_a, headers={"Accept": "application/json"})
    assert json_resp.status_code == 409 and json_resp.get_json()["error"] == "stale_edit"


def test_concurrent_saves_never_lose_an_update(site: Site) -> None:
    """Ten saves race from the same version: exactly one wins, the rest are told (409), none vanish."""
    clients = [site.client("editor") for _ in range(6)]
    forms = [form_fields(c.get("/projects/T-2/edit").get_data(as_text=True), "edit-form") for c in clients]
    codes: list[int] = []

    def save(i: int) -> None:
        resp = clients[i].post("/projects/T-2/edit", data=forms[i] | {"builder": f"单位{i}"})
        codes.append(resp.status_code)

    threads = [threading.Thread(target=save, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes).count(302) == 1 and codes.count(409) == len(clients) - 1
    winner = _project(site, "T-2").builder
    entries = site.client().get("/projects/T-2/history.json").get_json()["history"]
    assert [e["new"] for e in entries if e["field"] == "builder"] == [winner]


def test_without_a_csrf_token_nothing_changes(site: Site) -> None:
    client = site.client("admin")
    fields = form_fields(client.get("/projects/T-1/edit").get_data(as_text=True), "edit-form")
    fields.pop("csrf_token")
    resp = client.post("/projects/T-1/edit", data=fields | {"name": "伪造"})
    assert resp.status_code == 400 and _project(site, "T-1").name == "小店区氢能产业园"
    forged = client.post("/projects/T-1/edit", data=fields | {"name": "伪造", "csrf_token": "x" * 40})
    assert forged.status_code == 400 and _project(site, "T-1").name == "小店区氢能产业园"


def test_create_archive_restore(site: Site) -> None:
    editor, admin = site.client("editor"), site.client("admin")
    fields = form_fields(editor.get("/projects/new").get_data(as_text=True), "edit-form")
    fields |= {"code": "ｎｅｗ-1", "name": "新建的项目", "total_investment": "8", "place_text": "尖草坪区"}
    resp = editor.post("/projects/new", data=fields)
    assert resp.status_code == 302, resp.get_data(as_text=True)[:800]
    code = resp.headers["Location"].rsplit("/", 1)[-1]
    assert code == "NEW-1"  # full-width and lower case normalised, like every import path
    page = editor.get(f"/projects/{code}").get_data(as_text=True)
    archive = form_fields(page, "archive-form")
    assert editor.post(f"/projects/{code}/archive", data=archive).status_code == 302
    assert code not in editor.get("/projects.json").get_data(as_text=True)
    assert editor.get(f"/projects/{code}").status_code == 404  # editors no longer see it
    admin_page = admin.get(f"/projects/{code}").get_data(as_text=True)
    assert 'data-testid="archived"' in admin_page
    editor_token = csrf_from(editor.get("/projects").get_data(as_text=True))
    restore = form_fields(admin_page, "restore-form")
    assert editor.post(f"/projects/{code}/restore", data=restore | {"csrf_token": editor_token}).status_code == 403
    assert admin.post(f"/projects/{code}/restore", data=form_fields(admin_page, "restore-form")).status_code == 302
    assert code in editor.get("/projects.json").get_data(as_text=True)
    kinds = [e["kind"] for e in admin.get(f"/projects/{code}/history.json").get_json()["history"]]
    assert kinds == ["restore", "archive", "create"]


def test_place_by_point_leaves_the_review_queue(site: Site) -> None:
    client = site.client("editor")
    assert "T-2" in client.get("/review").get_data(as_text=True)
    fields = form_fields(client.get("/projects/T-2").get_data(as_text=True), "place-form")
    # 阳曲县 (reference place), given as copied from Amap (GCJ-02).
    preview = client.post("/projects/T-2/place/preview", data=fields | {"lon": "112.679", "lat": "38.063",
                                                                        "crs": "gcj02"})
    assert preview.status_code == 200 and preview.get_json()["district"] == "阳曲县"
    resp = client.post("/projects/T-2/place", data=fields | {"lon": "112.679", "lat": "38.063", "crs": "gcj02"})
    assert resp.status_code == 302
    row = client.get("/projects/T-2.json").get_json()
    assert row["district"] == "阳曲县" and row["precision"] == 1 and not row["needs_review"]
    assert row["locations"][0]["method"] == "manual" and "editor" in row["locations"][0]["evidence"]
    assert 'data-code="T-2"' not in client.get("/review").get_data(as_text=True)
    entries = client.get("/projects/T-2/history.json").get_json()["history"]
    assert entries[0]["kind"] == "place" and entries[0]["field"] == "placement"


def test_place_by_area_reads_a_district_as_the_filter_does(site: Site) -> None:
    client = site.client("editor")
    fields = form_fields(client.get("/projects/T-2").get_data(as_text=True), "place-form")
    preview = client.post("/projects/T-2/place/preview", data=fields | {"mode": "area", "district_code": "小店"})
    assert preview.status_code == 200, preview.get_data(as_text=True)
    assert preview.get_json()["district_code"] == "140105" and preview.get_json()["district"] == "小店区"


def test_place_by_drawn_line_keeps_every_district(site: Site) -> None:
    client = site.client("editor")
    fields = form_fields(client.get("/projects/T-3").get_data(as_text=True), "place-form")
    line = '{"type": "LineString", "coordinates": [[112.45, 37.85], [112.58, 37.80]]}'
    resp = client.post("/projects/T-3/place", data=fields | {"mode": "geometry", "geometry": line},
                       headers={"Accept": "application/json"})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    districts = [d["adcode"] for d in resp.get_json()["placement"]["districts"]]
    assert len(districts) >= 2 and all(d.startswith("1401") for d in districts)


def test_revert_a_change_and_a_change_set(site: Site) -> None:
    editor, admin = site.client("editor"), site.client("admin")
    fields = form_fields(editor.get("/projects/T-1/edit").get_data(as_text=True), "edit-form")
    editor.post("/projects/T-1/edit", data=fields | {"name": "改名", "builder": "某公司"})
    entries = admin.get("/projects/T-1/history.json").get_json()["history"]
    name_change = next(e for e in entries if e["field"] == "name")
    page = admin.get("/projects/T-1").get_data(as_text=True)
    token = csrf_from(page)
    editor_token = csrf_from(editor.get("/projects").get_data(as_text=True))
    assert editor.post(f"/changes/{name_change['change_id']}/revert",
                       data={"csrf_token": editor_token}).status_code == 403
    assert admin.post(f"/changes/{name_change['change_id']}/revert", data={"csrf_token": token}).status_code == 302
    project = _project(site, "T-1")
    assert project.name == "小店区氢能产业园" and project.builder == "某公司"
    resp = admin.post(f"/change-sets/{name_change['change_set']}/revert", data={"csrf_token": token})
    assert resp.status_code == 409  # the name change in that set is already reverted: all or nothing
    assert _project(site, "T-1").builder == "某公司"
    entries = admin.get("/projects/T-1/history.json").get_json()["history"]
    assert entries[0]["kind"] == "revert" and entries[0]["field"] == "name"


def test_reseeding_keeps_what_people_edited(site: Site) -> None:
    client = site.client("editor")
    fields = form_fields(client.get("/projects/T-1/edit").get_data(as_text=True), "edit-form")
    client.post("/projects/T-1/edit", data=fields | {"name": "人工改过"})
    engine = make_engine(site.url)
    with make_session_factory(engine)() as session:
        from registry.upsert import apply_project_dicts
        from tests.account_helpers import TOY

        history.begin(session, "seed", file_name="toy")
        apply_project_dicts(session, TOY, protected=history.person_edited_fields(session))
        session.commit()
        assert session.scalar(select(Project.name).where(Project.code == "T-1")) == "人工改过"
        # The second seed run changed nothing, so it left no (empty) change set behind.
        seeds = session.scalar(select(func.count()).select_from(ChangeSet).where(ChangeSet.kind == "seed"))
        assert seeds == 1
        names = session.scalars(select(Change.new).where(Change.field == "name")).all()
        assert names == ["人工改过"]
    engine.dispose()


def test_viewer_sees_no_edit_controls_and_cannot_write(site: Site) -> None:
    viewer = site.client("viewer")
    page = viewer.get("/projects/T-1").get_data(as_text=True)
    assert 'data-testid="edit-actions"' not in page and 'data-testid="place-form"' not in page
    token = csrf_from(page)  # the logout form's token: valid, but the role is not
    resp = viewer.post("/projects/T-1/edit", data={"csrf_token": token, "version": "1", "name": "x"})
    assert resp.status_code == 403 and _project(site, "T-1").name == "小店区氢能产业园"



@pytest.mark.parametrize("path", ["/import", "/projects/T-1/edit", "/projects/T-1/progress?year=2025", "/projects/new"])
def test_a_viewer_following_an_editors_link_gets_the_products_page(site: Site, path: str) -> None:
    """A viewer opening an editor's page (a shared link) is told in the page's language, inside the site's
    frame (navigation, phone viewport), which account can do it, not Werkzeug's bare English 'Forbidden'."""
    viewer = site.client("viewer")
    resp = viewer.get(path)
    page = resp.get_data(as_text=True)
    assert resp.status_code == 403
    assert 'name="viewport"' in page and 'data-testid="refused"' in page and "Forbidden" not in page
    assert "需要编辑账户" in page
    english = viewer.get(path + ("&" if "?" in path else "?") + "lang=en").get_data(as_text=True)
    assert "needs an editor account" in english and "需要编辑账户" not in english


def test_failed_logins_slow_down_and_are_logged(fresh_url: str, tmp_path: Path,
                                                caplog: pytest.LogCaptureFixture) -> None:
    site = prepare(fresh_url, tmp_path, login_rate_limit="3 per minute")
    client = site.client()
    statuses = []
    for _ in range(4):
        token = csrf_from(client.get("/login").get_data(as_text=True))
        statuses.append(client.post("/login", data={"username": "editor", "password": "wrong password",
                                                    "csrf_token": token}).status_code)
    assert statuses == [401, 401, 401, 429]
    assert "failed login for 'editor'" in caplog.text and "wrong password" not in caplog.text
    login(site.client(), "editor") if False else None


def test_the_list_page_header_is_each_users_own_while_its_list_is_shared(site: Site) -> None:
    """The list's main part is rendered once per data stamp, language and query; the header (account name,
    role, CSRF token, the editor's links) is rendered for every request."""
    viewer, editor = site.client("viewer"), site.client("editor")
    seen = viewer.get("/projects?district=小店区").get_data(as_text=True)
    assert 'data-testid="account">viewer' in seen and 'data-testid="new-project"' not in seen
    pages = site.app.extensions["kpr_list_pages"]
    held = {key: pages.entry(key) for key in pages.stamps()}
    page = editor.get("/projects?district=小店区").get_data(as_text=True)
    assert 'data-testid="account">editor' in page and 'data-testid="new-project"' in page
    assert csrf_from(page) != csrf_from(seen)
    assert all(pages.entry(key)[1] is value for key, (_, value) in held.items())  # the list itself came from the cache: the same object
    assert page.split("<main>")[1] == seen.split("<main>")[1]
    english = editor.get("/projects?district=小店区&lang=en").get_data(as_text=True)
    assert "Project list" in english or 'lang="en"' in english
    assert english.split("<main>")[1] != seen.split("<main>")[1]


def test_the_form_shows_the_field_tables_form_fields_in_its_order(site: Site) -> None:
    """The edit form is drawn from registry/fields.py: its inputs are the table's form fields in table order
    (the amount's unit beside the amount), required and length limits as the table and the model say."""
    import re

    from registry.editing import FORM_FIELDS

    editor = site.client("editor")
    new = editor.get("/projects/new").get_data(as_text=True)
    start = new.index('data-testid="edit-form"')
    form = new[start:new.index("</form>", start)]
    shown = [n for n in dict.fromkeys(re.findall(r'<(?:input|select|textarea)[^>]*?name="([^"]+)"', form))
             if n not in ("csrf_token", "comment")]
    assert shown == list(FORM_FIELDS)
    assert re.search(r'name="code" value="" required maxlength="48"', form)  # Project.code is String(48)
    assert re.search(r'name="name" value="" required maxlength="256"', form)
    edit = editor.get("/projects/T-1/edit").get_data(as_text=True)
    assert 'name="code"' not in edit[edit.index('data-testid="edit-form"'):]  # a code is set once
    assert 'value="小店区氢能产业园"' in edit and '<option value="jjj" selected>' in edit
