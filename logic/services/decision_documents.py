"""The decision as a document: one revision's PDF "Beslut", or every current decision of an
administration in one ZIP; each recorded in the audit log as the exports are (who, which
revisions, the file's SHA-256). Made while reading, recorded after (once delivered, when
the command line writes it): no write lock is held while documents are laid out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from logic.clock import end_of_day, region
from logic.domain.auth import User
from logic.domain.errors import Refused, UnknownRevision, UnknownUnit
from logic.domain.record import StoredRevision, StoredVerdict
from logic.domain.unit_reports import Reported
from logic.files import decision_document as document_file
from logic.files.export import ExportFile, sha256
from logic.readmodels.rollout_history import read_history
from logic.services.unit_of_work import unit_of_work
from logic.store import readmodel_register as register_rows
from logic.store.store import Store, Tx


class NoDecisions(Refused):
    def __init__(self, forvaltning: str):
        super().__init__(forvaltning)
        self.forvaltning = forvaltning

    def words(self) -> tuple[str, dict[str, object]]:
        return "document.none_in_forvaltning", {"forvaltning": self.forvaltning}


def decision_document(
    store: Store,
    hsa_id: str,
    user: User,
    revision: int | None = None,
    lang: str = "sv",
    deliver: Callable[[bytes], None] | None = None,
) -> ExportFile:
    """The PDF of a revision (the unit's newest when `revision` is None). The same revision
    makes the same file; `deliver` (the command line) writes it before it is recorded."""
    with unit_of_work(
        store, user, "read_register", readonly=True, snapshot=True, unit=hsa_id
    ) as work:
        found, verdict = _revision(work.tx, hsa_id, revision)
        cat = work.catalog_named(found.catalog_version)  # in the words it was made in
        data = document_file.render(found, verdict, cat, lang, region())
        digest = sha256(data)
        if deliver is not None:
            deliver(data)
    details = {"hsa_id": hsa_id, "revision": found.revision, "lang": lang, "sha256": digest}
    _record(store, user, details, unit=hsa_id)
    name = document_file.file_name(hsa_id, found.revision)
    return ExportFile(data, name, document_file.MEDIA_TYPE, 1, digest)


def decision_documents(
    store: Store,
    forvaltning: str,
    user: User,
    lang: str = "sv",
    deliver: Callable[[bytes], None] | None = None,
) -> ExportFile:
    """Every current decision of an administration (each unit's newest revision), one PDF
    each, in one ZIP."""
    # one state of the register: each revision with the verdict given on it by then
    with unit_of_work(store, user, "read_register", readonly=True, snapshot=True) as work:
        tx = work.tx
        files: list[tuple[str, bytes]] = []
        revisions: list[str] = []
        for unit in sorted(tx.units.all(), key=lambda u: u.hsa_id):
            if unit.forvaltning != forvaltning:
                continue
            latest = tx.revisions.latest(unit.hsa_id)
            if latest is None:
                continue
            verdict = _verdict(tx, latest)
            cat = work.catalog_named(latest.catalog_version)  # in the words it was made in
            pdf = document_file.render(latest, verdict, cat, lang, region())
            files.append((document_file.file_name(unit.hsa_id, latest.revision), pdf))
            revisions.append(f"{unit.hsa_id} rev {latest.revision}")
        if not files:
            raise NoDecisions(forvaltning)
        data = document_file.render_zip(files)
        digest = sha256(data)
        if deliver is not None:
            deliver(data)
    _record(
        store,
        user,
        {"forvaltning": forvaltning, "revisions": revisions, "lang": lang, "sha256": digest},
        action="decision_documents",
    )
    name = document_file.zip_name(forvaltning)
    return ExportFile(data, name, document_file.ZIP_MEDIA_TYPE, len(files), digest)


def unit_follow_up(
    store: Store, user: User, hsa_id: str, as_of: dt.date, lang: str = "sv"
) -> ExportFile:
    """One unit's follow-up as of a date, one page (PDF), for the unit's own
    verksamhetsuppföljning: the decision in force, each e-service's roll-out with its
    deadline, and whether it rests on the unit's own report; recorded as documents are."""
    with unit_of_work(
        store, user, "read_register", readonly=True, snapshot=True, unit=hsa_id
    ) as work:
        tx = work.tx
        found = register_rows.rows_of_units(tx, [hsa_id])
        if not found:
            raise UnknownUnit(hsa_id)
        unit = found[0]
        # the decision in force on that day (approved by its end, as known now)
        by_then = end_of_day(as_of)
        approved = [
            v.revision
            for v in tx.verdicts.given(hsa_id)
            if v.verdict == "faststalld" and v.at <= by_then
        ]
        in_force = tx.revisions.get(hsa_id, max(approved)) if approved else None
        cat = work.catalog_on(as_of)
        rows = read_history(tx, work.now, as_of, None, None, cat, [hsa_id]).rows
        day = next((r.rapport for r in rows if r.rapport is not None), None)
        now = {r.observed: r for r in tx.units.reported([hsa_id])}
        reported = None if day is None else now.get(day, Reported(hsa_id, day, "–"))
        data = document_file.render_follow_up(
            unit, in_force, rows, reported, as_of, work.now, cat, lang, region()
        )
        digest = sha256(data)
    details = {"hsa_id": hsa_id, "as_of": as_of.isoformat(), "lang": lang, "sha256": digest}
    _record(store, user, details, action="unit_follow_up", unit=hsa_id)
    name = document_file.follow_up_name(hsa_id, as_of)
    return ExportFile(data, name, document_file.MEDIA_TYPE, 1, digest)


def _revision(
    tx: Tx, hsa_id: str, number: int | None
) -> tuple[StoredRevision, StoredVerdict | None]:
    if tx.units.get(hsa_id) is None:
        raise UnknownUnit(hsa_id)
    found = tx.revisions.latest(hsa_id) if number is None else tx.revisions.get(hsa_id, number)
    if found is None:
        raise UnknownRevision(hsa_id, number)
    return found, _verdict(tx, found)


def _verdict(tx: Tx, revision: StoredRevision) -> StoredVerdict | None:
    given = [v for v in tx.verdicts.given(revision.hsa_id) if v.revision == revision.revision]
    return given[-1] if given else None


def _record(
    store: Store,
    user: User,
    details: dict[str, object],
    action: str = "decision_document",
    unit: str | None = None,
) -> None:
    """The document made, on the record (a transaction of its own: making it only reads)."""
    with unit_of_work(store, user, "read_register", unit=unit) as work:
        work.tx.audit.append(work.user.email, action, details)
