"""Whom mail goes to, as the user table has them at this moment: the active unit managers
of a unit, and the regional team (those who assess), each in the language they last chose
in the app (else the app's)."""

from __future__ import annotations

from collections.abc import Iterable

from logic.domain import mail as mails
from logic.domain.mail import Mail, Recipient
from logic.domain.unit_requests import UnitRequest
from logic.i18n import t
from logic.store.store import Tx


def unit_managers_of(
    tx: Tx, hsa_ids: Iterable[str], default_language: str
) -> dict[str, list[Recipient]]:
    """HSA-id -> the active unit managers holding the unit (units without one: absent)."""
    wanted = set(hsa_ids)
    languages = tx.users.languages()
    found: dict[str, list[Recipient]] = {}
    for person in tx.users.all():
        if not person.active or "enhetschef" not in person.roles:
            continue
        to = Recipient(person.email, person.namn, languages.get(person.email, default_language))
        for hsa_id in wanted.intersection(person.units):
            found.setdefault(hsa_id, []).append(to)
    return found


def regional_team(tx: Tx, default_language: str) -> list[Recipient]:
    """The active people who assess (handläggare): they answer the units' requests."""
    languages = tx.users.languages()
    return [
        Recipient(p.email, p.namn, languages.get(p.email, default_language))
        for p in tx.users.all()
        if p.active and "handlaggare" in p.roles
    ]


def decision_mails(
    tx: Tx, hsa_id: str, revision: int, default_language: str, link: str
) -> list[Mail]:
    """To each unit manager of the unit: a decision on it is approved."""
    namn = _name(tx, hsa_id)
    return [
        mails.decision_approved(t, to, hsa_id, namn, revision, link)
        for to in unit_managers_of(tx, [hsa_id], default_language).get(hsa_id, [])
    ]


def answer_mails(
    tx: Tx, request: UnitRequest, by: str, default_language: str, link: str
) -> list[Mail]:
    """To who asked, if they are still active: their request is answered."""
    person = tx.users.get(request.asked_by)
    if person is None or not person.active:
        return []
    language = tx.users.languages().get(person.email, default_language)
    to = Recipient(person.email, person.namn, language)
    namn = _name(tx, request.hsa_id)
    return [mails.request_answered(t, to, request.number, request.hsa_id, namn, by, link)]


def _name(tx: Tx, hsa_id: str) -> str:
    unit = tx.units.get(hsa_id)
    return unit.namn if unit is not None else hsa_id
