"""A small thread-safe cache whose entries are valid for one data stamp (registry/stamp.py).

Each entry remembers the stamp it was built from. A reader passes the stamp of its own snapshot: an entry
with that stamp is returned; otherwise the value is built from the reader's snapshot and stored, unless a
newer one (same epoch, higher counter) was stored meanwhile: a slow request never replaces a newer entry
with an older one. Building happens outside the lock, so one slow build does not block cache hits."""
from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from registry.stamp import Stamp

V = TypeVar("V")


def is_newer(stamp: Stamp, than: Stamp) -> bool:
    """Within one epoch the counter orders stamps; across epochs (a re-migrated database) the one just read
    from the database is the one to keep."""
    return stamp.epoch != than.epoch or stamp.counter > than.counter


class StampedCache(Generic[V]):
    def __init__(self, size: int = 16) -> None:
        self.size = size
        self._entries: OrderedDict[Hashable, tuple[Stamp, V]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, current: Stamp, build: Callable[[], V],
            refresh: Callable[[V, Stamp], V | None] | None = None) -> V:
        """The entry for `current`, built if missing. With `refresh`, an entry from an older stamp of the same
        epoch is first offered to it with that stamp (bring the old value up to date cheaply, or keep it when
        nothing it depends on changed); None from it means build."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] == current:
                self._entries.move_to_end(key)
                return entry[1]
        value: V | None = None
        if refresh is not None and entry is not None and is_newer(current, entry[0]) \
                and entry[0].epoch == current.epoch:
            value = refresh(entry[1], entry[0])
        if value is None:
            value = build()
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or is_newer(current, entry[0]):
                self._entries[key] = (current, value)
                self._entries.move_to_end(key)
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
        return value

    def entry(self, key: Hashable) -> tuple[Stamp, V] | None:
        """The stamp and value held for `key`, without building (for tests and diagnostics)."""
        with self._lock:
            return self._entries.get(key)

    def stamps(self) -> dict[Hashable, Stamp]:
        """Which stamp each entry was built from (for tests and diagnostics)."""
        with self._lock:
            return {key: stamp for key, (stamp, _) in self._entries.items()}
