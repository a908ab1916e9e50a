"""Asset localisation: Folium's CDN links replaced by files from installed packages (xstatic-*), served by
the app or inlined, so a map never makes a request off the server.

Folium keeps its CDN URLs in class-level lists (`Map.default_js`, plugin classes' `default_js/css`). We never
mutate those: `localise()` walks one map's element tree, empties each element's lists *on the instance*, and
adds the local replacements to that map's own header. Other maps built in the same process are untouched."""
from __future__ import annotations

import base64
import mimetypes
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import folium
from branca.element import CssLink, Element, Figure, JavascriptLink
from folium.elements import JSCSSMixin

from registry.config import REPO_ROOT
from registry.errors import AssetUnavailable

_HERE = Path(__file__).resolve().parent


def _xstatic_dir(module: str) -> Path:
    import importlib

    return Path(importlib.import_module(f"xstatic.pkg.{module}").BASE_DIR)


@dataclass(frozen=True)
class Package:
    """A folder of static files the app may serve under /assets/<name>/."""

    name: str
    locate: Callable[[], Path]


PACKAGES: dict[str, Package] = {
    "leaflet": Package("leaflet", lambda: _xstatic_dir("leaflet")),
    "leaflet-markercluster": Package("leaflet-markercluster", lambda: _xstatic_dir("leaflet_markercluster")),
    "jquery": Package("jquery", lambda: _xstatic_dir("jquery")),
    "kpr": Package("kpr", lambda: _HERE / "static"),  # our own map script and styles
    # From npm with a lockfile (web/package.json, `npm ci --prefix web` in `make install`).
    "leaflet-draw": Package("leaflet-draw", lambda: REPO_ROOT / "web" / "node_modules" / "leaflet-draw" / "dist"),
}

# Folium asset name → (package, file). Names are Folium's own keys in default_js/default_css.
LOCAL: dict[str, tuple[str, str]] = {
    "leaflet": ("leaflet", "leaflet.js"),
    "jquery": ("jquery", "jquery.min.js"),
    "leaflet_css": ("leaflet", "leaflet.css"),
    "markerclusterjs": ("leaflet-markercluster", "leaflet.markercluster.js"),
    "markerclustercss": ("leaflet-markercluster", "MarkerCluster.css"),
    "markerclusterdefaultcss": ("leaflet-markercluster", "MarkerCluster.Default.css"),
    # Our own elements' assets (registry/maps/page.py: KprPoints, KprLayers), declared the same way.
    "kpr_points.js": ("kpr", "kpr_points.js"),
    "kpr_map.js": ("kpr", "kpr_map.js"),
    "kpr_map.css": ("kpr", "kpr_map.css"),
}
# Map-level defaults that most maps never use: bootstrap, and folium.Icon's awesome-markers and fonts
# (awesome-markers has no package to serve it from, so Icon is refused: see _refuse_unservable()).
# jQuery is linked only when an element needs it (folium.Popup builds its content with $(...)).
UNUSED: frozenset[str] = frozenset({
    "jquery", "bootstrap", "awesome_markers", "bootstrap_css", "glyphicons_css", "awesome_markers_font_css",
    "awesome_markers_css", "awesome_rotate_css",
})
NEEDS_JQUERY: tuple[type, ...] = (folium.Popup,)

UrlFor = Callable[[str, str], str]  # (package, path) → URL


def package_file(package: str, path: str) -> Path:
    """The file `path` inside `package`; refuses anything outside its folder (../, absolute paths)."""
    if package not in PACKAGES:
        raise FileNotFoundError(package)
    root = PACKAGES[package].locate().resolve()
    target = (root / path).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        raise FileNotFoundError(path)
    return target


def _walk(element: Element) -> list[Element]:
    out = [element]
    for child in list(element._children.values()):
        out.extend(_walk(child))
    return out


