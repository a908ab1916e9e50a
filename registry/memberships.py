"""Honest labels for a project's ties to strategies and corridors.

A plan may state the tie (basis 'plan', 规划所列); otherwise the project merely lies in the corridor or
region (basis 'place', 位置落在). A place tie is confirmed only when a cited source names the member unit
the project lies in (geodata/strategies.yaml `confirmed`); a tie through an unconfirmed unit, or through
the schematic band we drew around an axis, is shown as 范围未确认. A region whose members include
all of Taiyuan (140100) holds every project placed in Taiyuan, so filtering by it narrows nothing there.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from registry.records import ProjectRow

TAIYUAN = "140100"
BASIS_WORDS = {
    "zh": {"plan": "规划所列", "place": "位置落在", "plan_or_place": "规划所列或位置落在", "unconfirmed": "范围未确认",
           "covers_all": "含太原全市，覆盖全部已定位的太原项目"},
    "en": {"plan": "stated by a plan", "place": "by location", "plan_or_place": "stated by a plan or by location",
           "unconfirmed": "extent unconfirmed",
           "covers_all": "includes all of Taiyuan: every project placed in Taiyuan"},
}

# Strategy code → its member units as (adcode, confirmed).
Members = Mapping[str, Sequence[tuple[str, bool]]]


def member_pairs(units: Iterable[Mapping[str, Any]] | None) -> tuple[tuple[str, bool], ...]:
    return tuple((str(u.get("adcode")), bool(u.get("confirmed"))) for u in units or ())


def _touched(adcodes: Iterable[str]) -> set[str]:
    # Region strategies list whole cities (140100): a district belongs through its city, as the geocoder has it.
    found = set(adcodes)
    return found | {a[:4] + "00" for a in found if len(a) == 6}


def place_confirmed(members: Sequence[tuple[str, bool]], adcodes: Iterable[str]) -> bool:
    """True when a confirmed member unit holds one of the project's districts."""
    touched = _touched(adcodes)
    return any(confirmed and code in touched for code, confirmed in members)


def covers_taiyuan(members: Sequence[tuple[str, bool]]) -> bool:
    # Confirmed or not: the geocoder places every Taiyuan project in a region listing the whole city.
    return any(code == TAIYUAN for code, _ in members)


def row_adcodes(row: ProjectRow) -> set[str]:
    found = {d.adcode for loc in row.locations for d in loc.districts}
    if row.district_code:
        found.add(row.district_code)
    return found


@dataclass(frozen=True)
class PlaceLink:
    code: str
    name: str
    confirmed: bool


def place_links(row: ProjectRow, names: Mapping[str, str], members: Members) -> list[PlaceLink]:
    """The corridors and regions a project lies in (basis 'place'), each with whether a source confirms it."""
    adcodes = row_adcodes(row)
    return [PlaceLink(code, names.get(code, code), place_confirmed(members.get(code, ()), adcodes))
            for code in row.place_strategy_codes]


def place_label(link: PlaceLink, lang: str = "zh") -> str:
    if link.confirmed:
        return link.name
    note = BASIS_WORDS[lang]["unconfirmed"]
    return f"{link.name}（{note}）" if lang == "zh" else f"{link.name} ({note})"
