"""`kpr ingest-plan` (plan text → candidate projects for review or the registry) and `kpr seeds build`."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from registry.planparse import parse_plan
from registry.planparse.seeds import check_seeds, default_documents_dir, repo_root, write_seeds

# Spreadsheet columns: (key in the candidate dict, Chinese header).
COLUMNS: list[tuple[str, str]] = [
    ("code", "编号"), ("name", "项目名称"), ("aliases", "别名"), ("kind", "类别"), ("status", "状态"),
    ("construction_type", "建设性质"), ("total_investment", "总投资(亿元)"), ("investment_text", "投资原文"),
    ("capacity_text", "建设规模"), ("start_year", "开工年份"), ("end_year", "竣工年份"), ("builder", "建设单位"),
    ("partners", "合作方"), ("chains", "产业链"), ("strategies", "区域战略"), ("place_text", "地点原文"),
    ("district_stated", "区县代码"), ("zone_stated", "开发区"), ("outside_taiyuan", "太原市外"),
    ("specificity", "具体程度"), ("box", "专栏"), ("group", "分组"), ("description", "说明"),
    ("sources", "出处"),
]


def _cell(value: Any) -> Any:
    """Lists become '；'-joined text; sources become 'document:line'; booleans become 是/否."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        parts = [f"{v['document']}:{v['line']}" if isinstance(v, dict) else str(v) for v in value]
        return "；".join(parts)
    return value


def write_xlsx(rows: list[dict[str, Any]], target: Path, note: str) -> None:
    """One sheet of candidates with Chinese headers; investments stay text so digits stay exact."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(target))
    sheet = book.add_worksheet("候选项目")
    bold = book.add_format({"bold": True})
    sheet.write(0, 0, note)
    for col, (_, header) in enumerate(COLUMNS):
        sheet.write(1, col, header, bold)
    for r, row in enumerate(rows, start=2):
        for col, (key, _) in enumerate(COLUMNS):
            value = _cell(row.get(key))
            if value is None:
                continue
            sheet.write_string(r, col, value) if isinstance(value, str) else sheet.write(r, col, value)
    sheet.freeze_panes(2, 2)
    book.close()


@click.command("ingest-plan")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write candidates to OUT.xlsx (spreadsheet) or OUT.json; default: JSON on stdout.")
@click.option("--apply", "apply_", is_flag=True, help="Upsert the candidates into the registry by code.")
def ingest_plan(path: Path, output: Path | None, apply_: bool) -> None:
    """Read a plan text file (PDF-extracted) and list its candidate projects."""
    rows = [c.to_dict() for c in parse_plan(path)]
    note = f"来源: {path.name}; 候选项目 {len(rows)} 个 (kpr ingest-plan)"
    if output is None:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif output.suffix.lower() == ".xlsx":
        write_xlsx(rows, output, note)
    elif output.suffix.lower() == ".json":
        output.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    else:
        raise click.BadParameter("output must end in .xlsx or .json", param_hint="-o")
    click.echo(note, err=True)
    if apply_:
        # Imported here: the registry layer is optional for reviewing a plan.
        from registry.config import Settings
        from registry.db import session_scope
        from registry.placement import default_placer
        from registry.upsert import apply_project_dicts

        settings = Settings.from_env()
        with session_scope(settings) as session:
            report = apply_project_dicts(session, rows, placer=default_placer(session, settings))
        click.echo(f"applied: {report.summary()}", err=True)


@click.group("seeds")
def seeds() -> None:
    """Curated seed files (seeds/) built from the plan texts."""


@seeds.command("build")
@click.option("--check", is_flag=True, help="Exit non-zero if the committed seeds differ from a fresh build.")
@click.option("--documents", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of plan texts (default ../shared/seeds).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Seed folder (default seeds/ of this repository).")
def build(check: bool, documents: Path | None, out_dir: Path | None) -> None:
    """Regenerate seeds/ from the plan texts via the parser and seeds/overrides.yaml."""
    out_dir = out_dir or repo_root() / "seeds"
    documents = documents or default_documents_dir()
    if check:
        differ = check_seeds(out_dir, documents)
        if differ:
            raise click.ClickException(f"seeds out of date: {', '.join(differ)} (run `kpr seeds build`)")
        click.echo("seeds up to date")
        return
    for target in write_seeds(out_dir, documents):
        click.echo(f"wrote {target}")
