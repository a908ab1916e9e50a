"""One vocabulary, honest labels (issue 12): one chain tree, plan-stated vs location-derived memberships
labelled apart, no raw codes or English in the Chinese interface."""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from sqlalchemy import MetaData, event, select
from sqlalchemy.orm import Session

from registry import migrate
from registry.cli import main
from registry.db import make_engine, session_scope
from registry.importer.run import import_file
from registry.models import Location, Project, ProjectStrategy, Zone
from registry.queries import ProjectFilter, fetch_rows, resolve
from registry.upsert import stated_placement
from registry.vocabulary import Term, Vocabulary, value_words
from registry.yamltext import load_yaml
from tests.conftest import settings_for
from tests.exchange_helpers import seed_toy, write_csv
from web import create_app

ROOT = Path(__file__).resolve().parents[1]


def _yaml(name: str) -> Any:
    return load_yaml((ROOT / "seeds" / name).read_text(encoding="utf-8"))


def run(url: str, *args: str) -> str:
    result = CliRunner().invoke(main, list(args), env={"KPR_DATABASE_URL": url}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_chain_tree_has_each_industry_once() -> None:
    chains = _yaml("chains.yaml")
    names = [c["name"] for c in chains if c["level"] != "segment" or not c["name"].endswith(("游", "层"))]
    # No node is another node's name plus 产业链 (信创产业 beside 信创产业链): one tree, not two.
    assert not [n for n in names if n + "链" in names or n + "产业链" in names]
    by_code = {c["code"]: c for c in chains}
    xinchuang = by_code["xinchuang_chain"]
    assert xinchuang["parent"] == "nextgen_it"
    # The merged node cites both the chain paragraph and the cluster group's paragraph.
    assert sorted(s["excerpt"].split("。")[0] for s in xinchuang["sources"]) == ["信创产业", "信创产业链"]
    for chain in chains:
        assert chain["parent"] is None or chain["parent"] in by_code, chain["code"]


def test_no_project_is_tagged_with_a_node_and_its_ancestor() -> None:
    parents = {c["code"]: c["parent"] for c in _yaml("chains.yaml")}
    for project in _yaml("projects.yaml"):
        tags = set(project["chains"])
        for code in tags:
            up = parents[code]
            while up:
                assert up not in tags, (project["code"], code, up)
                up = parents[up]


def test_readme_chain_example_works_through_the_cli(seeded_url: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "`--chain 信创`" in readme
    rows = json.loads(run(seeded_url, "projects", "--chain", "信创", "--format", "json"))["projects"]
    assert rows and all("信创产业链" in r["chains"] for r in rows)
    # Counted once: the list under the short name is the list under the node's code.
    by_code = json.loads(run(seeded_url, "projects", "--chain", "xinchuang_chain", "--format", "json"))["projects"]
    assert [r["code"] for r in rows] == [r["code"] for r in by_code]
    table = run(seeded_url, "projects", "--chain", "信创")
    assert f"共 {len(rows)} 个项目" in table and "产业链：信创产业链" in table


# --- plan-stated vs location-derived, in every view -------------------------------------------------------

def _geodata_members() -> dict[str, dict[str, bool]]:
    data = load_yaml((ROOT / "geodata" / "strategies.yaml").read_text(encoding="utf-8"))
    items = [*(data.get("strategies") or []), *(data.get("regions") or []), *(data.get("corridors") or [])]
    return {s["code"]: {str(m["adcode"]): bool(m["confirmed"]) for m in s.get("member_units") or ()} for s in items}


def _place_project(url: str, strategy: str, district: str) -> str:
    """A project placed in `district` whose tie to `strategy` is by location only (no plan tie)."""
    engine = make_engine(url)
    with engine.connect() as conn:
        plan = select(ProjectStrategy.project_id).where(ProjectStrategy.strategy_code == strategy,
                                                        ProjectStrategy.basis == "plan")
        code = conn.execute(
            select(Project.code).join(ProjectStrategy, ProjectStrategy.project_id == Project.id)
            .where(ProjectStrategy.strategy_code == strategy, ProjectStrategy.basis == "place",
                   Project.district_code == district, Project.id.not_in(plan))
            .order_by(Project.code).limit(1)).scalar_one()
    engine.dispose()
    return str(code)


@pytest.fixture
def client(seeded_url: str) -> FlaskClient:
    return create_app(settings_for(seeded_url)).test_client()


def _dd(page: str, testid: str) -> str:
    match = re.search(rf'<dd data-testid="{testid}">(.*?)</dd>', page, re.DOTALL)
    assert match, testid
    return unescape(re.sub(r"<[^>]+>", "", match.group(1)))


def test_detail_labels_plan_and_place_ties_and_unconfirmed_ones(client: FlaskClient, seeded_url: str) -> None:
    members = _geodata_members()
    # The facts this test relies on, read from the geodata itself: 阳曲县 is an unconfirmed unit of 太忻,
    # and Taiyuan as a whole is a confirmed unit of 山西中部城市群.
    assert members["tai_xin"]["140122"] is False and "140100" not in members["tai_xin"]
    assert members["central_shanxi"]["140100"] is True
    code = _place_project(seeded_url, "tai_xin", "140122")
    page = client.get(f"/projects/{code}").get_data(as_text=True)
    assert "区域战略（规划所列）" in page and "走廊/区域（位置落在）" in page
    place = _dd(page, "place-strategies")
    assert "太忻一体化经济区（范围未确认）" in place
    assert "山西中部城市群" in place and "山西中部城市群（范围未确认）" not in place
    english = client.get(f"/projects/{code}?lang=en").get_data(as_text=True)
    assert "Corridors / regions (by location)" in english and " (extent unconfirmed)" in _dd(english, "place-strategies")


def test_exports_separate_plan_and_place_ties(seeded_url: str, tmp_path: Path) -> None:
    code = _place_project(seeded_url, "tai_xin", "140122")
    out = tmp_path / "x.csv"
    run(seeded_url, "export", "--district", "140122", "-o", str(out))
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    row = next(r for r in rows if r["编号"] == code)
    assert "区域战略（规划所列）" in row and "太忻一体化经济区" not in row["区域战略（规划所列）"]
    assert "太忻一体化经济区（范围未确认）" in row["走廊/区域（位置落在）"]


def test_filter_words_say_plan_and_covering_regions_say_so(client: FlaskClient) -> None:
    page = unescape(client.get("/projects?strategy=jjj").get_data(as_text=True))
    assert "区域战略：京津冀协同发展（规划所列）" in page and "区域战略（规划所列）" in page
    page = unescape(client.get("/projects?corridor=central_shanxi").get_data(as_text=True))
    assert "走廊/区域（规划所列或位置落在）：山西中部城市群" in page
    assert "注：山西中部城市群含太原全市，覆盖全部已定位的太原项目" in page
    corridors = re.search(r'<select name="corridor".*?</select>', page, re.DOTALL)
    assert corridors
    option = re.search(r'<option value="tai_jin"[^>]*>([^<]*)</option>', corridors.group(0))
    assert option and "含太原全市" in option.group(1)
    option = re.search(r'<option value="tai_xin"[^>]*>([^<]*)</option>', corridors.group(0))
    assert option and "含太原全市" not in option.group(1)


# --- no raw codes or English in the Chinese interface; a complete English one ------------------------------

RAW = ("unknown", "exact site", "district", "development zone extent", "city-wide", "place_name", "zone_name",
       "stated_in_text", "given_coordinates")


def _visible(page: str) -> str:
    """The text a reader sees: no tags, attributes, scripts or styles."""
    body = re.sub(r"<(script|style)\b.*?</\1>", "", page, flags=re.DOTALL)
    return unescape(re.sub(r"<[^>]+>", " ", body))


def test_chinese_detail_shows_no_raw_codes(client: FlaskClient, seeded_url: str) -> None:
    engine = make_engine(seeded_url)
    with engine.connect() as conn:
        code = conn.execute(select(Project.code).join(Location).where(
            Project.status == "unknown", Location.method == "place_name").order_by(Project.code).limit(1)).scalar_one()
    engine.dispose()
    seen = _visible(client.get(f"/projects/{code}?lang=zh").get_data(as_text=True))
    for raw in RAW:
        assert raw not in seen, raw
    assert "未注明" in seen and "地名" in seen
    english = _visible(client.get(f"/projects/{code}?lang=en").get_data(as_text=True))
    assert "not stated" in english and "place name" in english
    for word in ("地名", "未注明", "区域战略", "位置精度"):
        assert word not in english, word


def test_list_headers_in_each_language(client: FlaskClient) -> None:
    zh = _visible(client.get("/projects?lang=zh").get_data(as_text=True))
    assert "区域战略（规划所列）" in zh and "未注明" in zh
    assert not re.search(r"\bunknown\b", zh)
    en = _visible(client.get("/projects?lang=en").get_data(as_text=True))
    for header in ("Code", "Project", "Status", "Regional strategies (stated by a plan)", "Location precision"):
        assert header in en, header
    assert "项目名称" not in en and "位置精度" not in en and "打印" not in en and "Print" in en


def test_english_list_says_the_filter_and_errors_in_english(client: FlaskClient) -> None:
    en = _visible(client.get("/projects?strategy=jjj&status=unknown&lang=en").get_data(as_text=True))
    assert "regional strategy (stated by a plan): 京津冀协同发展" in en and "status: not stated" in en
    assert "区域战略：" not in en and "状态：" not in en
    bad = client.get("/projects?district=火星区&lang=en")
    assert bad.status_code == 400
    words = _visible(bad.get_data(as_text=True))
    assert "district='火星区': unknown" in words and "没有名为" not in words
    zh = _visible(client.get("/projects?district=火星区&lang=zh").get_data(as_text=True))
    assert "没有名为“火星区”的区县" in zh


def test_status_values_read_in_the_page_language(client: FlaskClient) -> None:
    zh = client.get("/projects?lang=zh").get_data(as_text=True)
    option = re.search(r'<option value="unknown"[^>]*>([^<]*)</option>', zh)
    assert option and option.group(1).startswith("未注明")
    en = client.get("/projects?lang=en").get_data(as_text=True)
    option = re.search(r'<option value="在建"[^>]*>([^<]*)</option>', en)
    assert option and option.group(1).startswith("under construction")


def test_migration_folds_an_old_double_tree_into_one(fresh_url: str) -> None:
    """A database seeded with the two parallel trees ends with one node and one link per project."""
    migrate.upgrade(fresh_url, "0006")
    engine = make_engine(fresh_url)
    now = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    meta = MetaData()
    meta.reflect(engine)
    t = meta.tables
    chains = [("nextgen_it", "新一代信息技术产业集群", "cluster", None),
              ("nextgen_it.xinchuang", "信创产业", "segment", "nextgen_it"),
              ("xinchuang_chain", "信创产业链", "chain", None),
              ("xinchuang_chain.upstream", "上游", "segment", "xinchuang_chain")]
    try:
        with engine.begin() as conn:
            for code, name, level, parent in chains:
                conn.execute(t["industry_chains"].insert().values(
                    code=code, name=name, level=level, parent_code=parent, sources=[]))
            for pid, tags in ((1, ["nextgen_it.xinchuang", "xinchuang_chain"]), (2, ["nextgen_it.xinchuang"])):
                conn.execute(t["projects"].insert().values(
                    id=pid, code=f"T-{pid}", name=f"测试{pid}", aliases=[], status="在建", partners=[], precision=8,
                    version=1, created_at=now, updated_at=now))
                for tag in tags:
                    conn.execute(t["project_chains"].insert().values(project_id=pid, chain_code=tag))
        migrate.upgrade(fresh_url, "head")
        with engine.connect() as conn:
            nodes = dict(conn.execute(select(t["industry_chains"].c.code, t["industry_chains"].c.parent_code)).all())
            links = sorted(conn.execute(select(t["project_chains"].c.project_id, t["project_chains"].c.chain_code)).all())
    finally:
        engine.dispose()
    assert nodes == {"nextgen_it": None, "xinchuang_chain": "nextgen_it", "xinchuang_chain.upstream": "xinchuang_chain"}
    assert links == [(1, "xinchuang_chain"), (2, "xinchuang_chain")]


def test_corridors_no_source_confirms_say_so(client: FlaskClient) -> None:
    members = _geodata_members()
    drawn = sorted(code for code, units in members.items() if units and not any(units.values()))
    assert "taixin_axis" in drawn and "fenhe" not in drawn  # read from the geodata, not assumed
    page = unescape(client.get("/projects?corridor=taixin_axis").get_data(as_text=True))
    assert "注：太忻大道/G108 发展轴范围未确认" in page
    select_html = re.search(r'<select name="corridor".*?</select>', page, re.DOTALL)
    assert select_html
    for code in drawn:
        option = re.search(rf'<option value="{code}"[^>]*>([^<]*)</option>', select_html.group(0))
        assert option and "范围未确认" in option.group(1), code
    option = re.search(r'<option value="fenhe"[^>]*>([^<]*)</option>', select_html.group(0))
    assert option and "范围未确认" not in option.group(1)


# --- one vocabulary, one lookup rule (issue 15) ------------------------------------------------------------

@pytest.fixture
def toy(db_session: Session) -> Session:
    seed_toy(db_session)
    return db_session


def test_an_import_reads_a_district_as_the_filter_does(toy: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", [["项目名称", "区县"], ["小店新项目", "小店"]])
    report = import_file(toy, path, placer=stated_placement)
    assert report.applied and len(report.created) == 1, report.problems
    project = toy.scalar(select(Project).where(Project.name == "小店新项目"))
    assert project is not None and project.district_code == "140105"
    rf = resolve(toy, ProjectFilter.from_params({"district": ["小店"]}))
    assert rf.districts == ("140105",) and rf.labels["districts"] == ("小店区",)
    assert project.code in [row.code for row in fetch_rows(toy, rf)]


def test_the_filter_district_short_form_through_the_cli(seeded_url: str) -> None:
    short = json.loads(run(seeded_url, "projects", "--district", "小店", "--format", "json"))["projects"]
    by_code = json.loads(run(seeded_url, "projects", "--district", "140105", "--format", "json"))["projects"]
    assert short and [r["code"] for r in short] == [r["code"] for r in by_code]
    assert "区县：小店区" in run(seeded_url, "projects", "--district", "小店")


@pytest.mark.parametrize(("kind", "text", "code"), [
    ("districts", "140105", "140105"), ("districts", "小店区", "140105"), ("districts", "小店", "140105"),
    ("districts", " 小 店 ", "140105"), ("zones", "综改区", "zgq"), ("zones", "ＺＧＱ", "zgq"),
    ("zones", "学府", "xuefu"), ("strategies", "京津冀", "jjj"), ("corridors", "太忻", "tai_xin"),
    ("chains", "信创", "it-xc"), ("statuses", "未注明", "unknown"), ("statuses", "不详", "unknown"),
    ("statuses", "under construction", "在建"), ("progress_classes", "behind", "滞后"),
])
def test_one_rule_for_every_kind(toy: Session, kind: str, text: str, code: str) -> None:
    assert Vocabulary.read(toy).lookup(kind, text).code == code


def test_a_miss_says_which_codes_or_what_was_meant() -> None:
    vocab = Vocabulary(zones={"a": Term("a", "晋阳湖片区"), "b": Term("b", "晋阳古城片区"), "c": Term("c", "学府园区")})
    several = vocab.lookup("zones", "晋阳")
    assert several.code is None and several.ambiguous and several.candidates == (("a", "晋阳湖片区"), ("b", "晋阳古城片区"))
    unknown = vocab.lookup("zones", "学府区")
    assert unknown.code is None and not unknown.ambiguous and ("c", "学府园区") in unknown.close
    assert vocab.lookup("zones", "晋阳湖").code == "a"  # one label starts with it


def test_the_vocabulary_is_read_once_per_data_stamp(seeded_url: str) -> None:
    with session_scope(settings_for(seeded_url)) as session:
        first = Vocabulary.load(session)
        statements: list[str] = []

        def count(*args: Any) -> None:
            statements.append(args[2])
        engine = session.get_bind().engine
        event.listen(engine, "before_cursor_execute", count)
        try:
            assert Vocabulary.load(session) is first
        finally:
            event.remove(engine, "before_cursor_execute", count)
        assert len(statements) == 1  # the stamp, not the five reference tables
        assert first.name("districts", "140105") == "小店区"


def test_the_vocabulary_outlives_project_edits_but_not_its_own_tables(fresh_url: str) -> None:
    """A commit that wrote only projects' rows keeps the vocabulary read before it (the first list request
    after an edit does not read five tables again); a write to a vocabulary table reads them again."""
    migrate.upgrade(fresh_url)
    settings = settings_for(fresh_url)
    with session_scope(settings) as session:
        session.add(Zone(code="old_park", name="旧园区", aliases=[]))
        session.add(Project(code="V-1", name="词表测试项目"))
    with session_scope(settings) as session:
        first = Vocabulary.load(session)
    with session_scope(settings) as session:
        project = session.scalars(select(Project).where(Project.code == "V-1")).one()
        project.name = "改过名的项目"
    with session_scope(settings) as session:
        assert Vocabulary.load(session) is first
        session.add(Zone(code="new_park", name="新设园区", aliases=[]))
    with session_scope(settings) as session:
        again = Vocabulary.load(session)
        assert again is not first and again.resolve("zones", "新设园区") == "new_park"


def test_a_session_with_unsaved_writes_reads_its_own_vocabulary(toy: Session) -> None:
    toy.add(Zone(code="new_park", name="新设园区", aliases=[]))
    toy.flush()
    assert Vocabulary.load(toy).resolve("zones", "新设园区") == "new_park"


def test_fixed_words_come_from_one_source() -> None:
    from registry.maps.labels import map_labels
    from web.i18n import PRECISION_WORDS, STATUS_WORDS

    for lang in ("zh", "en"):
        words = value_words(lang)
        assert STATUS_WORDS[lang] == words["statuses"]
        assert {str(k): v for k, v in PRECISION_WORDS[lang].items()} == words["precisions"]
        labels = map_labels(lang)
        assert all(labels[f"status_{k}"] == v for k, v in words["statuses"].items())
        assert all(labels[f"class_{k}"] == v for k, v in words["progress_classes"].items())
    assert value_words("zh")["statuses"]["unknown"] == "未注明" and value_words("en")["statuses"]["在建"] == "under construction"
