"""The unit file's preview refuses in the reader's language; the sample units go only into
an empty register, on the record as the sample; the audit log shows as many events as asked,
draft saves only when asked for."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from logic.files.unit_file import UnitFileError
from logic.services.assessment import open_assessment, save_draft
from logic.services.audit import audit_log
from logic.services.units import import_units, preview_import, seed_sample_units
from logic.settings import settings
from logic.store.store import Store
from tests.factories import ADAM, ANNA, HEADER, ROW, on_day

TODAY = dt.date(2026, 11, 25)
BAD = "\n".join([HEADER, ROW.replace(";ja;ja;ja;ja;", ";kanske;ja;ja;ja;")]).encode()


def refusal(store: Store, **lang: str) -> list[str]:
    with pytest.raises(UnitFileError) as refused:
        preview_import(store, BAD, ADAM, **lang)
    return [dataclasses.astuple(e)[-1] for e in refused.value.errors]


def test_the_preview_refuses_in_the_reader_s_language(store: Store) -> None:
    swedish, english = refusal(store), refusal(store, lang="en")
    assert swedish == refusal(store, lang="sv")  # Swedish unless asked otherwise
    assert swedish != english and len(english) == 1


def test_the_sample_goes_only_into_an_empty_register(store: Store) -> None:
    store = on_day(store, TODAY)
    import_units(store, "\n".join([HEADER, ROW]).encode(), ADAM, source="one.csv")
    assert seed_sample_units(store, settings().sample_units) is None  # one unit: left alone
    with store.transaction() as tx:
        assert tx.units.count() == 1


def test_the_sample_is_on_the_record_as_the_sample(store: Store) -> None:
    store = on_day(store, TODAY)
    result = seed_sample_units(store, settings().sample_units)
    assert result is not None and result.added > 0
    [event] = [e for e in audit_log(store, ADAM) if e.action == "import_units"]
    assert event.details["source"] == f"sample:{settings().sample_units.name}"


def test_the_audit_log_shows_what_is_asked_for(store: Store) -> None:
    store = on_day(store, TODAY)
    import_units(store, "\n".join([HEADER, ROW]).encode(), ADAM, source="one.csv")
    draft = open_assessment(store, "SE162321000255-T0001", ANNA).draft
    save_draft(store, draft.model_copy(update={"rationale": "Ändrad."}), ANNA)
    shown = [e.action for e in audit_log(store, ADAM)]
    assert "save_draft" not in shown and "import_units" in shown
    assert "save_draft" in [e.action for e in audit_log(store, ADAM, drafts=True)]
    assert len(audit_log(store, ADAM, limit=1)) == 1


def test_the_preview_shows_the_first_50_new_and_changed_units_of_a_file_of_many_chunks(
    store: Store,
) -> None:
    """A file is read in chunks of 2,000 units: the preview lists the first 50 new (and the
    first 50 changed) units of the whole file, however many chunks hold them."""
    from logic.services.units import CHUNK, PREVIEW

    many = CHUNK + 10
    ids = [f"SE162321000255-M{n:05d}" for n in range(many)]
    rows = [ROW.replace("SE162321000255-T0001", hsa_id) for hsa_id in ids]
    data = "\n".join([HEADER, *rows]).encode()
    store = on_day(store, TODAY)
    fresh = preview_import(store, data, ADAM)
    assert fresh.counts.added == many
    assert [u.hsa_id for u in fresh.new] == ids[:PREVIEW] and fresh.changed == []
    import_units(store, data, ADAM, source="many.csv")
    renamed = "\n".join([HEADER, *(r.replace("Vårdcentralen Test", "Nytt namn") for r in rows)])
    changed = preview_import(store, renamed.encode(), ADAM)
    assert changed.counts.updated == many and changed.new == []
    assert [u.hsa_id for u, _ in changed.changed] == ids[:PREVIEW]
