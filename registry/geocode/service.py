"""The geocoder: built once from the geodata layers, it places text, points and whole projects."""
from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from registry import crs
from registry.config import Settings
from registry.errors import InvalidRecord
from registry.geocode.decide import LINEAR_WORDS, TextDecision, ZoneInfo, decide
from registry.geocode.gazetteer import Entry, Gazetteer, Match, normalise
from registry.geocode.sites import Site, load_sites
from registry.geocode.villages import Village, load_villages
from registry.geodata import load_admin_units, load_strategies, load_zones
from registry.locate import DistrictIndex, Located
from registry.placecheck import crs_problems
from registry.records import Placement, PlacementSpec, ProjectInput

TEXT_CACHE = 200_000  # texts kept placed; a larger import starts the cache again


@dataclass(frozen=True)
class Corridor:
    code: str
    members: frozenset[str]  # adcodes of member units (confirmed or inferred)


class Geocoder:
    def __init__(self, gazetteer: Gazetteer, index: DistrictIndex, names: Mapping[str, str],
                 zones: Mapping[str, ZoneInfo], corridors: Sequence[Corridor], sites: Sequence[Site] = (),
                 villages: Sequence[Village] = ()) -> None:
        self.gazetteer = gazetteer
        self.index = index
        self.names = dict(names)
        self.zones = dict(zones)
        self.corridors = tuple(corridors)
        self.sites = {s.code: s for s in sites}
        # The district a site lies in comes from the boundary layer, not from the site's source.
        found = index.locate([s.lon for s in sites], [s.lat for s in sites]) if sites else None
        self.site_districts = {s.code: (str(found.district[i]) or None) if found is not None else None
                               for i, s in enumerate(sites)}
        self.villages = {v.code: v for v in villages}
        # A township centre is used only where it lies in the village's own county (boundary layer).
        pointed = [(v, v.town_lon, v.town_lat) for v in villages if v.town_lon is not None and v.town_lat is not None]
        where = index.locate([p[1] for p in pointed], [p[2] for p in pointed]) if pointed else None
        self.town_point_ok = {v.code: where is not None and str(where.district[i]) == v.county
                              for i, (v, _lon, _lat) in enumerate(pointed)}
        # Text → placement: a text always places the same way (the layers never change after __init__), and an
        # import repeats the same place words on many rows.
        self._texts: dict[str, Placement] = {}

    @classmethod
    def from_settings(cls, settings: Settings) -> Geocoder:
        """The process's geocoder for the configured layers: built once (about a second of reading and
        indexing), built again only when a file in the geodata folder changes."""
        directory = Path(settings.geodata_dir).resolve()
        version = _files_version(directory)
        with _SHARED_LOCK:  # held while building: a second caller waits instead of building the same again
            held = _SHARED.get(directory)
            if held is None or held[0] != version:
                held = _SHARED[directory] = (version, cls.from_geodata(directory))
        return held[1]

    @classmethod
    def from_geodata(cls, geodata_dir: Path) -> Geocoder:
        units, zones, strategies = (load_admin_units(geodata_dir), load_zones(geodata_dir),
                                    load_strategies(geodata_dir))
        parents = {z.code: z.parent for z in zones}
        zone_info = {z.code: ZoneInfo(z.name, tuple(d.adcode for d in z.districts), _depth(z.code, parents),
                                      z.geometry_status != "official",
                                      tuple(d.adcode for d in z.districts if d.basis == "stated"), z.parent,
                                      z.geometry is not None)
                     for z in zones}
        names = {u.adcode: u.name for u in units} | {z.code: z.name for z in zones}
        corridors = [Corridor(s.code, frozenset(m.adcode for m in s.member_units)) for s in strategies]
        sites, villages = load_sites(geodata_dir), load_villages(geodata_dir)
        return cls(Gazetteer.build(units, zones, geodata_dir / "townships.csv", sites, villages),
                   DistrictIndex.from_geodata(geodata_dir), names, zone_info, corridors, sites, villages)

    # -- text ---------------------------------------------------------------------------------------
    def geocode_text(self, text: str) -> Placement:
        found = self._texts.get(text)
        if found is None:
            if len(self._texts) >= TEXT_CACHE:
                self._texts.clear()
            found = self._texts[text] = self._geocode_text(text)
        return found

    def _geocode_text(self, text: str) -> Placement:
        clean = normalise(text)
        matches = self._villages_of_ours(self.gazetteer.scan(clean))
        named_sites = list(dict.fromkeys(m.entry.code for m in matches if m.entry.kind == "site"))
        decision = decide(clean, [self._as_district(m) for m in matches], self.zones, self.names)
        site = self._site_point(clean, named_sites, decision)
        if site is not None:
            return site
        village, village_note = self._village(matches, decision)
        evidence = decision.evidence + village_note
        if village is not None:
            point = self._village_point(clean, village, decision, evidence)
            if point is not None:
                return point
        districts = decision.districts or ((decision.district_code,) if decision.district_code else ())
        method = "zone_name" if decision.zone_code else ("place_name" if districts or decision.outside else "none")
        if village is not None and not decision.zone_code:
            method = "village"
        return Placement(
            district_code=decision.district_code, district=self._name(decision.district_code),
            zone_code=decision.zone_code, zone=self._name(decision.zone_code),
            corridors=self.corridors_of(districts), lon=None, lat=None, precision=decision.precision,
            method=method, evidence=evidence, needs_review=decision.needs_review, districts=districts,
            outside_taiyuan=decision.outside, conflicts=decision.conflicts,
            beyond_shanxi=decision.outside and decision.beyond_shanxi,
        )

    @staticmethod
    def _villages_of_ours(matches: Sequence[Match]) -> list[Match]:
        """A village name right after a place outside Taiyuan or in another county (盂县梁家寨) is that
        place's village, not the Taiyuan village of the same spelling: it is dropped."""
        out: list[Match] = []
        for i, match in enumerate(matches):
            if match.entry.kind == "village" and i > 0:
                before = matches[i - 1]
                adjacent = before.start + len(before.entry.term) == match.start
                if adjacent and before.entry.kind in ("county", "township", "outside"):
                    ours = before.entry.kind != "outside" and any(
                        code.startswith(before.entry.code) for code in match.entry.code.split(";"))
                    if not ours:
                        continue
            out.append(match)
        return out

    def _village(self, matches: Sequence[Match], decision: TextDecision) -> tuple[Village | None, str]:
        """The one village the text names, if its name is unique in Taiyuan and its county is the place
        decided; and the evidence words: which village, or which candidates an ambiguous name has."""
        notes: list[str] = []
        unique: list[Village] = []
        for match in matches:
            if match.entry.kind != "village":
                continue
            candidates = [self.villages[c] for c in match.entry.code.split(";")]
            if len(candidates) == 1:
                unique.append(candidates[0])
                notes.append(f"村名：{match.entry.term}（{self._village_label(candidates[0])}）")
            else:
                notes.append(f"村名 {match.entry.term} 不唯一，未用于定位（候选："
                             + "、".join(self._village_label(v) for v in candidates) + "）")
        chosen = {v.code: v for v in unique}
        if len(chosen) == 1:
            village = next(iter(chosen.values()))
            # Only where the village is the item's one place: a line through several districts keeps its words.
            ok = (decision.district_code == village.county and set(decision.districts) <= {village.county}
                  and not decision.conflicts and not decision.outside)
            return (village if ok else None), "".join(f"；{n}" for n in notes)
        return None, "".join(f"；{n}" for n in notes)

    def _village_label(self, village: Village) -> str:
        return f"{self._name(village.county)}{village.town}{village.name}，统计用区划代码 {village.code}"

    def _village_point(self, text: str, village: Village, decision: TextDecision, evidence: str) -> Placement | None:
        """A unique village places the item at its township's centre (precision 2, near ≤25 km) when the
        source gives one inside the village's county; a line, or a zone named too, keeps the text's level."""
        if (decision.zone_code or any(word in text for word in LINEAR_WORDS) or village.town_lon is None
                or village.town_lat is None or not self.town_point_ok.get(village.code)):
            return None
        district = village.county
        return Placement(
            district_code=district, district=self._name(district), zone_code=None, zone=None,
            corridors=self.corridors_of((district,)), lon=village.town_lon, lat=village.town_lat, precision=2,
            method="village", evidence=evidence + f"；乡镇中心：{village.town}（gcj02 → WGS-84 "
            f"{village.town_lon:.6f}, {village.town_lat:.6f}；来源 geodata/villages.SOURCE.md）",
            needs_review=decision.needs_review, districts=(district,),
        )

    def _as_district(self, match: Match) -> Match:
        """A named site, or a village whose name is unique, is evidence for the district it lies in, like a
        township's name; an ambiguous village name is evidence for nothing."""
        if match.entry.kind == "village":
            codes = match.entry.code.split(";")
            kind, code = ("township", self.villages[codes[0]].county) if len(codes) == 1 else ("word", "")
            return Match(match.start, Entry(match.entry.term, kind, code, match.entry.rank, short=match.entry.short))
        if match.entry.kind != "site":
            return match
        district = self.site_districts.get(match.entry.code)
        if district is None:
            return Match(match.start, Entry(match.entry.term, "word", match.entry.term, match.entry.rank))
        return Match(match.start, Entry(match.entry.term, "township", district, match.entry.rank))

    def _site_point(self, text: str, named: Sequence[str], decision: TextDecision) -> Placement | None:
        """The site's own point when the text names exactly one site and nothing disagrees with it: not for
        lines (a metro line 起自太原南站 runs far from the station) nor for texts naming another district."""
        if len(named) != 1 or any(word in text for word in LINEAR_WORDS):
            return None
        site = self.sites[named[0]]
        district = self.site_districts.get(site.code)
        if district is None or decision.district_code != district or decision.conflicts or decision.outside:
            return None
        zone = decision.zone_code
        evidence = (decision.evidence + f"；地名库：{site.name}（{site.source_crs} → WGS-84 {site.lon:.6f}, "
                    f"{site.lat:.6f}；来源 {site.source}）")
        return Placement(
            district_code=district, district=self._name(district), zone_code=zone, zone=self._name(zone),
            corridors=self.corridors_of((district,)), lon=site.lon, lat=site.lat, precision=2,
            method="gazetteer", evidence=evidence, needs_review=False, districts=(district,),
        )

    def geocode_texts(self, texts: Iterable[str]) -> list[Placement]:
        return [self.geocode_text(t) for t in texts]

    def corridors_of(self, districts: Sequence[str]) -> tuple[str, ...]:
        """Strategic regions and corridors whose member units include any of these districts."""
        # Region strategies list whole cities (140100) as members: a district belongs through its city.
        touched = set(districts) | {d[:4] + "00" for d in districts}
        return tuple(c.code for c in self.corridors if c.members & touched)

    # -- points -------------------------------------------------------------------------------------
    def geocode_point(self, lon: float, lat: float, input_crs: str = "wgs84", text: str | None = None,
                      stated_district: str | None = None) -> Placement:
        system, w_lon, w_lat = _to_wgs84(lon, lat, input_crs)
        return self._point(lon, lat, system, w_lon, w_lat, self.index.locate([w_lon], [w_lat]), 0, text,
                           stated_district)

    def _point(self, lon: float, lat: float, system: str, w_lon: float, w_lat: float, found: Located, i: int,
               text: str | None, stated_district: str | None) -> Placement:
        """The placement of point i of `found` (index.locate of the WGS-84 points)."""
        district = str(found.district[i]) or None
        zone = str(found.zone[i]) or None
        taiyuan = bool(district and district.startswith("1401"))
        evidence = f"坐标（{system} → WGS-84 {w_lon:.6f}, {w_lat:.6f}）落在 {self._name(district) or '已知区县之外'}"
        if zone:
            evidence += f"、{self._name(zone)}（{'示意范围' if self.zones[zone].schematic else '正式边界'}）"
        conflicts: list[str] = []
        expected = [stated_district] if stated_district else list(self.geocode_text(text).districts) if text else []
        if expected and district not in expected:
            conflicts.append(f"文字指向 {'、'.join(self._name(d) or d for d in expected)}，坐标在 "
                             f"{self._name(district) or '区县之外'}")
            # A point that lands in the stated district under another system was probably mislabelled.
            conflicts += crs_problems(self.index, float(lon), float(lat), system, expected[0])
        return Placement(
            district_code=district, district=self._name(district), zone_code=zone, zone=self._name(zone),
            corridors=tuple(found.corridor_codes(i)), lon=w_lon, lat=w_lat,
            precision=1 if taiyuan else 6, method="given_coordinates", evidence=evidence,
            needs_review=bool(conflicts) or district is None, districts=(district,) if district else (),
            outside_taiyuan=not taiyuan, input_crs=system, conflicts=tuple(conflicts),
        )

    # -- projects -----------------------------------------------------------------------------------
    def place_project(self, item: ProjectInput) -> PlacementSpec:
        """Where a project is: its coordinates when given, else its place words and name."""
        return self.place_many([item])[0]

    __call__ = place_project  # a Placer (registry/upsert.py) that also places many at once

    def place_many(self, items: Sequence[ProjectInput]) -> list[PlacementSpec]:
        """place_project of each item; the given points are located in one vectorised call."""
        points = [(i, item, *_to_wgs84(item.lon, item.lat, item.crs or "wgs84")) for i, item in enumerate(items)
                  if item.lon is not None and item.lat is not None]
        found = self.index.locate([p[3] for p in points], [p[4] for p in points]) if points else None
        out: list[PlacementSpec | None] = [None] * len(items)
        for k, (i, item, system, w_lon, w_lat) in enumerate(points):
            assert found is not None and item.lon is not None and item.lat is not None
            placement = self._point(item.lon, item.lat, system, w_lon, w_lat, found, k, _text_of(item),
                                    item.district_stated)
            out[i] = to_spec(placement, item.place_text)
        for i, item in enumerate(items):
            if out[i] is None:
                out[i] = to_spec(self._with_stated(item, self.geocode_text(_text_of(item))), item.place_text)
        return [spec for spec in out if spec is not None]

    def _with_stated(self, item: ProjectInput, placement: Placement) -> Placement:
        """The parser's explicit statements (district/zone named for the site, outside Taiyuan) take part:
        agreeing evidence stands, disagreeing evidence is reported."""
        if item.outside_taiyuan:
            return Placement(None, None, None, None, (), None, None, 6, "stated_in_text",
                             placement.evidence + "；规划文本：位于太原市外", False, (), True)
        if placement.beyond_shanxi:
            placement = self._not_beyond_shanxi(placement)
        if item.zone_stated and item.zone_stated in self.zones:
            placement = self._with_stated_zone(item.zone_stated, placement)
        if item.district_stated and item.district_stated != placement.district_code:
            conflicts = placement.conflicts
            if placement.district_code and placement.district_code != item.district_stated:
                conflicts += (f"文本所述区县 {self._name(item.district_stated)} 与 {placement.district} 不一致",)
            districts = tuple(dict.fromkeys((item.district_stated, *placement.districts)))
            return Placement(item.district_stated, self._name(item.district_stated), placement.zone_code,
                             placement.zone, self.corridors_of(districts), None, None,
                             4 if placement.zone_code else 3, "stated_in_text", placement.evidence,
                             bool(conflicts), districts, False, None, conflicts)
        return placement

    def _not_beyond_shanxi(self, placement: Placement) -> Placement:
        """A Taiyuan plan item is not put outside Shanxi on a name alone (a partner region, a company's
        home): without a stated site there it stays unplaced and goes to review."""
        return Placement(None, None, None, None, (), None, None, 8, "none",
                         placement.evidence + "；仅提到山西省外地名，未说明项目位于该地（未定位）", True)

    def _with_stated_zone(self, stated: str, placement: Placement) -> Placement:
        """A zone the plan states for the item wins over a zone inferred from other words; a park the text
        names inside the stated zone is more specific and agrees, so it stays."""
        found = placement.zone_code
        if found == stated or (found is not None and self._within(found, stated)):
            return placement
        zone = self.zones[stated]
        conflicts = placement.conflicts
        if found is not None:
            conflicts += (f"文字另及 {self._name(found)}，规划文本所述开发区为 {zone.name}",)
        district = placement.district_code
        if district is not None and district not in zone.districts:
            conflicts += (f"{zone.name} 不在 {placement.district}",)
        stated_districts = tuple(d for d in zone.stated if d.startswith("1401"))
        if district is None and len(stated_districts) == 1 and len(zone.districts) == 1:
            district = stated_districts[0]
        districts = placement.districts or ((district,) if district else ())
        return Placement(district, self._name(district), stated, zone.name, self.corridors_of(districts), None,
                         None, 4, "stated_in_text", placement.evidence + f"；规划文本所述开发区：{zone.name}",
                         bool(conflicts) or district is None, districts, False, None, conflicts)

    def _within(self, code: str, ancestor: str) -> bool:
        parent = self.zones[code].parent if code in self.zones else None
        while parent is not None:
            if parent == ancestor:
                return True
            parent = self.zones[parent].parent if parent in self.zones else None
        return False

    def name_of(self, code: str | None) -> str | None:
        """The display name of a district, zone or city code (None for None)."""
        return self._name(code)

    def _name(self, code: str | None) -> str | None:
        return self.names.get(code, code) if code else None


