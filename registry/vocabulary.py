"""One vocabulary (issue 15): everything a filter, an import, a form or an export names by code (districts,
zones, industry chains, strategies and corridors, statuses, progress classes), with its Chinese name, its
English word where one exists, aliases and parent, and ONE rule for turning what a person typed into a code.

The rule (`Vocabulary.lookup`), the same for `--district`, `?district=`, an import cell and a web form:
1. the code itself (any case);
2. a name, alias or short form (小店 for 小店区), compared after NFKC, lower-casing and removing spaces;
3. else the one label starting with the text.
Several codes at step 2 or 3 make the text ambiguous; none makes it unknown (with did-you-mean suggestions).

Data names are not translated: only the fixed words (statuses, progress classes) carry English. The
vocabulary is read once per data stamp (registry/stampcache.py) and is immutable, so threads share it."""
from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry import stamp
from registry.fields import STATUSES
from registry.memberships import Members, covers_taiyuan, member_pairs
from registry.models import PRECISIONS, AdminUnit, IndustryChain, Strategy, Zone
from registry.progress.classify import AHEAD, BEHIND, CLASSES, NORMAL, UNREPORTED
from registry.stampcache import StampedCache

# What a filter or a column can name; "corridors" are strategies (corridors, regions) by another parameter.
KINDS = ("districts", "zones", "chains", "strategies", "corridors", "statuses", "progress_classes")


@dataclass(frozen=True)
class Term:
    code: str
    name: str  # as recorded (Chinese)
    en: str | None = None  # an English word, for fixed words only: data names stay as recorded
    aliases: tuple[str, ...] = ()  # other names people write, short forms included
    parent: str | None = None
    kind: str | None = None  # a strategy's kind (strategy | corridor | region), a chain's level

    @property
    def labels(self) -> tuple[str, ...]:
        """Everything that names this term: the name, the aliases, the English word."""
        return (self.name, *self.aliases, *((self.en,) if self.en else ()))

    def word(self, lang: str = "zh") -> str:
        return (self.en or self.name) if lang == "en" else self.name


# The fixed words: statuses as stored (the plans' own words, and "unknown") and the progress classes.
STATUS_TERMS: tuple[Term, ...] = (
    Term("谋划", "谋划", "planned"), Term("前期", "前期", "preparation"), Term("在建", "在建", "under construction"),
    Term("竣工", "竣工", "completed"), Term("投产", "投产", "in operation"),
    Term("unknown", "未注明", "not stated", ("未知", "不详")),
)
assert tuple(t.code for t in STATUS_TERMS) == STATUSES
PROGRESS_TERMS: tuple[Term, ...] = (
    Term(AHEAD, AHEAD, "ahead"), Term(NORMAL, NORMAL, "on track", ("normal",)), Term(BEHIND, BEHIND, "behind"),
    Term(UNREPORTED, UNREPORTED, "not reported", ("unreported",)),
)
assert tuple(t.code for t in PROGRESS_TERMS) == CLASSES


def status_word(code: str, lang: str = "zh") -> str:
    return _STATUS[code].word(lang) if code in _STATUS else code


def progress_word(code: str, lang: str = "zh") -> str:
    return _PROGRESS[code].word(lang) if code in _PROGRESS else code


def precision_word(precision: int, lang: str = "zh") -> str:
    """models.PRECISIONS holds "中文 english" in one string: each language shows its half."""
    text = PRECISIONS.get(precision)
    if text is None:
        return str(precision)
    return text.split(" ", 1)[-1] if lang == "en" else text.split(" ", 1)[0]


def value_words(lang: str) -> dict[str, dict[str, str]]:
    """Stored value → shown word for the fixed vocabularies, in one language (pages, map legend, CLI)."""
    return {"statuses": {t.code: t.word(lang) for t in STATUS_TERMS},
            "progress_classes": {t.code: t.word(lang) for t in PROGRESS_TERMS},
            "precisions": {str(p): precision_word(p, lang) for p in PRECISIONS}}


_STATUS = {t.code: t for t in STATUS_TERMS}
_PROGRESS = {t.code: t for t in PROGRESS_TERMS}


def norm_label(text: str) -> str:
    """How labels compare: full-width and half-width alike, any case, spaces ignored."""
    return unicodedata.normalize("NFKC", text).strip().lower().replace(" ", "")


def short_district(name: str) -> str | None:
    """小店区 → 小店, 古交市 → 古交; a two-character name (城区) keeps its suffix: one character names nothing."""
    short = name.removesuffix("区").removesuffix("县").removesuffix("市")
    return short if short != name and len(name) > 2 else None


