"""An in-memory facet index: facet counts, totals and matching ids for a ResolvedFilter in milliseconds.

SQL answers the same questions (registry/queries.py) but has to aggregate every matching row for each of
six facets on every request; at 100,000 projects that is about a second. The index holds one small array per
attribute and (project, code) pair arrays for the many-valued links, is built once per data stamp
(registry/stamp.py) and gives exactly the SQL answers (tests/test_facetindex.py checks both databases)."""
from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sqlalchemy import BigInteger, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from registry import sorting, stamp
from registry.models import Location, LocationDistrict, Project, ProjectChain, ProjectStrategy, Zone
from registry.money import wan_to_yi
from registry.progress.classify import UNREPORTED
from registry.queries import FacetValue, ResolvedFilter, Totals, _facet_values, progress_facet
from registry.spelling import spellings
from registry.stampcache import StampedCache

# Between rows in the joined text: a form containing it falls back to the per-row scan.
_ROW_SEP = "\x01"
Q_KEPT = 64  # searched words whose matching rows an index keeps (100 kB each at 100k projects)
Mask = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]


class Codes:
    """Strings ↔ small integers, so codes can live in NumPy arrays."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.values: list[str] = []

    def of(self, value: str | None) -> int:
        if value is None:
            return -1
        found = self.index.get(value)
        if found is None:
            found = self.index[value] = len(self.values)
            self.values.append(value)
        return found

    def lookup(self, values: Sequence[str]) -> Ints:
        return np.array([self.index[v] for v in values if v in self.index], dtype=np.int64)


@dataclass(frozen=True)
class Pairs:
    """A many-valued link as parallel arrays: row i of the index has code codes[k] where rows[k] == i."""

    rows: Ints
    codes: Ints

    def any_of(self, wanted: Ints, size: int) -> Mask:
        mask = np.zeros(size, dtype=bool)
        mask[self.rows[np.isin(self.codes, wanted)]] = True
        return mask

    def counts(self, mask: Mask, size: int) -> Ints:
        return np.bincount(self.codes[mask[self.rows]], minlength=size)


def _pairs(raw: Sequence[tuple[int, str]], row_of: dict[int, int], codes: Codes) -> Pairs:
    unique = sorted({(row_of[pid], codes.of(code)) for pid, code in raw if pid in row_of})
    arr = np.array(unique, dtype=np.int64).reshape(-1, 2)
    return Pairs(arr[:, 0], arr[:, 1])


def _rows_of(codes: list[str], wanted: list[str | None]) -> Ints:
    """Row of each wanted code (-1: none, or not in the index). Few projects are parts of a package, so only
    the codes named as packages are looked up: a map of all 100,000 codes cost a refresh ~40 ms."""
    named = {code for code in wanted if code}
    out = np.full(len(wanted), -1, dtype=np.int64)
    if not named:
        return out
    row_of = {code: i for i, code in enumerate(codes) if code in named}
    for i, code in enumerate(wanted):
        if code:
            out[i] = row_of.get(code, -1)
    return out


def _copy(codes: Codes) -> Codes:
    """An index is shared by concurrent readers: a refresh extends copies of its code tables, never them."""
    out = Codes()
    out.index, out.values = dict(codes.index), list(codes.values)
    return out


LINK_QUERIES = {
    "strategies": select(ProjectStrategy.project_id, ProjectStrategy.strategy_code)
    .where(ProjectStrategy.basis == "plan"),
    "corridors": select(ProjectStrategy.project_id, ProjectStrategy.strategy_code),
    "districts": select(Location.project_id, LocationDistrict.adcode)
    .join(LocationDistrict, LocationDistrict.location_id == Location.id),
    "chains": select(ProjectChain.project_id, ProjectChain.chain_code),
}
# Beyond this share of changed rows a refresh costs about what a rebuild does.
REFRESH_LIMIT = 0.05


class FacetIndex:
    """Row-aligned arrays over the live projects. Built in full (`FacetIndex(session, stamp)`) or, after a few
    commits, refreshed from the previous index for just the projects those commits wrote (`refreshed`)."""

    ids: Ints
    codes: list[str]
    code_rank: Ints
    status_idx: Ints
    kind_idx: Ints
    zone_idx: Ints
    wan: Ints
    text: list[str]
    review: Mask
    links: dict[str, tuple[Pairs, Codes]]
    parent_codes: list[str | None]
    parent_row: Ints

    def __init__(self, session: Session, data_stamp: stamp.Stamp, *, base: FacetIndex | None = None,
                 changed: frozenset[int] = frozenset()) -> None:
        self.stamp = data_stamp
        self.refreshed_from = None if base is None else base.stamp  # for tests and diagnostics
        where: ColumnElement[bool] = Project.archived_at.is_(None)
        if base is None:
            self.zone_text = {code: "\x00".join((name, json.dumps(aliases or [], ensure_ascii=False)))
                              for code, name, aliases in session.execute(select(Zone.code, Zone.name, Zone.aliases))}
            self.status, self.kinds, self.zones = Codes(), Codes(), Codes()
        else:  # keep the base's rows except the changed projects, then append those projects as they are now
            self.zone_text = base.zone_text
            self.status, self.kinds, self.zones = _copy(base.status), _copy(base.kinds), _copy(base.zones)
            where = where & Project.id.in_(sorted(changed))
        rows = session.execute(select(
            Project.id, Project.code, Project.name, Project.builder, Project.aliases, Project.status, Project.kind,
            Project.zone_code,
            # The raw integer 万元, not the 亿元 Decimal the column type would give.
            type_coerce(Project.__table__.c.total_investment, BigInteger),
            Project.group_name, Project.description, Project.parent_code)
            .where(where)).all()
        keep = np.ones(0, dtype=bool) if base is None else ~np.isin(base.ids, np.array(sorted(changed), dtype=np.int64))
        kept = [] if base is None else np.flatnonzero(keep).tolist()

        def joined(old: Ints | None, new: list[int]) -> Ints:
            fresh = np.array(new, dtype=np.int64)
            return fresh if old is None else np.concatenate([old[keep], fresh])

        self.ids = joined(None if base is None else base.ids, [int(r[0]) for r in rows])
        self.size = len(self.ids)
        self.codes = ([] if base is None else [base.codes[i] for i in kept]) + [str(r.code) for r in rows]
        # Position of each project in code order (codes are ASCII: the same order in every collation).
        self.code_rank = np.empty(self.size, dtype=np.int64)
        self.code_rank[sorted(range(self.size), key=self.codes.__getitem__)] = np.arange(self.size)
        self.status_idx = joined(None if base is None else base.status_idx, [self.status.of(r.status) for r in rows])
        self.kind_idx = joined(None if base is None else base.kind_idx, [self.kinds.of(r.kind) for r in rows])
        self.zone_idx = joined(None if base is None else base.zone_idx, [self.zones.of(r.zone_code) for r in rows])
        self.wan = joined(None if base is None else base.wan, [-1 if r[8] is None else int(r[8]) for r in rows])
        # Row of each project's package (-1: none or archived): a part's amount is in its package's. Recomputed
        # from the codes on every build and refresh, since a refresh moves rows.
        self.parent_codes = ([] if base is None else [base.parent_codes[i] for i in kept]) + [
            r.parent_code for r in rows]
        self.parent_row = _rows_of(self.codes, self.parent_codes)
        # The text SQL's q searches (queries._word_matches), lower-cased like ILIKE.
        self.text = ([] if base is None else [base.text[i] for i in kept]) + [
            "\x00".join((r.name, r.code, r.builder or "", json.dumps(r.aliases or [], ensure_ascii=False),
                         r.group_name or "", r.description or "", self.zone_text.get(r.zone_code or "", ""))).lower()
            for r in rows]
        self._joined: tuple[str, Ints] | None = None  # texts joined for the q scan (containing)
        # Words searched recently → their rows: a scan of all texts costs tens of ms, a repeat costs nothing.
        self._containing: OrderedDict[tuple[str, ...], Mask] = OrderedDict()
        self._lock = threading.Lock()
        self._orders: dict[tuple[str, bool], Ints] = {}  # (sort key, descending) → row positions in list order
        first_new = len(kept)
        row_of = {int(pid): i for i, pid in enumerate(self.ids[first_new:].tolist(), start=first_new)}
        self.links: dict[str, tuple[Pairs, Codes]] = {}
        for key, stmt in LINK_QUERIES.items():
            if base is None:
                codes = Codes()
                self.links[key] = (_pairs([(int(a), str(b)) for a, b in session.execute(stmt)], row_of, codes), codes)
                continue
            old_pairs, old_codes = base.links[key]
            codes = _copy(old_codes)
            renumber = np.cumsum(keep) - 1  # old row → new row, for the rows kept
            alive = keep[old_pairs.rows]
            fresh = _pairs([(int(a), str(b)) for a, b in session.execute(
                stmt.where(stmt.selected_columns[0].in_(sorted(changed))))], row_of, codes)
            self.links[key] = (Pairs(np.concatenate([renumber[old_pairs.rows[alive]], fresh.rows]),
                                     np.concatenate([old_pairs.codes[alive], fresh.codes])), codes)
        review_stmt = select(Location.project_id).where(Location.needs_review.is_(True))
        if base is not None:
            review_stmt = review_stmt.where(Location.project_id.in_(sorted(changed)))
        review = {int(pid) for pid in session.scalars(review_stmt)}
        self.review = np.concatenate([np.zeros(0, dtype=bool) if base is None else base.review[keep],
                                      np.array([pid in review for pid in self.ids[first_new:].tolist()], dtype=bool)])

    def refreshed(self, session: Session, current: stamp.Stamp) -> FacetIndex | None:
        """This index brought up to `current` by re-reading only the projects written since, or None when the
        stamp log cannot say exactly which (then the caller rebuilds)."""
        changed = stamp.changed_projects(session, self.stamp, current)
        if changed is None or len(changed) > max(50, REFRESH_LIMIT * self.size):
            return None
        return FacetIndex(session, current, base=self, changed=frozenset(changed))

    def order(self, key: str, descending: bool, session: Session) -> Ints:
        """Every row in list order for a column Python sorts (pinyin), computed on first use and kept."""
        found = self._orders.get((key, descending))
        if found is None:
            ids = [int(pid) for pid in self.ids]
            codes = dict(zip(ids, self.codes, strict=True))
            values = sorting.column_values(session, key)
            row_of = {pid: i for i, pid in enumerate(ids)}
            found = np.array([row_of[pid] for pid in sorting.ordered(ids, codes, values, descending)],
                             dtype=np.int64)
            self._orders[(key, descending)] = found
        return found

    def index_order(self, key: str, descending: bool) -> Ints:
        """Every row in code or amount order, from the index alone; sorted once per index, not per request
        (an argsort of 100k rows cost more than the rest of a list request's index work)."""
        found = self._orders.get((key, descending))
        if found is None:
            if key == "code":
                found = np.argsort(-self.code_rank if descending else self.code_rank)
            else:  # total_investment: NULL amounts last, then value, then code
                value = -self.wan if descending else self.wan
                found = np.lexsort((self.code_rank, value, self.wan < 0))
            self._orders[(key, descending)] = found
        return found

    def containing(self, forms: Sequence[str]) -> Mask:
        """Rows whose text contains any of `forms`. One scan of all texts joined by a row separator, then
        match offsets → rows, instead of a Python `in` per row (the q filter was the slowest list request)."""
        key = tuple(forms)
        with self._lock:
            kept = self._containing.get(key)
            if kept is not None:
                self._containing.move_to_end(key)
                return kept
        mask = self._scan(forms)
        mask.flags.writeable = False  # shared by every later request with these words
        with self._lock:
            self._containing[key] = mask
            while len(self._containing) > Q_KEPT:
                self._containing.popitem(last=False)
        return mask

    def _scan(self, forms: Sequence[str]) -> Mask:
        if any(_ROW_SEP in f for f in forms) or not all(forms):
            return np.fromiter((any(f in t for f in forms) for t in self.text), dtype=bool, count=self.size)
        joined, starts = self._joined_text()
        mask = np.zeros(self.size, dtype=bool)
        for form in forms:
            at = [m.start() for m in re.finditer(re.escape(form), joined)]
            if at:
                mask[np.searchsorted(starts, np.array(at, dtype=np.int64), side="right") - 1] = True
        return mask

    def _joined_text(self) -> tuple[str, Ints]:
        """Every row's text joined by _ROW_SEP, and where each row starts; built on first use and kept."""
        if self._joined is None:
            lengths = np.fromiter((len(t) + 1 for t in self.text), dtype=np.int64, count=self.size)
            starts = np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(lengths)[:-1]])
            self._joined = (_ROW_SEP.join(self.text), starts)  # one assignment: concurrent readers see either
        return self._joined

    def evaluate(self, rf: ResolvedFilter) -> Evaluation:
        return Evaluation(self, rf)

    def matching_ids(self, rf: ResolvedFilter) -> Ints:
        return self.evaluate(rf).matching_ids()

    def totals(self, rf: ResolvedFilter) -> Totals:
        return self.evaluate(rf).totals()

    def facets(self, rf: ResolvedFilter) -> dict[str, list[FacetValue]]:
        return self.evaluate(rf).facets()


