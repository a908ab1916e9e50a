"""Editing in the browser: create, edit (optimistic locking with a conflict page), archive/restore, place on
the map, history and revert. Every view here writes, so each starts with `require(role)`; CSRF is checked
app-wide (web/security.py). The core does the work (registry.editing, registry.placing, registry.revert)."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, redirect, render_template, request, url_for

from registry import placing
from registry.clock import this_year
from registry.editing import (
    FORM,
    FORM_FIELDS,
    UNITS,
    Actor,
    create_project,
    form_problems,
    get_project,
    set_archived,
    update_project,
)
from registry.errors import EditConflict, InvalidForm, InvalidRecord, KprError
from registry.geocode import Geocoder
from registry.historyview import history_rows, month_text
from registry.models import Project, ProjectMilestones
from registry.progress.editing import MONTHS, closed_months, save_progress, stored_months
from registry.progress.editing import UNITS as PROGRESS_UNITS
from registry.progress.recorded import MILESTONE_LABELS, MILESTONES
from registry.projectrows import project_row
from registry.revert import revert
from registry.vocabulary import Vocabulary
from web.auth import can, current_record, require
from web.i18n import (
    METHOD_WORDS,
    MILESTONE_WORDS_EN,
    PRECISION_WORDS,
    STRINGS,
    choice_word,
    current_lang,
)
from web.i18n_progress import month_text_en
from web.place_words import warning_en
from web.session import get_session

bp = Blueprint("edit", __name__)


def geocoder() -> Geocoder:
    """Built once per process from the geodata layers (a second or so), then shared by every request."""
    return Geocoder.from_settings(current_app.config["KPR_SETTINGS"])


def _names() -> dict[str, str]:
    """Code → name for districts, zones and corridors, for previews people read."""
    vocab = Vocabulary.load(get_session())
    return {**vocab.names("districts"), **vocab.names("zones"), **vocab.names("strategies")}


def _actor(comment: object = None) -> Actor:
    record = current_record()
    assert record is not None  # require() ran first
    text = str(comment if comment is not None else request.form.get("comment") or "")
    return Actor(record, text.strip()[:500] or None)


def _wants_json() -> bool:
    return request.is_json or request.accept_mimetypes.best == "application/json"


def _version() -> int:
    raw = request.form.get("version", "")
    if not raw.isdigit():
        raise InvalidRecord(f"缺少或无效的版本号 version={raw!r}（请从编辑页面提交）")
    return int(raw)


def _tree(vocab: Vocabulary, kind: str) -> list[tuple[str, str, int]]:
    """(code, name, depth) in tree order, for the chain and strategy pickers."""
    nodes = {code: (term.name, term.parent) for code, term in vocab.table(kind).items()}
    children: dict[str | None, list[str]] = {}
    for code, (_name, parent) in nodes.items():
        children.setdefault(parent if parent in nodes else None, []).append(code)
    out: list[tuple[str, str, int]] = []

    def walk(parent: str | None, depth: int) -> None:
        for code in sorted(children.get(parent, []), key=lambda c: nodes[c][0]):
            out.append((code, nodes[code][0], depth))
            walk(code, depth + 1)
    walk(None, 0)
    return out


# Which ProjectRow attribute a form field shows, where it is not the field's own key (the trees hold codes).
_ROW_ATTR = {"chains": "chain_codes", "strategies": "strategy_codes"}
# The database's own limits on the form's text fields (String(n) columns), so the browser says so first.
MAXLENGTHS = {f.input: length for f in FORM if f.input and f.column
              and (length := getattr(Project.__table__.c[f.column].type, "length", None))}


def _form_values(project: Project | None) -> dict[str, Any]:
    if project is None:
        return {f.input: [] if f.form == "tree" else "" for f in FORM if f.input} | {
            "investment_unit": UNITS[0], "status": "unknown"}
    row = project_row(project, Vocabulary.load(get_session()))
    values: dict[str, Any] = {"investment_unit": UNITS[0]}
    for f in FORM:
        value = getattr(row, _ROW_ATTR.get(f.key, f.key))
        if f.form == "tree":
            values[f.key] = list(value)
        elif f.form == "lines":
            values[f.key] = "\n".join(value)
        elif f.form == "amount":
            values[f.key] = "" if value is None else format(value, "f")
        else:
            values[f.key] = "" if value is None else value
    return values


def _submitted() -> dict[str, Any]:
    values: dict[str, Any] = {key: request.form.get(key, "") for key in FORM_FIELDS}
    values |= {f.key: request.form.getlist(f.key) for f in FORM if f.form == "tree"}
    return values


def _render_form(project: Project | None, values: dict[str, Any], errors: dict[str, list[str]],
                 status: int = 200, conflict: dict[str, Any] | None = None) -> tuple[str, int]:
    vocab, lang = Vocabulary.load(get_session()), current_lang()
    # A choice may be left empty, except status, which says 未注明 with a value of its own ("unknown").
    choices = {f.key: ([] if "unknown" in f.choices else [("", STRINGS[lang]["e_not_stated"])])
               + [(c, choice_word(lang, f.key, c)) for c in f.choices] for f in FORM if f.form == "choice"}
    return render_template(
        "edit.html", project=project, values=values, errors=errors, conflict=conflict, form_fields=FORM,
        trees={f.key: _tree(vocab, f.vocab) for f in FORM if f.form == "tree"}, choices=choices,
        maxlengths=MAXLENGTHS, units=UNITS,
    ), status


def _conflict(exc: EditConflict, values: dict[str, Any]) -> Response | tuple[str, int]:
    current = _form_values(exc.project)
    if _wants_json():
        response = jsonify(error=exc.code, message=exc.message, current=current, yours=values,
                           version=exc.project.version)
        response.status_code = 409
        return response
    return _render_form(exc.project, values, {}, 409, conflict=current)


@bp.route("/projects/new", methods=["GET", "POST"])
@require("editor")
def new_project() -> Any:
    if request.method == "GET":
        return _render_form(None, _form_values(None), {})
    values = _submitted()
    session = get_session()
    try:
        project = create_project(session, values, _actor(), placer=geocoder().place_project)
    except InvalidForm as exc:
        session.rollback()
        return _render_form(None, values, form_problems(exc, current_lang()), 422)
    session.commit()
    return redirect(url_for("kpr.project_page", code=project.code))


@bp.route("/projects/<code>/edit", methods=["GET", "POST"])
@require("editor")
def edit_project(code: str) -> Any:
    session = get_session()
    admin = can("admin")
    if request.method == "GET":
        project = get_project(session, code, include_archived=admin)
        return _render_form(project, _form_values(project), {})
    values = _submitted()
    try:
        project = update_project(session, code, values, _version(), _actor())
    except InvalidForm as exc:
        session.rollback()
        return _render_form(get_project(session, code, include_archived=admin), values, form_problems(exc, current_lang()), 422)
    except EditConflict as exc:
        session.rollback()
        return _conflict(exc, values)
    session.commit()
    if _wants_json():
        return jsonify(code=project.code, version=project.version)
    return redirect(url_for("kpr.project_page", code=project.code))


@bp.post("/projects/<code>/archive")
@require("editor")
def archive_project(code: str) -> Any:
    return _archive(code, True)


@bp.post("/projects/<code>/restore")
@require("admin")
def restore_project(code: str) -> Any:
    return _archive(code, False)


def _archive(code: str, archived: bool) -> Any:
    session = get_session()
    try:
        set_archived(session, code, archived, _version(), _actor())
    except EditConflict as exc:
        session.rollback()
        return _conflict(exc, {})
    session.commit()
    if archived and not can("admin"):
        return redirect(url_for("kpr.projects_page"))
    return redirect(url_for("kpr.project_page", code=code))


def _place_form() -> dict[str, Any]:
    """The placement form (or JSON). An area names its district or zone as a filter or an import does:
    code, name or short form (registry/vocabulary.py); what names nothing is left for placing to refuse."""
    data = request.get_json(silent=True) if request.is_json else None
    form = dict(data or request.form)
    vocab = Vocabulary.load(get_session())
    for key, kind in (("district_code", "districts"), ("zone_code", "zones")):
        text = str(form.get(key) or "").strip()
        if text:
            form[key] = vocab.resolve(kind, text) or text
    return form


def _place_request() -> placing.PlaceRequest:
    return placing.parse_request(_place_form())


@bp.post("/projects/<code>/place/preview")
@require("editor")
def place_preview(code: str) -> Response:
    session = get_session()
    project = get_project(session, code, include_archived=True)
    found = placing.preview(project, _place_request(), geocoder())
    data = found.to_dict(_names())
    if current_lang() == "en":
        data["warnings"] = [warning_en(w) for w in data["warnings"]]
    return jsonify(data)


@bp.post("/projects/<code>/place")
@require("editor")
def place_project(code: str) -> Any:
    session = get_session()
    form = _place_form()
    raw_version = str(form.get("version", ""))
    if not raw_version.isdigit():
        raise InvalidRecord(f"缺少或无效的版本号 version={raw_version!r}")
    actor = _actor(form.get("comment") or "")
    try:
        project, found = placing.save(session, code, placing.parse_request(form), int(raw_version), actor,
                                      geocoder())
    except EditConflict as exc:
        session.rollback()
        return _conflict(exc, form)
    session.commit()
    if _wants_json():
        return jsonify(code=project.code, version=project.version, placement=found.to_dict(_names()))
    return redirect(_local(request.form.get("next")) or url_for("kpr.project_page", code=code))


@bp.get("/projects/<code>/history.json")
def project_history(code: str) -> Response:
    session = get_session()
    project = get_project(session, code, include_archived=can("admin"))
    return jsonify(code=project.code, history=[r.to_dict() for r in history_rows(session, project.id)])


@bp.post("/changes/<int:change_id>/revert")
@require("admin")
def revert_change(change_id: int) -> Any:
    return _revert(change_id=change_id)


@bp.post("/change-sets/<int:set_id>/revert")
@require("admin")
def revert_change_set(set_id: int) -> Any:
    return _revert(change_set_id=set_id)


def _revert(**target: int) -> Any:
    session = get_session()
    try:
        change_set = revert(session, _actor(), **target)
    except KprError:
        session.rollback()
        raise
    session.commit()
    if _wants_json():
        return jsonify(change_set=change_set.id)
    return redirect(_local(request.form.get("next")) or url_for("kpr.projects_page"))


def _local(target: str | None) -> str | None:
    """A `next` target only when it is a path on this server."""
    return target if target and target.startswith("/") and not target.startswith("//") else None


@bp.app_template_filter("historyvalue")
def history_value(value: Any, field: str | None = None) -> str:
    """A recorded value as a person reads it in the page's language (lists joined, a placement summarised,
    stored codes such as status 'unknown' or a method in words)."""
    lang = current_lang()
    words = STRINGS[lang]
    if value is None or value == "" or value == []:
        return words["empty_value"]
    if isinstance(value, dict) and "precision" in value:
        names = geocoder().names
        parts = [names.get(value.get("district_code") or "", "") or "", names.get(value.get("zone_code") or "", "")]
        where = " · ".join(p for p in parts if p) or words["h_unplaced"]
        point = f" ({value['lon']:.5f}, {value['lat']:.5f})" if value.get("lon") is not None else ""
        precision = PRECISION_WORDS[lang].get(int(value.get("precision") or 8), str(value.get("precision")))
        method = METHOD_WORDS[lang].get(value.get("method") or "", value.get("method") or "")
        return words["h_sep"].join(p for p in (f"{where}{point}", f"{words['h_precision']} {precision}", method) if p)
    if isinstance(value, dict) and "completed_investment" in value:
        return month_text_en(value) if lang == "en" else month_text(value)
    if isinstance(value, list):
        return words["list_sep"].join(history_value(v) if isinstance(v, dict) else str(v) for v in value)
    if isinstance(value, dict):
        return words["h_sep"].join(f"{v}" for v in value.values() if v not in (None, ""))
    return choice_word(lang, field or "", str(value))


# -- progress (issue 17): one year's plan, the months' figures, the milestone dates ------------------------
def _progress_year(project: Project) -> int:
    raw = (request.values.get("year") or "").strip()
    if raw:
        if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
            raise InvalidRecord(f"年份 year={raw!r} 应为 2000–2100 之间的整数")
        return int(raw)
    years = [p.year for p in project.progress]
    return max(years) if years else this_year()


def _progress_values(session: Any, project: Project, year: int) -> dict[str, Any]:
    stored = stored_months(session, project, year)
    plans = [r.plan_investment for _, r in sorted(stored.items()) if r.plan_investment is not None]
    values: dict[str, Any] = {"unit": "亿元", "plan_investment": format(plans[-1], "f") if plans else ""}
    for m in MONTHS:
        row = stored.get(m)
        values[f"completed_{m}"] = "" if row is None or row.completed_investment is None else format(
            row.completed_investment, "f")
        values[f"image_{m}"] = (row.image_progress if row else None) or ""
        values[f"issues_{m}"] = (row.issues if row else None) or ""
    stones = session.get(ProjectMilestones, project.id)
    for key in MILESTONES:
        found = getattr(stones, key) if stones is not None else None
        values[key] = found.isoformat() if found else ""
    return values


def _render_progress(project: Project, year: int, values: dict[str, Any], errors: dict[str, list[str]],
                     status: int = 200, conflict: bool = False) -> tuple[str, int]:
    session = get_session()
    current = this_year()
    years = sorted({*(p.year for p in project.progress), current - 1, current, year})
    return render_template("progress_edit.html", project=project, year=year, years=years, values=values,
                           errors=errors, conflict=conflict, months=MONTHS, units=PROGRESS_UNITS,
                           closed=closed_months(session, year),
                           milestone_labels=MILESTONE_WORDS_EN if current_lang() == "en" else MILESTONE_LABELS), status


@bp.route("/projects/<code>/progress", methods=["GET", "POST"])
@require("editor")
def edit_progress(code: str) -> Any:
    session = get_session()
    admin = can("admin")
    project = get_project(session, code, include_archived=admin)
    year = _progress_year(project)
    if request.method == "GET":
        return _render_progress(project, year, _progress_values(session, project, year), {})
    values = {key: request.form.get(key, "") for key in ("unit", "plan_investment", *MILESTONES)}
    values |= {f"{k}_{m}": request.form.get(f"{k}_{m}", "") for m in MONTHS for k in ("completed", "image", "issues")}
    try:
        save_progress(session, code, year, request.form, _version(), _actor())
    except InvalidForm as exc:
        session.rollback()
        return _render_progress(get_project(session, code, include_archived=admin), year, values,
                                form_problems(exc, current_lang()), 422)
    except EditConflict as exc:
        session.rollback()
        return _render_progress(exc.project, year, values, {}, 409, conflict=True)
    session.commit()
    return redirect(url_for("kpr.project_page", code=code) + "#history")
