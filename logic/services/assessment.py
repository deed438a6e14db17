"""The assessment wizard's actions: open a unit (its draft, or a new one), take a draft
over, save it, discard it, and submit the decision for approval."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from logic.domain.assessment import (
    Draft,
    decision_record,
    merge_edits,
    new_draft,
    recommended,
    review_date_of,
)
from logic.domain.auth import User
from logic.domain.coherence import incoherences
from logic.domain.decision_text import decision_text
from logic.domain.errors import DecisionInvalid, DraftNotHeld, StaleRevision, UnknownUnit
from logic.domain.models import Unit
from logic.domain.record import NewRevision, StoredDraft, StoredRevision
from logic.domain.validation import draft_text_errors, validate_all
from logic.domain.workflow import on_submission
from logic.domain.workflow import writers as wrote
from logic.i18n import t
from logic.services.unit_of_work import unit_of_work
from logic.store.store import Store


def _not_held(hsa_id: str, stored: StoredDraft | None) -> DraftNotHeld:
    return DraftNotHeld(hsa_id, stored.holder if stored else None, stored.since if stored else None)


@dataclass(frozen=True)
class OpenedDraft:
    draft: Draft
    holder: str
    since: dt.datetime
    resumed: bool  # an existing draft, not a fresh one

    def held_by_other(self, user: User) -> bool:
        return self.holder != user.email


@dataclass(frozen=True)
class UnitStatus:
    unit: Unit
    latest: StoredRevision | None
    draft_holder: str | None
    draft_since: dt.datetime | None


def unit_status(store: Store, hsa_id: str, user: User) -> UnitStatus | None:
    """The unit, its newest revision and who holds an open draft; None if not registered."""
    with unit_of_work(store, user, "read_register", readonly=True) as work:
        unit = work.tx.units.get(hsa_id)
        if unit is None:
            return None
        draft = work.tx.drafts.get(hsa_id)
        return UnitStatus(
            unit=unit,
            latest=work.tx.revisions.latest(hsa_id),
            draft_holder=draft.holder if draft else None,
            draft_since=draft.since if draft else None,
        )


def open_assessment(store: Store, hsa_id: str, user: User) -> OpenedDraft:
    """The unit's open draft if there is one (whoever holds it); otherwise a new draft held
    by `user`, starting from the latest decision when the unit has one."""
    with unit_of_work(store, user, "assess") as work:
        tx, email = work.tx, work.user.email
        tx.lock_unit(hsa_id)  # two people opening the unit at once: one draft, one holder
        unit = tx.units.get(hsa_id)
        if unit is None:
            raise UnknownUnit(hsa_id)
        stored = tx.drafts.get(hsa_id)
        if stored is not None:
            return OpenedDraft(Draft.model_validate(stored.data), stored.holder, stored.since, True)
        latest = tx.revisions.latest(hsa_id)
        draft = new_draft(
            unit,
            based_on=latest.revision if latest else None,
            previous=latest.decision if latest else None,
        )
        # a proposal never approved (returned, or waiting) is carried on: so are its writers
        approved = latest is not None and any(
            a.revision == latest.revision and a.verdict == "faststalld"
            for a in tx.verdicts.given(hsa_id)
        )
        carried = () if latest is None or approved else wrote(latest)
        tx.drafts.insert(hsa_id, email, draft.model_dump(mode="json"), carried)
        tx.audit.append(
            email, "open_draft", {"hsa_id": hsa_id, "based_on": draft.based_on_revision}
        )
        return OpenedDraft(draft, email, tx.now, False)


def take_over_draft(store: Store, hsa_id: str, user: User) -> OpenedDraft:
    """Make `user` the holder of the unit's open draft, explicitly and on the record."""
    with unit_of_work(store, user, "assess") as work:
        tx, email = work.tx, work.user.email
        tx.lock_unit(hsa_id)
        stored = tx.drafts.get(hsa_id)
        if stored is None:
            raise DraftNotHeld(hsa_id, None, None)
        tx.drafts.take_over(hsa_id, email)
        tx.audit.append(email, "take_over_draft", {"hsa_id": hsa_id, "from": stored.holder})
        return OpenedDraft(Draft.model_validate(stored.data), email, tx.now, True)


