"""Spreadsheet twins of the project list (.xlsx, .geojson), the import template, and the upload page.

The upload page writes to the registry: editors and admins only. Its preview applies the file inside the
request's transaction, reads the per-field changes the history recorded, and rolls back."""
from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import IO, Any

from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from werkzeug.wrappers import Response as WerkzeugResponse

from registry import history
from registry.errors import FileTooLarge, ImportRefused, NotFound
from registry.export import MIMETYPES, build_context, export_rows
from registry.historyview import change_rows
from registry.importer.limits import Limits
from registry.importer.precheck import check_upload, check_upload_size
from registry.importer.report import ImportReport, write_report_xlsx
from registry.importer.run import import_file
from registry.importer.template import write_template
from registry.printout import export_filename
from registry.progress.files import write_template as write_progress_template
from registry.queries import iter_rows, resolve
from registry.vocabulary import Vocabulary
from web import jobs, progress_upload
from web.auth import current_record, require
from web.request_filter import request_filter
from web.session import get_session

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
    # The bare type: Werkzeug adds "; charset=utf-8" to text types itself (CSV would say it twice).
    mimetype = MIMETYPES.get(fmt, fmt).split(";")[0]
    return send_file(out, mimetype=mimetype, as_attachment=True, download_name=name)


def _export(fmt: str) -> Response:
    session = get_session()
    rf = resolve(session, request_filter())
    context = build_context(session, rf, fmt=fmt)
    rows = iter_rows(session, rf, sort=request.args.get("sort"))
    return _send(lambda out: export_rows(rows, out, fmt, context), fmt, export_filename(rf, fmt))


@bp.get("/projects.csv")
def projects_csv() -> Response:
    """The same columns as the .xlsx 项目 sheet and `kpr export x.csv`, through a temporary file like the other
    downloads (it was built in memory: for 100,000 projects a 46 MiB string and 39 MiB of bytes per response)."""
    return _export("csv")


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


@bp.get("/import/progress-template.xlsx")
def progress_template_xlsx() -> Response:
    """The empty 调度 sheet `kpr progress template` writes, for this month."""
    today = date.today()

    def write(out: IO[bytes]) -> None:
        with tempfile.TemporaryDirectory(prefix="kpr-template-") as tmp:
            path = Path(tmp) / "t.xlsx"
            write_progress_template(str(path), today.year, today.month)
            out.write(path.read_bytes())
    return _send(write, "xlsx", f"kpr-diaodu-{today.year}-{today.month:02d}.xlsx")


def _save_upload(tmpdir: Path) -> Path:
    check_upload_size(request.content_length, LIMITS)
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
    kind = "progress" if request.args.get("kind") == "progress" else "projects"
    return render_template("import.html", report=None, action=None, kind=kind)


@bp.post("/import")
@require("editor")
def import_post() -> Response | WerkzeugResponse | tuple[str, int] | str:
    action = request.form.get("action", "preview")
    if request.form.get("kind") == "progress":  # a monthly 调度 sheet: web/progress_upload.py
        return progress_upload.post(action, _save_upload)
    skip_invalid = request.form.get("skip_invalid") == "1"
    session = get_session()
    settings = current_app.config["KPR_SETTINGS"]
    with tempfile.TemporaryDirectory(prefix="kpr-upload-") as tmp:
        path = _save_upload(Path(tmp))
        name = Path(request.files["file"].filename or "upload").name
        checked = check_upload(path, LIMITS, request.form.get("sheet") or None)  # refuses before any work
        if checked.rows > settings.import_job_rows and action in ("preview", "apply"):
            return _start_job(path, name, action, skip_invalid)
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
            report.dry_run = action != "apply"  # a preview wrote nothing by design, not for errors
    if action == "report":
        return _send(lambda out: write_report_xlsx(report, out), "xlsx", "kpr-import-report.xlsx")
    status = 200 if report.applied or not report.problem_count or action != "apply" else 422
    return Response(render_template("import.html", report=report, action=action, diffs=diffs[:2000],
                                    more_diffs=max(0, len(diffs) - 2000), result=_view(report)), status=status)


def _start_job(path: Path, name: str, action: str, skip_invalid: bool) -> WerkzeugResponse:
    settings = current_app.config["KPR_SETTINGS"]
    keep = Path(settings.instance_dir) / "uploads"
    keep.mkdir(parents=True, exist_ok=True)
    job_id = jobs.new_job_id()
    kept = keep / f"{job_id}{path.suffix}"
    shutil.copyfile(path, kept)
    job = jobs.ImportJob(job_id, current_record(), kept, name, action, skip_invalid,  # type: ignore[arg-type]
                         request.form.get("sheet") or None, request.form.get("comment") or None)
    registry: jobs.JobRegistry = current_app.extensions.setdefault("kpr_jobs", jobs.JobRegistry())
    registry.start(current_app._get_current_object(), job, LIMITS)  # type: ignore[attr-defined]
    return redirect(url_for("exchange.import_job", job_id=job_id))


def _job(job_id: str) -> jobs.ImportJob:
    registry: jobs.JobRegistry | None = current_app.extensions.get("kpr_jobs")
    job = registry.get(job_id) if registry else None
    record = current_record()
    if job is None or record is None or (job.user.id != record.id and not record.can("admin")):
        raise NotFound("没有这个导入任务（任务只保留一小时）(no such import job)")
    return job


@bp.get("/import/jobs/<job_id>")
@require("editor")
def import_job(job_id: str) -> str:
    job = _job(job_id)
    if job.kind == "progress":
        return progress_upload.job_page(job)
    report = job.report
    return render_template("import.html", job=job, report=report, action=job.action, diffs=job.diffs,
                           more_diffs=0, result=_view(report) if report else None)


@bp.get("/import/jobs/<job_id>.json")
@require("editor")
def import_job_json(job_id: str) -> Response:
    return jsonify(_job(job_id).to_dict())


def _view(report: ImportReport) -> dict[str, Any]:
    return {"problems": report.problems[:500], "more": max(0, report.problem_count - 500),
            "duplicates": report.duplicates[:200]}
