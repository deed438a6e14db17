"""Python's cyclic garbage collector paused while an export reads and writes a register.

A country's export makes millions of objects (the driver's rows and their cells) that hold
no cycle, and the collector walked them again and again as they came: a fifth of the
decision export's time and half of making the roll-out export's columns at 50,000 units
(docs/benchmarks.md). Paused, nothing is lost: whatever cycles were made meanwhile are
collected once it runs again. Exports run at once in a server's threads, and the collector
is the process's: it runs again when the last pause ends, and only if it ran when the first
began; exports that overlap one after another never leave it off for longer than MAX_OFF
(a pause that ends after that collects once, there and then)."""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

MAX_OFF = 10.0  # seconds

_lock = threading.Lock()
_pauses = 0  # how many are paused now, in every thread
_was_enabled = False  # when the first of them began
_off_since = 0.0  # when the collector last ran, or was paused


@contextmanager
def paused() -> Iterator[None]:
    global _pauses, _was_enabled, _off_since  # noqa: PLW0603 - one collector per process
    with _lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            _off_since = time.monotonic()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()
            elif _was_enabled and time.monotonic() - _off_since > MAX_OFF:
                gc.collect()  # others still paused: the cycles made so far, collected now
                _off_since = time.monotonic()