@dataclass(frozen=True)
class Found:
    """What `lookup` made of a text: the code, or why not (several candidates, or close spellings)."""

    code: str | None
    candidates: tuple[tuple[str, str], ...] = ()  # (code, name): the text names each of these
    close: tuple[tuple[str, str], ...] = ()  # (code, name): did-you-mean, when it names none

    @property
    def ambiguous(self) -> bool:
        return self.code is None and bool(self.candidates)


def _frozen(terms: Iterable[Term]) -> Mapping[str, Term]:
    return MappingProxyType({t.code: t for t in terms})


@dataclass(frozen=True)
class Vocabulary:
    districts: Mapping[str, Term] = field(default_factory=lambda: _frozen(()))
    zones: Mapping[str, Term] = field(default_factory=lambda: _frozen(()))
    chains: Mapping[str, Term] = field(default_factory=lambda: _frozen(()))
    strategies: Mapping[str, Term] = field(default_factory=lambda: _frozen(()))
    # Strategy code → member units (adcode, confirmed): what says whether a place tie is confirmed.
    members: Members = field(default_factory=lambda: MappingProxyType({}))
    statuses: Mapping[str, Term] = field(default_factory=lambda: _frozen(STATUS_TERMS))
    progress_classes: Mapping[str, Term] = field(default_factory=lambda: _frozen(PROGRESS_TERMS))

    # --- reading -------------------------------------------------------------------------------------

    @classmethod
    def load(cls, session: Session) -> Vocabulary:
        """The session's vocabulary, read once per data stamp; a session with uncommitted writes or a
        rewound (as-of) registry reads its own."""
        if stamp.uncommitted(session):
            return cls.read(session)
        try:
            current = stamp.read(session)
        except stamp.StampMissing:  # not made by `kpr db upgrade`: nothing to key a cache on
            return cls.read(session)
        found: Vocabulary = _CACHE.get(str(session.get_bind().engine.url), current, lambda: cls.read(session),
                                       refresh=lambda older, since: _kept(session, older, since, current))
        return found

    @classmethod
    def read(cls, session: Session) -> Vocabulary:
        districts = (Term(c, n, None, tuple(s for s in (short_district(n),) if s), p)
                     for c, n, p in session.execute(select(AdminUnit.adcode, AdminUnit.name, AdminUnit.parent_adcode)))
        zones = (Term(c, n, None, tuple(a or ()), p, k) for c, n, a, p, k in session.execute(
            select(Zone.code, Zone.name, Zone.aliases, Zone.parent_code, Zone.kind)))
        chains = (Term(c, n, None, (), p, lv) for c, n, p, lv in session.execute(
            select(IndustryChain.code, IndustryChain.name, IndustryChain.parent_code, IndustryChain.level)))
        rows = session.execute(select(Strategy.code, Strategy.name, Strategy.aliases, Strategy.parent_code,
                                      Strategy.kind, Strategy.member_units)).all()
        return cls(districts=_frozen(districts), zones=_frozen(zones), chains=_frozen(chains),
                   strategies=_frozen(Term(c, n, None, tuple(a or ()), p, k) for c, n, a, p, k, _ in rows),
                   members=MappingProxyType({c: member_pairs(m) for c, *_, m in rows}))

    # --- tables --------------------------------------------------------------------------------------

    def table(self, kind: str) -> Mapping[str, Term]:
        table: Mapping[str, Term] = getattr(self, "strategies" if kind == "corridors" else kind)
        return table

    def names(self, kind: str) -> Mapping[str, str]:
        """Code → name as recorded (Chinese); empty for what has no vocabulary (project kinds are free text)."""
        return self._names.get(kind, _EMPTY)

    def name(self, kind: str, code: str) -> str:
        return self.names(kind).get(code, code)

    def word(self, kind: str, code: str, lang: str = "zh") -> str:
        """A value as one language shows it: the English word of a fixed vocabulary, else the name."""
        term = self.table(kind).get(code)
        return code if term is None else term.word(lang)

    def sheet_names(self, kind: str) -> Mapping[str, str]:
        """Code → what a spreadsheet cell shows: the name if no other entry shares it and it is no code,
        else the code, so an import maps every cell back exactly."""
        return self._sheet[kind]

    def descendants(self, kind: str, roots: Sequence[str]) -> tuple[str, ...]:
        """The codes and every code below them in the kind's tree, sorted."""
        children = self._children[kind]
        found, todo = set(roots), list(roots)
        while todo:
            for child in children.get(todo.pop(), ()):
                if child not in found:
                    found.add(child)
                    todo.append(child)
        return tuple(sorted(found))

    @cached_property
    def _names(self) -> dict[str, Mapping[str, str]]:
        return {kind: MappingProxyType({c: t.name for c, t in self.table(kind).items()}) for kind in KINDS}

    @cached_property
    def _sheet(self) -> dict[str, Mapping[str, str]]:
        out: dict[str, Mapping[str, str]] = {}
        for kind in KINDS:
            names = self.names(kind)
            counts: dict[str, int] = {}
            for name in names.values():
                counts[name] = counts.get(name, 0) + 1
            out[kind] = MappingProxyType({c: n if counts[n] == 1 and n not in names else c for c, n in names.items()})
        return out

    @cached_property
    def _children(self) -> dict[str, dict[str, list[str]]]:
        out: dict[str, dict[str, list[str]]] = {}
        for kind in KINDS:
            children: dict[str, list[str]] = {}
            for code, term in self.table(kind).items():
                if term.parent:
                    children.setdefault(term.parent, []).append(code)
            out[kind] = children
        return out

    # --- the one lookup rule -------------------------------------------------------------------------

    @cached_property
    def _index(self) -> dict[str, tuple[dict[str, str], dict[str, set[str]]]]:
        """Per kind: normalized code → code, normalized label → codes."""
        out: dict[str, tuple[dict[str, str], dict[str, set[str]]]] = {}
        for kind in KINDS:
            codes: dict[str, str] = {}
            labels: dict[str, set[str]] = {}
            for code, term in self.table(kind).items():
                codes.setdefault(norm_label(code), code)
                for label in term.labels:
                    if label:
                        labels.setdefault(norm_label(label), set()).add(code)
            out[kind] = (codes, labels)
        return out

    def lookup(self, kind: str, text: str) -> Found:
        """A code, a name, an alias or a short form → the code (see the module's docstring for the rule)."""
        table = self.table(kind)
        if text in table:
            return Found(text)
        key = norm_label(text)
        codes, labels = self._index[kind]
        if key in codes:
            return Found(codes[key])
        if not key:
            return Found(None)
        found = labels.get(key) or {code for label, named in labels.items() if label.startswith(key) for code in named}
        if len(found) == 1:
            return Found(next(iter(found)))
        if found:
            ordered = [c for c in table if c in found]  # the table's order, as the filter always listed them
            return Found(None, candidates=tuple((c, table[c].name) for c in ordered))
        return Found(None, close=self._closest(kind, text))

    def resolve(self, kind: str, text: str) -> str | None:
        """The code `text` names, or None (ambiguous or unknown: `lookup` says which)."""
        return self.lookup(kind, text).code

    def examples(self, kind: str, n: int) -> list[str]:
        return [t.name for t in list(self.table(kind).values())[:n] if t.name]

    def _closest(self, kind: str, value: str, n: int = 5) -> tuple[tuple[str, str], ...]:
        """Did-you-mean: labels containing the value or contained in it first, then difflib's closest."""
        table = self.table(kind)
        by_label = {label: code for code, term in table.items() for label in (*term.labels, code)}
        near = [label for label in by_label if label and (value in label or label in value)]
        near += difflib.get_close_matches(value, list(by_label), n=n, cutoff=0.5)
        out: dict[str, str] = {}
        for label in near:
            code = by_label[label]
            out.setdefault(code, table[code].name)
        return tuple(list(out.items())[:n])

    # --- memberships ---------------------------------------------------------------------------------

    @property
    def covering(self) -> frozenset[str]:
        """Regions holding all of Taiyuan: a location filter by them narrows nothing within the city."""
        return frozenset(code for code, units in self.members.items() if covers_taiyuan(units))

    @property
    def unconfirmed(self) -> frozenset[str]:
        """Corridors and regions no source confirms any member unit of: their extent is our drawing."""
        return frozenset(code for code, units in self.members.items() if units and not any(c for _, c in units))


_EMPTY: Mapping[str, str] = MappingProxyType({})
# Keyed by database URL: two databases (tests, a backup restored beside) never share an entry.
_CACHE: StampedCache[Any] = StampedCache(size=8)


def _kept(session: Session, older: Vocabulary, since: stamp.Stamp, current: stamp.Stamp) -> Vocabulary | None:
    """The vocabulary read at `since`, still right at `current` when every commit between wrote only projects'
    rows (the stamp log names them; a write to a vocabulary table is never attributed to projects)."""
    return older if stamp.changed_projects(session, since, current) is not None else None
