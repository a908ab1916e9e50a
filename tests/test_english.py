"""The English interface is complete: every page an editor can open, rendered with ?lang=en, shows no
Chinese outside data values (project, place, plan and strategy names, excerpts, what users typed).

Data strings come from the database the pages read; whatever Chinese remains after removing them is
interface text that was not translated (a hard-coded 保存, a raw （…）)."""
from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.db import make_engine
from registry.models import (
    AdminUnit,
    Change,
    ChangeSet,
    IndustryChain,
    Location,
    Project,
    Source,
    Strategy,
    Zone,
)
from registry.plans import plan_label
from tests.account_helpers import Site, csrf_from, form_fields, prepare

# Chinese characters and the full-width punctuation that goes with them (（）：，、。；“” are only Chinese when
# full-width: the curly quotes are shared with English and not counted).
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]+")
# The unit the registry counts money in keeps its name in English too, always beside its translation
# ("Total investment (亿元)", "亿元 (100M CNY)"): the spreadsheets and plans say 亿元.
UNITS = ("亿元", "万元")
SHOWN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt", "data-confirm")


@pytest.fixture
def site(fresh_url: str, tmp_path: Path) -> Site:
    return prepare(fresh_url, tmp_path)


class _Shown(HTMLParser):
    """Text a person sees: text nodes outside <script>/<style>, and attributes shown as tooltips or hints."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0
        self._closing: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # Hidden: scripts, styles, and an element marked lang="zh-…" (the link to the Chinese interface
        # speaks to Chinese readers on purpose). Marked elements here hold no nested tag of their kind.
        marked = tag != "html" and (dict(attrs).get("lang") or "").startswith("zh")
        if tag in ("script", "style") or marked:
            self._hidden += 1
            self._closing.append(tag)
        self.parts.extend(v for k, v in attrs if k in SHOWN_ATTRIBUTES and v)

    def handle_endtag(self, tag: str) -> None:
        if self._closing and tag == self._closing[-1]:
            self._closing.pop()
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.parts.append(data)


def _leaves(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _leaves(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _leaves(v)


def data_values(url: str) -> list[str]:
    """Every text value the database holds that a page may show as recorded, longest first."""
    engine = make_engine(url)
    found: set[str] = set()
    columns: Iterable[Any] = (
        Project.name, Project.aliases, Project.kind, Project.status_text, Project.investment_text,
        Project.capacity_text, Project.builder, Project.partners, Project.description, Project.place_text,
        Project.box, Project.group_name, Source.document, Source.excerpt, Source.box,
        Location.evidence, AdminUnit.name, Zone.name, Zone.aliases, Strategy.name, Strategy.aliases,
        IndustryChain.name, Change.old, Change.new, ChangeSet.comment, ChangeSet.file_name,
    )
    with Session(engine) as session:
        for column in columns:
            for value in session.scalars(select(column)):
                # Stored codes inside recorded changes (status unknown, method place_name) are not data to
                # show as written: a page must word them.
                found.update(v for v in _leaves(value) if v and not (column in (Change.old, Change.new)
                                                                     and re.fullmatch(r"[a-z_]+", v)))
        found.update(plan_label(document) for document in session.scalars(select(Source.document)))
    engine.dispose()
    return sorted(found, key=len, reverse=True)


def untranslated(html: str, data: Iterable[str]) -> list[str]:
    """Chinese left in the shown text once data values and the money unit are taken out."""
    parser = _Shown()
    parser.feed(html)
    left: list[str] = []
    for part in parser.parts:
        for value in (*data, *UNITS):
            if value in part:
                part = part.replace(value, " ")
        left.extend(CJK.findall(part))
    return left


def test_the_check_finds_hard_coded_chinese() -> None:
    page = '<p>Save</p><button title="保存修改">保存</button><script>var x = "地图";</script><td>小店区</td>'
    assert untranslated(page, ["小店区"]) == ["保存修改", "保存"]
    assert untranslated('<p>Filter：all</p>', []) == ["："]
    assert untranslated("<p>Total investment (亿元)</p>", []) == []
    assert untranslated('<p><a lang="zh-CN" href="?lang=zh">中文</a> 保存</p>', []) == ["保存"]


def _editor(site: Site) -> FlaskClient:
    client = site.client("editor")
    client.get("/projects?lang=en")  # the choice is remembered in a cookie, as a user's click on "English"
    return client


def _make_history(client: FlaskClient) -> None:
    """An edit and a placement by hand, so 修改记录 holds a status change and a placement."""
    html = client.get("/projects/T-1/edit").get_data(as_text=True)
    fields = form_fields(html, "edit-form")
    fields.update(status="在建", comment="checked on site")
    assert client.post("/projects/T-1/edit", data=fields).status_code == 302
    page = client.get("/projects/T-1").get_data(as_text=True)
    place = form_fields(page, "place-form") | {"mode": "area", "district_code": "140106", "comment": ""}
    place["csrf_token"] = csrf_from(page)
    assert client.post("/projects/T-1/place", data=place).status_code == 302


PAGES = (
    "/map", "/map?group_by=strategy&shade=investment", "/projects",
    "/projects?strategy=jjj&corridor=tai_xin&corridor=central_shanxi&status=unknown&min_investment=1&q=T-1&review=1",
    "/projects?district=nowhere", "/projects?sort=-name&page=1", "/projects/T-1", "/projects/T-2", "/projects/T-1/edit",
    "/projects/new", "/review", "/import", "/stats", "/stats?strategy=jjj", "/projects/print",
    "/projects/print?strategy=jjj&status=unknown", "/projects/NO-SUCH-CODE", "/stats/strategies.svg",
    "/stats/bands.svg?strategy=jjj",
)


def test_every_page_speaks_english_to_an_editor(site: Site) -> None:
    client = _editor(site)
    _make_history(client)
    data = data_values(site.url)
    problems = {}
    for path in PAGES:
        resp = client.get(path)
        assert resp.status_code in (200, 400, 404), (path, resp.status_code)
        left = untranslated(resp.get_data(as_text=True), data)
        if left:
            problems[path] = sorted(set(left))
    login_page = site.app.test_client().get("/login?lang=en").get_data(as_text=True)
    if left := untranslated(login_page, data):
        problems["/login"] = sorted(set(left))
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)


def test_the_import_preview_speaks_english(site: Site, tmp_path: Path) -> None:
    client = _editor(site)
    sheet = client.get("/import/template.xlsx").get_data()
    page = client.get("/import").get_data(as_text=True)
    resp = client.post("/import", data={"csrf_token": csrf_from(page), "action": "preview",
                                        "file": (io.BytesIO(sheet), "empty.xlsx")},
                       content_type="multipart/form-data")
    assert resp.status_code in (200, 400, 422)
    sheets = load_workbook(io.BytesIO(sheet), read_only=True).sheetnames  # the file's own words are data
    left = untranslated(resp.get_data(as_text=True), [*data_values(site.url), *sheets])
    assert not left, json.dumps(left, ensure_ascii=False)



def test_the_progress_views_speak_english(site: Site, tmp_path: Path) -> None:
    """Once a 调度 sheet is imported (in English), its preview and report, the detail page's progress section
    and chart, the dashboard's progress board and the 填报进度 form have no Chinese beyond data and the sheet."""
    from tests.progress_sheets import diaodu
    from tests.test_progress_views import MAY

    client = _editor(site)
    sheet = diaodu(tmp_path / "may.xlsx", MAY, month=5)
    problems = {}
    for action in ("preview", "apply"):
        page = client.get("/import").get_data(as_text=True)
        with sheet.open("rb") as fh:
            resp = client.post("/import", data={"csrf_token": csrf_from(page), "kind": "progress", "action": action,
                                                "file": (fh, sheet.name)}, content_type="multipart/form-data")
        assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
        problems[f"/import {action}"] = untranslated(resp.get_data(as_text=True), [*data_values(site.url), "主体施工",
                                                                                 "场平", "前期", "用地未批"])
    data = data_values(site.url) + ["主体施工", "场平", "前期", "用地未批"]
    for path in ("/projects/T-1", "/projects/T-3", "/stats", "/stats?progress_class=滞后", "/projects/T-1/progress?year=2025",
                 "/projects?progress_class=超前", "/map?group_by=progress&progress_class=滞后"):
        resp = client.get(path)
        assert resp.status_code == 200, path
        problems[path] = untranslated(resp.get_data(as_text=True), data)
    problems = {k: sorted(set(v)) for k, v in problems.items() if v}
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)


