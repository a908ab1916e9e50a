"""What every list request at one data stamp would otherwise read again: the filter vocabulary, the months
with progress figures, and the rows of pages already shown. Held in the app's stamped cache
(web/session.cache("kpr_list_static")): a new stamp starts an empty one, an as-of read gets its own."""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session

from registry.progress.classify import Rule
from registry.records import ProjectRow
from registry.vocabulary import Vocabulary
from web import filterform

ROWS_KEPT = 2000  # ~40 pages of rows per worker; a row is a few kB


class ListStatic:
    def __init__(self, session: Session) -> None:
        self.vocab = Vocabulary.load(session)
        self.months = filterform.progress_months(session)
        self._rows: OrderedDict[tuple[int, Rule], ProjectRow] = OrderedDict()
        self._lock = threading.Lock()

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
