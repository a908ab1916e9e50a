"""Raw project dict (seed file, plan parser, spreadsheet row) → ProjectInput, or every problem in it."""
from __future__ import annotations

import unicodedata
from decimal import Decimal
from functools import cache
from typing import Any

from registry.crs import normalize_crs
from registry.errors import Problem
from registry.fields import CONSTRUCTION_TYPES, STATUSES, inputs_of_kind
from registry.money import parse_yi
from registry.records import ProjectInput, SourceInput

# Inputs checked by hand below; every other input is read by its kind in the field table (registry/fields.py).
_BY_HAND = frozenset({"code", "name", "status", "construction_type", "sources", "parent_code", "lon", "lat", "crs"})
# A code is part of the project's web address (/projects/<code>): these would break or redirect it.
_CODE_FORBIDDEN = {"/": "a slash '/'", "\\": "a backslash '\\'", "?": "a question mark '?'", "#": "a hash '#'"}
CODE_EXPECTED = "letters, digits and - _ . such as 2023-B1-001 (no / \\ ? #, spaces or control characters)"


def normalize_code(value: object) -> str:
    """One spelling per project code: full-width folded to half-width (NFKC), upper case, outer spaces
    dropped, so `ab-1` and `ＡＢ-1` are the same project. ValueError (with the reason) for a code that
    could not be a web address: / \\ ? #, whitespace inside, control or invisible format characters."""
    code = unicodedata.normalize("NFKC", str(value)).strip().upper()
    if not code:
        raise ValueError("missing")
    for char in code:
        if char in _CODE_FORBIDDEN:
            raise ValueError(f"contains {_CODE_FORBIDDEN[char]}")
        if char.isspace():
            raise ValueError("contains whitespace")
        if unicodedata.category(char) in ("Cc", "Cf", "Co", "Cs", "Cn"):
            raise ValueError(f"contains an invisible or control character (U+{ord(char):04X})")
    return code


def _text(raw: dict[str, Any], key: str) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _year(raw: dict[str, Any], key: str, row: int | None, problems: list[Problem]) -> int | None:
    value = raw.get(key)
    if value in (None, ""):
        return None
    try:
        year = int(str(value).strip())
    except ValueError:
        problems.append(Problem(row, key, value, "not a year", "a four-digit year such as 2023"))
        return None
    if not 1949 <= year <= 2100:
        problems.append(Problem(row, key, value, "year out of range", "a year between 1949 and 2100"))
        return None
    return year


def str_list(raw: dict[str, Any], key: str, row: int | None, problems: list[Problem]) -> tuple[str, ...]:
    value = raw.get(key)
    if value in (None, ""):
        return ()
    if isinstance(value, str):
        # Spreadsheet cells hold lists as text separated by Chinese or ASCII separators.
        parts = value.replace("；", ";").replace("、", ";").replace("，", ";").replace(",", ";").split(";")
        return tuple(p.strip() for p in parts if p.strip())
    if isinstance(value, (list, tuple)):
        return tuple(str(v).strip() for v in value if str(v).strip())
    problems.append(Problem(row, key, value, "not a list", "a list of names"))
    return ()


def _sources(raw: dict[str, Any], row: int | None, problems: list[Problem]) -> tuple[SourceInput, ...]:
    out: list[SourceInput] = []
    for i, src in enumerate(raw.get("sources") or []):
        if not isinstance(src, dict) or not src.get("document"):
            problems.append(Problem(row, f"sources[{i}]", src, "source without a document", "{document, line}"))
            continue
        line = src.get("line")
        out.append(
            SourceInput(
                document=str(src["document"]),
                line=int(line) if line not in (None, "") else None,
                # A source states its own box, even "none" (body text); only a source silent on it takes the item's.
                box=src["box"] if "box" in src else raw.get("box"),
                excerpt=src.get("excerpt"),
            )
        )
    return tuple(out)


