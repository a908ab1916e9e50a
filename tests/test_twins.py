"""The twins agree (issue 12, "Twins and geometry"): GIS files draw every placed project, the CSV/XLSX
twins share one set of columns, the JSON list is paged in one shape for the CLI and the web, sources name
the plan by its title, and export times are Beijing time. Real databases (both backends), real files."""
from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, shape
from sqlalchemy import select, update

from registry.cli import main
from registry.db import make_engine, session_scope
from registry.export import ExportContext, export_rows
from registry.export.columns import PROJECT_COLUMNS
from registry.export.jsonpage import MAX_LIMIT
from registry.maps.data import map_data
from registry.models import AdminUnit, Project, Zone
from registry.plans import PLAN_TITLES
from registry.queries import ProjectFilter, iter_rows, resolve
from tests.account_helpers import prepare
from tests.conftest import settings_for
from web import create_app

pyogrio = pytest.importorskip("pyogrio")
HEADERS = [c.header for c in PROJECT_COLUMNS]
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"  # the plan texts (../shared/seeds)
FILTERS: list[dict[str, str]] = [{}, {"strategy": "jjj"}, {"district": "140122"}]


def cli(url: str, *args: str) -> str:
    result = CliRunner().invoke(main, list(args), env={"KPR_DATABASE_URL": url}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def cli_args(params: dict[str, str]) -> list[str]:
    return [a for k, v in params.items() for a in (f"--{k}", v)]


def query(params: dict[str, str]) -> str:
    return "&".join(f"{k}={v}" for k, v in params.items())


@pytest.fixture
def client(seeded_url: str) -> FlaskClient:
    return create_app(settings_for(seeded_url)).test_client()


def _map_codes(url: str, params: dict[str, str]) -> set[str]:
    """The projects the map draws for this filter: the GIS twins must draw exactly these."""
    flt = ProjectFilter.from_params({k: [v] for k, v in params.items()})
    with session_scope(settings_for(url)) as session:
        data = map_data(session, resolve(session, flt), "chain")
    return {row[0] for row in data["rows"]}


def _shapes(url: str) -> tuple[dict[str, Any], dict[str, Any]]:
    with session_scope(settings_for(url)) as session:
        units = {c: shape(json.loads(g)) for c, g in session.execute(select(AdminUnit.adcode, AdminUnit.geometry))
                 if g}
        zones = {c: shape(json.loads(g)) for c, g in session.execute(select(Zone.code, Zone.geometry)) if g}
    return units, zones


@pytest.mark.parametrize("params", FILTERS, ids=["all", "jjj", "yangqu"])
def test_geojson_and_gpkg_draw_every_placed_project_as_a_typed_point_layer(
        seeded_url: str, client: FlaskClient, tmp_path: Path, params: dict[str, str]) -> None:
    count = client.get(f"/projects.json?{query(params)}").get_json()["count"]
    placed = _map_codes(seeded_url, params)
    assert placed, "the seeded data places projects on the map"
    units, zones = _shapes(seeded_url)
    web = tmp_path / "web.geojson"
    web.write_bytes(client.get(f"/projects.geojson?{query(params)}").data)
    files = [web]
    for ext in ("geojson", "gpkg"):
        cli(seeded_url, "export", *cli_args(params), "-o", str(tmp_path / f"cli.{ext}"))
        files.append(tmp_path / f"cli.{ext}")
    for path in files:
        info = pyogrio.read_info(path)
        assert info["geometry_type"] == "Point", (path.name, info["geometry_type"])  # GDAL said "Unknown"
        assert info["features"] == count and info["crs"] == "EPSG:4326"
        frame = pyogrio.read_dataframe(path)
        drawn = frame[frame.geometry.notna()]
        assert set(drawn["code"]) == placed, path.name  # N geometries = N placed projects
        assert frame["precision_label"].notna().all()
        for rec in drawn.itertuples():
            point = Point(rec.geometry.x, rec.geometry.y)
            if rec.precision == 3:  # a district-level project sits on a district's representative point
                assert rec.geometry_basis.startswith("区县代表点")
                assert any(u.contains(point) for u in units.values()), rec.code
            elif rec.precision == 4:
                assert rec.geometry_basis.startswith(("开发区代表点", "区县代表点"))
                if rec.geometry_basis.startswith("开发区代表点"):
                    assert any(z.contains(point) for z in zones.values()), rec.code
            else:
                assert rec.geometry_basis.startswith("项目坐标"), rec.code
        assert frame.loc[frame.geometry.isna(), "geometry_basis"].isna().all()


def test_district_points_lie_in_the_named_district(seeded_url: str, client: FlaskClient) -> None:
    units, _ = _shapes(seeded_url)
    with session_scope(settings_for(seeded_url)) as session:
        rows = {r.code: r for r in iter_rows(session, resolve(session, ProjectFilter()))}
    features = client.get("/projects.geojson").get_json()["features"]
    checked = 0
    for f in features:
        row = rows[f["id"]]
        if f["geometry"] and row.precision == 3 and row.district_code:
            assert units[row.district_code].contains(Point(f["geometry"]["coordinates"])), row.code
            checked += 1
    assert checked >= 10


def test_empty_gpkg_still_declares_a_point_layer(seeded_url: str, tmp_path: Path) -> None:
    cli(seeded_url, "export", "--query", "不存在的项目名称甲乙丙", "-o", str(tmp_path / "none.gpkg"))
    info = pyogrio.read_info(tmp_path / "none.gpkg")
    assert info["geometry_type"] == "Point" and info["features"] == 0


def _csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


@pytest.mark.parametrize("params", FILTERS[:2], ids=["all", "jjj"])
def test_csv_xlsx_and_kpr_export_have_the_same_columns_and_rows(
        seeded_url: str, client: FlaskClient, tmp_path: Path, params: dict[str, str]) -> None:
    web_csv = _csv_rows(client.get(f"/projects.csv?{query(params)}&sort=code").get_data(as_text=True))
    web_xlsx = openpyxl.load_workbook(io.BytesIO(client.get(f"/projects.xlsx?{query(params)}&sort=code").data))
    cli(seeded_url, "export", *cli_args(params), "-o", str(tmp_path / "x.csv"))
    cli(seeded_url, "export", *cli_args(params), "-o", str(tmp_path / "x.xlsx"))
    cli_csv = _csv_rows((tmp_path / "x.csv").read_text(encoding="utf-8"))
    cli_xlsx = openpyxl.load_workbook(tmp_path / "x.xlsx")
    listed = _csv_rows(cli(seeded_url, "projects", *cli_args(params), "--format", "csv"))
    sheets = [[list(r) for r in book["项目"].iter_rows(values_only=True)] for book in (web_xlsx, cli_xlsx)]
    for table in (web_csv, cli_csv, listed, *sheets):
        assert table[0] == HEADERS
    assert web_csv == cli_csv == listed  # same columns, same rows, same cells
    codes = [r[0] for r in web_csv[1:]]
    for sheet in sheets:
        assert [r[0] for r in sheet[1:]] == codes


def test_json_is_paged_and_the_cli_prints_the_web_shape(seeded_url: str, client: FlaskClient) -> None:
    web = client.get("/projects.json?strategy=jjj&sort=code&limit=5&offset=5")
    printed = json.loads(cli(seeded_url, "projects", "--strategy", "jjj", "--sort", "code", "--format", "json",
                             "--limit", "5", "--offset", "5"))
    assert web.get_json() == printed  # one shape, one content
    assert list(printed) == ["filter", "count", "total_investment", "without_amount", "limit", "offset", "next",
                             "projects"]
    assert printed["limit"] == 5 and printed["offset"] == 5 and len(printed["projects"]) == 5
    assert printed["next"] == 10 and 'offset=10' in web.headers["Link"] and "limit=5" in web.headers["Link"]
    # Walking `next` visits every project once, in list order.
    everything = json.loads(cli(seeded_url, "projects", "--strategy", "jjj", "--sort", "code", "--format", "json"))
    assert everything["limit"] is None and everything["next"] is None
    seen: list[str] = []
    url: str | None = "/projects.json?strategy=jjj&sort=code&limit=4"
    while url:
        resp = client.get(url)
        page = resp.get_json()
        seen += [p["code"] for p in page["projects"]]
        link = resp.headers.get("Link")
        assert (link is None) == (page["next"] is None)
        url = re.match(r"<([^>]+)>", link).group(1) if link else None  # type: ignore[union-attr]
    assert seen == [p["code"] for p in everything["projects"]] and len(seen) == everything["count"]


def test_json_paging_is_bounded_and_bad_values_are_named(client: FlaskClient) -> None:
    default = client.get("/projects.json").get_json()
    assert default["limit"] == MAX_LIMIT and default["offset"] == 0
    assert len(default["projects"]) == min(default["count"], MAX_LIMIT)
    for bad in ("limit=0", f"limit={MAX_LIMIT + 1}", "limit=abc", "offset=-1", "offset=1e9", "limit=99999999999"):
        resp = client.get(f"/projects.json?{bad}")
        assert resp.status_code == 400, bad
        body = resp.get_json()
        assert body["error"] == "invalid_filter" and bad.split("=")[0] in body["message"], body
    far = client.get("/projects.json?offset=1000000000").get_json()
    assert far["projects"] == [] and far["next"] is None and far["count"] == default["count"]


def _opening(path: Path) -> str:
    """The first lines of a plan text, normalised as the titles are (full-width digits, spaces, breaks)."""
    lines = path.read_text(encoding="utf-8").splitlines()[:8]
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", "".join(lines))).replace("«", "《").replace("»", "》")


@pytest.mark.skipif(not SEEDS.is_dir(), reason="plan texts not on this machine")
def test_plan_titles_are_the_texts_own_words() -> None:
    for name, entry in PLAN_TITLES.items():
        words = unicodedata.normalize("NFKC", entry.title).strip("《》")
        assert words in _opening(SEEDS / name), (name, entry.title)


def test_sources_name_the_plan_by_title_on_the_page_json_and_exports(client: FlaskClient,
                                                                    tmp_path: Path) -> None:
    title = PLAN_TITLES["004_4fcffdc077ed2adc.txt"].title
    listed = client.get("/projects.json?limit=1000").get_json()["projects"]
    project = next(p for p in listed if any(s["document"].startswith("004_") for s in p["sources"]))
    detail = client.get(f"/projects/{project['code']}.json").get_json()
    assert any(s["title"] == title for s in detail["sources"])
    page = client.get(f"/projects/{project['code']}").get_data(as_text=True)
    sources = page[page.index('data-testid="sources"'):]
    sources = sources[:sources.index("</ul>")]
    assert title in sources and ">004_4fcffdc077ed2adc.txt<" not in sources
    cells = _csv_rows(client.get(f"/projects.csv?q={project['code']}").get_data(as_text=True))
    assert title in cells[1][HEADERS.index("来源")] and "004_4fcffdc077ed2adc.txt" not in cells[1][HEADERS.index("来源")]


def test_export_times_are_beijing_time(seeded_url: str, tmp_path: Path) -> None:
    moment = datetime(2026, 1, 1, 20, 30, tzinfo=UTC)  # 04:30 next day in Beijing
    context = ExportContext(exported_at=moment, data_version="#1 seed")
    with session_scope(settings_for(seeded_url)) as session:
        rows = list(iter_rows(session, resolve(session, ProjectFilter())))[:3]
    out = io.StringIO()
    export_rows(rows, out, "geojson", context)
    meta = json.loads(out.getvalue())["kpr"]
    assert meta["exported_at"] == "2026-01-02T04:30:00+08:00" and "Asia/Shanghai" in meta["time_zone"]
    export_rows(rows, tmp_path / "t.xlsx", context=context)
    notes = {r[0]: r[1] for r in openpyxl.load_workbook(tmp_path / "t.xlsx")["口径说明"].iter_rows(values_only=True)
             if r[0]}
    assert notes["导出时间"] == "2026-01-02 04:30（北京时间）"
    props = openpyxl.load_workbook(tmp_path / "t.xlsx").properties
    assert props.description and "2026-01-02 04:30（北京时间）" in props.description
    export_rows(rows, tmp_path / "t.gpkg", context=context)
    description = pyogrio.read_info(tmp_path / "t.gpkg")["layer_metadata"]["DESCRIPTION"]
    assert "2026-01-02T04:30:00+08:00" in description


def test_data_version_is_stated_in_beijing_time(client: FlaskClient) -> None:
    meta = client.get("/projects.geojson").get_json()["kpr"]
    assert meta["data_version"].endswith("（北京时间）") and meta["exported_at"].endswith("+08:00")


def test_detail_page_dates_are_beijing_dates(fresh_url: str, tmp_path: Path) -> None:
    site = prepare(fresh_url, tmp_path)
    late_evening_utc = datetime(2026, 1, 1, 20, 30, tzinfo=UTC)  # already 2 January in Beijing
    engine = make_engine(fresh_url)
    with engine.begin() as conn:  # Core, not the ORM: this is the test's setup, not a user's edit
        conn.execute(update(Project).where(Project.code == "T-1").values(archived_at=late_evening_utc))
    engine.dispose()
    page = site.client("admin").get("/projects/T-1").get_data(as_text=True)
    assert "已归档（2026-01-02）" in page


PAGING_VALUES = st.one_of(
    st.sampled_from(["", " ", "0", "-1", "1e3", "1E+400", "9" * 40, "NaN", "\x00", "５", "1000", "1001", "367",
                     "366", "999999999", "1000000000", "1000000001"]),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.text(max_size=12),
)


def test_paging_parameters_never_make_a_server_error(client: FlaskClient) -> None:
    count = client.get("/projects.json?limit=1").get_json()["count"]

    @settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
    @given(limit=st.none() | PAGING_VALUES, offset=st.none() | PAGING_VALUES)
    def answers(limit: str | None, offset: str | None) -> None:
        params = {k: v for k, v in (("limit", limit), ("offset", offset)) if v is not None}
        resp = client.get("/projects.json", query_string=params)
        assert resp.status_code in (200, 400), (params, resp.status_code)
        body = resp.get_json()
        if resp.status_code == 400:
            assert any(f"{k}=" in body["message"] for k in params), body
            return
        size, start = body["limit"], body["offset"]
        assert 1 <= size <= MAX_LIMIT and len(body["projects"]) == max(0, min(size, count - start))
        assert body["next"] == (start + size if start + size < count else None)

    answers()


def test_gpkg_written_in_chunks_keeps_one_point_layer(seeded_url: str, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Large exports append chunk by chunk; a first chunk with no placed project must not fix the type."""
    from registry.export import gpkg

    monkeypatch.setattr(gpkg, "CHUNK", 40)  # 367 seeded projects → 10 appends, some without any geometry
    path = tmp_path / "chunks.gpkg"
    cli(seeded_url, "export", "--sort", "-precision", "-o", str(path))
    info = pyogrio.read_info(path)
    frame = pyogrio.read_dataframe(path)
    assert info["geometry_type"] == "Point" and info["features"] == len(frame)
    assert set(frame.loc[frame.geometry.notna(), "code"]) == _map_codes(seeded_url, {})
