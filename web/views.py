"""Pages and their data twins. Every list view goes through the same ProjectFilter as the CLI."""
from __future__ import annotations

import io

from flask import Blueprint, Response, jsonify, render_template, request, url_for
from sqlalchemy import select

from registry.errors import NotFound
from registry.models import Project
from registry.queries import ProjectFilter, describe, facets, fetch_rows, iter_rows, resolve, totals
from registry.records import Names, project_row
from registry.textout import LIST_COLUMNS, write_csv
from web.session import get_session

bp = Blueprint("kpr", __name__)
PAGE_SIZE = 50


def _filter() -> ProjectFilter:
    return ProjectFilter.from_params(request.args.to_dict(flat=False))


@bp.get("/")
def index() -> str:
    return projects_page()


@bp.get("/projects")
def projects_page() -> str:
    session = get_session()
    rf = resolve(session, _filter())
    page = max(1, request.args.get("page", 1, type=int) or 1)
    sort = request.args.get("sort", "code")
    rows = fetch_rows(session, rf, sort=sort, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    return render_template(
        "projects.html", rows=rows, totals=totals(session, rf), facets=facets(session, rf),
        filter_words=describe(rf), params=rf.raw.to_params(), page=page, page_size=PAGE_SIZE, sort=sort,
        columns=LIST_COLUMNS,
    )


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
    row = project_row(_project_or_404(code), Names(get_session()))
    return render_template("project.html", row=row, back=url_for("kpr.projects_page"))


@bp.get("/projects/<code>.json")
def project_json(code: str) -> Response:
    return jsonify(project_row(_project_or_404(code), Names(get_session())).to_dict())
