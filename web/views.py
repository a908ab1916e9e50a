"""Pages and their data twins. Every list view goes through the same ProjectFilter as the CLI."""
from __future__ import annotations

import io
import json
import re
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from registry.badvalue import BadFilterValue
from registry.errors import NotFound
from registry.maps.anchors import load_anchors
from registry.maps.detail import location_data
from registry.maps.labels import map_labels
from registry.maps.page import MapOptions, Source, build_map, json_for_script, render_parts
from registry.models import Project
from registry.queries import ProjectFilter, describe, fetch_rows, iter_rows, resolve, totals
from registry.records import Names, project_row
from registry.sorting import parse_sort
from registry.textout import LIST_COLUMNS, write_csv
from web import assets, filterform, guards, i18n, maps
from web.i18n import current_lang
from web.session import get_session

bp = Blueprint("kpr", __name__)
# The map pages, their assets and the interface language ride on this blueprint, so create_app's one
# registration brings them all (endpoints kpr.maps.*, kpr.assets.*).
bp.register_blueprint(maps.bp)
bp.register_blueprint(assets.bp)
bp.register_blueprint(i18n.bp)
bp.register_blueprint(guards.bp)
PAGE_SIZE = 50


def _filter() -> ProjectFilter:
    return ProjectFilter.from_params(request.args.to_dict(flat=False))


def _page(args: MultiDict[str, str]) -> int:
    raw = (args.get("page") or "1").strip()
    if not re.fullmatch(r"[0-9]{1,7}", raw) or int(raw) < 1:
        raise BadFilterValue(f"页码 page={raw!r} 应为 1 到 9999999 之间的整数 (expected a page number)", "page", raw)
    return int(raw)


def _list_context(session: Session, args: MultiDict[str, str]) -> dict[str, Any]:
    """Everything the list page shows for these query arguments; BadFilterValue names a value it cannot use."""
    rf = resolve(session, ProjectFilter.from_params(args.to_dict(flat=False)))
    sort = (args.get("sort") or "code").strip() or "code"
    parse_sort(sort)
    group_by = maps.check_group_by(args.get("group_by"))
    page = _page(args)
    found = current_app.extensions["kpr_facet_index"].get(session).evaluate(rf)
    offset = (page - 1) * PAGE_SIZE
    page_ids = found.page_ids(sort, offset, PAGE_SIZE, session)
    if page_ids is not None:  # the index knows the order: load just this page's rows
        rows = fetch_rows(session, rf, sort=sort, ids=[int(i) for i in page_ids])
    else:
        rows = fetch_rows(session, rf, sort=sort, limit=PAGE_SIZE, offset=offset)
    facets = found.facets()
    keep = [(k, v) for k, v in (("sort", sort), ("group_by", group_by)) if v not in ("code", "chain")]
    form = filterform.build(rf, facets, keep)
    return {
        "rows": rows, "totals": found.totals(), "facets": facets, "filter_words": describe(rf),
        "params": form.params, "form": form, "keep": keep, "page": page, "page_size": PAGE_SIZE, "sort": sort,
        "columns": LIST_COLUMNS, "group_by": group_by, "vocab": rf.vocab, "form_action": url_for("kpr.projects_page"),
    }


@bp.get("/projects")
def projects_page() -> str | tuple[str, int]:
    session = get_session()
    # A value that cannot be used is dropped and named; the rest of the filter still applies.
    context, errors = filterform.forgiving(lambda args: _list_context(session, args), request.args)
    html = render_template("projects.html", errors=errors,
                           fixes=filterform.fixes(errors, context["params"], context["keep"]), **context)
    return (html, 400) if errors else html


@bp.get("/projects.json")
def projects_json() -> Response:
    session = get_session()
    rf = resolve(session, _filter())
    sums = totals(session, rf)
    return jsonify(
        filter=describe(rf), count=sums.count, total_investment=float(sums.investment_sum),
        without_amount=sums.without_amount,
        projects=[row.to_dict() for row in iter_rows(session, rf, sort=request.args.get("sort"))],
    )


@bp.get("/projects.csv")
def projects_csv() -> Response:
    session = get_session()
    rf = resolve(session, _filter())
    buffer = io.StringIO()
    buffer.write("\ufeff")  # BOM: Excel opens UTF-8 Chinese correctly only with it
    write_csv(iter_rows(session, rf, sort=request.args.get("sort")), buffer)
    return Response(buffer.getvalue(), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": "attachment; filename=kpr-projects.csv"})


def _project_or_404(code: str) -> Project:
    project = get_session().scalar(select(Project).where(Project.code == code))
    if project is None:
        raise NotFound(f"没有编号为 {code} 的项目 (no project with code {code!r})")
    return project


@bp.get("/projects/<code>")
def project_page(code: str) -> str:
    session = get_session()
    row = project_row(_project_or_404(code), Names(session))
    crs = "gcj02" if current_app.config["KPR_SETTINGS"].tiles_crs == "gcj02" else "wgs84"
    labels = map_labels(current_lang())
    data = location_data(row, load_anchors(session), row.name, crs=crs)
    settings = current_app.config["KPR_SETTINGS"]
    fmap = build_map(MapOptions(
        data=Source(element="kpr-detail-data"), base=Source(url=url_for("kpr.maps.base_json")), labels=labels,
        shade="none", fit="points", remember_shade=False, compact=True, tiles_url=settings.tiles_url,
        tiles_attribution=settings.tiles_attribution,
    ))
    return render_template("project.html", row=row, back=url_for("kpr.projects_page"),
                           parts=render_parts(fmap, assets.asset_url), zip=zip,
                           detail_data=json_for_script(json.dumps(data, ensure_ascii=False)))


@bp.get("/projects/<code>.json")
def project_json(code: str) -> Response:
    return jsonify(project_row(_project_or_404(code), Names(get_session())).to_dict())
