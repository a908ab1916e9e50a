"""The geocoder on real strings from the plan documents and on points; rules pinned one by one."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.cli import main
from registry.geocode import Geocoder
from registry.geocode.replace import replace_all
from registry.models import Project

GEODATA = Path(__file__).resolve().parents[1] / "geodata"


@pytest.fixture(scope="module")
def geocoder() -> Geocoder:
    return Geocoder.from_geodata(GEODATA)


def test_township_and_county_words(geocoder: Geocoder) -> None:
    # 001 l.733: "终点位于太原市阳曲县大盂镇北"
    p = geocoder.geocode_text("终点位于太原市阳曲县大盂镇北")
    assert (p.district_code, p.precision, p.method, p.needs_review) == ("140122", 3, "place_name", False)
    assert "阳曲县" in p.evidence


def test_line_across_the_border_keeps_taiyuan_and_reports_outside(geocoder: Geocoder) -> None:
    p = geocoder.geocode_text("阳泉市盂县梁家寨东；太原市阳曲县大盂镇北 阳曲大盂—盂县(晋冀界)高速公路项目")
    assert p.district_code == "140122" and not p.outside_taiyuan
    assert "盂县" in p.evidence and "太原市外" in p.evidence


def test_zone_implies_district_only_when_it_lies_in_one(geocoder: Geocoder) -> None:
    zb = geocoder.geocode_text("中北高新区")
    assert (zb.zone_code, zb.district_code, zb.precision) == ("zbgx", "140108", 4)
    zgq = geocoder.geocode_text("山西转型综改示范区建设1座生产制造高端自动化设施")
    assert zgq.zone_code == "zgq" and zgq.district_code is None and zgq.needs_review


def test_conflicting_zone_and_district_is_reported(geocoder: Geocoder) -> None:
    p = geocoder.geocode_text("中北高新区 晋源区")
    assert p.needs_review and p.conflicts and p.district_code == "140110"


def test_city_alone_is_city_level_and_outside_is_never_forced_in(geocoder: Geocoder) -> None:
    city = geocoder.geocode_text("太原市城市更新行动")
    assert (city.precision, city.district_code, city.needs_review) == (5, None, True)
    # 001 l.744: the city's airport is a named site now (geodata/sites.yaml), no longer city level
    airport = geocoder.geocode_text("太原机场改扩建及其配套建设项目")
    assert (airport.precision, airport.district_code, airport.method) == (2, "140105", "gazetteer")
    for text in ("北京中关村", "晋中市榆次区", "忻州"):
        out = geocoder.geocode_text(text)
        assert out.precision == 6 and out.outside_taiyuan and out.district_code is None, text


def test_bare_shifanqu_does_not_mean_the_reform_zone(geocoder: Geocoder) -> None:
    # 004 专栏7-1 "长风城市发展与更新示范区" is not 山西转型综合改革示范区.
    assert geocoder.geocode_text("长风城市发展与更新示范区").zone_code is None


def test_point_wins_and_disagreeing_text_is_flagged(geocoder: Geocoder) -> None:
    p = geocoder.geocode_point(112.55, 37.80, "wgs84")
    assert (p.district_code, p.precision, p.method) == ("140105", 1, "given_coordinates")
    assert "central_shanxi" in p.corridors
    flagged = geocoder.geocode_point(112.55, 37.80, "wgs84", text="娄烦县")
    assert flagged.needs_review and flagged.conflicts


def test_gcj_point_is_converted_before_lookup(geocoder: Geocoder) -> None:
    wgs = geocoder.geocode_point(112.55, 37.80, "wgs84")
    from registry.crs import from_wgs84

    glon, glat = from_wgs84(112.55, 37.80, "gcj02")
    gcj = geocoder.geocode_point(float(glon), float(glat), "gcj02")
    assert gcj.lon == pytest.approx(wgs.lon, abs=1e-7) and gcj.lat == pytest.approx(wgs.lat, abs=1e-7)


def test_cli_prints_placement_json() -> None:
    result = CliRunner().invoke(main, ["geocode", "阳曲县大盂镇北"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"district_code", "district", "zone", "corridors", "lon", "lat", "precision", "method",
            "evidence"} <= set(data)
    bad = CliRunner().invoke(main, ["geocode", "--lon", "37.8", "--lat", "112.55"])
    assert bad.exit_code != 0 and "swapped" in bad.output


def test_replace_all_reports_what_moved(db_session: Session, seeded_url: str) -> None:
    from registry.db import make_engine, make_session_factory

    engine = make_engine(seeded_url)
    with make_session_factory(engine)() as session:
        project = session.scalar(select(Project).where(Project.code == "001-B1-01"))
        assert project is not None and project.district_code == "140122"
        project.stated_district_code = "140110"  # someone corrects the statement; the map must follow
        moves = replace_all(session, Geocoder.from_geodata(GEODATA))
        assert [m.code for m in moves] == ["001-B1-01"]
        assert project.district_code == "140110" and project.locations[0].needs_review
        session.rollback()
    engine.dispose()


def test_every_seeded_project_has_a_placement(seeded_url: str) -> None:
    from registry.db import make_engine, make_session_factory

    engine = make_engine(seeded_url)
    with make_session_factory(engine)() as session:
        projects = list(session.scalars(select(Project)))
        assert projects and all(p.locations and p.locations[0].method for p in projects)
        assert all(p.precision in (1, 2, 3, 4, 5, 6, 8) for p in projects)
    engine.dispose()


@pytest.mark.slow
def test_import_zones_replaces_projects_placed_by_coordinates(fresh_url: str, tmp_path: Path) -> None:
    """An official boundary moves the projects whose coordinates it covers into the zone."""
    pytest.importorskip("geopandas")
    import shutil

    from shapely.geometry import box, mapping

    from registry.db import make_engine, make_session_factory

    geo = tmp_path / "geodata"
    shutil.copytree(GEODATA, geo)
    env = {"KPR_DATABASE_URL": fresh_url, "KPR_GEODATA_DIR": str(geo)}
    runner = CliRunner()
    assert runner.invoke(main, ["seed"], env=env).exit_code == 0
    site = (112.36, 37.55)  # a point in 清徐县, outside the schematic circle of 清徐经济开发区
    from registry.db import session_scope
    from registry.placement import default_placer
    from registry.upsert import apply_project_dicts
    from tests.conftest import settings_for

    settings = settings_for(fresh_url, geodata_dir=geo)
    with session_scope(settings) as session:
        apply_project_dicts(session, [{"code": "T-PT", "name": "测试坐标项目", "lon": site[0], "lat": site[1],
                                       "crs": "wgs84", "sources": [{"document": "test"}]}],
                            placer=default_placer(session, settings))
    official = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"code": "qingxu_etdz"},
                "geometry": mapping(box(site[0] - 0.01, site[1] - 0.01, site[0] + 0.01, site[1] + 0.01))}]}
    path = tmp_path / "official.geojson"
    path.write_text(json.dumps(official), encoding="utf-8")
    result = runner.invoke(main, ["geodata", "import-zones", str(path), "--crs", "wgs84"], env=env)
    assert result.exit_code == 0, result.output
    assert "T-PT" in result.output and "1 个项目位置有变化" in result.output
    engine = make_engine(fresh_url)
    with make_session_factory(engine)() as session:
        project = session.scalar(select(Project).where(Project.code == "T-PT"))
        assert project is not None and project.zone_code == "qingxu_etdz" and project.precision == 1
    engine.dispose()


def test_mislabelled_coordinate_system_is_flagged(geocoder: Geocoder) -> None:
    """A BD-09 point sent as WGS-84 lands ~1 km off; if the stated district fits as BD-09, say so."""
    import json as _json

    from registry.crs import from_wgs84
    from tests.conftest import SHARED

    records = _json.loads((SHARED / "testdata" / "reference_places.json").read_text(encoding="utf-8"))
    flagged = 0
    for rec in records:
        if not (rec.get("crs") or "").startswith("BD-09"):
            continue
        honest = geocoder.geocode_point(rec["lon"], rec["lat"], "bd09")
        if not honest.district_code:
            continue
        mislabelled = geocoder.geocode_point(rec["lon"], rec["lat"], "wgs84", stated_district=honest.district_code)
        if mislabelled.district_code != honest.district_code:
            assert mislabelled.needs_review
            assert any("mislabelled" in c for c in mislabelled.conflicts), mislabelled.conflicts
            flagged += 1
    assert flagged >= 1  # the shared data has points near borders where 600 m changes the district
    wlon, wlat = from_wgs84(112.55, 37.80, "wgs84")
    clean = geocoder.geocode_point(float(wlon), float(wlat), "wgs84", stated_district="140105")
    assert not clean.conflicts


def test_the_geocoder_is_built_once_per_process_until_a_layer_file_changes(tmp_path: Path) -> None:
    """Requests, imports and seeding share one geocoder; a changed layer file (import-zones rewrites
    zones.geojson in place) gives a new one that has read the change."""
    import shutil
    from dataclasses import replace

    from registry.config import Settings

    geo = tmp_path / "geodata"
    shutil.copytree(GEODATA, geo)
    settings = replace(Settings.from_env({}), geodata_dir=geo)
    first = Geocoder.from_settings(settings)
    assert Geocoder.from_settings(settings) is first
    assert first.sites["tyn_airport"].name == "太原武宿国际机场"
    sites = geo / "sites.yaml"
    sites.write_text(sites.read_text(encoding="utf-8").replace("name: 太原武宿国际机场", "name: 武宿空港"),
                     encoding="utf-8")
    second = Geocoder.from_settings(settings)
    assert second is not first and second.sites["tyn_airport"].name == "武宿空港"
    assert Geocoder.from_settings(settings) is second
