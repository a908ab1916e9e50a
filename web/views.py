"""Pages and their data twins. Every list view goes through the same ProjectFilter as the CLI."""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for
from markupsafe import Markup
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response as WerkzeugResponse

from registry import stamp
from registry.clock import beijing, day_end
from registry.editing import get_project
from registry.errors import BadFilterValue
from registry.export.jsonpage import json_page, paging_from_params
from registry.family import family
from registry.historyview import history_rows
from registry.maps.anchors import load_anchors
from registry.maps.data import cache_key
from registry.maps.detail import location_data
from registry.maps.labels import map_labels
from registry.maps.page import MapOptions, Source, build_map, json_for_script, render_parts
from registry.models import Project
from registry.projectrows import project_row
from registry.queries import ResolvedFilter, describe, fetch_rows, resolve
from registry.records import ProgressRow, ProjectRow
from registry.sorting import parse_sort
from registry.textout import LIST_COLUMNS
from registry.vocabulary import Vocabulary, progress_word
from web import assets, filterform, maps
from web.auth import can
from web.compression import Packed, packed_response
from web.i18n import STRINGS, current_lang
from web.listcache import index_and_static
from web.progress_chart import render_progress_svg, year_rows
from web.request_filter import request_filter
from web.session import as_of_day, cache, get_session

bp = Blueprint("kpr", __name__)
PAGE_SIZE = 50


def _page(args: MultiDict[str, str]) -> int:
    raw = (args.get("page") or "1").strip()
    if not re.fullmatch(r"[0-9]{1,7}", raw) or int(raw) < 1:
        raise BadFilterValue(f"页码 page={raw!r} 应为 1 到 9999999 之间的整数 (expected a page number)", "page", raw)
    return int(raw)


def _list_context(session: Session, args: MultiDict[str, str]) -> dict[str, Any]:
    """Everything the list page shows for these query arguments; BadFilterValue names a value it cannot use."""
    index, static = index_and_static(session)
    rf = resolve(session, request_filter(args), static.vocab)
    sort = (args.get("sort") or "code").strip() or "code"
    parse_sort(sort)
    group_by = maps.check_group_by(args.get("group_by"))
    page = _page(args)
    found = index.evaluate(rf)
    offset = (page - 1) * PAGE_SIZE
    page_ids = found.page_ids(sort, offset, PAGE_SIZE, session)
    if page_ids is not None:  # the index knows the order: load just this page's rows
        rows = static.rows([int(i) for i in page_ids], rf.progress_rule,
                           lambda ids: fetch_rows(session, rf, sort=sort, ids=ids))
    else:
        rows = fetch_rows(session, rf, sort=sort, limit=PAGE_SIZE, offset=offset)
    facets = found.facets()
    keep = [(k, v) for k, v in (("sort", sort), ("group_by", group_by)) if v not in ("code", "chain")]
    form = filterform.build(rf, facets, keep, static.months)
    return {
        "rows": rows, "totals": found.totals(), "facets": facets, "filter_words": describe(rf),
        "params": form.params, "form": form, "keep": keep, "page": page, "page_size": PAGE_SIZE, "sort": sort,
        "columns": LIST_COLUMNS, "group_by": group_by, "vocab": rf.vocab, "form_action": url_for("kpr.projects_page"),
        "progress_month": rf.progress_month, "project_href": _project_href(),
    }


# Characters a URL path segment keeps as they are: a code of only these needs no url_for of its own.
_PLAIN_CODE = re.compile(r"[A-Za-z0-9._~-]+")


def _project_href() -> Callable[[str], str]:
    """url_for('kpr.project_page', code=…) for the page's 50 rows, building the URL once, not per row."""
    marker = "KPRCODE"
    prefix = url_for("kpr.project_page", code=marker).removesuffix(marker)
    return lambda code: prefix + code if _PLAIN_CODE.fullmatch(code) else url_for("kpr.project_page", code=code)


@bp.get("/projects")
def projects_page() -> str | tuple[str, int]:
    session = get_session()
    index, _ = index_and_static(session)

    def build() -> tuple[Markup, bool]:
        # A value that cannot be used is dropped and named; the rest of the filter still applies.
        context, errors = filterform.forgiving(lambda args: _list_context(session, args), request.args)
        html = render_template("projects_main.html", errors=errors,
                               fixes=filterform.fixes(errors, context["params"], context["keep"]), **context)
        return Markup(html), bool(errors)

    # The main part is the same for everyone at this stamp, language and query: rendered once (Jinja was two
    # thirds of a list request); the header with the account and its CSRF token is rendered every time.
    key = (current_lang(), tuple(request.args.items(multi=True)))
    main_html, failed = cache("kpr_list_pages").get(key, index.stamp, build)
    html = render_template("projects.html", main_html=main_html)
    return (html, 400) if failed else html


