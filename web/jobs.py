"""Large uploads run as a background job with progress instead of inside one request (a 40,000-row file
would outlive a worker's timeout). Jobs live in the process that started them: the page that polls them is
served by the same process under `kpr serve`; under several gunicorn workers use sticky sessions or the CLI.
The import itself is the same call as the inline upload: all or nothing, recorded as one change set."""
from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy.orm import Session

from registry import history
from registry.errors import KprError
from registry.historyview import FieldChange, change_rows
from registry.importer.limits import Limits
from registry.importer.run import import_file
from registry.progress.run import import_progress
from registry.users import UserRecord

KEEP_SECONDS = 3600
MAX_JOBS = 50


@dataclass
class ImportJob:
    id: str
    user: UserRecord
    path: Path
    file_name: str
    action: str  # preview | apply
    skip_invalid: bool
    sheet: str | None
    comment: str | None
    total: int | None = None
    done: int = 0
    state: str = "running"  # running | done | failed
    message: str | None = None
    report: Any = None  # ImportReport, or ProgressReport for a 调度 sheet
    diffs: list[FieldChange] = field(default_factory=list)
    started: float = field(default_factory=time.time)
    kind: str = "projects"  # projects | progress (a monthly 调度 sheet, web/progress_upload.py)
    # For a 调度 sheet: year, month, confirmed rows and the kept upload's token (kept for a later apply).
    options: dict[str, Any] = field(default_factory=dict)

    def advance(self, rows: int) -> None:
        self.done += rows

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "state": self.state, "done": self.done, "total": self.total,
                "message": self.message, "file": self.file_name, "action": self.action,
                "summary": self.report.summary() if self.report else None}


class JobRegistry:
    def __init__(self) -> None:
        self._jobs: dict[str, ImportJob] = {}
        self._lock = threading.Lock()

    def get(self, job_id: str) -> ImportJob | None:
        with self._lock:
            return self._jobs.get(job_id)

    def start(self, app: Flask, job: ImportJob, limits: Limits) -> ImportJob:
        with self._lock:
            for old in [j for j in self._jobs.values() if time.time() - j.started > KEEP_SECONDS][:MAX_JOBS]:
                self._jobs.pop(old.id, None)
            self._jobs[job.id] = job
        threading.Thread(target=_run, args=(app, job, limits), daemon=True, name=f"import-{job.id}").start()
        return job


def new_job_id() -> str:
    return secrets.token_urlsafe(12)


@contextmanager
def _job_session(app: Flask, job: ImportJob) -> Iterator[Session]:
    """A session for one job's work: a refusal or a crash rolls it back and is the job's outcome, not a
    traceback in a thread nobody reads."""
    with app.app_context():
        session = app.extensions["kpr_sessions"]()
        try:
            yield session
        except KprError as exc:
            session.rollback()
            job.state, job.message = "failed", exc.message
        except Exception:
            session.rollback()
            app.logger.exception("import job %s failed", job.id)
            job.state, job.message = "failed", "导入失败（内部错误），未写入任何数据 (internal error; nothing written)"
        finally:
            session.close()


def _run(app: Flask, job: ImportJob, limits: Limits) -> None:
    if job.kind == "progress":
        _run_progress(app, job)
        return
    try:
        with _job_session(app, job) as session:
            change_set = history.begin(session, "import", user=job.user, file_name=job.file_name,
                                       comment=job.comment)
            report = import_file(session, job.path, dry_run=False, sheet=job.sheet, skip_invalid=job.skip_invalid,
                                 settings=app.config["KPR_SETTINGS"], limits=limits, progress=job.advance,
                                 total_hint=lambda n: setattr(job, "total", n))
            report.file = job.file_name
            session.flush()
            job.diffs = change_rows(session, change_set.id)[:2000] if report.applied else []
            if job.action == "apply" and report.applied:
                session.commit()
            else:
                session.rollback()
                report.applied = False
                report.dry_run = job.action != "apply"  # a preview wrote nothing by design, not for errors
            job.report, job.state = report, "done"
    finally:
        job.path.unlink(missing_ok=True)


def _run_progress(app: Flask, job: ImportJob) -> None:
    """The same call as the inline 调度 upload; the kept file stays for a later apply unless this applied it."""
    with _job_session(app, job) as session:
        report = import_progress(session, job.path, year=job.options.get("year"), month=job.options.get("month"),
                                 dry_run=job.action != "apply", user=job.user, file_name=job.file_name,
                                 confirmed=job.options.get("confirmed") or {})
        session.flush()
        applied = job.action == "apply" and report.ok
        if applied:
            session.commit()
            job.path.unlink(missing_ok=True)
        else:
            session.rollback()
        job.options["applied"] = applied
        job.report, job.state = report, "done"
