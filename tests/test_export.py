"""Exports: xlsx sheets, formats and neutralised formulas; csv with BOM; geojson; gpkg; the web twins."""
from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session
from tqdm import tqdm

from registry.cli import main
from registry.cli.exchange import _counted
from registry.export import ExportContext, ExportError, build_context, export_rows
from registry.export.columns import PROJECT_COLUMNS
from registry.queries import ProjectFilter, iter_rows, resolve, totals
from tests.exchange_helpers import seed_toy, toy_rows

HEADERS = [c.header for c in PROJECT_COLUMNS]


@pytest.fixture
def toy(db_session: Session) -> Session:
    seed_toy(db_session)
    return db_session


def _export(session: Session, path: Path) -> int:
    rf = resolve(session, ProjectFilter())
    return export_rows(iter_rows(session, rf), path, context=build_context(session, rf))


def test_xlsx_has_three_sheets_headers_formats_and_frozen_header(toy: Session, tmp_path: Path) -> None:
    path = tmp_path / "p.xlsx"
    assert _export(toy, path) == 4
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["项目", "位置", "口径说明", "打印", "调度"]
    ws = book["项目"]
    assert [c.value for c in ws[1]] == HEADERS and "总投资（亿元）" in HEADERS
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    amount = ws.cell(row=3, column=HEADERS.index("总投资（亿元）") + 1)
    assert amount.value == pytest.approx(15.37) and amount.number_format == "#,##0.00##"
    assert ws.column_dimensions["B"].width > 30
    chains = ws.cell(row=3, column=HEADERS.index("产业链") + 1).value
    assert chains == "信创产业链"
    locations = book["位置"]
    assert locations.max_row == 5 and locations["H1"].value == "经度（WGS-84）"


def test_formula_like_text_is_stored_as_text(toy: Session, tmp_path: Path) -> None:
    path = tmp_path / "p.xlsx"
    _export(toy, path)
    ws = openpyxl.load_workbook(path)["项目"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "T-3")
    by_header = dict(zip(HEADERS, row))
    for header, expected in (("项目名称", '=HYPERLINK("http://evil","x")'), ("建设单位", "+1"),
                             ("项目简介", "@SUM(A1)"), ("合作地区/投资方", "-2、北京")):
        cell = by_header[header]
        assert cell.data_type == "s" and cell.value == expected
        assert cell.quotePrefix, header  # Excel keeps it text even when the cell is edited


def test_notes_sheet_gives_filter_version_totals_and_legend(toy: Session, tmp_path: Path) -> None:
    rf = resolve(toy, ProjectFilter(districts=("小店区",)))
    path = tmp_path / "p.xlsx"
    export_rows(iter_rows(toy, rf), path, context=build_context(toy, rf))
    notes = {r[0]: r[1] for r in openpyxl.load_workbook(path)["口径说明"].iter_rows(values_only=True) if r[0]}
    sums = totals(toy, rf)
    assert notes["筛选条件"] == "区县：小店区"
    assert notes["项目数（与网页一致）"] == sums.count == notes["本表行数"] == 2
    assert Decimal(str(notes["总投资合计（亿元）"])) == sums.investment_sum == Decimal("15.37")
    assert notes["未列投资额的项目数"] == 1 and notes["数据版本"] == "n/a"
    assert "1" in notes and "精确位置" in notes["1"] and "8" in notes
    assert "总投资（亿元）" in notes


