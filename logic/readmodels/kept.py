"""Read models kept between page runs, by the data they depend on: a result is kept under
its database, its arguments and the newest audit event (every writing action appends one,
last: a write in any process makes a new key), so a page's reruns and the next reader reuse
it until something is written. The oldest goes first when more are kept than `size`."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from logic.store.store import Tx

T = TypeVar("T")


def data_version(tx: Tx) -> Hashable:
    """What a read model depends on, in one index lookup (the newest audit event)."""
    return tx.rollout.data_version()  # type: ignore[no-any-return]


class Kept(Generic[T]):
    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._kept: dict[Hashable, T] = {}
        self._lock = threading.Lock()  # sessions run in threads of one process

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        with self._lock:
            found = self._kept.get(key)
        if found is None:  # worked out outside the lock: two at once each work it out
            found = make()
            with self._lock:
                self._kept[key] = found
                while len(self._kept) > self.size:
                    self._kept.pop(next(iter(self._kept)))
        return found
