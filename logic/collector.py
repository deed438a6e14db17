"""Python's cyclic garbage collector paused while an export reads and writes a register.

A country's export makes millions of objects (the driver's rows and their cells) that hold
no cycle, and the collector walked them again and again as they came: a fifth of the
decision export's time and a quarter of the roll-out export's at 50,000 units (measured with
the collector off, docs/benchmarks.md). Paused, nothing is lost: whatever cycles were made
meanwhile are collected once it runs again. Exports run at once in a server's threads, and
the collector is the process's: it runs again when the last pause ends, and only if it ran
when the first began."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_pauses = 0  # how many are paused now, in every thread
_was_enabled = False  # when the first of them began


@contextmanager
def paused() -> Iterator[None]:
    global _pauses, _was_enabled  # noqa: PLW0603 - one collector per process, as gc's own
    with _lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()
