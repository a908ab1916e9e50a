"""The Flask adapter over a real database: list, twins, detail, errors, escaping."""
from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypinyin import lazy_pinyin
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from registry.cli import main as cli_main
from registry.db import make_engine, make_session_factory, session_scope
from registry.models import Project
from registry.placement import default_placer
from registry.queries import ProjectFilter, canonical, resolve
from registry.textout import LIST_COLUMNS
from registry.upsert import apply_project_dicts
from registry.vocabulary import Vocabulary
from tests.conftest import settings_for
from web import create_app


@pytest.fixture
def client(seeded_url: str) -> FlaskClient:
    return create_app(settings_for(seeded_url)).test_client()


def test_list_page_shows_seeded_projects_and_filter_words(client: FlaskClient) -> None:
    page = client.get("/projects?strategy=jjj").get_data(as_text=True)
    assert "筛选：区域战略：京津冀协同发展" in page
    data = client.get("/projects.json?strategy=jjj").get_json()
    assert data["count"] == len(data["projects"]) > 0
    assert f">{data['count']}</b> 个项目" in page


def test_csv_twin_has_bom_and_same_rows(client: FlaskClient) -> None:
    resp = client.get("/projects.csv?strategy=jjj")
    body = resp.get_data(as_text=True)
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert len(rows) - 1 == client.get("/projects.json?strategy=jjj").get_json()["count"]


def test_detail_page_cites_sources(client: FlaskClient) -> None:
    project = client.get("/projects.json").get_json()["projects"][0]
    page = client.get(f"/projects/{project['code']}").get_data(as_text=True)
    sources = page.split('data-testid="sources"')[1].split("</ul>")[0]
    assert project["sources"]
    for source in project["sources"]:  # each cited document with its line and excerpt, as the JSON says
        assert f'title="{source["document"]}"' in sources and f"第 {source['line']} 行" in sources
        assert html.escape(source["excerpt"], quote=False) in sources


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_detail_page_names_fields_as_the_field_table_and_spreadsheets_do(client: FlaskClient, lang: str) -> None:
    from registry.fields import BY_KEY

    project = client.get("/projects.json").get_json()["projects"][0]
    page = client.get(f"/projects/{project['code']}?lang={lang}").get_data(as_text=True)
    terms = re.findall(r"<dt>(.*?)</dt>", page.split('class="fields"')[1].split("</dl>")[0])
    for key in ("code", "kind", "status", "total_investment", "capacity_text", "builder", "partners", "chains",
                "strategies", "place_strategies", "place_text", "district", "zone", "precision_label", "box",
                "description"):
        assert html.escape(getattr(BY_KEY[key], lang), quote=False) in terms, key


def test_unknown_project_is_404_in_both_twins(client: FlaskClient) -> None:
    assert client.get("/projects/NOPE").status_code == 404
    resp = client.get("/projects/NOPE.json")
    assert resp.status_code == 404 and resp.get_json()["error"] == "not_found"


def test_bad_filter_is_400_with_message(client: FlaskClient) -> None:
    resp = client.get("/projects.json?min_investment=lots")
    assert resp.status_code == 400 and "min_investment" in resp.get_json()["message"]


def test_project_named_script_shows_as_text(migrated_url: str) -> None:
    settings = settings_for(migrated_url)
    evil = "<script>alert(1)</script>"
    with session_scope(settings) as session:
        apply_project_dicts(session, [{"code": "XSS-1", "name": evil, "aliases": [evil],
                                       "sources": [{"document": "test", "excerpt": evil}]}])
    try:
        client = create_app(settings).test_client()
        for url in ("/projects", "/projects/XSS-1", "/projects?q=script"):
            html = client.get(url).get_data(as_text=True)
            assert evil not in html and "&lt;script&gt;" in html, url
    finally:
        with session_scope(settings) as session:
            session.execute(delete(Project).where(Project.code == "XSS-1"))