# Words a Chinese page may show in Latin letters: formats, coordinate systems, the product's short name and
# the switch to English.
LATIN_OK = {"KPR", "JSON", "CSV", "Excel", "GeoJSON", "SVG", "PDF", "English", "WGS", "GCJ", "BD", "GPS", "xlsx", "csv",
            "TY"}  # TY: the example code in the new-project form's hint
LATIN = re.compile(r"[A-Za-z][A-Za-z_]+")


def latin_words(html: str, data: Iterable[str]) -> list[str]:
    """Latin words left in a Chinese page's shown text once data values are taken out: stored codes such as
    unknown or place_name, or English that only the English interface should show."""
    parser = _Shown()
    parser.feed(html)
    left: list[str] = []
    for part in parser.parts:
        for value in data:
            if value in part:
                part = part.replace(value, " ")
        left.extend(w for w in LATIN.findall(part) if w not in LATIN_OK)
    return left


def test_the_latin_check_finds_stored_codes() -> None:
    assert latin_words("<td>unknown</td><td>区县 district</td><p>导出：CSV</p>", []) == ["unknown", "district"]


def test_chinese_pages_show_no_stored_code_or_english(site: Site) -> None:
    client = site.client("editor")
    client.get("/projects?lang=zh")
    _make_history(client)
    data = [*data_values(site.url), *ROLES_AS_NAMES]
    problems = {}
    for path in PAGES:
        resp = client.get(path)
        typed = [v for v in re.split(r"[/?&=]", path) if v]  # what the user typed in the URL is shown back
        shown_back = sorted([*typed, *data], key=len, reverse=True)  # longest first: a name before its part
        if left := latin_words(resp.get_data(as_text=True), shown_back):
            problems[path] = sorted(set(left))
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)