def _refuse_unservable(elements: list[Element]) -> None:
    for el in elements:
        if isinstance(el, folium.Icon):
            raise AssetUnavailable("folium.Icon needs awesome-markers, which no installed package provides; "
                                   "use CircleMarker or the default Leaflet icon")


Assets = list[tuple[str, tuple[str, str]]]  # (name, (package, file))


def collect(root: Element) -> tuple[Assets, Assets]:
    """Every (name, package file) the tree's elements need, in render order, and empty their lists."""
    elements = _walk(root)
    _refuse_unservable(elements)
    js: dict[str, tuple[str, str]] = {}
    css: dict[str, tuple[str, str]] = {}
    if any(isinstance(el, NEEDS_JQUERY) for el in elements):
        js["jquery"] = LOCAL["jquery"]
    for el in elements:
        if not isinstance(el, JSCSSMixin):
            continue
        for wanted, into in ((el.default_js, js), (el.default_css, css)):
            for name, url in wanted:
                if name in UNUSED:
                    continue
                if name not in LOCAL:
                    raise AssetUnavailable(f"no local copy of Folium asset {name!r} ({url}); add it to LOCAL")
                into.setdefault(name, LOCAL[name])
        # Instance attributes shadow the class lists: this element renders no CDN links, others are untouched.
        el.default_js = []
        el.default_css = []
    return list(js.items()), list(css.items())


def link(root: Element, url_for: UrlFor, extra_js: tuple[tuple[str, str], ...] = (),
         extra_css: tuple[tuple[str, str], ...] = ()) -> None:
    """Point the map's header at URLs the app serves (call before rendering)."""
    js, css = collect(root)
    header = _figure(root).header
    for name, (pkg, path) in [*css, *_named(extra_css)]:
        header.add_child(CssLink(url_for(pkg, path)), name=name)
    for name, (pkg, path) in [*js, *_named(extra_js)]:
        header.add_child(JavascriptLink(url_for(pkg, path)), name=name)


def _named(items: tuple[tuple[str, str], ...]) -> list[tuple[str, tuple[str, str]]]:
    return [(f"{pkg}:{path}", (pkg, path)) for pkg, path in items]


def inline(root: Element, extra_js: tuple[tuple[str, str], ...] = (),
           extra_css: tuple[tuple[str, str], ...] = ()) -> None:
    """Put the assets' text into the page itself, for a file that opens from disk with no network."""
    js, css = collect(root)
    header = _figure(root).header
    for name, (pkg, path) in [*css, *_named(extra_css)]:
        header.add_child(Element(f"<style>{inline_css(pkg, path)}</style>"), name=name)
    for name, (pkg, path) in [*js, *_named(extra_js)]:
        text = package_file(pkg, path).read_text(encoding="utf-8")
        header.add_child(Element(f"<script>{_safe_script(text)}</script>"), name=name)


_CSS_URL = re.compile(r"url\((['\"]?)([^'\")]+)\1\)")


def inline_css(package: str, path: str) -> str:
    """CSS text with its relative url(...) images turned into data: URIs."""
    css_file = package_file(package, path)
    root = PACKAGES[package].locate().resolve()

    def embed(match: re.Match[str]) -> str:
        ref = match.group(2)
        if ref.startswith(("data:", "#")):
            return match.group(0)
        try:
            image = package_file(package, str((css_file.parent / ref).resolve().relative_to(root)))
        except (FileNotFoundError, ValueError):
            return match.group(0)
        mime = mimetypes.guess_type(image.name)[0] or "application/octet-stream"
        return f"url(data:{mime};base64,{base64.b64encode(image.read_bytes()).decode('ascii')})"

    return _CSS_URL.sub(embed, css_file.read_text(encoding="utf-8")).replace("</style", "<\\/style")


def _safe_script(text: str) -> str:
    # A literal "</script" inside inlined code would end the element early.
    return text.replace("</script", "<\\/script")


def _figure(root: Element) -> Figure:
    figure = root.get_root()
    if not isinstance(figure, Figure):
        raise TypeError("add the map to a Figure before localising its assets")
    return figure

