"""The committed seeds are exactly parser + overrides, and hold every 001 box project with its investment."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from registry.planparse.seeds import check_seeds
from registry.planparse.status import status_for
from registry.yamltext import load_yaml

ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = ROOT / "seeds"
DOCUMENTS = ROOT.parent / "shared" / "seeds"
EXPECTED = load_yaml((ROOT / "tests" / "data" / "box_items_expected.yaml").read_text(encoding="utf-8"))
needs_documents = pytest.mark.skipif(not DOCUMENTS.exists(), reason="../shared/seeds not present")


def _projects() -> list[dict[str, Any]]:
    text = (SEEDS_DIR / "projects.yaml").read_text(encoding="utf-8")
    return load_yaml(text)


@needs_documents
def test_no_drift_between_parser_and_committed_seeds() -> None:
    assert check_seeds(SEEDS_DIR, DOCUMENTS) == []


def test_every_001_box_project_with_exact_investment() -> None:
    expected = {name: yi for box in EXPECTED["001"].values() for name, yi in box.items()}
    assert len(expected) == 38
    # The 38 numbered items; their listed parts (metro lines, a park's companies) are projects of their own.
    found = {p["name"]: p for p in _projects() if p["code"].startswith("001-B") and p["specificity"] != "part"}
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
    chains = {c["code"] for c in load_yaml((SEEDS_DIR / "chains.yaml").read_text(encoding="utf-8"))}
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
    chains = load_yaml((SEEDS_DIR / "chains.yaml").read_text(encoding="utf-8"))
    tiers = {c["code"]: c["tier"] for c in chains if c["level"] == "chain"}
    assert sum(1 for t in tiers.values() if t == "千亿级") == 4
    assert sum(1 for t in tiers.values() if t == "百亿级") == 4
    assert sum(1 for t in tiers.values() if t == "未来") == 4
    assert {c["code"] for c in chains if c["level"] == "cluster"} == {
        "nextgen_it", "hi_equipment", "new_materials", "consumer_goods"}
    parents = {c["code"] for c in chains}
    assert all(c["parent"] in parents for c in chains if c["parent"])


def test_duplicates_the_audit_found_are_one_project_with_aliases() -> None:
    """Issue 13 §2: the same project under two spellings or in both plans is one project."""
    projects = _projects()
    by_code = {p["code"]: p for p in projects}
    fenhe = by_code["001-B4-02"]  # 001 专栏4 (2) and 004 专栏10-1 l.3652
    assert "汾河中游百公里示范区太原段" in fenhe["aliases"]
    assert {s["document"][:3] for s in fenhe["sources"]} == {"001", "004"}
    assert fenhe["total_investment"] == "15.37"
    yingze = by_code["004-B7-3-001"]  # 专栏7-3 l.2674 and body l.2648
    assert yingze["name"] == "迎泽大街东延" and {s["line"] for s in yingze["sources"]} == {2674, 2648}
    binhe = by_code["004-B7-3-004"]  # 专栏7-3 "滨河东路南延二期" and body l.2650 "滨河东路南延"
    assert binhe["aliases"] == ["滨河东路南延"]
    names = [n for p in projects for n in (p["name"], *p["aliases"])]
    for name in ("汾河中游百公里示范区太原段", "迎泽大街东延", "滨河东路南延", "太山", "明太原县城"):
        assert names.count(name) == 1, name
    # The body's "综改示范区磁浮和迎泽大街东延" is two works: the maglev stays a project of its own.
    assert by_code["004-L2648-4"]["name"] == "综改示范区磁浮"


def test_parts_point_at_their_package() -> None:
    """Issue 13 §2: a metro package and its lines, a park and its companies, a 片区 and its sites."""
    by_code = {p["code"]: p for p in _projects()}
    lines = [p for p in by_code.values() if p["parent_code"] == "001-B5-03"]
    # 001 l.1547 "主要包括轨道交通1号线一期及二期工程、2号线二期工程、3号线一期工程及R1号线一期工程"
    assert [p["name"] for p in lines] == ["轨道交通1号线一期及二期工程", "轨道交通2号线二期工程",
                                          "轨道交通3号线一期工程", "轨道交通R1号线一期工程"]
    assert all(p["total_investment"] is None for p in lines)  # the 580.4亿元 is the package's
    assert "2号线二期" in by_code["001-B5-03-P2"]["aliases"]  # 004 body l.2648 names the same line
    companies = [p["name"] for p in by_code.values() if p["parent_code"] == "001-B5-08"]
    assert len(companies) == 5 and companies[1] == "东方双翼通航飞行器制造有限公司(整机厂)"  # 001 l.1573
    assert by_code["004-B7-1-026"]["parent_code"] == "004-B7-1-006"  # 晋祠 in 晋祠片区 (004 l.2535)
    assert by_code["004-B7-1-036"]["parent_code"] is None  # 朝阳商圈: its heading 商圈 is no project
    parents = {p["parent_code"] for p in by_code.values() if p["parent_code"]}
    assert parents <= set(by_code)


def test_001_box_details_reach_their_fields() -> None:
    """Issue 13 §2: capacity, named builders and partners with their home regions, places (001 专栏1–5)."""
    by_code = {p["code"]: p for p in _projects()}
    # 专栏1 (11) "山西转型综改示范区管委会、清华大学电子工程系、清控科创控股股份有限公司共同签署协议…总面积约5000平米"
    centre = by_code["001-B1-11"]
    assert centre["partners"] == ["山西转型综改示范区管委会", "清华大学电子工程系", "清控科创控股股份有限公司"]
    assert centre["capacity_text"] == "总面积约5000平米"
    # 专栏1 (12) "由天津外滩风尚餐饮集团与山西盛世技工学校合作发起"
    assert by_code["001-B1-12"]["partner_regions"] == ["天津", "山西"]
    # 专栏1 (18) "由北京图迩教育科技投资"; 专栏2 3. "上海圆通速递有限公司投资"; 2 6. "由浙江矽盛电子有限公司建设"
    assert (by_code["001-B1-18"]["builder"], by_code["001-B1-18"]["partner_regions"]) == ("北京图迩教育科技", ["北京"])
    assert by_code["001-B2-03"]["partner_regions"] == ["上海"]
    assert by_code["001-B2-06"]["partner_regions"] == ["浙江"]
    # 专栏2 2. "山西转型综改示范区联合上海凯赛生物技术股份有限公司…投资450亿元"
    assert by_code["001-B2-02"]["partners"] == ["山西转型综改示范区", "上海凯赛生物技术股份有限公司"]
    assert by_code["001-B1-04"]["partner_regions"] == ["京津冀"]  # "引进京津冀龙头企业"
    assert by_code["001-B3-01"]["partners"] == ["华为"]  # "华为及华为生态合作伙伴共同参与阶段二"
    # Capacity: 专栏5 6. "…单晶炉450台套" (a 建设投资 clause without an amount), 5 4. "长13.2公里，宽36米"
    assert "450台套" in by_code["001-B5-06"]["capacity_text"]
    assert by_code["001-B5-04"]["capacity_text"] == "长13.2公里；宽36米"
    assert by_code["001-B5-05"]["capacity_text"] == "生产厂房内设5个测试工位；2个装配工位"
    # Places: 专栏5 4. "主要对新兰路至泥屯镇黄东线进行市政化改造", 5 2. "新建阳曲西至迎泽西至清徐线路"
    assert by_code["001-B5-04"]["place_text"] == "新兰路至泥屯镇黄东线"
    assert by_code["001-B5-02"]["place_text"] == "阳曲西至迎泽西至清徐"
    assert by_code["001-B1-15"]["place_text"] == "山西北方机械控股有限公司原太原兵工厂旧址"
    # Nothing invented: a party without a region in its name gets none (多弗集团).
    assert by_code["001-B1-13"]["builder"] == "多弗集团" and by_code["001-B1-13"]["partner_regions"] == []


def test_nodes_a_plan_names_for_a_strategy_carry_it() -> None:
    """Issue 13 §2: 004 专栏5-1 names 中鼎物流园 (l.2037) and 武宿物流园 (l.2046) "“一带一路”东西物流大通道的重要
    物流节点"; a park without those words (清徐综合物流园) gets no strategy from its passage."""
    by_code = {p["code"]: p for p in _projects()}
    assert by_code["004-B5-1-001"]["strategies"] == ["bri"]
    assert by_code["004-B5-1-003"]["strategies"] == ["bri"]
    assert by_code["004-B5-1-002"]["strategies"] == []


