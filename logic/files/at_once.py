"""Whole columns worked on at once, one per core this process may use: Arrow's compute runs
in C++ without Python's GIL, so the columns of a country's file are checked or written in
about the time of the longest of them rather than of all together."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")

# the cores the process may run on (a container's share, not the host's count)
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def at_once(function: Callable[..., T], *iterables: Iterable[Any]) -> list[T]:
    """`map(function, *iterables)` in threads, the results in order; an error raised in one
    is raised here."""
    with ThreadPoolExecutor(max_workers=CORES) as pool:
        return list(pool.map(function, *iterables))
