"""A filter or sort value that cannot be used, with where it came from, so a page can drop just that value,
say which it was and offer the closest valid ones (did-you-mean)."""
from __future__ import annotations

from collections.abc import Sequence

from registry.errors import InvalidFilter


class BadFilterValue(InvalidFilter):
    def __init__(self, message: str, param: str, value: str, suggestions: Sequence[tuple[str, str]] = ()) -> None:
        super().__init__(message)
        self.param, self.value = param, value
        self.suggestions = tuple(suggestions)  # (code to put in the URL, label to show)
