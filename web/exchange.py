"""Spreadsheet twins of the project list (.xlsx, .geojson), the import template, and the upload page.

The upload page writes to the registry: editors and admins only. Its preview applies the file inside the
request's transaction, reads the per-field changes the history recorded, and rolls back."""
from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from flask import Blueprint, Response, current_app, render_template, request, send_file

from registry import history
from registry.export import MIMETYPES, build_context, export_rows
from registry.historyview import change_rows
from registry.importer.errors import FileTooLarge, ImportRefused
from registry.importer.limits import Limits
from registry.importer.report import ImportReport, write_report_xlsx
from registry.importer.run import import_file
from registry.importer.template import write_template
from registry.queries import Vocabulary, iter_rows, resolve
from web.auth import current_record, require
from web.session import get_session
from web.views import _filter

bp = Blueprint("exchange", __name__)
UPLOAD_SUFFIXES = (".xlsx", ".csv")
LIMITS = Limits()


def _send(write: Callable[[IO[bytes]], Any], fmt: str, name: str) -> Response:
    """Write to a temp file (bounded memory for large exports) and send it as a download."""
    out = tempfile.TemporaryFile()  # noqa: SIM115 - send_file closes it after the response
    try:
        write(out)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return send_file(out, mimetype=MIMETYPES.get(fmt, fmt), as_attachment=True, download_name=name)


def _export(fmt: str) -> Response:
    session = get_session()
    rf = resolve(session, _filter())
    context = build_context(session, rf)
    rows = iter_rows(session, rf, sort=request.args.get("sort"))
    return _send(lambda out: export_rows(rows, out, fmt, context), fmt, f"kpr-projects.{fmt}")


@bp.get("/projects.xlsx")
def projects_xlsx() -> Response:
    return _export("xlsx")


@bp.get("/projects.geojson")
def projects_geojson() -> Response:
    return _export("geojson")


@bp.get("/import/template.xlsx")
def template_xlsx() -> Response:
    vocab = Vocabulary.load(get_session())
    return _send(lambda out: write_template(vocab, out), "xlsx", "kpr-import-template.xlsx")


def _save_upload(tmpdir: Path) -> Path:
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ImportRefused("请选择要上传的 .xlsx 或 .csv 文件 (no file chosen)")
    suffix = Path(upload.filename).suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise ImportRefused(f"只接受 .xlsx 或 .csv 文件，收到 {suffix or '(无扩展名)'} (only .xlsx or .csv)")
    path = tmpdir / f"upload{suffix}"
    with path.open("wb") as out:
        copied = 0
        while chunk := upload.stream.read(1 << 20):
            copied += len(chunk)
            if copied > LIMITS.max_bytes:
                raise FileTooLarge(f"文件超过 {LIMITS.max_bytes // (1 << 20)} MB 上限 (file too large)")
            out.write(chunk)
    return path


@bp.get("/import")
@require("editor")
def import_page() -> str:
    return render_template("import.html", report=None, action=None)


@bp.post("/import")
@require("editor")
def import_post() -> Response | str:
    action = request.form.get("action", "preview")
    skip_invalid = request.form.get("skip_invalid") == "1"
    session = get_session()
    with tempfile.TemporaryDirectory(prefix="kpr-upload-") as tmp:
        path = _save_upload(Path(tmp))
        name = Path(request.files["file"].filename or "upload").name
        change_set = history.begin(session, "import", user=current_record(), file_name=name,
                                   comment=request.form.get("comment") or None)
        try:
            # Applied inside this transaction either way: the preview reads what the history recorded.
            report = import_file(session, path, dry_run=False, sheet=request.form.get("sheet") or None,
                                 skip_invalid=skip_invalid, settings=current_app.config["KPR_SETTINGS"],
                                 limits=LIMITS)
            session.flush()
            diffs = change_rows(session, change_set.id) if report.applied else []
        except BaseException:
            session.rollback()
            raise
        report.file = name
        if action == "apply" and report.applied:
            session.commit()
        else:
            session.rollback()
            report.applied = False
    if action == "report":
        return _send(lambda out: write_report_xlsx(report, out), "xlsx", "kpr-import-report.xlsx")
    status = 200 if report.applied or not report.problem_count or action != "apply" else 422
    return Response(render_template("import.html", report=report, action=action, diffs=diffs[:2000],
                                    more_diffs=max(0, len(diffs) - 2000), result=_view(report)), status=status)


def _view(report: ImportReport) -> dict[str, Any]:
    return {"problems": report.problems[:500], "more": max(0, report.problem_count - 500),
            "duplicates": report.duplicates[:200]}
