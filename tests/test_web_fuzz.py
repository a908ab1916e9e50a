"""No URL makes the app answer 5xx: Hypothesis walks every GET route of app.url_map with parameters drawn
from valid values and from the values that once broke it (int64 overflow, 1e27, huge pages with string
sorts, 1,000-word searches, NUL bytes), on SQLite and PostgreSQL."""
from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from registry.db import make_engine, make_session_factory
from registry.models import Project
from registry.sorting import SORT_KEYS
from tests.conftest import settings_for
from web import create_app

# Every query parameter any route reads.
PARAMS = ("limit", "offset", "strategy", "corridor", "district", "zone", "chain", "status", "kind", "min_investment",
          "max_investment", "q", "review", "sort", "page", "group_by", "shade", "lang", "lon", "lat", "crs")
HOSTILE = ["", " ", "0", "-1", "1e27", "1E+400", "9" * 40, "NaN", "inf", "-0", "1.23456", "\x00", "a\x00b",
           "%", "_", "%_%", "\\", "'", '"', "<!--<script>", "小店区", "小店", "京津冀协同发展", "jjj", "140105",
           "unknown", "未注明", "在建", " ".join(["词"] * 1000), "长" * 5000, "\u2028", "🙂", "../../etc/passwd",
           "chain", "strategy", "count", "zh", "en", "gcj02", "bd09", "112.55", "37.87", "999999999999"]
VALUES = st.one_of(
    st.sampled_from(HOSTILE),
    st.sampled_from([*SORT_KEYS, *("-" + k for k in SORT_KEYS)]),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(max_size=30),
)


def _routes(app_rules: list[tuple[str, list[str]]], codes: list[str]) -> st.SearchStrategy[str]:
    """A path for every GET rule, each converter filled with a real value or a hostile one."""
    paths = []
    for rule, arguments in app_rules:
        def fill(rule: str = rule, arguments: list[str] = arguments) -> st.SearchStrategy[str]:
            parts = [st.sampled_from([*codes[:3], "NOPE", "leaflet", "kpr.css", *HOSTILE[7:22]])
                     for _ in arguments]
            return st.tuples(*parts).map(lambda values: _build(rule, arguments, values))
        paths.append(fill())
    return st.one_of(*paths)


def _build(rule: str, arguments: list[str], values: tuple[str, ...]) -> str:
    path = rule
    for name, value in zip(arguments, values, strict=True):
        start = path.index("<")
        end = path.index(">", start)
        assert name in path[start:end]
        path = path[:start] + quote(value, safe="") + path[end + 1:]
    return path


@pytest.mark.slow
def test_no_url_makes_a_server_error(seeded_url: str) -> None:
    app = create_app(settings_for(seeded_url))
    client = app.test_client()
    # Converter names in the order they stand in the rule (Rule.arguments is an unordered set).
    rules = [(r.rule, re.findall(r"<(?:[^:<>]+:)?([^<>]+)>", r.rule)) for r in app.url_map.iter_rules()
             if "GET" in (r.methods or ())]
    assert any(rule == "/projects" for rule, _ in rules) and len(rules) >= 10
    engine = make_engine(seeded_url)
    with make_session_factory(engine)() as session:
        codes = list(session.scalars(select(Project.code).limit(3)))
    engine.dispose()

    @settings(max_examples=120, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(path=_routes(rules, codes),
           params=st.lists(st.tuples(st.sampled_from(PARAMS), VALUES), max_size=5))
    def no_5xx(path: str, params: list[tuple[str, str]]) -> None:
        resp = client.get(path, query_string=params)
        assert resp.status_code < 500, (path, params, resp.get_data(as_text=True)[:500])

    no_5xx()


@pytest.mark.parametrize("params", [
    {"min_investment": "99999999999999999999"}, {"max_investment": "1e27"}, {"page": "99999999999999999999"},
    {"page": "9999999", "sort": "name"}, {"q": " ".join(["词"] * 1000)}, {"q": "a\x00b"},
    {"district": "140105\x00"}, {"sort": "-chains", "page": "2"},
])
@pytest.mark.parametrize("path", ["/projects", "/projects.json", "/projects.csv", "/map", "/map/data.json",
                                  "/projects.xlsx", "/projects.geojson"])
def test_the_values_that_once_broke_a_page_are_a_clear_answer(seeded_url: str, path: str,
                                                               params: dict[str, str]) -> None:
    resp = create_app(settings_for(seeded_url)).test_client().get(path, query_string=params)
    assert resp.status_code in (200, 400), (path, params, resp.status_code)
    if resp.status_code == 400:
        body = resp.get_data(as_text=True)
        assert any(name in body for name in params), body[:300]  # the answer names the parameter