def test_review_list_shows_only_projects_whose_location_needs_checking(client: FlaskClient) -> None:
    page = client.get("/projects").get_data(as_text=True)
    assert "待核实位置" in page and 'href="/review"' in page
    queue = client.get("/review").get_data(as_text=True)
    assert "review=1" in queue  # the queue links its list twin (filters, exports)
    everything = client.get("/projects.json").get_json()
    review = client.get("/projects.json?review=1").get_json()
    assert 0 < review["count"] < everything["count"]
    assert queue.count('<tr data-code="') == review["count"]  # the queue and the filter agree
    assert all(p["needs_review"] for p in review["projects"])
    assert "仅待核实位置" in review["filter"]


def test_list_page_links_every_data_twin(client: FlaskClient) -> None:
    page = client.get("/projects?district=140122").get_data(as_text=True)
    for twin in ("/projects.json?", "/projects.csv?", "/projects.xlsx?", "/projects.geojson?"):
        assert twin + "district=140122" in page, twin


# --- Filters: what a page shows is what its form asks for (issue 12) ---------------------------------

class FormReader(HTMLParser):
    """What a browser submits for the page's filter form, in document order: text, number and hidden
    inputs as they stand, checked boxes, and each single select's selected option (the last one marked
    selected, else the first option)."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.pairs: list[tuple[str, str]] = []
        self._inside = False
        self._select: tuple[str, list[tuple[str, bool]]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("data-testid") == "filters":
            self._inside, self.action = True, a["action"]
        if not self._inside:
            return
        if tag == "input" and a.get("name"):
            if a.get("type") != "checkbox" or "checked" in a:
                self.pairs.append((a["name"], a.get("value", "on" if a.get("type") == "checkbox" else "")))
        elif tag == "select":
            self._select = (a["name"], [])
        elif tag == "option" and self._select is not None:
            self._select[1].append((a.get("value", ""), "selected" in a))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None:
            name, options = self._select
            marked = [value for value, selected in options if selected]
            self.pairs.append((name, marked[-1] if marked else options[0][0]))
            self._select = None
        elif tag == "form":
            self._inside = False


def submitted(html: str) -> tuple[str, list[tuple[str, str]]]:
    reader = FormReader()
    reader.feed(html)
    assert reader.action, "no filter form on the page"
    return reader.action, reader.pairs


def count_on(html: str) -> int:
    found = re.search(r'data-testid="count">(\d+)<', html)
    assert found, "no count on the page"
    return int(found.group(1))


def filter_of(session: Session, params: Sequence[tuple[str, str]]) -> ProjectFilter:
    grouped: dict[str, list[str]] = {}
    for key, value in params:
        grouped.setdefault(key, []).append(value)
    return canonical(resolve(session, ProjectFilter.from_params(grouped)))


@dataclass(frozen=True)
class Choices:
    strategies: list[str]
    parents: list[str]
    districts: list[str]
    zones: list[str]
    chains: list[str]
    kinds: list[str]


def _unique(names: Sequence[str]) -> list[str]:
    """Names that name one thing (a name shared by two chain segments is ambiguous, rightly refused)."""
    return [n for n in names if names.count(n) == 1]


def _choices(session: Session) -> Choices:
    vocab = Vocabulary.load(session)
    parents = sorted({s.parent for s in vocab.strategies.values() if s.parent})
    return Choices(
        strategies=[*vocab.strategies, *_unique([s.name for s in vocab.strategies.values()])],
        parents=parents + [vocab.name("strategies", p) for p in parents],
        districts=[*vocab.districts, *vocab.names("districts").values(), "小店"],
        zones=[*vocab.zones, *_unique([z.name for z in vocab.zones.values()])],  # most zones hold no project
        chains=[*vocab.chains, *_unique([c.name for c in vocab.chains.values()])],
        kinds=sorted({k for k in session.scalars(select(Project.kind)) if k}) + ["无此类别"],
    )


def filter_params(choices: Choices) -> st.SearchStrategy[list[tuple[str, str]]]:
    def several(param: str, values: list[str]) -> st.SearchStrategy[list[tuple[str, str]]]:
        return st.lists(st.sampled_from(values), max_size=3).map(lambda vs: [(param, v) for v in vs])

    parts = [
        several("strategy", choices.strategies + choices.parents * 3), several("corridor", choices.parents),
        several("district", choices.districts), several("zone", choices.zones), several("chain", choices.chains),
        several("status", ["unknown", "未注明", "在建", "谋划"]), several("kind", choices.kinds),
        st.lists(st.sampled_from(["太原", "氢能", "%", "_", "项目", "无此词"]), max_size=2)
        .map(lambda ws: [("q", " ".join(ws))] if ws else []),
        st.sampled_from([[], [("min_investment", "1.5")], [("min_investment", "1000")], [("max_investment", "100")]]),
        st.sampled_from([[], [("review", "1")]]),
        several("progress_class", ["超前", "正常", "滞后", "未填报", "behind"]),
        st.sampled_from([[], [("progress_month", "2025-06")], [("progress_month", "2025-6")]]),
        st.sampled_from([[], [("group_by", "strategy")]]),
    ]
    return st.tuples(*parts).map(lambda chunks: [pair for chunk in chunks for pair in chunk])


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/projects", "/map"])
def test_submitting_a_pages_form_unchanged_keeps_its_filter(seeded_url: str, path: str) -> None:
    client = create_app(settings_for(seeded_url)).test_client()
    engine = make_engine(seeded_url)
    with make_session_factory(engine)() as session:
        choices = _choices(session)

        @settings(max_examples=25, deadline=None, derandomize=True,
                  suppress_health_check=[HealthCheck.too_slow])
        @given(params=filter_params(choices))
        def round_trip(params: list[tuple[str, str]]) -> None:
            first = client.get(path, query_string=params)
            assert first.status_code == 200, (params, first.status_code)
            html = first.get_data(as_text=True)
            action, pairs = submitted(html)
            second = client.get(action, query_string=pairs)
            assert second.status_code == 200, pairs
            assert filter_of(session, pairs) == filter_of(session, params), (params, pairs)
            assert dict(pairs).get("group_by", "chain") == dict(params).get("group_by", "chain")
            html2 = second.get_data(as_text=True)
            assert count_on(html2) == count_on(html)
            assert submitted(html2)[1] == pairs  # a fixed point: the second page's form is the same form

        round_trip()
    engine.dispose()


def test_a_parent_strategy_stays_selected_and_keeps_all_its_projects(client: FlaskClient) -> None:
    html = client.get("/projects?strategy=京津冀协同发展").get_data(as_text=True)
    _, pairs = submitted(html)
    assert ("strategy", "jjj") in pairs
    assert count_on(client.get("/projects", query_string=pairs).get_data(as_text=True)) == count_on(html) > 1


def test_a_filter_matching_nothing_stays_in_the_form_and_the_review_flag_survives(client: FlaskClient) -> None:
    html = client.get("/projects?zone=xishan&district=140122&review=1").get_data(as_text=True)
    assert count_on(html) == 0
    _, pairs = submitted(html)
    assert {("zone", "xishan"), ("district", "140122"), ("review", "1")} <= set(pairs)


def test_active_filters_are_removable_chips_and_clear_works(client: FlaskClient) -> None:
    html = client.get("/projects?district=小店区&strategy=jjj&q=太原").get_data(as_text=True)
    chips = {label: href for href, label in re.findall(r'class="chip" href="([^"]*)"[^>]*>× ([^<]*)<', html)}
    assert set(chips) == {"小店区", "京津冀协同发展", "“太原”"}
    without_district = unescape(chips["小店区"])
    assert "district" not in without_district and "strategy=jjj" in without_district
    clear = re.search(r'<a href="([^"]*)" data-testid="clear">([^<]*)</a>', html)
    assert clear and clear.group(2) == "清除筛选" and clear.group(1) == "/projects"
    assert count_on(client.get(clear.group(1)).get_data(as_text=True)) == client.get("/projects.json").get_json()["count"]


def test_links_carry_no_empty_parameters_and_a_chosen_facet_value_removes_itself(client: FlaskClient) -> None:
    html = client.get("/projects?district=140105").get_data(as_text=True)
    for href in re.findall(r'href="([^"]*\?[^"]*)"', html):
        query = urlsplit(unescape(href)).query
        assert all(value for _, value in parse_qsl(query, keep_blank_values=True)), href
    chosen = re.search(r'<li class="selected">\s*<a href="([^"]*)"', html)
    assert chosen and "district=140105" not in unescape(chosen.group(1))


def test_every_column_header_sorts_and_names_sort_by_pinyin(client: FlaskClient) -> None:
    html = client.get("/projects").get_data(as_text=True)
    headers = re.findall(r'<th><a href="([^"]*)" data-testid="sort-', html)
    assert len(headers) == len(LIST_COLUMNS)
    for href in headers:
        for url in (unescape(href), unescape(href).replace("sort=", "sort=-")):
            assert client.get(url).status_code == 200, url
    for sort in ("zone", "-strategies", "precision_label"):
        assert client.get(f"/projects.csv?district=140105&sort={sort}").status_code == 200, sort
    names = [p["name"] for p in client.get("/projects.json?sort=name").get_json()["projects"]]
    chinese = [n for n in names if "\u4e00" <= n[0] <= "\u9fff"]
    assert [lazy_pinyin(n[0])[0] for n in chinese] == sorted(lazy_pinyin(n[0])[0] for n in chinese)
    assert chinese != sorted(chinese)  # code point order differs, so this order is pinyin's, not by accident


def test_a_bad_value_stays_on_the_list_names_it_and_suggests_the_closest(client: FlaskClient) -> None:
    resp = client.get("/projects?district=小店x&strategy=jjj")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "小店x" in html and 'data-testid="filters"' in html and "您是不是要找" in html
    fix = re.search(r'<a href="\?([^"]*)" data-testid="fix">小店区</a>', html)
    assert fix and client.get("/projects?" + unescape(fix.group(1))).status_code == 200
    assert count_on(html) == client.get("/projects.json?strategy=jjj").get_json()["count"]  # the rest still applies
    status = client.get("/projects?status=finished")
    assert status.status_code == 400 and "finished" in status.get_data(as_text=True)
    ambiguous = client.get("/projects?zone=晋阳").get_data(as_text=True)
    assert "对应多个" in ambiguous and "晋阳湖片区" in ambiguous
    on_map = client.get("/map?district=小店x&q=a%00")
    html = on_map.get_data(as_text=True)
    assert on_map.status_code == 400 and "小店x" in html and 'data-testid="filters"' in html


def test_script_data_cannot_end_its_script_element(seeded_url: str, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    settings = settings_for(seeded_url)
    evil = "<!--<script>x</script>-->"
    with session_scope(settings) as session:  # placed in its district, so the map file draws it
        apply_project_dicts(session, [{"code": "ESC-1", "name": "ESC " + evil, "district_stated": "小店区",
                                       "sources": [{"document": "test", "excerpt": evil}]}],
                            placer=default_placer(session, settings))
    try:
        page = create_app(settings).test_client().get("/projects/ESC-1").get_data(as_text=True)
        monkeypatch.setenv("KPR_DATABASE_URL", seeded_url)
        out = tmp_path / "map.html"
        # The filter in words travels inside the file's data: a search for the text puts it there too.
        result = CliRunner().invoke(cli_main, ["map", "-q", "<!--<script", "-o", str(out)])
        assert result.exit_code == 0, result.output
        for html, needle in ((page, "ESC " + evil), (out.read_text(encoding="utf-8"), "“<!--<script”")):
            blocks = re.findall(r'<script(?: nonce="[^"]*")? type="application/json" id=[^>]*>(.*?)</script>', html,
                                flags=re.DOTALL)
            assert any(needle in json.dumps(json.loads(b), ensure_ascii=False) for b in blocks)
            scripts = re.findall(r"<script[^>]*>(.*?)</script>", html, flags=re.DOTALL | re.IGNORECASE)
            # "</script" ends a script element; after "<!--" a "<script" hides the real end (HTML §4.12.1.3).
            assert not any(re.search(r"<!--|</script", s, flags=re.IGNORECASE) for s in scripts)
    finally:
        with session_scope(settings) as session:
            session.execute(delete(Project).where(Project.code == "ESC-1"))


def test_the_chinese_list_shows_no_raw_codes_or_english_and_the_english_one_has_english_headers(
        client: FlaskClient) -> None:
    html = client.get("/projects?lang=zh").get_data(as_text=True)
    body = html[html.index("<tbody>"):html.index("</tbody>")]
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", body)
    assert cells and not [c for c in cells if re.search(r"\bunknown\b|district|exact|city-wide", c)]
    assert "<td>未注明</td>" in body  # the seeds state no status: said so in Chinese
    facet = html[html.index('<aside class="facets">'):html.index("</aside>")]
    assert ">unknown" not in facet and "未注明" in facet
    english = client.get("/projects?lang=en").get_data(as_text=True)
    headers = re.findall(r'data-testid="sort-[^"]*">([^<]*)<', english)
    assert headers and not any(re.search(r"[\u4e00-\u9fff]", h.replace("亿元", "")) for h in headers)


def test_map_page_says_its_filter_in_the_pages_language(client: FlaskClient) -> None:
    zh = client.get("/map?strategy=jjj&lang=zh").get_data(as_text=True)
    en = client.get("/map?strategy=jjj&lang=en").get_data(as_text=True)
    assert "京津冀协同发展" in zh.split('class="filter-words"')[1][:300]
    words_en = en.split('class="filter-words"')[1][:300]
    assert "京津冀协同发展" in words_en and "区域战略" not in words_en  # names stay, the words are English


def test_chips_say_whether_a_plan_states_the_tie_or_the_place_does(client: FlaskClient) -> None:
    html = client.get("/projects?strategy=jjj&corridor=tai_xin&corridor=central_shanxi&corridor=fenhe"
                      "&status=unknown").get_data(as_text=True)
    chips = dict(re.findall(r'class="chip"[^>]*>× ([^<]*)(?:<span class="basis"[^>]*>([^<]*)</span>)?</a>', html))
    assert chips["京津冀协同发展"] == "（规划所列）"
    assert chips["汾河生态廊道"] == "（规划所列或位置落在）"
    assert chips["太忻一体化经济区"] == "（规划所列或位置落在；范围未确认）"  # the geodata marks its members unconfirmed
    assert chips["山西中部城市群"] == "（规划所列或位置落在；含太原全市，覆盖全部已定位的太原项目）"
    assert chips["未注明"] == ""  # status reads in words, never "unknown"
    english = client.get("/projects?corridor=tai_xin&strategy=jjj&lang=en").get_data(as_text=True)
    assert "× 太忻一体化经济区<span class=\"basis\" data-testid=\"chip-basis\"> (stated by a plan or by location; extent " \
           "unconfirmed)</span>" in english
    on_map = client.get("/map?strategy=jjj&lang=zh").get_data(as_text=True)
    assert "× 京津冀协同发展<span class=\"basis\" data-testid=\"chip-basis\">（规划所列）</span>" in on_map


def test_every_view_of_strategies_says_they_are_plan_stated(client: FlaskClient) -> None:
    """Strategies group, chart and print as the plans' ties (规划所列); corridors keep their notes."""
    page = client.get("/map?group_by=strategy&lang=zh").get_data(as_text=True)
    labels = json.JSONDecoder().raw_decode(page, page.index('"labels": ') + len('"labels": '))[0]
    assert labels["by_strategy"] == "按区域战略分组（规划所列）"
    assert labels["status_unknown"] == "未注明" and labels["precision_3"] == "区县"  # popups read words, not codes
    stats = client.get("/stats?lang=zh").get_data(as_text=True)
    assert 'aria-label="区域战略（规划所列）"' in stats
    printed = client.get("/projects/print?strategy=jjj&corridor=central_shanxi&lang=zh").get_data(as_text=True)
    assert "区域战略：京津冀协同发展（规划所列）" in printed and "含太原全市，覆盖全部已定位的太原项目" in printed
    english = client.get("/stats?lang=en").get_data(as_text=True)
    assert 'aria-label="Regional strategy (stated by a plan)"' in english


def test_map_overlays_mark_corridors_no_source_confirms(client: FlaskClient) -> None:
    """The layer control names each corridor overlay; one whose extent is our drawing says so (范围未确认)."""
    features = {f["properties"]["code"]: f["properties"] for f in client.get("/map/base.json").get_json()["corridors"]["features"]}
    assert features["tai_xin"]["unconfirmed"] is True and features["taixin_axis"]["unconfirmed"] is True
    assert features["fenhe"]["unconfirmed"] is False and features["central_shanxi"]["unconfirmed"] is False
    page = client.get("/map?lang=zh").get_data(as_text=True)
    labels = json.JSONDecoder().raw_decode(page, page.index('"labels": ') + len('"labels": '))[0]
    assert labels["unconfirmed"] == "范围未确认"
