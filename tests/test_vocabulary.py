"""One vocabulary, honest labels (issue 12): one chain tree, plan-stated vs location-derived memberships
labelled apart, no raw codes or English in the Chinese interface."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from registry.cli import main

ROOT = Path(__file__).resolve().parents[1]


def _yaml(name: str) -> Any:
    return yaml.safe_load((ROOT / "seeds" / name).read_text(encoding="utf-8"))


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
    rows = json.loads(run(seeded_url, "projects", "--chain", "信创", "--format", "json"))
    assert rows and all("信创产业链" in r["chains"] for r in rows)
    # Counted once: the list under the short name is the list under the node's code.
    by_code = json.loads(run(seeded_url, "projects", "--chain", "xinchuang_chain", "--format", "json"))
    assert [r["code"] for r in rows] == [r["code"] for r in by_code]
    table = run(seeded_url, "projects", "--chain", "信创")
    assert f"共 {len(rows)} 个项目" in table and "产业链：信创产业链" in table
