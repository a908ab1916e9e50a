"""A generator of hostile and broken import files, built from a real export so every layer gets exercised:
truncated and bit-flipped files, zips with bad CRCs or corrupt compression, xlsx whose XML is broken or whose
dimension claims a million rows, random bytes named .csv, wrong encodings, empty files."""
from __future__ import annotations

import io
import random
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

SEED = 20261201


@dataclass(frozen=True)
class Hostile:
    name: str
    data: bytes
    must_refuse: bool  # False: damage that may leave a readable file (a flipped letter in a csv cell)


def _rewrite_zip(data: bytes, path: Path, change: Callable[[str, bytes], bytes | None]) -> bytes:
    """Copy a zip member by member, letting `change` replace (or drop, with None) each member's bytes."""
    src_path = path.with_suffix(".src.zip")
    src_path.write_bytes(data)
    out = path.with_suffix(".out.zip")
    with zipfile.ZipFile(src_path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = change(info.filename, src.read(info.filename))
            if body is not None:
                dst.writestr(info.filename, body)
    result = out.read_bytes()
    src_path.unlink()
    out.unlink()
    return result


def _local_data_offset(data: bytes, member: str) -> tuple[int, int]:
    """Where a member's compressed bytes start in the file, and how many there are."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        info = zf.getinfo(member)
    header = info.header_offset
    name_len = int.from_bytes(data[header + 26:header + 28], "little")
    extra_len = int.from_bytes(data[header + 28:header + 30], "little")
    return header + 30 + name_len + extra_len, info.compress_size


def _sheet(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return next(n for n in zf.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml"))


def _stored_with_bad_crc(data: bytes, tmp: Path) -> bytes:
    """The sheet stored uncompressed, then one byte of it changed: the zip's CRC no longer matches."""
    sheet = _sheet(data)
    src = tmp / "crc.src.zip"
    src.write_bytes(data)
    out = tmp / "crc.out.zip"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            kind = zipfile.ZIP_STORED if info.filename == sheet else zipfile.ZIP_DEFLATED
            zout.writestr(info.filename, zin.read(info.filename), compress_type=kind)
    body = bytearray(out.read_bytes())
    start, size = _local_data_offset(bytes(body), sheet)
    body[start + size // 2] ^= 0x20
    return bytes(body)


def _corrupt_deflate(data: bytes, at: float) -> bytes:
    """Flip bytes inside the sheet's deflate stream: zlib errors or garbage XML when read."""
    sheet = _sheet(data)
    start, size = _local_data_offset(data, sheet)
    body = bytearray(data)
    for i in range(8):
        body[start + int(size * at) + i] ^= 0xFF
    return bytes(body)


def _xlsx_cases(good: bytes, tmp: Path) -> Iterator[tuple[str, bytes]]:
    """(name, bytes) pairs, each a damaged variant of the good workbook."""
    rng = random.Random(SEED)
    for fraction in (0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99):
        yield f"truncated-{fraction}.xlsx", good[: int(len(good) * fraction)]
    for i in range(24):
        body = bytearray(good)
        for _ in range(1 + i % 4):
            body[rng.randrange(len(body))] = rng.randrange(256)
        yield f"flipped-{i}.xlsx", bytes(body)
    yield "bad-crc.xlsx", _stored_with_bad_crc(good, tmp)
    for at in (0.05, 0.5, 0.9):
        yield f"corrupt-deflate-{at}.xlsx", _corrupt_deflate(good, at)
    sheet = _sheet(good)

    def broken_xml(cut: float) -> Callable[[str, bytes], bytes | None]:
        return lambda name, body: body[: int(len(body) * cut)] if name == sheet else body

    for cut in (0.0, 0.3, 0.8):
        yield f"sheet-xml-cut-{cut}.xlsx", _rewrite_zip(good, tmp / "x.xlsx", broken_xml(cut))
    yield "sheet-not-xml.xlsx", _rewrite_zip(good, tmp / "x.xlsx",
                                            lambda n, b: b"\x00\xffnot xml at all" if n == sheet else b)
    yield "sheet-entity-bomb.xlsx", _rewrite_zip(good, tmp / "x.xlsx", lambda n, b: _LAUGHS if n == sheet else b)
    yield "no-sheet.xlsx", _rewrite_zip(good, tmp / "x.xlsx", lambda n, b: None if n == sheet else b)
    yield "no-workbook.xlsx", _rewrite_zip(good, tmp / "x.xlsx", lambda n, b: None if n == "xl/workbook.xml" else b)
    yield "workbook-garbage.xlsx", _rewrite_zip(good, tmp / "x.xlsx",
                                               lambda n, b: b"<workbook" if n == "xl/workbook.xml" else b)
    yield "shared-strings-garbage.xlsx", _rewrite_zip(
        good, tmp / "x.xlsx", lambda n, b: b"<sst><si><t>" if n == "xl/sharedStrings.xml" else b)
    yield "styles-garbage.xlsx", _rewrite_zip(good, tmp / "x.xlsx",
                                             lambda n, b: b"\x01\x02" if n == "xl/styles.xml" else b)
    yield "huge-dimension.xlsx", _rewrite_zip(good, tmp / "x.xlsx", lambda n, b: _huge_dimension(b)
                                              if n == sheet else b)
    yield "cell-at-xfd1048576.xlsx", _rewrite_zip(good, tmp / "x.xlsx", lambda n, b: _far_cell(b)
                                                  if n == sheet else b)


_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
           + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                      for i in range(1, 10))
           + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
           + b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')


def _huge_dimension(body: bytes) -> bytes:
    return re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', body, count=1)


def _far_cell(body: bytes) -> bytes:
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    return _huge_dimension(body.replace(b"</sheetData>", far, 1))


def _csv_cases(good: bytes) -> Iterator[tuple[str, bytes]]:
    rng = random.Random(SEED + 1)
    for size in (1, 2, 3, 7, 16, 64, 512, 4096):
        yield f"random-{size}.csv", bytes(rng.randrange(256) for _ in range(size))
    for i, junk in enumerate((b"\x00", b"\xff", b"\xfe\xff", b"\xff\xfe", b'"', b'"""', b"\r", b",,,\n,,,",
                              b"\x1a", b"\xef\xbb\xbf\x00", b"a\x00b\n", b'"\n' * 50, b"\\", b"\x80\x81\x82")):
        yield f"tiny-{i}.csv", junk
    text = good.decode("utf-8-sig")
    yield "utf16-no-bom.csv", text.encode("utf-16-le")
    yield "utf32.csv", text.encode("utf-32")
    yield "latin1-mojibake.csv", text.encode("utf-8").decode("latin-1").encode("cp1252", errors="replace")
    yield "big5.csv", text.encode("big5", errors="replace")
    yield "empty.csv", b""
    yield "bom-only.csv", b"\xef\xbb\xbf"
    yield "whitespace.csv", b" \r\n\t\n"
    for fraction in (0.1, 0.5, 0.97):
        yield f"truncated-{fraction}.csv", good[: int(len(good) * fraction)]
    for i in range(12):
        body = bytearray(good)
        for _ in range(1 + i % 5):
            body[rng.randrange(len(body))] = rng.randrange(256)
        yield f"flipped-{i}.csv", bytes(body)
    yield "unclosed-quote.csv", good + b'"unclosed,' + b"x" * 1000
    yield "zip-named-csv.csv", b"PK\x03\x04" + b"\x00" * 100
    yield "random-named.xlsx", bytes(rng.randrange(256) for _ in range(300))
    yield "zip-header-only.xlsx", b"PK\x03\x04"
    yield "empty.xlsx", b""


# Damage that can leave a file readable: a random flip may hit a csv cell's text or an unused zip field, a cut
# csv may end on a line boundary, a lying dimension is ignored, a broken sharedStrings part may still parse.
MAY_READ = re.compile(r"^(flipped-\d+\.(csv|xlsx)|truncated-[\d.]+\.csv|unclosed-quote\.csv|huge-dimension\.xlsx"
                      r"|shared-strings-garbage\.xlsx)$")


def hostile_files(good_xlsx: bytes, good_csv: bytes, tmp: Path) -> list[Hostile]:
    """Every hostile variant of one good xlsx and one good csv export."""
    cases = [*_xlsx_cases(good_xlsx, tmp), *_csv_cases(good_csv)]
    return [Hostile(name, data, not MAY_READ.match(name)) for name, data in cases]
