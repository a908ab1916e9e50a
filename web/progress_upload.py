"""The upload page's second kind of file: a monthly 调度 sheet (the same import as `kpr progress import`).

Posted to /import with kind=progress (so the route, its role check and CSRF are the project import's). The
file is kept under the instance folder between the preview and the apply, so a person can confirm the rows
the matcher was unsure of (a select per row) without uploading again; kept files are the uploader's own and
expire after an hour."""
from __future__ import annotations

import re
import secrets
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from flask import Response, current_app, redirect, render_template, request, send_file, url_for
from werkzeug.wrappers import Response as WerkzeugResponse

from registry.errors import ImportRefused
from registry.importer.limits import Limits
from registry.progress.files import write_report
from registry.progress.run import ProgressReport, import_progress
from web import jobs
from web.auth import current_record
from web.session import get_session

KEEP_SECONDS = 3600
LIMITS = Limits()  # unused by a 调度 job; the job runner takes the project import's signature
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def _folder() -> Path:
    folder = Path(current_app.config["KPR_SETTINGS"].instance_dir) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("progress-*.xlsx"):  # expire forgotten previews
        if time.time() - old.stat().st_mtime > KEEP_SECONDS:
            old.unlink(missing_ok=True)
    return folder


def _kept(token: str) -> Path:
    record = current_record()
    assert record is not None  # the route requires an editor
    return _folder() / f"progress-{record.id}-{token}.xlsx"


def _keep_upload(save: Any) -> tuple[str, str]:
    """Save the posted file (through the project import's checks) or reuse a kept one: (token, file name)."""
    token = (request.form.get("upload") or "").strip()
    if request.files.get("file") and request.files["file"].filename:
        name = Path(request.files["file"].filename or "upload.xlsx").name
        if Path(name).suffix.lower() != ".xlsx":
            raise ImportRefused("调度表只接受 .xlsx 文件 (a 调度 sheet must be .xlsx)")
        with tempfile.TemporaryDirectory(prefix="kpr-upload-") as tmp:
            path = save(Path(tmp))
            token = secrets.token_urlsafe(18)
            shutil.copyfile(path, _kept(token))
        return token, name
    if not TOKEN.fullmatch(token) or not _kept(token).exists():
        raise ImportRefused("请选择要上传的调度表（.xlsx）；预览保留一小时 (no file chosen, or the preview expired)")
    return token, (request.form.get("file_name") or "调度表.xlsx")[:200]


def _period(name: str, low: int, high: int) -> int | None:
    raw = (request.form.get(name) or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ImportRefused(f"{'年份' if name == 'year' else '月份'} {raw!r} 应为 {low}–{high} 之间的整数 ({name})")
    return int(raw)


def _confirmed() -> dict[int, str]:
    """confirm_<row>=<code> fields: the project a person chose for an unsure row."""
    out: dict[int, str] = {}
    for key, value in request.form.items():
        found = re.fullmatch(r"confirm_(\d{1,7})", key)
        if found and value.strip():
            out[int(found.group(1))] = value.strip()[:64]
    return out


def post(action: str, save: Any) -> Response | WerkzeugResponse | tuple[str, int] | str:
    token, name = _keep_upload(save)
    year, month = _period("year", 2000, 2100), _period("month", 1, 12)
    confirmed = _confirmed()
    if action in ("preview", "apply") and _rows(_kept(token)) > current_app.config["KPR_SETTINGS"].import_job_rows:
        return _start_job(token, name, action, {"year": year, "month": month, "confirmed": confirmed})
    session = get_session()
    try:
        report = import_progress(session, _kept(token), year=year, month=month, dry_run=action != "apply",
                                 user=current_record(), file_name=name, confirmed=confirmed)
        session.flush()
    except BaseException:
        session.rollback()
        raise
    applied = action == "apply" and report.ok
    if applied:
        session.commit()
        _kept(token).unlink(missing_ok=True)
    else:
        session.rollback()
    if action == "report":
        return _report_file(report)
    html = render_template("import.html", report=None, action=action, progress=report, applied=applied,
                           upload=None if applied else token, file_name=name, year=year, month=month,
                           confirmed=confirmed, kind="progress")
    return (html, 422) if action == "apply" and not applied else html


def _rows(path: Path) -> int:
    """The sheet's row count, read cheaply (the importer reads the sheet named 调度, else the first)."""
    import openpyxl  # type: ignore[import-untyped]

    try:
        book = openpyxl.load_workbook(path, read_only=True)
    except Exception:  # noqa: BLE001 - the import itself reports an unreadable file
        return 0
    try:
        sheet = book["调度"] if "调度" in book.sheetnames else book.worksheets[0]
        return int(sheet.max_row or 0)
    finally:
        book.close()


def _start_job(token: str, name: str, action: str, options: dict[str, Any]) -> WerkzeugResponse:
    """A large sheet runs in the project import's background jobs (web/jobs.py), polled by the same page."""
    record = current_record()
    assert record is not None
    job = jobs.ImportJob(jobs.new_job_id(), record, _kept(token), name, action, False, None, None,
                         kind="progress", options={**options, "token": token})
    registry: jobs.JobRegistry = current_app.extensions.setdefault("kpr_jobs", jobs.JobRegistry())
    registry.start(current_app._get_current_object(), job, LIMITS)  # type: ignore[attr-defined]
    return redirect(url_for("exchange.import_job", job_id=job.id))


def job_page(job: jobs.ImportJob) -> str:
    """The job page for a 调度 sheet: running, failed, or its report with the confirm-and-apply form."""
    options = job.options
    applied = bool(options.get("applied"))
    return render_template("import.html", job=job, report=None, action=job.action, progress=job.report,
                           applied=applied, upload=None if applied else options.get("token"),
                           file_name=job.file_name, year=options.get("year"), month=options.get("month"),
                           confirmed=options.get("confirmed") or {}, kind="progress")


def _report_file(report: ProgressReport) -> Response:
    out = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 - send_file closes it after the response
    write_report(report, out.name)
    out.seek(0)
    return send_file(out, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     as_attachment=True, download_name="kpr-progress-report.xlsx")
