"""The record's hashes are pinned: every database ever written verifies only while these
functions give exactly these digests. The expected values were computed with the formula of
the code before the restructure (store.py's writer, d7997fe); writer and verifier now share
one function each, so only a pinned value catches a change to it."""

from __future__ import annotations

import datetime as dt

import pytest

from logic.domain.catalog import Text
from logic.domain.models import Reason, Recommendation
from logic.domain.record import GENESIS, NewRevision, event_hash, revision_hash, seal

AT = dt.datetime(2026, 11, 25, 9, 30, 15, 123456, tzinfo=dt.UTC)
HSA = "SE162321000255-T0001"


def new_revision() -> NewRevision:
    rec = Recommendation(
        hsa_id=HSA,
        outcome="omfattas",
        variant="primarvard",
        required=("kontakt", "fornya_recept"),
        missing=("fornya_recept",),
        outside_variant=(),
        also_relevant=(),
        deadline_status="uppfylld",
        checklist=(),
        reasons=(
            Reason(
                rule_id="minsta_niva_kontakt",
                text=Text(sv="Kontakt är lägsta nivån.", en="Contact is the minimum."),
                source="seed",
            ),
        ),
        catalog_version="abc123def456",
    )
    return NewRevision(
        hsa_id=HSA,
        based_on_revision=None,
        author="anna@region.se",
        inputs={"namn": "Vårdcentralen Test", "bokar_besok": True},
        recommendation=rec,
        outcome="omfattas",
        variant="primarvard",
        decision={"rationale": "Motivering.", "exemption": {"review_date": None}},
        required=("kontakt", "fornya_recept"),
        missing=("fornya_recept",),
        rationale="Motivering.",
        review_date=dt.date(2027, 6, 30),
    )


def test_a_revisions_content_hash_is_the_one_every_stored_revision_was_sealed_with() -> None:
    sealed = seal(new_revision(), 1, AT)
    expected = "b2b6e1bbbd6a063178f3c92b1ca8a32f3b224c878135e7e229a84deba248810c"
    assert sealed.content_hash == expected
    assert revision_hash(sealed) == expected  # the verifier's recomputation agrees


def test_a_sealed_revision_changes_its_hash_when_any_part_changes() -> None:
    sealed = seal(new_revision(), 1, AT)
    for change in ({"author": "x@y.se"}, {"rationale": "Annan."}, {"revision": 2}):
        assert revision_hash(sealed.model_copy(update=change)) != sealed.content_hash


def test_an_audit_events_hash_is_the_one_every_stored_event_was_chained_with() -> None:
    details = {"hsa_id": HSA, "revision": 1}
    digest = event_hash(AT, "anna@region.se", "submit_decision", details, GENESIS)
    assert digest == "89514328bbe645ae873b4935443683368a3fe128937ee23b86e18a92d2e248ff"
    later = AT.astimezone(dt.timezone(dt.timedelta(hours=1)))  # the same moment, elsewhere
    assert event_hash(later, "anna@region.se", "submit_decision", details, GENESIS) == digest


def test_a_time_without_a_time_zone_is_refused_not_read_as_local_time() -> None:
    naive = AT.replace(tzinfo=None)
    with pytest.raises(ValueError, match="time zone"):
        seal(new_revision(), 1, naive)
    with pytest.raises(ValueError, match="time zone"):
        event_hash(naive, "anna@region.se", "x", {}, GENESIS)


def test_a_keyed_events_hash_is_an_hmac_only_the_key_recomputes() -> None:
    details = {"hsa_id": HSA, "revision": 1}
    keyed = event_hash(AT, "anna@region.se", "submit_decision", details, GENESIS, b"k")
    # HMAC-SHA256 with key b"k" over the same canonical JSON as the unkeyed hash
    assert keyed == "d454586e202f41ca171836cb8c741b80c50942703f84e027915c15f10d607c6a"
    assert keyed != event_hash(AT, "anna@region.se", "submit_decision", details, GENESIS)
    assert keyed != event_hash(AT, "anna@region.se", "submit_decision", details, GENESIS, b"x")


def test_the_key_file_is_created_once_whole_and_a_short_key_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import threading

    from logic.bootstrap import AuditKeyMissing, audit_key
    from logic.settings import Settings

    config = Settings(database_url=f"sqlite:///{tmp_path / 'x.db'}", audit_key_file=tmp_path / "k")
    keys: list[bytes] = []
    threads = [threading.Thread(target=lambda: keys.append(audit_key(config))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(keys)) == 1 and len(keys[0]) == 64  # everyone got the one key, whole
    assert oct((tmp_path / "k").stat().st_mode & 0o777) == "0o600"
    (tmp_path / "k").write_text("")
    with pytest.raises(AuditKeyMissing):
        audit_key(config)
    with pytest.raises(AuditKeyMissing):
        audit_key(config.model_copy(update={"audit_key": "short"}))


def test_a_head_written_down_is_read_back_or_refused() -> None:
    from logic.domain.record import parse_head

    digest = "Ab" * 32
    assert parse_head(f" 12:{digest}\n") == (12, digest.lower())
    assert parse_head(f"12:{digest[:-1]}") is None  # too short
    assert parse_head(f"x2:{digest}") is None
    assert parse_head(f"12-{digest}") is None
    assert parse_head(f"12:{digest}:3") is None  # one colon only
    assert parse_head(f"12:3:{digest[:62]}") is None  # 64 characters, not all hex digits
    assert parse_head(f"12:{digest[:63]}g") is None
    assert parse_head(f"\u0661\u0662:{digest}") is None  # Arabic-Indic digits: not a count
