"""Open a spreadsheet safely and stream its rows: xlsx via openpyxl read-only, csv with encoding detection.

Every check that can refuse a file runs before any row is parsed, so a refused file never reaches the
database."""
from __future__ import annotations

import codecs
import csv
import html
import re
import sys
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl.cell.read_only import EMPTY_CELL

from registry.errors import FileTooLarge, ImportRefused, KprError
from registry.importer.counting import count_csv_records, count_sheet_rows
from registry.importer.limits import DEFAULT_LIMITS, Limits

MAGIC = {
    b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image", b"%PDF": "a PDF document",
    b"\xd0\xcf\x11\xe0": "an old Excel 97–2003 (.xls) or other OLE file", b"Rar!": "a RAR archive",
    b"\x1f\x8b": "a gzip archive", b"7z\xbc\xaf": "a 7-Zip archive", b"MZ": "a Windows program",
}
ENCODINGS = ("utf-8-sig", "gb18030")
SNIFF_BYTES = 1 << 20
CSV_EXTENSIONS = {".csv", ".txt", ".tsv"}
XLSX_EXTENSIONS = {".xlsx"}
MACRO_EXTENSIONS = {".xlsm", ".xltm", ".xlsb", ".xlam"}


@dataclass
class Table:
    """An open sheet: its header cells and a one-pass iterator of (spreadsheet row number, cells)."""

    kind: str  # xlsx | csv
    sheet: str | None
    headers: list[str]
    rows: Iterator[tuple[int, list[Any]]]
    total_hint: int | None  # data rows, when the file says (xlsx dimension); for the progress bar
    encoding: str | None = None


def _refuse_by_content(path: Path, head: bytes, size: int, limits: Limits) -> None:
    if size == 0 or not head.strip(b"\xef\xbb\xbf \r\n\t"):
        raise ImportRefused(f"文件是空的 ({path.name} is empty)")
    if size > limits.max_bytes:
        raise FileTooLarge(f"文件太大：{size / 1e6:.1f} MB，上限 {limits.max_bytes / 1e6:.0f} MB "
                           f"({path.name} is larger than the {limits.max_bytes} byte limit)")
    for magic, what in MAGIC.items():
        if head.startswith(magic):
            hint = "；请另存为 .xlsx" if "xls" in what else ""
            raise ImportRefused(f"{path.name} 不是 .xlsx 或 .csv 表格，而是 {what}{hint} "
                                f"(not a spreadsheet: looks like {what})")


@contextmanager
def open_table(path: str | Path, sheet: str | None = None, limits: Limits = DEFAULT_LIMITS) -> Iterator[Table]:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in MACRO_EXTENSIONS:
        raise ImportRefused(f"{path.name}：不接受含宏或二进制格式的工作簿（{suffix}）；请另存为 .xlsx "
                            f"(macro-enabled or binary workbooks are refused; save as .xlsx)")
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except OSError as exc:
        raise ImportRefused(f"无法读取 {path.name}：{exc.strerror} (cannot read file)") from None
    _refuse_by_content(path, head, size, limits)
    is_zip = head.startswith(b"PK\x03\x04")
    if suffix in XLSX_EXTENSIONS or (is_zip and suffix not in CSV_EXTENSIONS):
        if not is_zip:
            raise ImportRefused(f"{path.name} 不是有效的 .xlsx 文件（不是 zip 格式）(not a valid .xlsx: not a zip)")
        with _open_xlsx(path, sheet, limits) as table:
            yield table
        return
    if suffix in CSV_EXTENSIONS or suffix == "":
        if is_zip:
            raise ImportRefused(f"{path.name} 是 zip/xlsx 文件，但扩展名是 {suffix or '(无)'}；请改为 .xlsx")
        with _open_csv(path, head, size <= len(head), limits) as table:
            yield table
        return
    raise ImportRefused(f"不支持的文件类型 {suffix}：请上传 .xlsx 或 .csv (unsupported file type {suffix!r})")


# --- xlsx -------------------------------------------------------------------------------------------------

