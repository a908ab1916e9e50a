"""Villages and residents' committees of Taiyuan (村委会/居委会, NBS 12-digit codes; geodata/villages.csv).

A village names its township and county: a name that only one Taiyuan village bears places an item in that
township; a name several villages share places nothing (the candidates are reported instead)."""
from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from registry import crs

VILLAGES_CSV = "villages.csv"
TOWN_POINT_CRS = "gcj02"  # the source's township centres come from 高德 (villages.SOURCE.md)
# Longest first: 社区居民委员会 must be cut before 居民委员会.
_COMMITTEE_SUFFIXES = ("社区居民委员会", "社区居委会", "社区居委", "居民委员会", "村民委员会", "村委会", "居委会", "社区")
_TOWN_SUFFIXES = ("街道办事处", "办事处")
# Two-character names (辛村, 王村, 大村, 新村) are everyday words or too common to trust in a project name.
MIN_TERM = 3


@dataclass(frozen=True)
class Village:
    code: str  # 12 digits
    name: str  # as the statistics list spells it (张花营村委会)
    town_code: str
    town: str  # 北格镇, 坞城街道
    county: str  # 6-digit adcode
    town_lon: float | None  # WGS-84 centre of the township, when the source has one
    town_lat: float | None

    @property
    def place(self) -> str:
        return f"{self.town}{self.name}"


def _strip(name: str, suffixes: Iterable[str]) -> tuple[str, str]:
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)], suffix
    return name, ""


def town_name(raw: str) -> str:
    """坞城街道办事处 → 坞城街道 (the form townships.csv and the plans use)."""
    base, suffix = _strip(raw, _TOWN_SUFFIXES)
    return base + ("街道" if suffix == "街道办事处" else "")


def terms_of(name: str) -> tuple[tuple[str, bool], ...]:
    """The words a plan uses for a village, each with whether it is a bare form (checked for word
    boundaries): 张花营村委会 → 张花营村, 张花营 (bare); 郜村村委会 → 郜村 (too short, none);
    杨家堡社区居委会 → 杨家堡社区 (a community keeps its 社区: its bare name is often a street's)."""
    base, suffix = _strip(name, _COMMITTEE_SUFFIXES)
    if not suffix:
        return ()
    if suffix in ("村委会", "村民委员会"):
        full = base if base.endswith("村") else base + "村"
        found = [(full, False)] + ([(base, True)] if base != full else [])
    elif "社区" in suffix:
        found = [(base + "社区", False)]
    else:  # 居委会 / 居民委员会 without 社区: a former village (后所营居民委员会)
        found = [(base, True)]
    return tuple((term, bare) for term, bare in found if len(term) >= MIN_TERM)


def _community_base(name: str) -> str | None:
    """杨家堡社区居委会 → 杨家堡: a former village now a community still goes by its old name."""
    base, suffix = _strip(name, _COMMITTEE_SUFFIXES)
    return base if "社区" in suffix and len(base) >= MIN_TERM else None


def load_villages(geodata_dir: Path) -> list[Village]:
    """Villages of geodata/villages.csv; an absent file means none."""
    path = Path(geodata_dir) / VILLAGES_CSV
    if not path.exists():
        return []
    out = []
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            lon = lat = None
            if row["town_lon"] and row["town_lat"]:
                w_lon, w_lat = crs.to_wgs84(float(row["town_lon"]), float(row["town_lat"]), TOWN_POINT_CRS)
                lon, lat = round(float(w_lon), 7), round(float(w_lat), 7)
            out.append(Village(row["code"], row["name"], row["town_code"], town_name(row["town"]),
                               row["county_adcode"], lon, lat))
    return out


def index_terms(villages: Iterable[Village]) -> dict[str, tuple[tuple[str, ...], bool]]:
    """term → (codes of every village it may name, bare form). A term shared by several villages is
    kept so it still hides the shorter names inside it, but it places nothing. A community's old village
    name (杨家堡 of 杨家堡社区) is no term of its own (many are street names) but makes a village's
    name of the same spelling ambiguous: 杨家堡污水处理厂 may be either."""
    villages = list(villages)
    codes: dict[str, list[str]] = defaultdict(list)
    bare: dict[str, bool] = {}
    for village in villages:
        for term, is_bare in terms_of(village.name):
            if village.code not in codes[term]:
                codes[term].append(village.code)
            bare[term] = bare.get(term, True) and is_bare
    for village in villages:
        base = _community_base(village.name)
        if base in codes and village.code not in codes[base]:
            codes[base].append(village.code)
    return {term: (tuple(found), bare[term]) for term, found in codes.items()}
