"""What every list request at one data stamp would otherwise read again: the filter vocabulary, the months
with progress figures, and the rows of pages already shown. Held in the app's stamped cache
(web/session.cache("kpr_list_static")): a new stamp gets a new one, an as-of read gets its own. After commits
the stamp log attributes to projects (an edit, a monthly report), the new one keeps the other projects' rows:
a row shows only its own project's data and the vocabulary's names, and the vocabulary is the same object
(Vocabulary.load keeps it across such commits: a change to its tables is never attributable), so nothing kept
can be stale."""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session

from registry import stamp
from registry.facetindex import FacetIndex
from registry.progress.classify import Rule
from registry.records import ProjectRow
from registry.vocabulary import Vocabulary
from web import filterform
from web.session import cache

ROWS_KEPT = 2000  # ~40 pages of rows per worker; a row is a few kB


class ListStatic:
    def __init__(self, session: Session) -> None:
        self.vocab = Vocabulary.load(session)  # its own per-stamp cache, kept across project-only commits
        self.months = filterform.progress_months(session)
        self._rows: OrderedDict[tuple[int, Rule], ProjectRow] = OrderedDict()
        self._lock = threading.Lock()

    def refreshed(self, session: Session, since: stamp.Stamp, current: stamp.Stamp) -> ListStatic | None:
        """This one, held since `since` (the cache keeps its stamp), brought up to `current`: the rows of projects
        written since dropped, the rest kept. None when the stamp log cannot say which projects were written
        (then the caller builds a new one)."""
        changed = stamp.changed_projects(session, since, current)
        if changed is None:
            return None
        fresh = ListStatic(session)
        with self._lock:
            fresh._rows = OrderedDict((key, row) for key, row in self._rows.items() if key[0] not in changed)
        return fresh

    def rows(self, ids: Sequence[int], rule: Rule,
             fetch: Callable[[list[int]], list[ProjectRow]]) -> list[ProjectRow]:
        """The rows of `ids` in that order; those not kept yet come from `fetch(missing ids)`, in order. The
        rule is part of the key: a row shows its progress classes."""
        with self._lock:
            found = {pid: self._rows[(pid, rule)] for pid in ids if (pid, rule) in self._rows}
        missing = [pid for pid in ids if pid not in found]
        if missing:
            fetched = fetch(missing)
            if len(fetched) != len(missing):  # cannot happen at one stamp; never show a shifted page
                raise RuntimeError(f"list rows: {len(missing)} ids, {len(fetched)} rows")
            found.update(zip(missing, fetched, strict=True))
            with self._lock:
                for pid, row in zip(missing, fetched, strict=True):
                    self._rows[(pid, rule)] = row
                while len(self._rows) > ROWS_KEPT:
                    self._rows.popitem(last=False)
        return [found[pid] for pid in ids]


def index_and_static(session: Session) -> tuple[FacetIndex, ListStatic]:
    """The facet index of the request's snapshot, and what every list request at its stamp shares (the list
    page and its JSON twin answer their counts, totals, facets and rows from these)."""
    index = cache("kpr_facet_index").get(session)
    static = cache("kpr_list_static").get(None, index.stamp, lambda: ListStatic(session),
                                          refresh=lambda older, since: older.refreshed(session, since, index.stamp))
    return index, static
