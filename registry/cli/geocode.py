"""`kpr geocode`: place a text or a point, or re-place every project."""
from __future__ import annotations

import json

import click
from tqdm import tqdm

from registry.config import Settings
from registry.db import session_scope
from registry.fields import COORDINATE_SYSTEMS
from registry.geocode import Geocoder
from registry.geocode.replace import replace_all
from registry.models import PRECISIONS


@click.command(help="Place a text (区县/开发区/走廊) or a point; --all re-places every project and reports moves.")
@click.argument("text", required=False)
@click.option("--lon", type=float, help="longitude of a point")
@click.option("--lat", type=float, help="latitude of a point")
@click.option("--crs", "input_crs", default="wgs84", show_default=True,
              type=click.Choice(COORDINATE_SYSTEMS), help="coordinate system of --lon/--lat")
@click.option("--all", "all_projects", is_flag=True, help="re-place every project in the database")
def geocode(text: str | None, lon: float | None, lat: float | None, input_crs: str, all_projects: bool) -> None:
    settings = Settings.from_env()
    geocoder = Geocoder.from_settings(settings)
    if all_projects:
        with session_scope(settings) as session:
            moves = replace_all(session, geocoder,
                                progress=lambda it: tqdm(it, desc="重新定位 re-placing", unit="项", file=None))
        for move in moves:
            click.echo(f"{move.code} {move.name}：{_where(move.before, geocoder)} → {_where(move.after, geocoder)}")
        click.echo(f"{len(moves)} 个项目位置有变化 (projects moved)")
        return
    if (lon is None) != (lat is None):
        raise click.UsageError("give both --lon and --lat")
    if lon is not None and lat is not None:
        placement = geocoder.geocode_point(lon, lat, input_crs, text)
    elif text:
        placement = geocoder.geocode_text(text)
    else:
        raise click.UsageError("give a TEXT, or --lon and --lat, or --all")
    click.echo(json.dumps(placement.to_dict(), ensure_ascii=False, indent=2))


def _where(place: tuple[str | None, str | None, int], geocoder: Geocoder) -> str:
    """区县 · 开发区（精度）in words, as the list shows a location, never as codes."""
    district, zone, precision = place
    names = [geocoder.name_of(code) or code for code in (district, zone) if code]
    return f"{' · '.join(names) or '未定位'}（{PRECISIONS.get(precision, str(precision)).split(' ', 1)[0]}）"
