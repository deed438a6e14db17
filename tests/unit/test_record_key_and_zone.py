"""A key's fingerprint is pinned like the hashes (every event stored names the key that
chained it: a changed fingerprint would make the whole chain "unknown key"), and a record's
hashes do not depend on the time zone of the server that computes them."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

import pytest

from logic.domain.record import GENESIS, event_hash, key_id

AT = dt.datetime(2026, 11, 25, 9, 30, 15, 123456, tzinfo=dt.UTC)


def test_a_keys_fingerprint_is_the_one_every_stored_event_names() -> None:
    assert key_id(b"k") == "a5c14b9f63d2adae"
    assert key_id(b"another key") != key_id(b"k")


@pytest.fixture
def stockholm(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Europe/Stockholm")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_a_hash_is_the_same_on_a_server_in_another_time_zone(stockholm: None) -> None:
    assert time.localtime(AT.timestamp()).tm_gmtoff == 3600  # the server's clock: CET
    details = {"hsa_id": "SE162321000255-T0001", "revision": 1}
    digest = event_hash(AT, "anna@region.se", "submit_decision", details, GENESIS)
    assert digest == "89514328bbe645ae873b4935443683368a3fe128937ee23b86e18a92d2e248ff"


def test_a_value_the_record_cannot_hold_as_json_is_refused_not_hashed_as_some_text() -> None:
    with pytest.raises(TypeError):
        event_hash(AT, "anna@region.se", "x", {"day": dt.date(2026, 11, 25)}, GENESIS)