def _coords(raw: dict[str, Any], row: int | None,
            problems: list[Problem]) -> tuple[float | None, float | None, str | None]:
    """lon/lat as given, in the stated system (default WGS-84); both or neither, within range."""
    lon_raw, lat_raw = raw.get("lon"), raw.get("lat")
    if lon_raw in (None, "") and lat_raw in (None, ""):
        return None, None, None
    if lon_raw in (None, "") or lat_raw in (None, ""):
        missing = "lon" if lon_raw in (None, "") else "lat"
        problems.append(Problem(row, missing, None, "only one coordinate given", "both longitude and latitude"))
        return None, None, None
    try:
        crs = normalize_crs(_text(raw, "crs") or "wgs84")
    except ValueError as exc:
        problems.append(Problem(row, "crs", raw.get("crs"), str(exc), "wgs84 / gcj02 / bd09"))
        return None, None, None
    values: list[float] = []
    for key, low, high in (("lon", -180.0, 180.0), ("lat", -90.0, 90.0)):
        try:
            value = float(str(raw[key]).strip())
        except ValueError:
            problems.append(Problem(row, key, raw[key], "not a number", f"decimal degrees {low:g}…{high:g}"))
            continue
        if not low <= value <= high:  # also rejects nan
            problems.append(Problem(row, key, raw[key], "out of range", f"decimal degrees {low:g}…{high:g}"))
            continue
        values.append(value)
    if len(values) < 2:
        return None, None, None
    return values[0], values[1], crs


def _parent(raw: dict[str, Any], row: int | None, problems: list[Problem]) -> str | None:
    value = _text(raw, "parent_code")
    if value is None:
        return None
    try:
        return normalize_code(value)
    except ValueError as exc:
        problems.append(Problem(row, "parent_code", value, str(exc), CODE_EXPECTED))
        return None


@cache  # the field table is fixed: worked out once per kind, not per row (it was a tenth of validation)
def _generic(kind: str) -> tuple[str, ...]:
    return tuple(key for key in inputs_of_kind(kind) if key not in _BY_HAND)


def _money(raw: dict[str, Any], key: str, row: int | None, problems: list[Problem]) -> Decimal | None:
    if raw.get(key) in (None, ""):
        return None
    try:
        return parse_yi(raw[key])
    except ValueError as exc:
        problems.append(Problem(row, key, raw[key], str(exc), "亿元 ≥ 0"))
        return None


def _bool(raw: dict[str, Any], key: str, row: int | None, problems: list[Problem]) -> bool | None:
    value = raw.get(key)
    if value is not None and not isinstance(value, bool):
        problems.append(Problem(row, key, value, "not a yes/no value", "true or false"))
        return None
    return value


def validate_project(raw: dict[str, Any], row: int | None = None) -> tuple[ProjectInput | None, list[Problem]]:
    """Every problem in one raw project, with row, field, value and what was expected."""
    problems: list[Problem] = []
    code, name = _text(raw, "code"), _text(raw, "name")
    if not code:
        problems.append(Problem(row, "code", raw.get("code"), "missing", "a stable project code"))
    else:
        try:
            code = normalize_code(code)
        except ValueError as exc:
            problems.append(Problem(row, "code", raw.get("code"), str(exc), CODE_EXPECTED))
            code = None
    if not name:
        problems.append(Problem(row, "name", raw.get("name"), "missing", "the project name"))
    status = _text(raw, "status") or "unknown"
    if status not in STATUSES:
        problems.append(Problem(row, "status", status, "unknown status", " / ".join(STATUSES)))
    ctype = _text(raw, "construction_type")
    if ctype is not None and ctype not in CONSTRUCTION_TYPES:
        problems.append(Problem(row, "construction_type", ctype, "unknown type", " / ".join(CONSTRUCTION_TYPES)))
    values: dict[str, Any] = {key: _money(raw, key, row, problems) for key in _generic("money")}
    low, high = values.get("investment_low"), values.get("investment_high")
    if low is not None and high is not None and high < low:
        problems.append(Problem(row, "investment_high", raw["investment_high"], "below the low bound", f"≥ {low}"))
    values |= {key: _year(raw, key, row, problems) for key in _generic("year")}
    start, end = values.get("start_year"), values.get("end_year")
    if start and end and end < start:
        problems.append(Problem(row, "end_year", end, "ends before it starts", f"a year ≥ {start}"))
    values |= {key: _bool(raw, key, row, problems) for key in _generic("bool")}
    values |= {key: str_list(raw, key, row, problems) for key in _generic("list")}
    values |= {key: _text(raw, key) for key in _generic("text")}
    sources = _sources(raw, row, problems)
    lon, lat, crs = _coords(raw, row, problems)
    parent = _parent(raw, row, problems)
    if code and parent == code:
        problems.append(Problem(row, "parent_code", raw["parent_code"], "a project cannot be its own part",
                                "another project's code"))
    if problems or not code or not name:
        return None, problems
    return (
        ProjectInput(code=code, name=name, status=status, construction_type=ctype, sources=sources,
                     parent_code=parent, lon=lon, lat=lat, crs=crs, **values),
        [],
    )