class Evaluation:
    """One filter against one index: each filter's mask is computed once, then combined per question."""

    def __init__(self, index: FacetIndex, rf: ResolvedFilter) -> None:
        self.index, self.rf = index, rf
        self.parts = self._parts()
        self.full = self.mask()

    def _parts(self) -> dict[str, Mask]:
        """One mask per filter, as queries.conditions builds one clause per filter (OR within, AND across)."""
        ix, rf, flt = self.index, self.rf, self.rf.raw
        parts: dict[str, Mask] = {}
        for key in ("strategies", "corridors", "districts", "chains"):
            if getattr(rf, key):
                pairs, codes = ix.links[key]
                parts[key] = pairs.any_of(codes.lookup(getattr(rf, key)), ix.size)
        if rf.zones:
            parts["zones"] = np.isin(ix.zone_idx, ix.zones.lookup(rf.zones))
        if flt.statuses:
            parts["statuses"] = np.isin(ix.status_idx, ix.status.lookup(flt.statuses))
        if flt.kinds:
            parts["kinds"] = np.isin(ix.kind_idx, ix.kinds.lookup(flt.kinds))
        known = ix.wan >= 0
        if flt.min_investment is not None:
            parts["min_investment"] = known & (ix.wan >= int(flt.min_investment * 10_000))
        if flt.max_investment is not None:
            parts["max_investment"] = known & (ix.wan <= int(flt.max_investment * 10_000))
        if flt.q:
            text = np.ones(ix.size, dtype=bool)
            for word in flt.q.split():
                text &= ix.containing([form.lower() for form in spellings(word)])
            parts["q"] = text
        if flt.needs_review:
            parts["review"] = ix.review
        if flt.progress_classes:
            parts["progress_classes"] = self._progress_mask()
        return parts

    def _progress_mask(self) -> Mask:
        """As queries._progress_condition: 未填报 is every project without a known class that month."""
        wanted, by_id = set(self.rf.raw.progress_classes), self.rf.progress_by_id
        if UNREPORTED in wanted:
            return ~np.isin(self.index.ids, [pid for pid, cls in by_id.items() if cls not in wanted])
        return np.isin(self.index.ids, [pid for pid, cls in by_id.items() if cls in wanted])

    def mask(self, skip: str | None = None) -> Mask:
        out = np.ones(self.index.size, dtype=bool)
        for key, part in self.parts.items():
            if key != skip:
                out &= part
        return out

    def matching_ids(self) -> Ints:
        return self.index.ids[self.full]

    def page_ids(self, sort: str | None, offset: int, limit: int, session: Session | None = None) -> Ints | None:
        """The ids of one page in list order. Code and amount orders come from the index; other columns
        need `session` once to read their values (then kept), without it the answer is None."""
        key, descending = sorting.parse_sort(sort)
        ix = self.index
        if key in ("code", "total_investment"):
            order = ix.index_order(key, descending)
        elif session is None:
            return None
        else:
            order = ix.order(key, descending, session)
        chosen = order[self.full[order]]
        return ix.ids[chosen[offset:offset + limit]]

    def totals(self) -> Totals:
        wan, parent = self.index.wan, self.index.parent_row
        known = self.full & (wan >= 0)
        count = int(self.full.sum())
        # A part whose package is in the view too adds nothing (queries.counted_amount says why).
        counted = known & ~((parent >= 0) & self.full[np.maximum(parent, 0)])
        return Totals(count=count, investment_sum=wan_to_yi(int(wan[counted].sum())),
                      without_amount=count - int(known.sum()))

    def facets(self) -> dict[str, list[FacetValue]]:
        ix, vocab = self.index, self.rf.vocab
        out: dict[str, list[FacetValue]] = {}
        for key in ("strategies", "districts", "chains"):
            pairs, codes = ix.links[key]
            counts = pairs.counts(self.mask(skip=key), len(codes.values))
            out[key] = _facet_values(_nonzero(codes, counts), vocab.names(key), getattr(self.rf, key))
        for key, idx, codes, selected in (("zones", ix.zone_idx, ix.zones, self.rf.zones),
                                          ("statuses", ix.status_idx, ix.status, self.rf.raw.statuses),
                                          ("kinds", ix.kind_idx, ix.kinds, self.rf.raw.kinds)):
            mask = self.mask(skip=key) & (idx >= 0)
            counts = np.bincount(idx[mask], minlength=len(codes.values))
            out[key] = _facet_values(_nonzero(codes, counts), vocab.names(key), selected)
        out["progress_classes"] = progress_facet(self.rf, ix.ids[self.mask(skip="progress_classes")])
        return out


def _nonzero(codes: Codes, counts: Ints) -> list[tuple[str, int]]:
    return [(codes.values[i], int(n)) for i, n in enumerate(counts) if n]


class IndexCache:
    """One index per process for the newest data stamp seen; each request gets the index of its own
    snapshot's stamp (one tiny query per request), and an older build never replaces a newer one."""

    def __init__(self) -> None:
        self._cache: StampedCache[FacetIndex] = StampedCache(size=1)

    def get(self, session: Session) -> FacetIndex:
        current = stamp.read(session)
        return self._cache.get(None, current, lambda: FacetIndex(session, current),
                               refresh=lambda older, _: older.refreshed(session, current))

    def current(self, session: Session) -> FacetIndex | None:
        """The index of this snapshot when one is held or can be refreshed from the stamp log; None rather
        than a full build (for a page whose SQL answer costs less than a build: ~0.5 s against 3 s at 100k)."""
        now = stamp.read(session)
        held = self._cache.entry(None)
        if held is None or held[0].epoch != now.epoch or held[0].counter > now.counter:
            return None
        if held[0] == now:
            return held[1]
        refreshed = held[1].refreshed(session, now)
        return None if refreshed is None else self._cache.get(None, now, lambda: refreshed)
