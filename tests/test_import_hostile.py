"""Hostile and broken files get a clear ImportRefused (never a crash) and change nothing."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session

from registry.cli import main
from registry.errors import FileTooLarge, ImportRefused
from registry.importer.counting import count_sheet_rows
from registry.importer.limits import Limits
from registry.importer.precheck import check_upload, check_upload_size
from registry.importer.run import import_file
from registry.upsert import stated_placement
from tests.exchange_helpers import count_projects, seed_toy, versions, write_csv, write_xlsx

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def toy(db_session: Session) -> Session:
    seed_toy(db_session)
    return db_session


def _refused(session: Session, path: Path, match: str, **kwargs: object) -> None:
    before, vers = count_projects(session), versions(session)
    with pytest.raises(ImportRefused, match=match):
        import_file(session, path, placer=stated_placement, **kwargs)  # type: ignore[arg-type]
    assert count_projects(session) == before and versions(session) == vers


def _bomb(path: Path, size: int) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"<" + b"a" * size)
    return path


def test_png_renamed_xlsx(toy: Session, tmp_path: Path) -> None:
    path = tmp_path / "photo.xlsx"
    path.write_bytes(PNG)
    _refused(toy, path, "PNG")


def test_empty_files(toy: Session, tmp_path: Path) -> None:
    for name in ("empty.xlsx", "empty.csv"):
        (tmp_path / name).write_bytes(b"")
        _refused(toy, tmp_path / name, "空")
    (tmp_path / "bom.csv").write_bytes(b"\xef\xbb\xbf\r\n")
    _refused(toy, tmp_path / "bom.csv", "空")


def test_header_without_name_column(toy: Session, tmp_path: Path) -> None:
    _refused(toy, write_csv(tmp_path / "h.csv", [["foo", "bar"], ["1", "2"]]), "项目名称")


def test_huge_file_over_the_size_limit(toy: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "big.csv", [["项目名称"]] + [[f"项目{i}"] for i in range(5000)])
    with pytest.raises(FileTooLarge):
        import_file(toy, path, placer=stated_placement, limits=Limits(max_bytes=10_000))


def test_too_many_rows(toy: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "rows.csv", [["项目名称"]] + [[f"项目{i}"] for i in range(2500)])
    _refused(toy, path, "行", limits=Limits(max_rows=2000))


def test_zip_bomb_is_refused_before_opening(toy: Session, tmp_path: Path) -> None:
    _refused(toy, _bomb(tmp_path / "bomb.xlsx", 30 * 1024 * 1024), "zip")
    _refused(toy, _bomb(tmp_path / "bomb2.xlsx", 3 * 1024 * 1024), "zip",
             limits=Limits(max_uncompressed=1024 * 1024, max_ratio=10**9))


def test_macro_workbooks_are_refused(toy: Session, tmp_path: Path) -> None:
    xlsm = tmp_path / "m.xlsm"
    write_xlsx(tmp_path / "plain.xlsx", [["项目名称"], ["甲"]]).rename(xlsm)
    _refused(toy, xlsm, "宏")
    disguised = tmp_path / "disguised.xlsx"
    with zipfile.ZipFile(tmp_path / "plain2.xlsx", "w") as src:
        src.writestr("[Content_Types].xml", "<Types/>")
    with zipfile.ZipFile(disguised, "w") as zf:
        zf.writestr("[Content_Types].xml", '<Types><Override ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>')
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/vbaProject.bin", b"\x00" * 10)
    _refused(toy, disguised, "宏")


def test_zip_that_is_not_a_workbook_and_corrupt_xlsx(toy: Session, tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "z.xlsx", "w") as zf:
        zf.writestr("hello.txt", "hi")
    _refused(toy, tmp_path / "z.xlsx", "Excel")
    good = write_xlsx(tmp_path / "good.xlsx", [["项目名称"], ["甲"]]).read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(good[: len(good) // 2])
    _refused(toy, tmp_path / "cut.xlsx", "损坏|无法")


def test_broken_encoding(toy: Session, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes("项目名称\n".encode() + b"\xff\xfe\xff\x80\x80\n")
    _refused(toy, path, "编码|decode")


def test_broken_encoding_after_the_sniffed_start(toy: Session, tmp_path: Path) -> None:
    path = tmp_path / "late.csv"
    path.write_bytes(("项目名称\n" + "甲项目\n" * 120_000).encode() + b"\xff\xff\n")
    _refused(toy, path, "解码|decode")


def test_gbk_csv_is_read(toy: Session, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "gbk.csv", [["项目名称", "区县"], ["国标编码项目", "小店区"]], encoding="gbk")
    report = import_file(toy, path, placer=stated_placement)
    assert report.applied and report.encoding == "gb18030" and len(report.created) == 1


def test_nul_bytes_and_unknown_types(toy: Session, tmp_path: Path) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes("项目名称\n甲\x00乙\n".encode())
    report = import_file(toy, path, placer=stated_placement)
    assert not report.applied and "NUL" in report.problems[0].message
    (tmp_path / "a.docx").write_bytes(b"hello")
    _refused(toy, tmp_path / "a.docx", "docx")
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    _refused(toy, tmp_path / "old.xls", "xls")


def test_row_limit_is_checked_up_front_for_xlsx_and_csv(tmp_path: Path) -> None:
    rows = [["项目名称"]] + [[f"项目{i}"] for i in range(3000)]
    for path in (write_xlsx(tmp_path / "r.xlsx", rows), write_csv(tmp_path / "r.csv", rows)):
        assert check_upload(path).rows == 3000
        with pytest.raises(FileTooLarge, match="2000"):
            check_upload(path, Limits(max_rows=2000))


def test_row_count_reads_row_numbers_across_chunk_boundaries() -> None:
    # Rows long enough that many <row> tags straddle a chunk edge; one far-down row by its r="…" number.
    body = "".join(f'<row r="{i}" spans="1:2"><c r="A{i}" t="inlineStr"><is><t>{"x" * (i % 97)}</t></is></c></row>'
                   for i in range(1, 4001))
    xml = f'<worksheet><sheetData>{body}<x:row r="70000"/></sheetData></worksheet>'.encode()
    assert count_sheet_rows(io.BytesIO(xml), Limits()) == 70000
    assert count_sheet_rows(io.BytesIO(xml.replace(b'<x:row r="70000"/>', b"")), Limits()) == 4000
    assert count_sheet_rows(io.BytesIO(re.sub(rb' r="\d+"', b"", xml)), Limits()) == 4001  # numbered in order
    with pytest.raises(FileTooLarge):
        count_sheet_rows(io.BytesIO(xml), Limits(max_rows=3000))


def test_declared_upload_size_is_refused_before_reading() -> None:
    check_upload_size(None)
    check_upload_size(10, Limits(max_bytes=10))
    with pytest.raises(FileTooLarge, match="MB"):
        check_upload_size(11, Limits(max_bytes=10))


def test_cli_refuses_too_many_rows_before_any_work(migrated_url: str, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "rows.csv", [["项目名称"]] + [[f"项目{i}"] for i in range(30)])
    result = CliRunner().invoke(main, ["import", "--max-rows", "20", str(path)], env={"KPR_DATABASE_URL": migrated_url})
    assert result.exit_code == 1 and "超过 20 行的上限" in result.output and result.exception is not None
    assert isinstance(result.exception, SystemExit)
