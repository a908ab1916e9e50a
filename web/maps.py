"""The map page (`/`, `/map`) and its JSON: the page is a few kilobytes of Folium; the script fetches
/map/base.json (boundaries, cached) and /map/data.json?<the same filters as the list>."""
from __future__ import annotations

import hashlib
import json
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, render_template, request, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from registry import stamp
from registry.config import Settings
from registry.errors import InvalidFilter
from registry.maps.base import base_layers
from registry.maps.data import cache_key, check_group_by, map_data
from registry.maps.labels import map_labels
from registry.maps.offmap import off_map
from registry.maps.page import SHADE_CHOICES, MapOptions, Source, build_map, render_parts
from registry.queries import ResolvedFilter, describe, facets, resolve, totals
from registry.stampcache import StampedCache
from web import filterform
from web.assets import asset_url
from web.compression import Packed, packed_response
from web.i18n import current_lang
from web.request_filter import request_filter
from web.session import cache as stamped_cache
from web.session import get_session

bp = Blueprint("maps", __name__)


def _settings() -> Settings:
    return current_app.config["KPR_SETTINGS"]  # type: ignore[no-any-return]


def _crs() -> str:
    return "gcj02" if _settings().tiles_crs == "gcj02" else "wgs84"


def _json(payload: Any, max_age: int = 0) -> WerkzeugResponse:
    return _json_bytes(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode(), max_age)


def _json_bytes(body: bytes, max_age: int = 0) -> WerkzeugResponse:
    resp = Response(body, mimetype="application/json")
    resp.set_etag(hashlib.sha1(body).hexdigest())
    resp.cache_control.max_age = max_age
    return resp.make_conditional(request)


def _shade() -> str:
    shade = request.args.get("shade") or "count"
    if shade not in SHADE_CHOICES:
        raise InvalidFilter(f"shade={shade!r}: expected one of {' / '.join(SHADE_CHOICES)}")
    return shade


def _shown_corridors(rf: ResolvedFilter) -> tuple[str, ...]:
    """Corridor overlays on at start: those filtered by, and a filtered strategy's own corridors and regions."""
    related = (c for c in rf.strategies if rf.vocab.strategies[c].kind in ("corridor", "region"))
    return tuple(dict.fromkeys((*rf.corridors, *related)))


@bp.get("/")
@bp.get("/map")
def map_page() -> str | tuple[str, int]:
    session = get_session()
    rf, errors = filterform.forgiving(
        lambda args: resolve(session, request_filter(args)), request.args)
    group_by = check_group_by(request.args.get("group_by"))
    shade = _shade()
    # Counts and facets from the list's facet index when this worker holds one for the snapshot (or can bring
    # it up to date from the stamp log), else from SQL, which costs less than building one.
    index = stamped_cache("kpr_facet_index").current(session)
    evaluation = None if index is None else index.evaluate(rf)
    found = facets(session, rf) if evaluation is None else evaluation.facets()
    sums = totals(session, rf) if evaluation is None else evaluation.totals()
    keep = [(k, v) for k, v in (("group_by", group_by), ("shade", shade)) if v not in ("chain", "count")]
    form = filterform.build(rf, found, keep, filterform.progress_months(session))
    params = form.params
    query = urlencode(params)
    list_url = url_for("kpr.projects_page") + ("?" + query if query else "")
    settings = _settings()
    words = map_labels(current_lang())
    fmap = build_map(MapOptions(
        data=Source(url=url_for("kpr.maps.data_json") + "?" + urlencode([*params, ("group_by", group_by)])),
        base=Source(url=url_for("kpr.maps.base_json")),
        labels=words, group_by=group_by, shade=shade,
        detail_url=url_for("kpr.project_page", code="__CODE__"), list_url=list_url,
        corridors=_shown_corridors(rf), tiles_url=settings.tiles_url, tiles_attribution=settings.tiles_attribution,
    ))
    html = render_template(
        "map.html", parts=render_parts(fmap, asset_url), totals=sums, facets=found,
        filter_words=describe(rf), params=params, group_by=group_by, shade=shade, list_url=list_url,
        vocab=rf.vocab, form_action=url_for("kpr.maps.map_page"), form=form,
        errors=errors, fixes=filterform.fixes(errors, params, keep),
        off_map=off_map(session, rf), map_words=words,
    )
    return (html, 400) if errors else html


@bp.get("/map/data.json")
def data_json() -> WerkzeugResponse:
    """Built once per resolved filter and data stamp: at 100,000 projects building takes ~1.5 s, a cached
    answer a few milliseconds. The stamp is read in the request's snapshot, the same one the build reads."""
    session = get_session()
    rf = resolve(session, request_filter())
    group_by = check_group_by(request.args.get("group_by"))
    crs = _crs()

    def build() -> Packed:
        payload = map_data(session, rf, group_by, crs=crs)
        payload["filter"] = describe(rf)
        return Packed.of(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode())

    cache: StampedCache[Packed] = stamped_cache("kpr_map_data")
    return packed_response(cache.get((cache_key(rf), group_by, crs), stamp.read(session), build))


@bp.get("/map/base.json")
def base_json() -> WerkzeugResponse:
    # Boundaries change when geodata is re-seeded or zones imported: both write rows, so the stamp moves.
    session = get_session()
    crs = _crs()
    cache: StampedCache[dict[str, Any]] = stamped_cache("kpr_map_base")
    return _json(cache.get(crs, stamp.read(session), lambda: base_layers(session, crs=crs)), max_age=300)
