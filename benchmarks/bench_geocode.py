"""Geocoding accuracy and text speed: ours beside cpca on the same labelled strings, in one run.

python -m benchmarks.bench_geocode [--repeat N]

Accuracy set: benchmarks/data/geocode_labelled.yaml (cited per item). Also reports how the points of
../shared/testdata/reference_places.json fall against the districts their sources give.
"""
from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from registry.geocode import Geocoder
from registry.yamltext import load_yaml

REPO = Path(__file__).resolve().parents[1]
LABELLED = REPO / "benchmarks" / "data" / "geocode_labelled.yaml"
REFERENCE = REPO.parent / "shared" / "testdata" / "reference_places.json"


@dataclass(frozen=True)
class Guess:
    district: str | None
    zone: str | None


@dataclass(frozen=True)
class Score:
    district_ok: int
    items: int
    zone_ok: int
    zone_items: int
    outside_leaks: int
    outside_items: int

    def row(self, name: str, rate: float) -> str:
        return (f"| {name} | {self.district_ok}/{self.items} = {self.district_ok / self.items:.1%} | "
                f"{self.zone_ok}/{self.zone_items} = {self.zone_ok / max(self.zone_items, 1):.1%} | "
                f"{self.outside_leaks}/{self.outside_items} | {rate:,.0f} |")


def score(items: Sequence[dict[str, object]], guesses: Sequence[Guess]) -> Score:
    district_ok = zone_ok = zone_items = leaks = outside_items = 0
    for item, guess in zip(items, guesses):
        taiyuan_guess = guess.district if guess.district and guess.district.startswith("1401") else None
        district_ok += taiyuan_guess == item["district"]
        if item.get("zone"):
            zone_items += 1
            zone_ok += guess.zone == item["zone"]
        if item.get("outside"):
            outside_items += 1
            leaks += taiyuan_guess is not None
    return Score(district_ok, len(items), zone_ok, zone_items, leaks, outside_items)


def ours(geocoder: Geocoder) -> Callable[[list[str]], list[Guess]]:
    def run(texts: list[str]) -> list[Guess]:
        return [Guess(p.district_code, p.zone_code) for p in geocoder.geocode_texts(texts)]
    return run


def cpca_guesses(texts: list[str]) -> list[Guess]:
    import cpca

    frame = cpca.transform(texts)
    out = []
    for adcode, district in zip(frame["adcode"], frame["区"]):
        # cpca gives a county only when it found one; a city or province alone is no district.
        has_county = isinstance(district, str) and isinstance(adcode, str)
        out.append(Guess(adcode if has_county else None, None))
    return out


def timed(func: Callable[[list[str]], list[Guess]], texts: list[str], repeat: int) -> tuple[list[Guess], float]:
    batch = texts * repeat
    start = time.perf_counter()
    result = func(batch)
    elapsed = time.perf_counter() - start
    return result[: len(texts)], len(batch) / elapsed


def reference_points(geocoder: Geocoder) -> list[str]:
    """Each reference point converted from its stated system, beside the district its source gives."""
    names = {v: k for k, v in geocoder.names.items()}
    lines = []
    for rec in json.loads(REFERENCE.read_text(encoding="utf-8")):
        system = "bd09" if (rec.get("crs") or "").startswith("BD-09") else "gcj02" if (rec.get("crs") or "").startswith("GCJ-02") else None
        if system is None or rec.get("lon") is None:
            continue
        placed = geocoder.geocode_point(rec["lon"], rec["lat"], system)
        agree = placed.district_code == names.get(rec["district"])
        lines.append(f"| {rec['place']} | {system} | {rec['district']} | {placed.district or '—'} | {'✓' if agree else '✗'} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=300, help="repeat the strings this often for the speed figure")
    args = parser.parse_args()
    items = load_yaml(LABELLED.read_text(encoding="utf-8"))
    texts = [str(i["text"]) for i in items]
    started = time.perf_counter()
    geocoder = Geocoder.from_geodata(REPO / "geodata")
    build = time.perf_counter() - started
    our_guesses, our_rate = timed(ours(geocoder), texts, args.repeat)
    cpca_result, cpca_rate = timed(cpca_guesses, texts, max(1, args.repeat // 10))
    print(f"## Geocoding text → district / zone ({len(items)} labelled strings, same run)\n")
    print(f"Command: `python -m benchmarks.bench_geocode --repeat {args.repeat}`; geocoder built in {build:.2f} s.\n")
    print("| geocoder | district correct | zone found where named | outside given a Taiyuan district | strings/s |")
    print("|---|---|---|---|---|")
    print(score(items, our_guesses).row("KPR (gazetteer + rules)", our_rate))
    print(score(items, cpca_result).row("cpca 0.5 (anchor)", cpca_rate))
    print(f"\nSpeed ratio (ours / cpca): {our_rate / cpca_rate:.1f}×\n")
    misses = [(i, g) for i, g in zip(items, our_guesses)
              if (g.district if g.district and g.district.startswith('1401') else None) != i["district"]
              or (i.get("zone") and g.zone != i["zone"])]
    if misses:
        print("Misses (ours):\n")
        for item, guess in misses:
            print(f"- {item['text']} — expected {item['district']}/{item.get('zone')}, got {guess.district}/{guess.zone}")
        print()
    if REFERENCE.exists():
        rows = reference_points(geocoder)
        agree = sum(r.endswith("✓ |") for r in rows)
        print(f"### Reference points (shared/testdata): {agree}/{len(rows)} land in the district their source gives\n")
        print("Disagreements are listed; the test data notes say several source districts are suspect.\n")
        print("| place | system | source district | our district | |\n|---|---|---|---|---|")
        for row in rows:
            if row.endswith("✗ |"):
                print(row)


if __name__ == "__main__":
    main()
