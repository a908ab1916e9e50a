"""The candidate project record: one per item the parser finds, in the shape of seeds/projects.yaml."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from registry.fields import LIST_INPUTS


@dataclass(frozen=True)
class Source:
    document: str
    line: int
    excerpt: str
    box: str | None = None  # the 专栏 this line lies in (None: body text); kept when listings are merged


@dataclass(frozen=True)
class Candidate:
    code: str
    name: str
    aliases: tuple[str, ...] = ()
    kind: str = "产业"
    status: str = "unknown"
    status_text: str | None = None  # the plan's own stage word (谋划, 拟选址, 续建 …); see planparse/status.py
    construction_type: str | None = None
    total_investment: str | None = None  # 亿元, decimal string as stated
    investment_text: str | None = None
    capacity_text: str | None = None
    start_year: int | None = None
    end_year: int | None = None
    builder: str | None = None
    partners: tuple[str, ...] = ()
    chains: tuple[str, ...] = ()
    strategies: tuple[str, ...] = ()
    place_text: str | None = None
    district_stated: str | None = None
    zone_stated: str | None = None
    outside_taiyuan: bool | None = False
    specificity: str = "box_item"
    box: str | None = None
    group: str | None = None
    description: str | None = None
    sources: tuple[Source, ...] = field(default_factory=tuple)
    parent_code: str | None = None  # the package or area this item is a listed part of
    investment_low: str | None = None  # an amount stated as a range (亿元): bounds, no point value
    investment_high: str | None = None
    partner_regions: tuple[str, ...] = ()  # builder's and partners' home regions, as stated
    plan_period: str | None = None

    def to_dict(self) -> dict[str, object]:
        """Plain dict in projects.yaml key order (lists, not tuples)."""
        data = asdict(self)
        for key in LIST_INPUTS:
            data[key] = list(data[key])
        data["sources"] = [dict(source) for source in data["sources"]]
        return data
