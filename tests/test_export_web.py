"""Web twins (.xlsx, .geojson, template) and the upload page, which is off unless enabled."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from flask.testing import FlaskClient

from registry.db import session_scope
from registry.users import add_user
from tests.account_helpers import PASSWORD, csrf_from, login, prepare
from tests.conftest import settings_for
from web import create_app


@pytest.fixture
def client(seeded_url: str) -> FlaskClient:
    return create_app(settings_for(seeded_url)).test_client()


def test_the_csv_download_says_its_type_once_and_names_its_filter(client: FlaskClient) -> None:
    count = client.get("/projects.json?district=小店区").get_json()["count"]
    resp = client.get("/projects.csv?district=小店区")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "%E5%B0%8F%E5%BA%97%E5%8C%BA" in resp.headers["Content-Disposition"]  # 小店区 in the file name
    rows = list(csv.reader(io.StringIO(resp.get_data().decode("utf-8-sig"))))
    assert len(rows) - 1 == count


def test_xlsx_and_geojson_twins_match_the_json_count(client: FlaskClient) -> None:
    count = client.get("/projects.json?strategy=jjj").get_json()["count"]
    resp = client.get("/projects.xlsx?strategy=jjj")
    assert resp.status_code == 200 and "spreadsheetml" in resp.mimetype
    book = openpyxl.load_workbook(io.BytesIO(resp.data))
    assert book["项目"].max_row - 1 == count
    notes = {r[0]: r[1] for r in book["口径说明"].iter_rows(values_only=True) if r[0]}
    assert notes["项目数（与网页一致）"] == count and notes["筛选条件"].startswith("区域战略")
    geo = client.get("/projects.geojson?strategy=jjj")
    assert geo.status_code == 200 and len(geo.get_json()["features"]) == count


def test_bad_filter_on_geojson_is_400_json(client: FlaskClient) -> None:
    resp = client.get("/projects.geojson?min_investment=lots")
    assert resp.status_code == 400 and resp.get_json()["error"] == "invalid_filter"


def test_template_has_drop_downs(client: FlaskClient) -> None:
    resp = client.get("/import/template.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(resp.data))
    sheet = book["项目"]
    assert sheet["B1"].value == "项目名称"
    assert len(sheet.data_validations.dataValidation) >= 6


def test_upload_needs_an_editor(client: FlaskClient) -> None:
    assert client.get("/import").status_code == 302  # to the login page
    assert client.post("/import", data={}).status_code == 400  # no CSRF token: refused before anything


@pytest.mark.slow
def test_upload_preview_report_and_apply(fresh_url: str) -> None:
    # Its own seeded database: this test writes, and the upload runs the real geocoder.
    from registry import migrate
    from registry.placement import default_placer
    from registry.seeding import seed

    migrate.upgrade(fresh_url)
    settings = settings_for(fresh_url)
    with session_scope(settings) as session:
        seed(session, settings, placer=default_placer(session, settings))
        add_user(session, "ed", PASSWORD, "editor")
    client = create_app(settings).test_client()
    login(client, "ed")
    form_page = client.get("/import").get_data(as_text=True)
    assert "import-form" in form_page
    token = csrf_from(form_page)
    body = ("项目名称,区县,状态\n<script>alert(1)</script>,小店区,在建\n坏行,<script>火星区</script>,在建\n"
            .encode("utf-8-sig"))

    def post(action: str, skip: bool = False):  # type: ignore[no-untyped-def]
        data = {"file": (io.BytesIO(body), "u.csv"), "action": action, "csrf_token": token}
        if skip:
            data["skip_invalid"] = "1"
        return client.post("/import", data=data, content_type="multipart/form-data")

    page = post("preview").get_data(as_text=True)
    assert "&lt;script&gt;火星区" in page and "<script>" not in page.split("<main>")[1]
    report = post("report")
    assert "spreadsheetml" in report.mimetype
    assert post("apply").status_code == 422
    assert client.get("/projects.json?q=script").get_json()["count"] == 0
    assert post("apply", skip=True).status_code == 200
    assert client.get("/projects.json?q=script").get_json()["count"] == 1
    assert "未变 1" in post("preview").get_data(as_text=True)  # matched by name + district: unchanged
    created = client.get("/projects.json?q=script").get_json()["projects"][0]["code"]
    entries = client.get(f"/projects/{created}/history.json").get_json()["history"]
    assert [(e["kind"], e["user"], e["file_name"]) for e in entries] == [("import", "ed", "u.csv")]


def test_upload_refuses_other_types(fresh_url: str, tmp_path: Path) -> None:
    site = prepare(fresh_url, tmp_path)
    client = site.client("editor")
    token = csrf_from(client.get("/import").get_data(as_text=True))
    resp = client.post("/import", data={"file": (io.BytesIO(b"x"), "a.exe"), "action": "preview",
                                        "csrf_token": token}, content_type="multipart/form-data")
    assert resp.status_code == 400 and ".xlsx" in resp.get_data(as_text=True)


@pytest.mark.parametrize("as_job", [False, True], ids=["inline", "job"])
def test_a_preview_of_a_valid_sheet_changes_nothing_until_it_is_applied(fresh_url: str, tmp_path: Path,
                                                                          as_job: bool) -> None:
    """The preview applies the sheet inside the request's transaction to show the changes, then rolls it back.
    On SQLite the import's savepoint once became the whole transaction, and releasing it committed the preview:
    an editor who only looked at a sheet had changed the registry."""
    import time

    site = prepare(fresh_url, tmp_path, **({"import_job_rows": 1} if as_job else {}))
    client = site.client("editor")
    sheet = "编号,项目名称,项目简介\nT-1,小店区氢能产业园（二期）,预览不应写入\nT-3,古交市煤层气项目,预览不应写入\n"

    def upload(action: str) -> str:
        token = csrf_from(client.get("/import").get_data(as_text=True))
        resp = client.post("/import", data={"file": (io.BytesIO(sheet.encode("utf-8-sig")), "本周.csv"),
                                            "action": action, "csrf_token": token},
                           content_type="multipart/form-data")
        if as_job:
            assert resp.status_code == 302, resp.get_data(as_text=True)[:300]
            for _ in range(600):
                state = client.get(resp.headers["Location"] + ".json").get_json()
                if state["state"] != "running":
                    break
                time.sleep(0.05)
            assert state["state"] == "done", state
            return client.get(resp.headers["Location"]).get_data(as_text=True)
        assert resp.status_code == 200
        return resp.get_data(as_text=True)

    preview = upload("preview")
    assert "更新 2" in preview and "试运行，未写入" in preview and "有错误" not in preview
    project = client.get("/projects/T-1.json").get_json()
    assert (project["name"], project["description"]) == ("小店区氢能产业园", None)
    assert client.get("/projects/T-1/history.json").get_json()["history"][-1]["kind"] != "import"
    assert "更新 2" in upload("apply")
    project = client.get("/projects/T-1.json").get_json()
    assert (project["name"], project["description"]) == ("小店区氢能产业园（二期）", "预览不应写入")
