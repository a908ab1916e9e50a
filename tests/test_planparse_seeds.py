"""The committed seeds are exactly parser + overrides, and hold every 001 box project with its investment."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from registry.planparse.seeds import check_seeds
from registry.planparse.status import status_for

ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = ROOT / "seeds"
DOCUMENTS = ROOT.parent / "shared" / "seeds"
EXPECTED = yaml.safe_load((ROOT / "tests" / "data" / "box_items_expected.yaml").read_text(encoding="utf-8"))
needs_documents = pytest.mark.skipif(not DOCUMENTS.exists(), reason="../shared/seeds not present")


def _projects() -> list[dict[str, Any]]:
    text = (SEEDS_DIR / "projects.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@needs_documents
def test_no_drift_between_parser_and_committed_seeds() -> None:
    assert check_seeds(SEEDS_DIR, DOCUMENTS) == []


def test_every_001_box_project_with_exact_investment() -> None:
    expected = {name: yi for box in EXPECTED["001"].values() for name, yi in box.items()}
    assert len(expected) == 38
    found = {p["name"]: p for p in _projects() if p["code"].startswith("001-B")}
    assert set(found) == set(expected)
    for name, yi in expected.items():
        assert found[name]["total_investment"] == yi, name
        assert found[name]["total_investment"] != "0"


def test_seed_records_are_well_formed() -> None:
    projects = _projects()
    codes = [p["code"] for p in projects]
    assert len(codes) == len(set(codes))
    strategies = {"jjj", "yrd", "gba", "bri", "yellow_river", "central_shanxi", "tai_jin", "tai_xin",
                  "ty_yq_sjz", "dayu_yuxian", "xiong_xin_hsr", "taixin_axis", "fenhe"}
    chains = {c["code"] for c in yaml.safe_load((SEEDS_DIR / "chains.yaml").read_text(encoding="utf-8"))}
    for p in projects:
        assert p["sources"] and all(s["line"] > 0 and len(s["excerpt"]) <= 120 for s in p["sources"])
        assert set(p["strategies"]) <= strategies, p["code"]
        assert set(p["chains"]) <= chains, p["code"]
        # A status only with the plan's own stage word beside it, mapped by planparse/status.py.
        assert p["status"] == status_for(p["status_text"]), p["code"]


def test_merged_duplicates_are_one_project() -> None:
    by_code = {p["code"]: p for p in _projects()}
    airport = by_code["001-B1-03"]
    assert "太原武宿机场三期扩建工程" in airport["aliases"]
    assert len(airport["sources"]) == 3
    power = by_code["001-B1-06"]
    assert "长城电源总部和研发制造基地" in power["aliases"]
    assert "xinchuang_chain" in power["chains"]
    assert "004-B3-1-008" not in by_code


def test_strategy_by_box() -> None:
    by_code = {p["code"]: p for p in _projects()}
    assert by_code["001-B1-01"]["strategies"][:1] == ["jjj"]
    assert by_code["001-B2-01"]["strategies"] == ["yrd"]
    assert by_code["001-B3-01"]["strategies"] == ["gba"]
    assert by_code["001-B4-02"]["strategies"][:2] == ["yellow_river", "fenhe"]
    assert by_code["001-B5-02"]["strategies"] == ["central_shanxi"]


def test_chain_tree() -> None:
    chains = yaml.safe_load((SEEDS_DIR / "chains.yaml").read_text(encoding="utf-8"))
    tiers = {c["code"]: c["tier"] for c in chains if c["level"] == "chain"}
    assert sum(1 for t in tiers.values() if t == "千亿级") == 4
    assert sum(1 for t in tiers.values() if t == "百亿级") == 4
    assert sum(1 for t in tiers.values() if t == "未来") == 4
    assert {c["code"] for c in chains if c["level"] == "cluster"} == {
        "nextgen_it", "hi_equipment", "new_materials", "consumer_goods"}
    parents = {c["code"] for c in chains}
    assert all(c["parent"] in parents for c in chains if c["parent"])
