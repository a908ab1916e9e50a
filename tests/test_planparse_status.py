"""Stage words on the plans' own lines → status, with the word kept (issue 13 §2, first bullet)."""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from registry.fields import STATUSES
from registry.planparse.status import STAGE_WORDS, listed_stage, stage_word, status_for
from registry.yamltext import load_yaml

ROOT = Path(__file__).resolve().parents[1]


def _projects() -> dict[str, dict[str, Any]]:
    text = (ROOT / "seeds" / "projects.yaml").read_text(encoding="utf-8")
    return {p["code"]: p for p in load_yaml(text)}


def test_every_mapped_status_is_a_registry_status() -> None:
    assert {status for _, status in STAGE_WORDS} <= set(STATUSES) - {"unknown"}


@pytest.mark.parametrize(("text", "word"), [
    # 001 专栏1 (4): "…引进京津冀龙头企业，谋划京津冀晋产业协作融合示范项目。"
    ("围绕14个战略性新兴产业，依托山西转型综改示范区等国家级开发区，引进京津冀龙头企业，谋划京津冀晋产业协作融合示范项目。",
     "谋划"),
    # 001 专栏1 (9): "总投资4.9亿元，拟选址第一机床厂联合工房，…建成全球领先的…" — the first word is the stage.
    ("总投资4.9亿元，拟选址第一机床厂联合工房，开创我国首个第四代半导体光电芯片产业技术领域，建成全球领先的", "拟选址"),
    # 001 专栏1 (1): "与河北拟建的西柏坡至梁家寨段相接" is another section's stage, not this item's.
    ("总投资约120亿元，项目起自阳泉市盂县梁家寨东，与河北拟建的西柏坡至梁家寨段相接", None),
    # 001 专栏1 (6) "基地建成后预计达到…", (7) "建成投产后实现年产值…", (17) "学校建成将满足…": conditions.
    ("基地建成后预计达到200万台/年的生产能力。", None),
    ("预计5年内引进全国生产型科技企业300家，建成投产后实现年产值150亿元", None),
    ("学校建成将满足山西转型综改示范区", None),
    # 004 专栏7-3 "新建路改造" is a street.
    ("新建路改造", None),
])
def test_stage_word_in_a_passage(text: str, word: str | None) -> None:
    assert stage_word(text) == word


def test_a_list_clause_governs_only_its_own_names() -> None:
    # 004 专栏10-1 l.(湿地): the 提档升级 clause lists four wetlands; the park before it is in another clause.
    sentence = ("重点推进城区北段上兰村至胜利桥汾河湿地公园、老龙头公园项目建设，实施城区南部清徐段汾河干流榆古桥人工湿地、"
                "汾河干流河西总退入汾口人工湿地等项目提档升级建设。")
    names = ["城区北段上兰村至胜利桥汾河湿地公园", "老龙头公园", "城区南部清徐段汾河干流榆古桥人工湿地",
             "汾河干流河西总退入汾口人工湿地"]
    assert listed_stage(names[1], sentence, names) is None
    assert listed_stage(names[3], sentence, names) == "提档升级"
    # 004 专栏7-3: "…滨河东路南延给水管线改扩建等项目建设": 改扩建 belongs to that one name only.
    sentence = "重点推进西山地表水厂、东西山供水加压站、滨河东路南延给水管线改扩建等项目建设"
    names = ["西山地表水厂", "东西山供水加压站", "滨河东路南延给水管线改扩建"]
    assert [listed_stage(n, sentence, names) for n in names] == [None, None, "改扩建"]


def test_seeded_statuses_keep_the_word() -> None:
    projects = _projects()
    expected = {
        "001-B1-04": ("谋划", "谋划"), "001-B1-09": ("前期", "拟选址"), "001-B3-01": ("前期", "拟选址"),
        "004-B10-1-003": ("前期", "提档升级"), "004-B10-2-001": ("前期", "搬迁"),
        "004-B12-2-001": ("在建", "建成"),  # 004 专栏12-2 "建成第五十三中学校、…等一批新学校"
        "001-B1-17": ("在建", "建成"),  # merged with 004 专栏12-2 综改示范区实验学校 ("建成…")
        "004-B10-1-001": ("unknown", None), "001-B1-06": ("unknown", None), "004-B7-3-012": ("unknown", None),
    }
    for code, (status, word) in expected.items():
        assert (projects[code]["status"], projects[code]["status_text"]) == (status, word), code
    counts = Counter(p["status"] for p in projects.values())
    assert 30 <= sum(n for s, n in counts.items() if s != "unknown") <= 45, counts
    for p in projects.values():
        assert p["status"] == status_for(p["status_text"])


def test_each_source_keeps_its_own_box() -> None:
    projects = _projects()
    school = projects["001-B1-17"]  # 001 专栏1 and 004 专栏12-2
    boxes = {s["document"][:3]: s["box"] for s in school["sources"]}
    assert boxes["001"] == school["box"] and boxes["004"].startswith("专栏12-2")
    highway = projects["001-B1-01"]  # 001 专栏1, 001 body l.395, 004 专栏7-4
    assert [s["box"] for s in highway["sources"]][1] is None
    assert highway["sources"][2]["box"].startswith("专栏7-4")