def check_zip(path: Path, limits: Limits) -> None:
    """Refuse macro workbooks and zip bombs by reading only the central directory."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename.lower() for i in infos}
            content_types = zf.read("[Content_Types].xml") if "[content_types].xml" in names else b""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, EOFError, ValueError) as exc:
        raise ImportRefused(f"{path.name} 已损坏或不是有效的 .xlsx ({type(exc).__name__}: {exc})") from None
    if "[content_types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise ImportRefused(f"{path.name} 是 zip 文件，但不是 Excel 工作簿 (a zip archive, not an xlsx workbook)")
    if any(n.endswith("vbaproject.bin") for n in names) or b"macroEnabled" in content_types:
        raise ImportRefused(f"{path.name} 含有宏（VBA），出于安全不予导入；请另存为不含宏的 .xlsx "
                            f"(workbook contains macros: refused)")
    total = sum(i.file_size for i in infos)
    if total > limits.max_uncompressed:
        raise FileTooLarge(f"{path.name} 解压后 {total / 1e6:.0f} MB，超过上限 {limits.max_uncompressed / 1e6:.0f} MB"
                           f"（可能是 zip 炸弹）(uncompressed size over the limit: possible zip bomb)")
    for info in infos:
        if info.compress_size and info.file_size / info.compress_size > limits.max_ratio and info.file_size > 1 << 20:
            raise FileTooLarge(f"{path.name} 中 {info.filename} 的压缩比异常（{info.file_size // info.compress_size}:1），"
                               f"疑似 zip 炸弹，拒绝导入 (suspicious compression ratio: possible zip bomb)")


@contextmanager
def _open_xlsx(path: Path, sheet: str | None, limits: Limits) -> Iterator[Table]:
    check_zip(path, limits)
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for broken parts; all mean "unreadable"
        raise ImportRefused(f"{path.name} 无法作为 Excel 工作簿打开：{type(exc).__name__}: {exc}") from None
    try:
        names = book.sheetnames
        if sheet is not None and sheet not in names:
            raise ImportRefused(f"找不到工作表 “{sheet}”；文件中有：{'、'.join(names)} (no sheet {sheet!r})")
        if not names:
            raise ImportRefused(f"{path.name} 中没有工作表 (the workbook has no worksheet)")
        _refuse_missing_sheets(path, book, sheet)
        name = sheet or ("项目" if "项目" in names else names[0])
        ws = book[name]
        with _broken_sheet(path, name):
            with ws._get_source() as source:  # the sheet's raw XML: rows are counted before any is parsed
                highest = count_sheet_rows(source, limits)
            # The dimension a file declares can lie (A1:XFD1048576): ignore it, read only the cells present.
            ws.reset_dimensions()
            header_cells = next(ws.iter_rows(max_row=1, max_col=limits.max_columns + 1), None)
        if header_cells is None or highest == 0:
            raise ImportRefused(f"工作表 “{name}” 是空的 (sheet {name!r} is empty)")
        headers = ["" if c.value is None else str(c.value) for c in header_cells]
        while headers and not headers[-1].strip():
            headers.pop()  # rows are read only as wide as the header: cells beyond it are never imported
        rows = ws.iter_rows(min_row=2, max_col=max(len(headers), 1))
        yield Table("xlsx", name, headers, _xlsx_rows(rows, path, name), max(highest - 1, 0))
    finally:
        book.close()


_SHEET_NAME = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?sheet\b[^>]*?\sname="([^"]*)"')


def _refuse_missing_sheets(path: Path, book: Any, sheet: str | None) -> None:
    """openpyxl silently drops a sheet whose part is missing from the zip; reading the next sheet instead
    would import the wrong table, so a workbook that lists sheets it does not contain is refused."""
    try:
        workbook_xml = book._archive.read("xl/workbook.xml")[: 1 << 20]
    except KeyError:  # a workbook part under another name: openpyxl found it through the rels
        return
    listed = [html.unescape(m.decode("utf-8", "replace")) for m in _SHEET_NAME.findall(workbook_xml)]
    missing = [n for n in listed if n not in book.sheetnames]
    if missing and (sheet is None or sheet in missing):
        raise ImportRefused(f"{path.name} 已损坏：工作簿列出的工作表 {'、'.join(missing)} 缺少数据 "
                            f"(the workbook lists sheets whose data is missing)")


@contextmanager
def _broken_sheet(path: Path, sheet: str) -> Iterator[None]:
    """Damage found while reading a sheet (bad CRC, corrupt deflate data, broken XML) refuses the file."""
    try:
        yield
    except KprError:
        raise
    except Exception as exc:  # noqa: BLE001 - zipfile, zlib, expat and openpyxl each raise their own types
        raise ImportRefused(f"{path.name} 的工作表 “{sheet}” 已损坏，无法读取：{type(exc).__name__}: {exc} "
                            f"(the worksheet is damaged)") from None


class FormulaCell(str):
    """The text of a formula cell: never evaluated, reported as a problem by the row parser."""


def _xlsx_rows(rows: Iterator[Any], path: Path, sheet: str) -> Iterator[tuple[int, list[Any]]]:
    number = 1
    with _broken_sheet(path, sheet):
        for number, cells in enumerate(rows, start=2):
            # A row with no cells at all (a gap before a far-down row) is skipped without looking at it.
            if all(c is EMPTY_CELL for c in cells):
                continue
            values = [FormulaCell(c.value) if getattr(c, "data_type", None) == "f" else c.value for c in cells]
            yield number, values


# --- csv --------------------------------------------------------------------------------------------------

def detect_encoding(head: bytes, complete: bool = False) -> str:
    """The encoding the first bytes decode in; `complete` when they are the whole file (then a multi-byte
    character cut at the end is an error, not the edge of the sample)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for encoding in ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            decoder.decode(head, final=complete)
            return encoding
        except UnicodeDecodeError:
            if complete and encoding == ENCODINGS[0] and _cut_at_end(head):
                raise ImportRefused("文件在一个字符的中间结束，可能不完整（被截断）；请重新导出或上传完整文件 "
                                    "(the file ends inside a UTF-8 character: truncated?)") from None
            continue
    raise ImportRefused("无法识别文件编码：既不是 UTF-8 也不是 GB18030/GBK；请在 Excel 中另存为“CSV UTF-8” "
                        "(cannot decode the file as UTF-8 or GB18030)")