def save_draft(store: Store, draft: Draft, user: User, base: Draft | None = None) -> Draft:
    """Store the draft; returns it as stored. Refused with StaleRevision if someone has
    recorded a newer decision meanwhile, with DraftNotHeld if someone else has taken the
    draft over, with DecisionInvalid if a text holds what the record must never hold (an
    identity number, an invisible character): a draft is on the record too. With `base`
    (the draft as this session last saw it stored), what this session changed is laid over
    what is stored now, so two tabs of one person never undo each other's fields; when that
    is exactly what is stored already, nothing is written (the checks above still apply)."""
    errors = draft_text_errors(draft)
    if errors:
        raise DecisionInvalid({"utkast": errors})
    with unit_of_work(store, user, "assess") as work:
        tx, email = work.tx, work.user.email
        tx.lock_unit(draft.hsa_id)
        current = tx.revisions.latest_number(draft.hsa_id)
        if current != draft.based_on_revision:  # e.g. an old tab's copy of an earlier draft
            raise StaleRevision(draft.hsa_id, draft.based_on_revision, current)
        stored = tx.drafts.get(draft.hsa_id)
        if stored is None or stored.holder != email:
            raise _not_held(draft.hsa_id, stored)
        mine = draft.model_dump(mode="json")
        # as the model reads it: a draft saved before a field existed has its default
        theirs = Draft.model_validate(stored.data).model_dump(mode="json")
        if base is not None and theirs != base.model_dump(mode="json"):
            merged = merge_edits(base.model_dump(mode="json"), mine, theirs)
            draft = Draft.model_validate(merged | {"step": draft.step})  # this tab's step
            errors = draft_text_errors(draft)
            if errors:
                raise DecisionInvalid({"utkast": errors})
        if base is not None and draft.model_dump(mode="json") == theirs:
            return draft  # exactly what is stored already (a confirmation): nothing written
        if not tx.drafts.update(draft.hsa_id, email, draft.model_dump(mode="json")):
            raise _not_held(draft.hsa_id, tx.drafts.get(draft.hsa_id))
        tx.audit.append(email, "save_draft", {"hsa_id": draft.hsa_id, "step": draft.step})
    return draft


def discard_draft(store: Store, hsa_id: str, user: User) -> None:
    with unit_of_work(store, user, "assess") as work:
        work.tx.lock_unit(hsa_id)
        stored = work.tx.drafts.get(hsa_id)
        if stored is None or stored.holder != work.user.email:
            raise _not_held(hsa_id, stored)
        work.tx.drafts.delete(hsa_id)
        work.tx.audit.append(work.user.email, "discard_draft", {"hsa_id": hsa_id})


def submit_decision(store: Store, draft: Draft, user: User) -> StoredRevision:
    """Submit the decision for approval (status for_beslut) as a new revision, in one
    transaction: validated in full, based on the newest revision (else StaleRevision), by the
    draft's holder (else DraftNotHeld); the draft is closed. A second person approves it
    (approval.approve_decision), and only then does the register take the assessor's
    corrections."""
    with unit_of_work(store, user, "assess") as work:
        tx, email, cat = work.tx, work.user.email, work.catalog
        tx.lock_unit(draft.hsa_id)  # one submission or verdict on a unit at a time
        tx.hold_snapshot()  # a report's moment waits for this submission to commit
        today = work.today  # the day it is submitted, after any wait for the unit
        found = recommended(draft, cat, today)  # once: every check and the record use it
        errors = validate_all(draft, cat, today, found)
        if errors:
            raise DecisionInvalid(errors)
        rec = found.recommendation
        current = tx.revisions.latest_number(draft.hsa_id)
        if draft.based_on_revision != current:  # overtaken: said first, as it is what to fix
            raise StaleRevision(draft.hsa_id, draft.based_on_revision, current)
        stored = tx.drafts.get(draft.hsa_id)
        if stored is None or stored.holder != email:
            raise _not_held(draft.hsa_id, stored)
        # everyone who wrote any part of it, on the record: none of them may approve it
        editors = list(dict.fromkeys([*stored.editors, email]))
        record = decision_record(draft, rec, cat, today, found.chosen) | {"editors": editors}
        # the last word on what is written: one coherent decision, whatever was sent
        incoherent = incoherences(record, found.chosen)
        if incoherent:
            raise DecisionInvalid({"beslut": incoherent})
        # the formal wording, made from exactly what is decided: never out of step with it
        record["decision_text"] = decision_text(record, draft.unit.namn, cat, "sv", t)
        revision = tx.revisions.add(
            NewRevision(
                hsa_id=draft.hsa_id,
                based_on_revision=draft.based_on_revision,
                author=email,
                inputs=draft.unit.model_dump(mode="json"),
                recommendation=rec,
                outcome=record["outcome"],
                variant=record["variant"],
                decision=record,
                required=tuple(record["required"]),
                missing=tuple(record["missing"]),
                grounds=draft.exemption.decided().grounds,
                rationale=draft.rationale,
                review_date=review_date_of(draft),
                deviates=bool(record["deviations"]),
            )
        )
        tx.units.set_current_decision(
            draft.hsa_id, on_submission(revision, tx.units.kontakt_since(draft.hsa_id))
        )
        tx.drafts.delete(draft.hsa_id)  # corrections reach the register at approval
        tx.audit.append(
            email,
            "submit_decision",
            {
                "hsa_id": draft.hsa_id,
                "revision": revision.revision,
                "outcome": revision.outcome,
                "content_hash": revision.content_hash,
            },
        )
    return revision
