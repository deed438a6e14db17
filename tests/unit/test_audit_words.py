"""The audit log on Administration reads in sentences: every detail an event can hold, in
words, codes named as the pages name them (the stored event keeps them as written)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from logic.clock import region
from logic.files.reference_data import catalog
from logic.presentation.audit_words import event_details

CAT = catalog()
CODE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b|\bNone\b|\bTrue\b|\bFalse\b|\['|\{'|\{\"")
# a moment stored in UTC reads in the region's time
LOCAL = dt.datetime(2026, 1, 2, 10, tzinfo=dt.UTC).astimezone(region()).strftime("%Y-%m-%d %H:%M")
HASH = "6b6e210990b0710101b0af212743cad2152b32ad0b57fa4e59d425eee5a6facb"

EVENTS = [
    ("open_draft", {"hsa_id": "SE1-A", "based_on": None}, "enhet SE1-A; ny bedömning"),
    ("open_draft", {"hsa_id": "SE1-A", "based_on": 2}, "enhet SE1-A; utgår från revision 2"),
    ("take_over_draft", {"hsa_id": "SE1-A", "from": "a@x.se"}, "övertaget från a@x.se"),
    ("save_draft", {"hsa_id": "SE1-A", "step": 3}, "enhet SE1-A; steg 3"),
    (
        "submit_decision",
        {"hsa_id": "SE1-A", "revision": 1, "outcome": "delvis_undantagen", "content_hash": HASH},
        "revision 1; beslut: Delvis undantagen; kontrollsumma 6b6e210990b0…",
    ),
    (
        "return_decision",
        {"hsa_id": "SE1-A", "revision": 1, "content_hash": HASH, "comment": "Komplettera."},
        "kommentar: Komplettera.",
    ),
    (
        "verdict_refused",
        {"hsa_id": "SE1-A", "revision": 1, "verdict": "faststalld", "reason": "own_revision"},
        "status: Fastställt; Du kan inte fastställa",
    ),
    (
        "import_units",
        {
            "source": "e.csv",
            "observed": "2026-01-01",
            "added": 1,
            "updated": 2,
            "unchanged": 0,
            "older": 0,
            "observations": 3,
            "digest": HASH,
        },
        "fil e.csv; observerad 2026-01-01; 1 ny; 2 ändrade; 0 oförändrade",
    ),
    (
        "change_user",
        {
            "email": "b@x.se",
            "before": {"email": "b@x.se", "namn": "B", "roles": ["chef"], "active": True},
            "after": {"email": "b@x.se", "namn": "B", "roles": [], "active": False},
        },
        "före: B, roller: Chef, aktiv: Ja; B, roller: –, aktiv: Nej",
    ),
    ("sign_in", {"via": "oidc", "roles": ["handlaggare", "chef"]}, "roller: Handläggare, Chef"),
    (
        "export_decisions",
        {
            "filter": {
                "utfall": "ej_omfattad",
                "saknar": "kontakta_mig",
                "avviker": "1",
                "status": "omprovning_kravs",
            },
            "profile": "csv-excel",
            "in_words": "sv",
            "rows": 1,
        },
        "Beslut (utfall) = Omfattas inte; Saknar e-tjänst = Kontakta mig; Avviker från"
        " rekommendationen = Ja; Bedömning = Omprövning krävs (datum passerat); CSV för"
        " Excel; 1 rad",
    ),
    (
        "export_rollout",
        {
            "as_of": "2026-01-01",
            "known_at": "2026-01-02T10:00:00+00:00",
            "filter": {"arendetyp": "boka_tid", "status": "forsenat"},
            "profile": "xlsx",
            "rows": 5,
        },
        f"som känt {LOCAL}; filter: Ärendetyp = Boka tid / Beställ tid; Status ="
        " Försenad; Excel (XLSX); 5 rader",
    ),
    (
        "rollout_report",
        {
            "as_of": "2026-01-01",
            "known_at": "2026-01-02",
            "forvaltning": None,
            "format": "pdf",
            "units": 72,
        },
        "per 2026-01-01; som känt 2026-01-02; hela regionen; format PDF; 72 enheter",
    ),
    (
        "decision_documents",
        {
            "forvaltning": "Primärvård Skåne",
            "revisions": [f"SE1-{n} rev 1" for n in range(7)],
            "lang": "sv",
            "sha256": HASH,
        },
        "7 beslut: SE1-0 rev 1, SE1-1 rev 1, SE1-2 rev 1, SE1-3 rev 1, SE1-4 rev 1 och 2 till;"
        " på svenska",
    ),
    (
        "verify_audit",
        {"intact": False, "problem": "audit.altered_event", "where": 17, "head": HASH},
        "INTE ORÖRD; ÄNDRAD HÄNDELSE 17",
    ),
    ("permission_denied", {"action": "approve"}, "försökte: fastställa beslut"),
    ("refresh_recommendations", {"catalog_version": "4b090fa64b14", "units": 3}, "3 enheter"),
    ("sign_out", {}, "–"),
]


@pytest.mark.parametrize(("action", "details", "said"), EVENTS)
def test_each_detail_reads_in_words(action: str, details: dict, said: str) -> None:
    text = event_details(action, details, CAT, "sv")
    assert said in text
    assert not CODE.search(text), text
    assert not CODE.search(event_details(action, details, CAT, "en"))


def test_a_detail_without_words_is_still_shown_never_hidden() -> None:
    assert event_details("future_event", {"new_thing": 42}, CAT, "sv") == "new_thing: 42"
    assert event_details("e", {"list": [1, 2], "none": None}, CAT, "sv") == "list: 1, 2"


@pytest.mark.parametrize(
    "details",
    [
        {"filter": {"saknar": "gammal_kod"}},  # a case type an older catalog had
        {"action": "old_permission"},  # an action an older version had
        {"outcome": "forsvunnet"},
        {"verdict": "okand"},
        {"reason": "old_reason"},
        {"lang": "de"},
        {"revisions": 3},  # not a list
    ],
)
def test_an_older_event_is_shown_as_written_and_the_log_still_opens(details: dict) -> None:
    """The log keeps every version's events: a code no longer known is shown as stored."""
    text = event_details("old", details, CAT, "sv")
    [(key, value)] = details.items()
    assert key in text


def test_a_checksum_that_is_not_there_is_not_said() -> None:
    assert event_details("verify_audit", {"intact": True, "head": None}, CAT, "sv") == "orörd"
