"""Why a whole file is refused (as opposed to problems in single rows, which go into the ImportReport)."""
from __future__ import annotations

from registry.errors import KprError


class ImportRefused(KprError):
    """The file cannot be read safely or at all: wrong type, empty, too big, macros, bad encoding."""

    code = "import_refused"
    status = 400


class FileTooLarge(ImportRefused):
    code = "file_too_large"
    status = 413
