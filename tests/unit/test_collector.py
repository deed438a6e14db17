"""The collector paused by an export runs again when the last pause ends, whichever ends
last, in whatever thread, and even when an export fails; one paused before stays paused."""

from __future__ import annotations

import gc
import threading
import weakref
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


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_exports_overlapping_one_after_another_let_it_collect_now_and_then(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(collector, "MAX_OFF", 0.0)
    relay = collector.paused()
    relay.__enter__()  # an export that outlasts the next one
    with collector.paused():
        made = _Cycle()
        found = weakref.ref(made)
        del made
    assert found() is None  # collected when the pause after MAX_OFF ended
    assert not gc.isenabled()  # the first export still paused it
    relay.__exit__(None, None, None)
    assert gc.isenabled()


def test_a_pause_within_max_off_collects_nothing_while_others_last() -> None:
    relay = collector.paused()
    relay.__enter__()
    with collector.paused():
        made = _Cycle()
        found = weakref.ref(made)
        del made
    assert found() is not None  # still paused by the relay: left for later
    relay.__exit__(None, None, None)
    gc.collect()
    assert found() is None