def _text_of(item: ProjectInput) -> str:
    return " ".join(t for t in (item.place_text, item.name) if t)


def _to_wgs84(lon: float, lat: float, input_crs: str) -> tuple[str, float, float]:
    """(system, WGS-84 lon, lat rounded to 1 cm); InvalidRecord for an unknown system or a bad pair."""
    try:
        system = crs.normalize_crs(input_crs)
    except ValueError as exc:
        raise InvalidRecord(str(exc)) from None
    problems = crs.check_lonlat(lon, lat, region=None)
    if problems:
        raise InvalidRecord("; ".join(problems))
    w_lon, w_lat = crs.to_wgs84(float(lon), float(lat), system)
    return system, round(float(w_lon), 7), round(float(w_lat), 7)


def _depth(code: str, parents: Mapping[str, str | None]) -> int:
    depth, seen = 0, code
    while parents.get(seen):
        seen = parents[seen]  # type: ignore[assignment]
        depth += 1
    return depth


def to_spec(placement: Placement, place_text: str | None) -> PlacementSpec:
    geometry = (json.dumps({"type": "Point", "coordinates": [placement.lon, placement.lat]})
                if placement.lon is not None and placement.lat is not None else None)
    evidence = placement.evidence + ("；冲突：" + "；".join(placement.conflicts) if placement.conflicts else "")
    return PlacementSpec(
        lon=placement.lon, lat=placement.lat, geometry=geometry, input_crs=placement.input_crs,
        place_text=place_text, district_code=placement.district_code,
        districts=tuple((d, None) for d in placement.districts), zone_code=placement.zone_code,
        precision=placement.precision, method=placement.method, evidence=evidence,
        needs_review=placement.needs_review, place_strategies=placement.corridors,
    )


# Geodata folder → (its files' version, the geocoder built from them). The geocoder never changes after it is
# built (its text cache only remembers answers), so requests, imports and seeding in one process share it.
_FilesVersion = tuple[tuple[str, int, int, int, int], ...]
_SHARED: dict[Path, tuple[_FilesVersion, Geocoder]] = {}
_SHARED_LOCK = threading.Lock()


def _files_version(directory: Path) -> _FilesVersion:
    """Name, inode, change times and size of every file the layers are read from (a rewrite in place, as
    `kpr geodata import-zones` does, or a file replaced by another both show)."""
    found = []
    for path in sorted(directory.iterdir()):
        if path.is_file():
            stat = path.stat()
            found.append((path.name, stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size))
    return tuple(found)
