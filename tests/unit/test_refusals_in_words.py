"""Every refusal is a Refused and says itself in words, in both languages: a page or the
command line catches one thing and shows any refusal the same way."""

from __future__ import annotations

import datetime as dt

import pytest

from logic.domain.auth import PermissionDenied
from logic.domain.errors import (
    CommentInvalid,
    DecisionInvalid,
    DraftNotHeld,
    LastAdministrator,
    ObservedOutOfRange,
    Refused,
    StaleRevision,
    UnknownUnit,
    VerdictRefused,
)
from logic.domain.validation import FieldError
from logic.files.unit_file import RowError, UnitFileError
from logic.i18n import LANGUAGES, messages, t
from logic.services.audit import NotARegister

AT = dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.UTC)
ERROR = FieldError(field="rationale", message="wizard.err.rationale")

REFUSALS: list[Refused] = [
    StaleRevision("SE1", 1, 2),
    UnknownUnit("SE1"),
    DraftNotHeld("SE1", "bertil@region.se", AT),
    DraftNotHeld("SE1", None, None),
    DecisionInvalid({"beslut": [ERROR]}),
    CommentInvalid([FieldError(field="comment", message="workflow.err.comment")]),
    *(VerdictRefused("SE1", 1, r) for r in ("own_revision", "stale", "already_decided")),
    LastAdministrator(),
    ObservedOutOfRange(dt.date(2030, 1, 1), dt.date(2026, 11, 25)),
    PermissionDenied(None, "assess"),
    UnitFileError([RowError(row=2, column="hsa_id", value="x", expected="hsa")]),
    NotARegister("empty"),
    NotARegister("old"),
    Refused(),
]


@pytest.mark.parametrize("refusal", REFUSALS, ids=lambda r: type(r).__name__)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_refusal_says_itself_in_words(refusal: Refused, lang: str) -> None:
    key, params = refusal.words()
    assert key in messages(), key
    text = t(key, lang, **params)
    assert "{" not in text and text.strip()
    assert "Traceback" not in text and "Error" not in text


def test_the_words_name_what_refused_it() -> None:
    key, params = StaleRevision("SE1", 1, 2).words()
    assert "revision 2" in t(key, "sv", **params)
    key, params = DraftNotHeld("SE1", "bertil@region.se", AT).words()
    assert "bertil@region.se" in t(key, "sv", **params)
    key, params = ObservedOutOfRange(dt.date(2030, 1, 1), dt.date(2026, 11, 25)).words()
    assert "2030-01-01" in t(key, "sv", **params)
