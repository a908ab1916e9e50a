"""Which placer the registry uses when projects are written (seed, import, ingest-plan --apply)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from registry.config import Settings
from registry.upsert import Placer, stated_placement


def default_placer(session: Session, settings: Settings) -> Placer:
    # The text's own statement of district/zone; the geocoder (registry/geocode) replaces this.
    return stated_placement
