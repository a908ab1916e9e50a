"""`kpr` end to end against real databases (SQLite and PostgreSQL)."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import update

from registry.cli import main
from registry.db import session_scope
from registry.models import Project
from tests.account_helpers import prepare
from tests.conftest import settings_for

SHAPE = {"code", "name", "aliases", "kind", "status", "total_investment", "investment_text", "capacity_text",
         "start_year", "end_year", "builder", "partners", "chains", "strategies", "district_code", "district",
         "zone", "lon", "lat", "precision", "locations", "sources"}


def run(url: str, *args: str) -> str:
    result = CliRunner().invoke(main, list(args), env={"KPR_DATABASE_URL": url}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_projects_json_has_the_documented_shape(seeded_url: str) -> None:
    projects = json.loads(run(seeded_url, "projects", "--format", "json"))["projects"]
    assert len(projects) >= 38
    for project in projects:
        assert SHAPE <= set(project), SHAPE - set(project)
        assert project["sources"], project["code"]
        assert project["total_investment"] is None or project["total_investment"] > 0
    airport = [p for p in projects if "太原机场改扩建" in p["name"] or any("太原机场改扩建" in a for a in p["aliases"])]
    assert airport and airport[0]["total_investment"] == 257


def test_filters_match_between_formats(seeded_url: str) -> None:
    rows = json.loads(run(seeded_url, "projects", "--strategy", "京津冀协同发展", "--format", "json"))["projects"]
    assert rows and all("京津冀协同发展" in r["strategies"] for r in rows)
    text = run(seeded_url, "projects", "--strategy", "jjj", "--format", "csv")
    assert len(list(csv.reader(io.StringIO(text)))) == len(rows) + 1
    table = run(seeded_url, "projects", "--strategy", "jjj")
    assert f"共 {len(rows)} 个项目" in table and "区域战略：京津冀协同发展" in table


def test_unknown_filter_value_is_a_clear_error(seeded_url: str) -> None:
    result = CliRunner().invoke(main, ["projects", "--district", "火星区"], env={"KPR_DATABASE_URL": seeded_url})
    assert result.exit_code != 0
    assert "火星区" in result.output and "expected" in result.output


@pytest.mark.slow
def test_seed_twice_changes_nothing(fresh_url: str) -> None:
    run(fresh_url, "db", "upgrade")
    first = run(fresh_url, "seed")
    assert "projects: 新增" in first
    again = run(fresh_url, "seed")
    assert "新增 0 · 更新 0" in again.split("projects:")[1]
    for line in again.splitlines():
        assert "新增 0 · 更新 0" in line, line
    assert "ok" in run(fresh_url, "db", "check")


@pytest.mark.parametrize("sub", ["current", "check"])
def test_db_commands_report_revision(seeded_url: str, sub: str) -> None:
    assert "head" in run(seeded_url, "db", sub) or "ok" in run(seeded_url, "db", sub)


def test_the_table_speaks_chinese_like_the_web(seeded_url: str) -> None:
    """`kpr projects` shows no stored code: status unknown reads 未注明, precision its Chinese words only."""
    table = run(seeded_url, "projects", "--status", "unknown")
    header, _rule, *rows = table.split("\n\n")[0].splitlines()
    assert rows and "区域战略（规划所列）" in header
    for row in rows:
        assert "未注明" in row and "unknown" not in row
        assert not any(word in row for word in ("district", "city-wide", "exact site", "zone extent", "unknown")), row
    assert "状态：未注明" in table


def test_geocode_all_reports_moves_in_words(fresh_url: str, tmp_path: Path) -> None:
    """`kpr geocode --all` says where a project moved as the list would: names and precision, not codes."""
    prepare(fresh_url, tmp_path)
    with session_scope(settings_for(fresh_url)) as session:
        session.execute(update(Project).where(Project.code == "T-1").values(district_code="140181", precision=3))
    out = run(fresh_url, "geocode", "--all")
    found = re.search(r"T-1 小店区氢能产业园：[^\n]*", out)  # the progress bar shares the captured output
    assert found, out
    moved = found.group(0)
    assert "古交市（区县） → 小店区（" in moved, moved
    assert "None" not in out and "140181" not in out and "'" not in moved