ROLES_AS_NAMES = ("viewer", "editor", "admin")  # tests/account_helpers names each account after its role


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_edit_form_says_its_problems_in_the_page_language(site: Site, lang: str) -> None:
    client = site.client("editor")
    client.get(f"/projects?lang={lang}")
    fields = form_fields(client.get("/projects/new").get_data(as_text=True), "edit-form")
    fields.update(code="X 1", name="", start_year="20x4", end_year="1890", status="在建", total_investment="abc")
    resp = client.post("/projects/new", data=fields)
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert html.count('class="field-error"') >= 5  # every problem is shown, next to its field
    typed = ["X 1", "20x4", "1890", "abc"]
    if lang == "en":
        assert not untranslated(html, [*typed, *data_values(site.url)])
    else:
        assert not latin_words(html, [*typed, "TY", *ROLES_AS_NAMES, *data_values(site.url)])


def test_the_place_preview_warns_in_english(site: Site) -> None:
    client = _editor(site)
    page = client.get("/projects/T-1").get_data(as_text=True)
    place = form_fields(page, "place-form") | {"mode": "area", "district_code": "140106", "csrf_token": csrf_from(page)}
    warnings = client.post("/projects/T-1/place/preview", data=place).get_json()["warnings"]
    assert warnings == ["The plan text names the district 小店区; this location is in 迎泽区"]  # T-1 says 小店区


def test_the_import_report_names_problems_in_chinese(site: Site, tmp_path: Path) -> None:
    """The importer writes problems in English (CLI, JSON); the Chinese page shows each in Chinese."""
    client = site.client("editor")
    client.get("/import?lang=zh")
    rows = ["编号,项目名称,状态,总投资（亿元）,开工年份,区县,经度,开发区,产业链",
            "A 1,甲,finished,-5,20x4,火星区,112.5,月球区,不存在链", "B/2,,在建,abc,1890,小店区,,,",
            "C-3,丙,在建,=1+1,2020,,,,"]
    page = client.get("/import").get_data(as_text=True)
    resp = client.post("/import", data={"csrf_token": csrf_from(page), "action": "preview",
                                        "file": (io.BytesIO("\n".join(rows).encode("utf-8-sig")), "bad.csv")},
                       content_type="multipart/form-data")
    html = resp.get_data(as_text=True)
    assert html.count("<tr><td>") >= 8, html  # the problems are listed
    typed = [v for row in rows for v in row.split(",") if v]
    left = latin_words(html, sorted([*typed, "bad", *ROLES_AS_NAMES, *data_values(site.url)], key=len, reverse=True))
    assert not left, " ".join(left)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_progress_form_says_its_problems_in_the_page_language(site: Site, lang: str) -> None:
    """填报进度: every kind of problem the form finds (amount, order, total, date, dates out of order, unit)."""
    client = site.client("editor")
    client.get(f"/projects?lang={lang}")
    fields = form_fields(client.get("/projects/T-1/progress?year=2025").get_data(as_text=True), "progress-form")
    typed = {"completed_2": "-1", "completed_3": "13", "completed_4": "12", "completed_5": "x1",
             "actual_start": "2025-13-01", "planned_start": "2025-05-01", "planned_end": "2025-01-01"}
    resp = client.post("/projects/T-1/progress?year=2025", data=fields | typed)
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert html.count('class="field-error"') >= 6
    shown = [*typed.values(), "12.5", "13", "12"]  # T-1's total, and the amounts the messages quote
    if lang == "en":
        assert not untranslated(html, [*shown, *data_values(site.url)])
        assert "months out of order" in html and "ends before it starts" in html
    else:
        assert not latin_words(html, [*shown, "TY", *ROLES_AS_NAMES, *data_values(site.url)])
        assert "月份顺序不符" in html and "竣工早于开工" in html