JSON_ROWS_KEPT = 200  # /projects.json pages up to this size share the list's per-stamp row cache


def _fetch_ids(session: Session, rf: ResolvedFilter, sort: str | None, ids: list[int]) -> list[ProjectRow]:
    return fetch_rows(session, rf, sort=sort, ids=ids)


@bp.get("/projects.json")
def projects_json() -> WerkzeugResponse:
    """One page (limit ≤ MAX_LIMIT, offset) in the shape `kpr projects --format json` prints. Built once per
    resolved filter, page and data stamp, from the facet index: count, totals and rows of one snapshot."""
    session = get_session()
    index, static = index_and_static(session)
    rf = resolve(session, request_filter(), static.vocab)
    paging = paging_from_params(request.args.get("limit"), request.args.get("offset"))
    sort = request.args.get("sort")
    parse_sort(sort or "code")
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "offset" and v != ""]

    def build() -> tuple[Packed, int | None]:
        found = index.evaluate(rf)

        def rows(count: int) -> Sequence[ProjectRow]:
            ids = None if paging.offset >= count else found.page_ids(sort, paging.offset, paging.limit or count,
                                                                     session)
            if ids is None:
                return []
            fetch = partial(_fetch_ids, session, rf, sort)
            if len(ids) > JSON_ROWS_KEPT:  # a large page would push the list's shown rows out of the cache
                return fetch([int(i) for i in ids])
            return static.rows([int(i) for i in ids], rf.progress_rule, fetch)

        data = json_page(session, rf, paging, sort, sums=found.totals(), rows=rows)
        return Packed.of(f"{current_app.json.dumps(data)}\n".encode()), data["next"]

    key = (cache_key(rf), paging, sort or "code")
    packed, following = cache("kpr_json_pages").get(key, index.stamp, build)
    resp = packed_response(packed)
    if following is not None:
        link = url_for("kpr.projects_json") + "?" + urlencode([*args, ("offset", str(following))])
        resp.headers["Link"] = f'<{link}>; rel="next"'
    return resp


def _project_or_404(code: str) -> Project:
    """Archived projects stay reachable by code for admins only."""
    return get_project(get_session(), code, include_archived=can("admin"))


@bp.get("/projects/<code>")
def project_page(code: str) -> str:
    session = get_session()
    row = project_row(_project_or_404(code), Vocabulary.load(session))
    crs = "gcj02" if current_app.config["KPR_SETTINGS"].tiles_crs == "gcj02" else "wgs84"
    labels = map_labels(current_lang())
    # The zones' and districts' points change only with the data stamp (import-zones, seeding): ~50 ms to work out.
    anchors = cache("kpr_anchors").get(None, stamp.read(session), lambda: load_anchors(session))
    data = location_data(row, anchors, row.name, crs=crs)
    settings = current_app.config["KPR_SETTINGS"]
    fmap = build_map(MapOptions(
        data=Source(element="kpr-detail-data"), base=Source(url=url_for("kpr.maps.base_json")), labels=labels,
        shade="none", fit="points", remember_shade=False, compact=True, tiles_url=settings.tiles_url,
        tiles_attribution=settings.tiles_attribution,
    ))
    project = _project_or_404(code)
    day = as_of_day()
    return render_template("project.html", row=row, back=url_for("kpr.projects_page"),
                           parts=render_parts(fmap, assets.asset_url), zip=zip,
                           detail_data=json_for_script(json.dumps(data, ensure_ascii=False)),
                           archived_at=project.archived_at and beijing(project.archived_at),  # 北京时间
                           history=history_rows(session, project.id, before=day_end(day) if day else None),
                           family=family(session, project), extra=project, as_of=day,
                           vocab=Vocabulary.load(session) if can("editor") else None,
                           map_crs=crs, draw_assets=assets.draw_assets() if can("editor") and not day else None,
                           progress_years=_progress_years(row))


def _progress_years(row: ProjectRow) -> list[tuple[int, str, list[ProgressRow]]]:
    """Each year with 调度 figures, newest first: (year, its chart, its months)."""
    years = sorted({p.year for p in row.progress}, reverse=True)
    lang = current_lang()
    words = STRINGS[lang]
    return [(year, render_progress_svg(year_rows(row.progress, year), year, words, lambda c: progress_word(c, lang)),
             year_rows(row.progress, year)) for year in years]


@bp.get("/projects/<code>.json")
def project_json(code: str) -> Response:
    return jsonify(project_row(_project_or_404(code), Vocabulary.load(get_session())).to_dict())
