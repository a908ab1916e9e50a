"""Names, short forms and aliases of districts, zones, chains and strategies → their codes."""
from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from registry.queries import Vocabulary


def norm_label(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower().replace(" ", "")


class Lookup:
    """One table: code or any label → code; a label shared by several codes is ambiguous."""

    def __init__(self, entries: Iterable[tuple[str, Iterable[str]]], what: str) -> None:
        self.what = what
        self.codes: set[str] = set()
        self.labels: dict[str, set[str]] = defaultdict(set)
        self.examples: list[str] = []
        for code, labels in entries:
            self.codes.add(code)
            names = [label for label in labels if label]
            if names and len(self.examples) < 8:
                self.examples.append(names[0])
            for label in names:
                self.labels[norm_label(label)].add(code)

    def find(self, value: str) -> tuple[str | None, str]:
        """(code, "") or (None, why)."""
        if value in self.codes:
            return value, ""
        found = self.labels.get(norm_label(value), set())
        if len(found) == 1:
            return next(iter(found)), ""
        if found:
            return None, f"ambiguous {self.what}: use one of the codes {', '.join(sorted(found))}"
        return None, f"unknown {self.what}"

    def expected(self) -> str:
        return f"a code or a name such as {'、'.join(self.examples)}"


class Vocab:
    def __init__(self, vocab: Vocabulary) -> None:
        self.districts = Lookup(((c, (n, n.removesuffix("区").removesuffix("县").removesuffix("市") if len(n) > 2
                                      else n)) for c, n in vocab.districts.items()), "district (区县)")
        self.zones = Lookup(((c, (n, *a)) for c, (n, a, _) in vocab.zones.items()), "development zone (开发区)")
        self.chains = Lookup(((c, (n,)) for c, (n, _, _) in vocab.chains.items()), "industry chain (产业链)")
        self.strategies = Lookup(((c, (n, *a)) for c, (n, a, _, _) in vocab.strategies.items()),
                                 "strategy (区域战略)")
