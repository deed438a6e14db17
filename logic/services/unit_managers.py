"""What a unit manager (enhetschef) does with their own units: read them, acknowledge
(kvittera) each decision in force, report an e-service in place or removed (rapport), and
ask the regional team for a new assessment or an exemption (begäran), which one of the team
answers once, in words or by a decision approved (services/verdicts.py). Which units they
hold is kept by administrators (services/users.py); here the units come from the user table
as it stands when the action runs (unit_of_work reads the user afresh), never from the page
or the request: a unit manager cannot reach a unit they do not hold by naming it. The regional
team sees which decisions in force no unit manager has acknowledged, and the requests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from logic.domain.acknowledgements import Acknowledgement, AcknowledgementRefused
from logic.domain.auth import User
from logic.domain.models import Unit
from logic.domain.register import RegisterRow
from logic.domain.rules import recommend
from logic.domain.unit_reports import REPORTED, Reported, ReportRefused, check_day, reported_facts
from logic.domain.unit_requests import REQUEST_KINDS, RequestRefused, UnitRequest, checked_text
from logic.readmodels.recipients import answer_mails
from logic.readmodels.rollout_projection import refresh_reported, unit_part
from logic.services.unit_of_work import unit_of_work
from logic.settings import app_link, settings
from logic.store import readmodel_register as register_rows
from logic.store.store import Store

__all__ = [
    "Unacknowledged",
    "acknowledge_decision",
    "acknowledgements",
    "answer_request",
    "ask",
    "my_units",
    "open_requests",
    "report_e_service",
    "reported_units",
    "unacknowledged_decisions",
    "unit_requests",
]


def my_units(store: Store, user: User) -> list[RegisterRow]:
    """The units the signed-in unit manager holds, as the register shows them."""
    with unit_of_work(store, user, "read_own_units", readonly=True) as work:
        return register_rows.rows_of_units(work.tx, work.user.units)


def acknowledge_decision(
    store: Store, user: User, hsa_id: str, revision: int, content_hash: str
) -> Acknowledgement:
    """The unit manager has read the decision in force on their unit: recorded with the
    moment, bound to the revision's content as shown. Refused in words
    (AcknowledgementRefused) when the revision is no longer the one in force, its content is
    not what was shown, or this person acknowledged it already."""
    with unit_of_work(store, user, "acknowledge_decision", unit=hsa_id) as work:
        tx = work.tx
        tx.lock_unit(hsa_id)  # beside an approval of a newer revision: one after the other
        if tx.units.in_force_revision(hsa_id) != revision:
            raise AcknowledgementRefused("not_in_force")
        found = tx.revisions.get(hsa_id, revision)
        if found is None or found.content_hash != content_hash:
            raise AcknowledgementRefused("changed")
        mine = (hsa_id, revision, work.user.email)
        if any(a.key() == mine for a in tx.acknowledgements.of_units([hsa_id])):
            raise AcknowledgementRefused("already")
        made = tx.acknowledgements.add(hsa_id, revision, work.user.email, content_hash)
        tx.audit.append(
            work.user.email,
            "acknowledge_decision",
            {"hsa_id": hsa_id, "revision": revision, "content_hash": content_hash},
        )
    return made


def acknowledgements(store: Store, user: User, hsa_id: str) -> list[Acknowledgement]:
    """Every acknowledgement of the unit's decisions, in the order given."""
    with unit_of_work(store, user, "read_register", readonly=True, unit=hsa_id) as work:
        return work.tx.acknowledgements.of_units([hsa_id])


@dataclass(frozen=True)
class Unacknowledged:
    """A unit with a unit manager whose decision in force none of them acknowledged."""

    hsa_id: str
    namn: str
    forvaltning: str
    revision: int
    managers: tuple[str, ...]  # their e-mail addresses


def unacknowledged_decisions(store: Store, user: User) -> list[Unacknowledged]:
    """For the regional team: the decisions in force, of units that have a unit manager,
    that no unit manager of the unit has acknowledged; by administration and name."""
    with unit_of_work(store, user, "read_register", readonly=True) as work:
        tx = work.tx
        managers: dict[str, list[str]] = {}
        for person in tx.users.all():
            if person.active and "enhetschef" in person.roles:
                for hsa_id in person.units:
                    managers.setdefault(hsa_id, []).append(person.email)
        if not managers:  # nobody to acknowledge: the register is not read at all
            return []
        in_force = tx.units.in_force(managers)  # the units held only, not the register
        held = [h for h in managers if h in in_force]
        done = {
            (a.hsa_id, a.revision)
            for a in tx.acknowledgements.of_units(held)
            if a.email in managers[a.hsa_id]
        }
        waiting = [h for h in held if (h, in_force[h]) not in done]
        rows = register_rows.rows_of_units(tx, waiting)
    found = [
        Unacknowledged(
            r.hsa_id, r.namn, r.forvaltning, in_force[r.hsa_id], tuple(managers[r.hsa_id])
        )
        for r in rows
    ]
    return sorted(found, key=lambda u: (u.forvaltning, u.namn, u.hsa_id))


