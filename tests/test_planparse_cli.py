"""`kpr ingest-plan` on all five seed documents, its JSON and xlsx outputs, and `kpr seeds build --check`."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from registry.cli.plan import ingest_plan, seeds

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = ROOT.parent / "shared" / "seeds"
ALL = sorted(DOCUMENTS.glob("*.txt")) if DOCUMENTS.exists() else []
pytestmark = pytest.mark.skipif(len(ALL) != 5, reason="../shared/seeds not present")


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name[:3])
def test_ingest_plan_runs_on_every_document(path: Path, tmp_path: Path) -> None:
    out = tmp_path / "c.json"
    result = CliRunner().invoke(ingest_plan, [str(path), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(rows, list)
    assert all(row["sources"][0]["document"] == path.name for row in rows)


def test_json_output_of_001(tmp_path: Path) -> None:
    out = tmp_path / "001.json"
    CliRunner().invoke(ingest_plan, [str(DOCUMENTS / "001_68a8e69ac921afbf.txt"), "-o", str(out)])
    rows = {row["code"]: row for row in json.loads(out.read_text(encoding="utf-8"))}
    highway = rows["001-B1-01"]
    assert highway["total_investment"] == "120"
    assert highway["investment_text"] == "总投资约120亿元"
    assert highway["district_stated"] == "140122"
    assert rows["001-B4-02"]["total_investment"] == "15.37"
    assert rows["001-B5-02"]["investment_text"] == "总投资初步测算约235亿元"


def test_xlsx_output_has_chinese_headers(tmp_path: Path) -> None:
    out = tmp_path / "004.xlsx"
    result = CliRunner().invoke(ingest_plan, [str(DOCUMENTS / "004_4fcffdc077ed2adc.txt"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out).active
    headers = [cell.value for cell in sheet[2]]
    assert headers[:2] == ["编号", "项目名称"] and "总投资(亿元)" in headers and "出处" in headers
    assert "004_4fcffdc077ed2adc.txt" in sheet["A1"].value
    assert sheet.max_row > 300


def test_bad_suffix_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(ingest_plan, [str(ALL[0]), "-o", str(tmp_path / "x.csv")])
    assert result.exit_code != 0


def test_seeds_build_check_passes_on_committed_seeds() -> None:
    result = CliRunner().invoke(seeds, ["build", "--check"])
    assert result.exit_code == 0, result.output


def test_seeds_build_check_fails_on_drift(tmp_path: Path) -> None:
    (tmp_path / "overrides.yaml").write_text((ROOT / "seeds" / "overrides.yaml").read_text("utf-8"), "utf-8")
    (tmp_path / "projects.yaml").write_text("# stale\n", encoding="utf-8")
    result = CliRunner().invoke(seeds, ["build", "--check", "--out", str(tmp_path)])
    assert result.exit_code != 0