def test_older_plans_promises_keep_their_period_and_stated_ranges() -> None:
    """Issue 13 §4: 000 (高新区十一五) and 003 (并政发〔2011〕6号) parks, bases and works; ranges stay ranges."""
    by_code = {p["code"]: p for p in _projects()}
    # 000 l.71–72 "（一）建设国家级电子信息产业基地 / …安排土地200亩，吸引投资30—50亿元…"
    base = by_code["000-L0071-1"]
    assert (base["name"], base["plan_period"]) == ("国家级电子信息产业基地", "2006—2010")
    assert (base["investment_low"], base["investment_high"], base["total_investment"]) == ("30", "50", None)
    assert base["capacity_text"] == "安排土地200亩" and base["status"] == "unknown"
    # 000 l.73–74 "…“十一五”期末建成国家高新技术产品出口基地": a stage word of its own
    assert (by_code["000-L0073-1"]["status"], by_code["000-L0073-1"]["status_text"]) == ("在建", "建成")
    # 000 l.79 both amounts stay in the text; the first (投入8—10亿元) gives the bounds
    park = by_code["000-L0078-1"]
    assert park["investment_text"] == "投入8—10亿元，吸引投资15—20亿元"
    assert (park["investment_low"], park["investment_high"]) == ("8", "10")
    # 000 l.83 "投入2亿元" is a point, stated as such
    assert (by_code["000-L0082-1"]["total_investment"], by_code["000-L0082-1"]["investment_low"]) == ("2", None)
    # 003 l.58 "新能源产业要重点建设中国电科太原光伏产业园…建成国家煤层气能源载货汽车研发制造基地"
    names = {p["name"]: p for p in by_code.values() if p["code"].startswith("003-")}
    assert set(names) == {"静脉产业科技园", "中国电科太原光伏产业园", "国家级煤层气载货汽车国家级企业技术中心",
                          "国家煤层气能源载货汽车研发制造基地"}
    assert all(p["plan_period"] == "2011—2015" and p["total_investment"] is None for p in names.values())
    assert names["国家煤层气能源载货汽车研发制造基地"]["status_text"] == "建成"
    assert "中国电科太原光伏产业园" in names["中国电科太原光伏产业园"]["sources"][0]["excerpt"]
