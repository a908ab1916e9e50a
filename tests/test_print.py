"""The print view (every row, 序号, 合计 equal to the list's total, the filter as title) and the meeting
helpers it shares with the Excel export (file name, Beijing time)."""
from __future__ import annotations

import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from flask.testing import FlaskClient

from registry.printout import export_filename, stamp_text
from registry.queries import ProjectFilter, resolve
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
    assert "全部项目（未筛选）" in _cells(html, "print-title")[0]


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
    from registry.db import session_scope

    with session_scope(settings_for(seeded_url)) as session:
        late_utc = datetime(2026, 11, 30, 16, 30, tzinfo=UTC)  # already 1 December in Beijing
        taixin = resolve(session, ProjectFilter(strategies=("太忻一体化",)))
        assert export_filename(taixin, "xlsx", late_utc) == "重点项目_太忻一体化经济区_20261201.xlsx"
        assert export_filename(resolve(session, ProjectFilter()), "xlsx", late_utc) == "重点项目_全部_20261201.xlsx"
        odd = resolve(session, ProjectFilter(districts=("小店",), statuses=("在建",), q='a/b:"c"'))
        assert export_filename(odd, "csv", late_utc) == "重点项目_小店区_在建_a_b_c_20261201.csv"
    assert stamp_text(late_utc) == "2026-12-01 00:30（北京时间）"
