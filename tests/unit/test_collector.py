"""The collector paused by an export runs again when the last pause ends, whichever ends
last, in whatever thread, and even when an export fails; one paused before stays paused."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from logic import collector


@pytest.fixture(autouse=True)
def collector_running() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


def test_a_pause_ends_with_the_collector_running() -> None:
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_failed_export_leaves_the_collector_running() -> None:
    with pytest.raises(RuntimeError), collector.paused():
        raise RuntimeError("the disk is full")
    assert gc.isenabled()


def test_overlapping_pauses_end_with_the_last_of_them_in_any_order() -> None:
    first, second = collector.paused(), collector.paused()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)  # the first to begin ends first
    assert not gc.isenabled()
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_pauses_in_threads_at_once_end_with_the_collector_running() -> None:
    inside = threading.Barrier(8)

    def export() -> None:
        with collector.paused():
            inside.wait(timeout=10)  # all eight paused at once
            assert not gc.isenabled()

    threads = [threading.Thread(target=export) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert gc.isenabled()


def test_a_collector_paused_before_stays_paused() -> None:
    gc.disable()
    with collector.paused():
        pass
    assert not gc.isenabled()
