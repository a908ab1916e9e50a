"""Which placer the registry uses when projects are written (seed, import, ingest-plan --apply)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from registry.config import Settings
from registry.geocode import Geocoder
from registry.records import Placer


def default_placer(session: Session, settings: Settings) -> Placer:
    """The geocoder over the configured geodata: coordinates win, then place words, then the name."""
    return Geocoder.from_settings(settings)  # callable, and places many at once (place_many)
