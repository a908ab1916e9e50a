"""The Folium map: no tiles unless configured (the districts are the basemap), a layer control, and two small
elements declaring our scripts the way Folium's plugins do (`default_js`, localised by assets.py like any
plugin's): KprPoints for the point-layer plugin (L.KprPointLayer, kpr_points.js) and KprLayers, which starts
the page glue (kpr_map.js) with where to get its data. Layers are added by the script once the data arrives,
so the page stays a few kilobytes however many projects there are."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import folium
from branca.element import Figure, MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from registry.maps import assets
from registry.maps.palette import SHADES

TAIYUAN = (37.87, 112.55)  # lat, lon: the city centre, before the script fits the districts
MAX_ZOOM = 18  # tiles=None leaves Leaflet without one; MarkerCluster and fitBounds need it
SHADE_CHOICES = ("count", "investment", "none")
# Quarter zoom steps: the first view fits the city between the panels instead of dropping a whole level.
ZOOM_SNAP = 0.25


@dataclass(frozen=True)
class Source:
    """Where the script gets a JSON document: a URL to fetch, or an inlined <script> element's id."""

    url: str | None = None
    element: str | None = None

    def config(self) -> dict[str, str]:
        return {"url": self.url} if self.url else {"element": self.element or ""}


@dataclass(frozen=True)
class MapOptions:
    data: Source
    base: Source
    labels: Mapping[str, str]
    group_by: str = "chain"
    shade: str = "count"
    detail_url: str | None = None  # with __CODE__ where the project code goes
    list_url: str | None = None  # the list page with the same filter
    corridors: Sequence[str] = ()  # corridor overlays switched on at start
    tiles_url: str | None = None
    tiles_attribution: str = ""
    fit: str = "districts"  # or "points" (the detail page's small map)
    remember_shade: bool = True
    compact: bool = False  # a small map (detail page): no layer control, a short legend
    extra: dict[str, Any] = field(default_factory=dict)


class KprPoints(JSCSSMixin, MacroElement):
    """The point-layer plugin, declared like folium.plugins.HeatMap declares leaflet-heat: its script is a
    default_js entry (assets.LOCAL serves it from registry/maps/static). It renders no script of its own:
    the page glue builds the layer once the data has arrived."""

    _template = Template("")
    # Lists because Folium's JSCSSMixin types them so; assets.collect shadows them per instance, never mutates.
    default_js = [("kpr_points.js", "/assets/kpr/kpr_points.js")]  # noqa: RUF012

    def __init__(self) -> None:
        super().__init__()
        self._name = "KprPoints"


class KprLayers(JSCSSMixin, MacroElement):
    """Calls KprMap.start(map, layerControl, config) once the page's scripts are in."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            KprMap.start({{ this.map_name }}, {{ this.control_name }}, {{ this.config|tojson }});
        {% endmacro %}
    """)
    default_js = [("kpr_map.js", "/assets/kpr/kpr_map.js")]  # noqa: RUF012 (see KprPoints)
    default_css = [("kpr_map.css", "/assets/kpr/kpr_map.css")]  # noqa: RUF012

    def __init__(self, map_name: str, control_name: str, config: dict[str, Any]) -> None:
        super().__init__()
        self._name = "KprLayers"
        self.map_name = map_name
        self.control_name = control_name
        self.config = config


def build_map(options: MapOptions) -> folium.Map:
    """A map in its own Figure, assets not yet localised (see assets.link / assets.inline)."""
    if options.shade not in SHADE_CHOICES:
        raise ValueError(f"shade={options.shade!r}: expected one of {', '.join(SHADE_CHOICES)}")
    figure = Figure()
    # max_zoom only reaches a tile layer; with tiles=None the map itself needs maxZoom.
    fmap = folium.Map(location=TAIYUAN, zoom_start=9, tiles=None, max_zoom=MAX_ZOOM, maxZoom=MAX_ZOOM,
                      min_zoom=5, prefer_canvas=True, control_scale=True,
                      zoomSnap=ZOOM_SNAP, zoomDelta=0.5)
    figure.add_child(fmap)
    if options.tiles_url:
        folium.TileLayer(options.tiles_url, attr=options.tiles_attribution or " ", max_zoom=MAX_ZOOM,
                         name="tiles", control=False).add_to(fmap)
    control_name = "null"
    if not options.compact:
        control = folium.LayerControl(collapsed=False, position="topright")
        control.add_to(fmap)
        control_name = control.get_name()
    config = {
        "data": options.data.config(), "base": options.base.config(), "labels": dict(options.labels),
        "group_by": options.group_by, "shade": options.shade, "detail_url": options.detail_url,
        "list_url": options.list_url, "corridors": list(options.corridors), "fit": options.fit,
        "shades": list(SHADES), "remember_shade": options.remember_shade,
        "compact": options.compact, **options.extra,
    }
    fmap.add_child(KprPoints())  # before KprLayers: the glue needs the plugin
    fmap.add_child(KprLayers(fmap.get_name(), control_name, config))
    return fmap


@dataclass(frozen=True)
class MapParts:
    """A rendered map split for embedding in a page template: head tags, the map's div, its script."""

    header: str
    html: str
    script: str


def render_parts(fmap: folium.Map, url_for: assets.UrlFor) -> MapParts:
    """Render with links to the app's /assets (served from installed packages), split for a template."""
    assets.link(fmap, url_for)
    figure = fmap.get_root()
    assert isinstance(figure, Figure)
    for child in figure._children.values():
        child.render()
    return MapParts(figure.header.render(), figure.html.render(), figure.script.render())


def render_standalone(fmap: folium.Map, inline_json: Mapping[str, str], title: str) -> str:
    """One HTML file with the assets and the data inside it: opens from disk with no network."""
    from branca.element import Element

    assets.inline(fmap)
    figure = fmap.get_root()
    assert isinstance(figure, Figure)
    figure.header.add_child(Element(f"<title>{_escape(title)}</title>"), name="title")
    for element_id, text in inline_json.items():
        figure.header.add_child(Element(
            f'<script type="application/json" id="{_escape(element_id)}">{json_for_script(text)}</script>'),
            name=f"data:{element_id}")
    return figure.render()


def json_for_script(text: str) -> str:
    """JSON text safe inside <script>: not only "</script" ends the element early, "<!--" followed by
    "<script" makes the parser swallow the real "</script>". In JSON "<" can only stand inside a string,
    where \\u003c means the same to JSON.parse, so escaping every "<" (and ">", "&", the JS line separators)
    removes every such sequence."""
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _escape(text: str) -> str:
    import html

    return html.escape(text, quote=True)