def ask(store: Store, user: User, hsa_id: str, kind: str, reason: str) -> UnitRequest:
    """A unit manager asks for a new assessment (omprovning) or an exemption (undantag) of
    their unit, with the reason in plain words (checked as every free text: RequestRefused
    names the problem); it enters the regional team's queue."""
    if kind not in REQUEST_KINDS:
        raise RequestRefused("kind")
    reason = checked_text("reason", reason)
    with unit_of_work(store, user, "ask", unit=hsa_id) as work:
        made = work.tx.requests.add(hsa_id, kind, reason, work.user.email)
        work.tx.audit.append(
            work.user.email,
            "ask_unit_request",
            {"number": made.number, "hsa_id": hsa_id, "kind": kind, "reason": reason},
        )
    return made


def unit_requests(store: Store, user: User, hsa_id: str) -> list[UnitRequest]:
    """Every request about the unit, with its answer, oldest first."""
    with unit_of_work(store, user, "read_register", readonly=True, unit=hsa_id) as work:
        return work.tx.requests.of_units([hsa_id])


def open_requests(store: Store, user: User) -> list[UnitRequest]:
    """The regional team's queue: the requests not answered yet, oldest first."""
    with unit_of_work(store, user, "assess", readonly=True) as work:
        return work.tx.requests.unanswered()


def answer_request(store: Store, user: User, number: int, answer: str) -> UnitRequest:
    """One of the regional team answers a request in words, once: a second answer (two
    people at once, say) is refused in words and writes nothing."""
    answer = checked_text("answer", answer)
    with unit_of_work(store, user, "assess") as work:
        found = work.tx.requests.get(number)
        if found is None:
            raise RequestRefused("not_found")
        work.tx.lock_unit(found.hsa_id)  # beside another answer: one after the other
        if not work.tx.requests.answer(number, answer, work.user.email):
            raise RequestRefused("answered")
        answered = work.tx.requests.get(number)
        assert answered is not None
        language, link = settings().app_language, app_link("min_enhet")
        work.tx.outbox.add(answer_mails(work.tx, answered, work.user.namn, language, link))
        work.tx.audit.append(
            work.user.email, "answer_request", {"number": number, "answer": answer}
        )
    return answered


def report_e_service(
    store: Store, user: User, hsa_id: str, case_type: str, in_place: bool, day: dt.date
) -> Reported:
    """A unit manager reports that an e-service is in place at their unit (or was removed)
    from `day`: an observation of the unit from the unit (source `enhet`), which the roll-out
    counts from that day, and the register shows as reported until the unit file's next
    import confirms or contradicts it. Refused in words (ReportRefused): not a case type, a
    date after today or before the unit's newest observation, nothing changed."""
    with unit_of_work(store, user, "report", unit=hsa_id) as work:
        tx, cat = work.tx, work.catalog
        if case_type not in {c.code for c in cat.case_types}:
            raise ReportRefused("case_type")
        # the locks in the order the others take them: not beside an import (which reads
        # the units before it writes them), then the unit (beside an approval of it), then
        # the hold a "known at" report's moment waits for
        tx.serialize("units", shared=True)
        tx.lock_unit(hsa_id)
        tx.hold_snapshot()
        unit = tx.units.get(hsa_id)
        if unit is None:  # held, but gone from the register: nothing to report on
            raise ReportRefused("case_type")
        check_day(day, work.today, tx.units.observed_on(hsa_id))
        before = unit_part(tx, cat, hsa_id)  # its part of the progress, to move from
        offered, templates = reported_facts(
            unit.e_tjanster, unit.regionala_mallar, case_type, in_place
        )
        facts = {"e_tjanster": offered, "regionala_mallar": templates}
        reported = Unit.model_validate(unit.model_dump() | facts)
        tx.units.upsert([(reported, recommend(reported, cat, work.today))], work.user.email, day,
                        source=REPORTED)  # fmt: skip
        refresh_reported(tx, cat, hsa_id, before)
        details = {"hsa_id": hsa_id, "case_type": case_type, "in_place": in_place}
        tx.audit.append(
            work.user.email,
            "report_e_service",
            details | {"observed": day.isoformat()} | tx.units.recorded_observations(),
        )
    return Reported(hsa_id, day, work.user.email)


def reported_units(store: Store, user: User, hsa_ids: list[str] | None = None) -> list[Reported]:
    """The units (these, or the register's) whose facts rest on their own report, not yet
    confirmed or contradicted by the unit file."""
    if hsa_ids is not None and len(hsa_ids) == 1:  # one unit: a unit manager may ask
        with unit_of_work(store, user, "read_register", readonly=True, unit=hsa_ids[0]) as work:
            return work.tx.units.reported(hsa_ids)
    with unit_of_work(store, user, "read_register", readonly=True) as work:
        return work.tx.units.reported(hsa_ids)