def test_csv_has_bom_and_neutralised_cells(toy: Session, tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    _export(toy, path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == HEADERS
    evil = dict(zip(HEADERS, next(r for r in rows if r[0] == "T-3")))
    assert evil["项目名称"].startswith("'=") and evil["建设单位"] == "'+1"
    assert evil["建设规模及内容"] == "''=quoted already"  # one more quote, so import strips exactly one


def test_geojson_has_points_in_wgs84_and_null_geometry(toy: Session, tmp_path: Path) -> None:
    path = tmp_path / "p.geojson"
    _export(toy, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    features = {f["id"]: f for f in data["features"]}
    assert data["type"] == "FeatureCollection" and len(features) == 4
    assert features["T-4"]["geometry"] == {"type": "Point", "coordinates": [112.55, 37.87]}
    assert features["T-1"]["geometry"] is None and features["T-1"]["properties"]["total_investment"] == 120


def test_gpkg_layer_reads_back(toy: Session, tmp_path: Path) -> None:
    pyogrio = pytest.importorskip("pyogrio")
    path = tmp_path / "p.gpkg"
    assert _export(toy, path) == 4
    frame = pyogrio.read_dataframe(path, layer="projects")
    assert sorted(frame["code"]) == ["T-1", "T-2", "T-3", "T-4"]
    assert frame.crs.to_epsg() == 4326 and frame.geometry.notna().sum() == 1


def test_too_long_cell_is_refused_not_truncated(toy: Session, tmp_path: Path) -> None:
    row = toy_rows(toy)[0]
    long = row.__class__(**{**row.__dict__, "description": "长" * 40_000})
    with pytest.raises(ExportError) as err:
        export_rows([long], tmp_path / "long.xlsx", context=ExportContext())
    assert row.code in err.value.message and "项目简介" in err.value.message
    assert export_rows([long], tmp_path / "long.csv", context=ExportContext()) == 1  # CSV has no cell limit


def test_unknown_extension_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="xlsx"):
        export_rows([], tmp_path / "p.docx")


def test_an_export_over_the_row_limit_says_so_instead_of_cutting_silently(toy: Session, tmp_path: Path) -> None:
    rf = resolve(toy, ProjectFilter())
    context = build_context(toy, rf, row_limit=2)
    assert export_rows(iter_rows(toy, rf), tmp_path / "p.xlsx", context=context) == 2
    book = openpyxl.load_workbook(tmp_path / "p.xlsx")
    assert book["项目"].max_row == 3
    notes = {r[0]: r[1] for r in book["口径说明"].iter_rows(values_only=True) if r[0]}
    assert "4 个项目" in notes["导出上限"] and "前 2 个" in notes["导出上限"] and notes["本表行数"] == 2
    assert export_rows(iter_rows(toy, rf), tmp_path / "p.geojson", context=context) == 2
    meta = json.loads((tmp_path / "p.geojson").read_text(encoding="utf-8"))["kpr"]
    assert meta["truncated"] is True and meta["matched"] == 4 and meta["row_limit"] == 2
    within = build_context(toy, rf, row_limit=4)
    assert export_rows(iter_rows(toy, rf), tmp_path / "q.xlsx", context=within) == 4
    notes = {r[0] for r in openpyxl.load_workbook(tmp_path / "q.xlsx")["口径说明"].iter_rows(values_only=True)}
    assert "导出上限" not in notes and within.limit_note() is None


def test_progress_bar_passes_rows_through_unchanged() -> None:
    # tqdm.update() returns True once the bar is drawn: the rows must still be the rows (issue 16 crash).
    rows = [object() for _ in range(50)]
    with tqdm(total=len(rows), file=io.StringIO(), mininterval=0, miniters=1) as bar:
        assert list(_counted(rows, bar)) == rows
    assert bar.n == len(rows)


def test_cli_export_max_rows_is_said_in_the_notes(seeded_url: str, tmp_path: Path) -> None:
    out = tmp_path / "cut.xlsx"
    result = CliRunner().invoke(main, ["export", "-o", str(out), "--max-rows", "5"],
                                env={"KPR_DATABASE_URL": seeded_url})
    assert result.exit_code == 0, result.output
    assert "已导出 5 个项目" in result.output and "超过导出上限" in result.output
    notes = {r[0]: r[1] for r in openpyxl.load_workbook(out)["口径说明"].iter_rows(values_only=True) if r[0]}
    assert "前 5 个" in notes["导出上限"] and notes["本表行数"] == 5
