"""One error hierarchy: a stable code, an HTTP status and a message safe to show a user."""
from __future__ import annotations

from dataclasses import dataclass


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
