"""Re-place every project (after boundaries or the gazetteer change) and report what moved."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from registry.geocode.service import Geocoder
from registry.models import Location, Project, ProjectStrategy
from registry.records import PlacementSpec, ProjectInput
from registry.upsert import apply_placement


@dataclass(frozen=True)
class Move:
    code: str
    name: str
    before: tuple[str | None, str | None, int]  # district, zone, precision
    after: tuple[str | None, str | None, int]


def project_input(project: Project) -> ProjectInput:
    """What the geocoder needs to know about a stored project: its words, statements and coordinates."""
    primary = next((loc for loc in project.locations if loc.is_primary), None)
    given = primary is not None and primary.method == "given_coordinates" and primary.lon is not None
    return ProjectInput(code=project.code, name=project.name, place_text=project.place_text,
                        district_stated=project.stated_district_code, zone_stated=project.stated_zone_code,
                        outside_taiyuan=project.outside_taiyuan,
                        # Stored coordinates are WGS-84 whatever system they arrived in.
                        lon=primary.lon if given and primary else None,
                        lat=primary.lat if given and primary else None, crs="wgs84" if given else None)


def _sync_place_links(project: Project, spec: PlacementSpec) -> None:
    wanted = set(spec.place_strategies)
    current = {s.strategy_code for s in project.strategies if s.basis == "place"}
    if wanted == current:
        return
    project.strategies = [s for s in project.strategies if s.basis == "plan"] + [
        ProjectStrategy(strategy_code=code, basis="place") for code in sorted(wanted)]


def replace_all(session: Session, geocoder: Geocoder, *,
                progress: Callable[[Iterator[Project]], Iterator[Project]] | None = None) -> list[Move]:
    projects = list(session.scalars(select(Project).options(
        selectinload(Project.locations).selectinload(Location.districts), selectinload(Project.strategies))))
    moves: list[Move] = []
    for project in (progress(iter(projects)) if progress else projects):
        before = (project.district_code, project.zone_code, project.precision)
        spec = geocoder.place_project(project_input(project))
        apply_placement(project, spec)
        _sync_place_links(project, spec)
        after = (project.district_code, project.zone_code, project.precision)
        if after != before:
            moves.append(Move(project.code, project.name, before, after))
    session.flush()
    return moves
