"""The print view as a PDF download (issue 14): the same rows and 合计 as the list, A4 landscape, 序号 and page
numbers on every page, Chinese text, a file name with the filter; WeasyPrint loads nothing but our CSS."""
from __future__ import annotations

import io
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from flask.testing import FlaskClient
from pypdf import PdfReader

from tests.conftest import settings_for
from web import create_app
from web.printpdf import BASE, StaticOnly

STATIC = Path(__file__).resolve().parents[1] / "web" / "static"


@pytest.fixture
def client(seeded_url: str) -> FlaskClient:
    return create_app(settings_for(seeded_url)).test_client()


def test_print_view_links_its_pdf_with_the_same_filter(client: FlaskClient) -> None:
    page = client.get("/projects/print?district=阳曲县").get_data(as_text=True)
    link = re.search(r'href="([^"]+)" data-testid="pdf-link"', page)
    assert link and link.group(1).startswith("/projects/print.pdf?district=")


def test_pdf_has_every_row_the_total_and_page_numbers(client: FlaskClient) -> None:
    listed = client.get("/projects.json?district=阳曲县&limit=1000").get_json()
    resp = client.get("/projects/print.pdf?district=阳曲县")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    disposition = unquote(resp.headers["Content-Disposition"])
    assert "attachment" in disposition and re.search(r"重点项目_阳曲县_\d{8}\.pdf", disposition)
    pages = PdfReader(io.BytesIO(resp.data)).pages
    text = "\n".join(p.extract_text() for p in pages)
    for n, sheet in enumerate(pages, start=1):
        assert sheet.mediabox.width > sheet.mediabox.height, n  # landscape
        body = sheet.extract_text()
        assert "序号" in body and re.search(rf"第 {n} \S / 共 {len(pages)} \S", body), n  # 页 may extract as ⻚
    assert "阳曲县" in text.splitlines()[0]  # the title is the filter in words
    fonts = {str(f.get_object()["/BaseFont"]) for f in pages[0]["/Resources"]["/Font"].values()}
    assert any("CJK" in f for f in fonts), fonts  # Chinese set in a CJK font (fonts-noto-cjk), not boxes
    for project in listed["projects"]:
        assert project["code"] in text, project["code"]
    total = f"{float(listed['total_investment']):,.2f}".rstrip("0").rstrip(".")
    assert re.search(rf"合计.*{re.escape(total)}", text.replace("\n", " ")), total


def test_pdf_fetches_only_the_apps_static_files(tmp_path: Path) -> None:
    fetch = StaticOnly(STATIC)
    css = fetch(BASE + "static/kpr.css")
    assert b"@page" in css.read()
    for refused in ("http://127.0.0.1:9/static/kpr.css", "https://example.com/x.css", "file:///etc/passwd",
                    BASE + "static/../../pyproject.toml", BASE + "assets/leaflet/leaflet.js", "data:text/css,x"):
        with pytest.raises(ValueError):
            fetch(refused)


def test_a_name_holding_markup_is_text_in_the_pdf(migrated_url: str) -> None:
    from registry.db import session_scope
    from registry.upsert import apply_project_dicts

    settings = settings_for(migrated_url)
    name = '<img src="http://127.0.0.1:9/x.png">项目'
    with session_scope(settings) as session:
        apply_project_dicts(session, [{"code": "PDF-EVIL", "name": name}])
    try:
        resp = create_app(settings).test_client().get("/projects/print.pdf?q=PDF-EVIL")
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(resp.data)).pages)
        assert '<img src="http://127.0.0.1:9/x.png">' in text.replace("\n", "")
    finally:
        from sqlalchemy import delete

        from registry.models import Project

        with session_scope(settings) as session:
            session.execute(delete(Project).where(Project.code == "PDF-EVIL"))