def _cut_at_end(head: bytes) -> bool:
    try:
        codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
        return True
    except UnicodeDecodeError:
        return False


@contextmanager
def _open_csv(path: Path, head: bytes, complete: bool, limits: Limits) -> Iterator[Table]:
    encoding = detect_encoding(head, complete)
    csv.field_size_limit(min(sys.maxsize, limits.max_cell_chars * 4))
    with path.open("r", encoding=encoding, newline="", errors="strict") as fh:
        try:
            sample = fh.read(64 * 1024)
            try:
                dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;")
            except csv.Error:
                dialect = csv.excel
            fh.seek(0)
            records = count_csv_records(fh, dialect, limits)
            fh.seek(0)
        except UnicodeDecodeError as exc:
            raise ImportRefused(f"{path.name} 含有无法按 {encoding} 解码的字节（第 {exc.start} 字节附近）"
                                f"(cannot decode as {encoding}: {exc.reason})") from None
        except csv.Error as exc:
            raise ImportRefused(f"{path.name} 不是有效的 CSV：{exc} (malformed CSV)") from None
        reader = csv.reader(fh, dialect)
        rows = _csv_rows(reader, path, encoding)
        try:
            _, headers = next(rows)
        except StopIteration:
            raise ImportRefused(f"{path.name} 没有表头行 (no header row)") from None
        yield Table("csv", None, [str(h) for h in headers], rows, records, encoding)


def _csv_rows(reader: Any, path: Path, encoding: str) -> Iterator[tuple[int, list[Any]]]:
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, list(cells)
    except UnicodeDecodeError as exc:
        raise ImportRefused(f"{path.name} 第 {number + 1} 行附近有无法按 {encoding} 解码的字节 "
                            f"(broken {encoding} near line {number + 1}: {exc.reason})") from None
    except csv.Error as exc:
        raise ImportRefused(f"{path.name} 第 {number + 1} 行不是有效的 CSV：{exc} (malformed CSV)") from None
