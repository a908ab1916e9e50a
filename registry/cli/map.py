"""`kpr map`: a standalone map file (assets and data inside) that opens from disk with no network."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from registry.asof import reading_scope
from registry.cli.options import build_filter, filter_options
from registry.config import Settings
from registry.maps.base import base_layers
from registry.maps.data import GROUP_BY, map_data
from registry.maps.labels import MAP_LABELS, map_labels
from registry.maps.page import SHADE_CHOICES, MapOptions, Source, build_map, render_standalone
from registry.queries import describe, resolve


@click.command(name="map", help="Write a standalone HTML map of the filtered projects (no network needed).")
@filter_options
@click.option("--group-by", type=click.Choice(GROUP_BY), default="chain", show_default=True,
              help="layers by industry chain, by regional strategy, or coloured by progress class")
@click.option("--shade", type=click.Choice(SHADE_CHOICES), default="count", show_default=True,
              help="district shading: project count, total investment, or none")
@click.option("--lang", type=click.Choice(sorted(MAP_LABELS)), default="zh", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="the HTML file to write")
def map_(group_by: str, shade: str, lang: str, output: Path, **kwargs: Any) -> None:
    flt = build_filter(kwargs)
    settings = Settings.from_env()
    crs = "gcj02" if settings.tiles_crs == "gcj02" else "wgs84"
    with reading_scope(flt.as_of, settings) as session:
        rf = resolve(session, flt)
        data = map_data(session, rf, group_by, crs=crs)
        data["filter"] = describe(rf)
        base = base_layers(session, crs=crs)
    fmap = build_map(MapOptions(
        data=Source(element="kpr-data"), base=Source(element="kpr-base"), labels=map_labels(lang),
        group_by=group_by, shade=shade, remember_shade=False, tiles_url=settings.tiles_url,
        tiles_attribution=settings.tiles_attribution,
    ))
    title = f"太原重点项目库 · {data['filter']}"
    html = render_standalone(fmap, {"kpr-data": _dump(data), "kpr-base": _dump(base)}, title)
    output.write_text(html, encoding="utf-8")
    click.echo(f"{output}: {data['count']} 个项目（上图 {data['placed']}），{len(html.encode()) // 1024} KB · 筛选：{data['filter']}")


def _dump(payload: dict[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
