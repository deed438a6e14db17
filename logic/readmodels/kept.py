"""Read models kept between page runs, by the data they depend on: a result is kept under
its database, its arguments and the newest audit event of an action that writes (every
writing action appends one, last: a write in any process makes a new key; an export or a
report does not), so a page's reruns and the next reader reuse it until something is
written. The oldest goes first when more are kept than `size`. An edit behind the app's back
(no audit event) shows after the next writing action; verification finds it."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from logic.store.store import Tx

T = TypeVar("T")


class Kept(Generic[T]):
    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._kept: dict[Hashable, T] = {}
        self._lock = threading.Lock()  # sessions run in threads of one process

    def get(self, tx: Tx, arguments: tuple[Hashable, ...], make: Callable[[], T]) -> T:
        """What `make` works out in `tx` for these arguments, kept or worked out now."""
        key = (tx.connection.engine, *arguments, tx.audit.data_version())
        with self._lock:
            found = self._kept.get(key)
        if found is None:  # worked out outside the lock: two at once each work it out
            found = make()
            with self._lock:
                self._kept[key] = found
                while len(self._kept) > self.size:
                    self._kept.pop(next(iter(self._kept)))
        return found
