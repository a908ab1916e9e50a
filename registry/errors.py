"""One error hierarchy: a stable code, an HTTP status and a message safe to show a user.

Every domain error is defined here (tests/test_errors.py checks). They are translated once for HTTP
(web/errors.py) and once for the CLI (registry/cli/__init__.py), both through `as_kpr_error`, which also turns
SQLAlchemy's optimistic-locking failure into a StaleEdit: a stale edit is a 409, never a 500.
Standard library only, so the CLI's light commands can catch these without loading SQLAlchemy."""
from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from registry.models import Project


class KprError(Exception):
    code = "kpr_error"
    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(KprError):
    code = "not_found"
    status = 404


class Forbidden(KprError):
    code = "forbidden"
    status = 403


class InvalidFilter(KprError):
    code = "invalid_filter"
    status = 400


class InvalidRecord(KprError):
    code = "invalid_record"
    status = 422


class StaleEdit(KprError):
    """Someone saved the project after this edit was started (version counter mismatch)."""

    code = "stale_edit"
    status = 409


class InvalidForm(InvalidRecord):
    """Every problem of one submitted form, by field, so the page can show each next to its field
    (registry/editing.py form_problems words them)."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("；".join(f"{p.field}：{p.message}" for p in problems))
        self.problems = list(problems)


class EditConflict(StaleEdit):
    """The project was saved by someone else after this form was opened."""

    def __init__(self, project: Project) -> None:
        super().__init__(f"项目 {project.code} 已被他人修改（当前版本 {project.version}），未覆盖他人的修改 "
                         "(saved by someone else since you opened it)")
        self.project = project


class RevertRefused(StaleEdit):
    code = "revert_refused"


class BadFilterValue(InvalidFilter):
    """A filter or sort value that cannot be used, with where it came from, so a page can drop just that value,
    say which it was and offer the closest valid ones (did-you-mean)."""

    def __init__(self, message: str, param: str, value: str, suggestions: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__(message)
        self.param, self.value = param, value
        self.suggestions = tuple(suggestions)  # (code to put in the URL, label to show)


class ImportRefused(KprError):
    """The file cannot be read safely or at all: wrong type, empty, too big, macros, bad encoding."""

    code = "import_refused"
    status = 400


class FileTooLarge(ImportRefused):
    code = "file_too_large"
    status = 413


class ExportError(KprError):
    code = "export_error"
    status = 400


class BackupError(KprError):
    code = "backup_failed"
    status = 400


class StampMissing(KprError):
    """The database has no stamp row: it was not created by `kpr db upgrade`."""

    code = "stamp_missing"
    status = 503


class AssetUnavailable(KprError):
    code = "asset_unavailable"
    status = 500


class PgToolError(KprError):
    code = "pg_tool_failed"
    status = 500


class PdfUnavailable(KprError):
    code = "pdf_unavailable"
    status = 503


class ConfigError(KprError, ValueError):
    """A setting or database URL that cannot be used (still a ValueError for callers that expect one)."""

    code = "config_error"
    status = 500


def as_kpr_error(exc: BaseException) -> KprError | None:
    """The domain error an exception stands for, or None when it is not one (a bug: let it surface)."""
    if isinstance(exc, KprError):
        return exc
    # Optimistic locking (Project.version) failed at flush: someone saved in between. Looked up only if
    # SQLAlchemy is loaded, so light commands never import it.
    orm_exc: Any = sys.modules.get("sqlalchemy.orm.exc")
    if orm_exc is not None and isinstance(exc, orm_exc.StaleDataError):
        return StaleEdit("记录已被他人修改，请重新打开后再保存 (saved by someone else in the meantime: reload and retry)")
    return None


@dataclass(frozen=True)
class Problem:
    """One problem with one input value: where it is, what it was, and what was expected."""

    row: int | None
    field: str
    value: object
    message: str
    expected: str = ""

    def __str__(self) -> str:
        where = f"row {self.row}, " if self.row is not None else ""
        tail = f" (expected {self.expected})" if self.expected else ""
        return f"{where}{self.field}={self.value!r}: {self.message}{tail}"
