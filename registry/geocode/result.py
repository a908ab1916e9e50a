"""What the geocoder decided, and why."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from registry.models import PRECISIONS


@dataclass(frozen=True)
class Placement:
    district_code: str | None
    district: str | None
    zone_code: str | None
    zone: str | None
    corridors: tuple[str, ...]
    lon: float | None
    lat: float | None
    precision: int
    method: str
    evidence: str
    needs_review: bool = False
    districts: tuple[str, ...] = ()  # every district touched (linear works, several names)
    outside_taiyuan: bool = False
    input_crs: str | None = None
    conflicts: tuple[str, ...] = field(default_factory=tuple)
    beyond_shanxi: bool = False  # outside only by names of places beyond Shanxi

    def to_dict(self) -> dict[str, Any]:
        return {
            "district_code": self.district_code, "district": self.district, "districts": list(self.districts),
            "zone_code": self.zone_code, "zone": self.zone, "corridors": list(self.corridors),
            "lon": self.lon, "lat": self.lat, "input_crs": self.input_crs, "precision": self.precision,
            "precision_label": PRECISIONS.get(self.precision, str(self.precision)), "method": self.method,
            "evidence": self.evidence, "needs_review": self.needs_review, "outside_taiyuan": self.outside_taiyuan,
            "conflicts": list(self.conflicts),
        }
