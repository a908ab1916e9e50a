"""The print view (every row, 序号, 合计 equal to the list's total, the filter as title) and the meeting
helpers it shares with the Excel export (file name, Beijing time)."""
from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from flask.testing import FlaskClient

from registry.clock import stamp_text
from registry.db import session_scope
from registry.export import build_context, export_rows
from registry.printout import export_filename
from registry.queries import ProjectFilter, iter_rows, resolve
from registry.records import ProjectRow
from tests.conftest import settings_for
from web import create_app
from web.views import PAGE_SIZE


@pytest.fixture
def client(seeded_url: str) -> FlaskClient:
    return create_app(settings_for(seeded_url)).test_client()


def _cells(html: str, testid: str) -> list[str]:
    return re.findall(rf'data-testid="{testid}">([^<]*)<', html)


def _amount(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def test_unfiltered_print_has_every_row_not_a_page(client: FlaskClient) -> None:
    listing = client.get("/projects.json").get_json()
    html = client.get("/projects/print").get_data(as_text=True)
    numbers = re.findall(r'<tr class="row"><td class="num">(\d+)</td>', html)
    assert listing["count"] > PAGE_SIZE
    assert [int(n) for n in numbers] == list(range(1, listing["count"] + 1))  # 序号 1..n, nothing skipped
    assert _cells(html, "print-title")[0] == "太原市重点项目表（全部项目）"


@pytest.mark.parametrize("query", ["strategy=jjj", "district=小店区", "min_investment=10&district=小店区"])
def test_sum_row_equals_the_list_total(client: FlaskClient, query: str) -> None:
    listing = client.get(f"/projects.json?{query}").get_json()
    page = client.get(f"/projects?{query}").get_data(as_text=True)
    html = client.get(f"/projects/print?{query}").get_data(as_text=True)
    assert len(re.findall(r'<tr class="row">', html)) == listing["count"] > 0
    total = _amount(_cells(html, "sum-cell")[0])
    assert total == Decimal(str(listing["total_investment"])).quantize(total)
    assert _cells(html, "sum-cell")[0] == _cells(page, "sum")[0]  # the same figure as the list page shows
    assert _cells(html, "count")[0] == _cells(page, "count")[0]
    assert listing["filter"] in _cells(html, "print-title")[0]


def test_print_page_is_landscape_with_repeated_header_and_page_numbers(client: FlaskClient) -> None:
    css = client.get("/static/kpr.css").get_data(as_text=True)
    assert "size: A4 landscape" in css and "counter(page)" in css
    assert re.search(r"table\.print-table thead \{[^}]*display: table-header-group", css)
    html = client.get("/projects/print").get_data(as_text=True)
    assert "<thead><tr><th>序号</th><th>编号</th><th>项目名称</th>" in html
    assert re.search(r"数据截至 <span[^>]*>\d{4}-\d\d-\d\d \d\d:\d\d（北京时间）", html)


def test_list_page_links_to_the_print_view_with_its_filter(client: FlaskClient) -> None:
    page = client.get("/projects?strategy=jjj").get_data(as_text=True)
    assert 'href="/projects/print?strategy=jjj" data-testid="print-link"' in page


def test_bad_filter_in_print_view_is_400_not_a_traceback(client: FlaskClient) -> None:
    resp = client.get("/projects/print?min_investment=lots")
    assert resp.status_code == 400 and "min_investment" in resp.get_data(as_text=True)


def test_file_name_carries_filter_and_beijing_date(seeded_url: str) -> None:
    with session_scope(settings_for(seeded_url)) as session:
        late_utc = datetime(2026, 11, 30, 16, 30, tzinfo=UTC)  # already 1 December in Beijing
        taixin = resolve(session, ProjectFilter(strategies=("太忻一体化",)))
        assert export_filename(taixin, "xlsx", late_utc) == "重点项目_太忻一体化经济区_20261201.xlsx"
        assert export_filename(resolve(session, ProjectFilter()), "xlsx", late_utc) == "重点项目_全部_20261201.xlsx"
        odd = resolve(session, ProjectFilter(districts=("小店",), statuses=("在建",), q='a/b:"c"'))
        assert export_filename(odd, "csv", late_utc) == "重点项目_小店区_在建_a_b_c_20261201.csv"
    assert stamp_text(late_utc) == "2026-12-01 00:30（北京时间）"


def _workbook_43(url: str, path: Path) -> list[ProjectRow]:
    """The 43 projects with the most text to wrap (the hardest 43 to fit), exported with a filter's context."""
    with session_scope(settings_for(url)) as session:
        rf = resolve(session, ProjectFilter())
        rows = list(iter_rows(session, rf))
        wordy = sorted(rows, key=lambda r: -len((r.capacity_text or "") + r.name + (r.builder or "")))[:43]
        picked = sorted(wordy, key=lambda r: r.code)
        assert export_rows(picked, path, context=build_context(session, rf)) == 43
    return picked


def test_xlsx_print_sheet_has_title_serials_sum_and_print_setup(seeded_url: str, tmp_path: Path) -> None:
    path = tmp_path / "p.xlsx"
    rows = _workbook_43(seeded_url, path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:3] == ["项目", "位置", "口径说明"] and book.active.title == "打印"
    sheet = book["打印"]
    table = list(sheet.iter_rows(values_only=True))
    assert table[0][0] == "太原市重点项目表（全部项目）"
    assert re.search(r"导出时间：\d{4}-\d\d-\d\d \d\d:\d\d（北京时间）", str(table[1][0]))
    assert table[2][:3] == ("序号", "编号", "项目名称")
    assert [r[0] for r in table[3:-1]] == list(range(1, 44)) and [r[1] for r in table[3:-1]] == [r.code for r in rows]
    total = table[-1]
    assert total[0] == "合计" and total[4] == "=SUM(E4:E46)"
    known = [r.total_investment for r in rows if r.total_investment is not None]
    cached = openpyxl.load_workbook(path, data_only=True)["打印"].cell(row=len(table), column=5).value
    assert Decimal(str(cached)) == sum(known, Decimal(0))  # the value shown before any recalculation
    assert f"{len(rows) - len(known)} 个未列投资额" in str(total[2])
    setup = sheet.page_setup
    assert setup.orientation == "landscape" and setup.paperSize == 9 and setup.fitToWidth in (None, 1)
    assert setup.fitToHeight == 0 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$3:$3" and "&P" in sheet.oddFooter.center.text
    assert sheet.page_margins.left == pytest.approx(0.4)
    for name in ("项目", "位置"):
        assert book[name].print_title_rows == "$1:$1" and book[name].page_setup.orientation == "landscape"


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice (apt-get install libreoffice-calc)")
@pytest.mark.parametrize("seeded_url", ["sqlite"], indirect=True)  # the same workbook on both databases
def test_43_row_export_prints_on_few_landscape_pages(seeded_url: str, tmp_path: Path) -> None:
    from pypdf import PdfReader

    path = tmp_path / "p43.xlsx"
    _workbook_43(seeded_url, path)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=180)
    pages = PdfReader(tmp_path / "p43.pdf").pages
    texts = [p.extract_text() for p in pages]
    print_pages = [i for i, text in enumerate(texts) if "序号" in text]  # the header row repeats on each
    # LibreOffice prints every sheet; the 打印 sheet (what Excel prints: it is the active sheet) must fit
    # on at most 3 landscape pages; 项目, 位置 and 口径说明 take one page each (the old export: 17 portrait pages).
    assert 1 <= len(print_pages) <= 3 and "太原市重点项目表" in texts[print_pages[0]]
    assert len(pages) - len(print_pages) <= 3
    for i in print_pages:
        assert pages[i].mediabox.width > pages[i].mediabox.height, f"page {i + 1} is not landscape"
    assert "合计" in texts[print_pages[-1]]
    print(f"\n43-row workbook: {len(pages)} pages, 打印 sheet on pages {[i + 1 for i in print_pages]}")


def test_print_view_says_when_it_lists_only_the_first_rows(seeded_url: str) -> None:
    client = create_app(settings_for(seeded_url), test_config={"KPR_PRINT_LIMIT": 10}).test_client()
    html = client.get("/projects/print").get_data(as_text=True)
    total = client.get("/projects.json").get_json()["count"]
    assert len(re.findall(r'<tr class="row">', html)) == 10 < total
    assert f"只列出前 10 个项目（共 {total} 个）" in html and "<td>前 10 个合计</td>" in html


def test_status_reads_as_on_the_detail_page(client: FlaskClient) -> None:
    html = client.get("/projects/print").get_data(as_text=True)
    assert ">unknown<" not in html and ">未注明<" in html


def test_xlsx_download_is_named_after_its_filter_and_date(seeded_url: str) -> None:
    from urllib.parse import unquote

    from web import create_app

    client = create_app(settings_for(seeded_url)).test_client()
    resp = client.get("/projects.xlsx?corridor=tai_xin")
    disposition = unquote(resp.headers["Content-Disposition"])
    assert "重点项目_" in disposition and ".xlsx" in disposition and "太忻" in disposition
