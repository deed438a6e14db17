"""Is the record untouched? Recompute everything that can be recomputed and report "intact"
or the first place where the database disagrees with itself:

1. the audit chain: each event's link to the one before and its hash;
2. every revision: its content hash, the columns repeated from it for filters and exports,
   and the audit event that recorded its submission (one each, same content hash);
3. every verdict: bound to its revision's content, given by nobody who wrote any part of it,
   and matching the audit event that logged it (one each);
4. the observations: each import's (and each approval's corrections') rows against the
   count and digest its audit event committed to; none appended by no event;
5. the register: each unit's current decision in brief, its status and the decision in
   force (who approved it and when), as the revisions and verdicts make them; the facts it
   shows, as its newest observation has them; what it says the rules recommend;
6. the users: each one's name, roles, units (a unit manager's) and active flag as the
   audited changes left them;
7. the roll-out now (the projection pages, reports and exports read): each row as the
   observations and the decisions in force make it;
8. the catalog versions: each one's files against its version, and each version and
   verdict against the audit event that recorded it (one each);
9. what unit managers added (acknowledgements of decisions in force, requests and their
   answers): each against the audit event that recorded it (one each).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from itertools import groupby
from typing import Any

from pydantic import BaseModel, ConfigDict

from logic.domain import catalog_versions as cv
from logic.domain import unit_manager_records as um
from logic.domain.auth import User
from logic.domain.catalog import Catalog
from logic.domain.models import Unit
from logic.domain.record import (
    GENESIS,
    KEY_INTRODUCED,
    OBSERVED_FIELDS,
    AuditEvent,
    RevisionRow,
    StoredVerdict,
    event_hash,
    key_id,
    observation_digest,
    revision_hash,
)
from logic.domain.rules import Recommendations
from logic.domain.workflow import CurrentDecision, CurrentStatus, on_submission, wrote_part

VERDICT_EVENTS = {"approve_decision": "faststalld", "return_decision": "aterremitterad"}
SUBMIT_EVENTS = ("submit_decision", "record_decision")  # the latter before four eyes
# The events that append observations, and the source the observations carry.
OBSERVING_EVENTS = dict(import_units="fil", approve_decision="beslut", report_e_service="enhet")
USER_EVENTS = ("add_user", "change_user")


class Verification(BaseModel):
    model_config = ConfigDict(frozen=True)

    events: int
    revisions: int
    problem: str | None = None  # message key: audit.broken_link, audit.altered_event, ...
    where: str = ""  # the event id, "hsa_id rev N", "hsa_id: column" or an e-mail
    head: str = ""  # the chain's head as "events:hash", to write down and --expect later
    unkeyed: int = 0  # events chained before the chain had a key

    @property
    def intact(self) -> bool:
        return self.problem is None


class _Broken(Exception):
    def __init__(self, problem: str, where: str):
        super().__init__(problem)
        self.problem, self.where = problem, where


class _Chain:
    """What the audit events say: checked link by link while read once; `expect` is a head
    written down earlier (events, hash): the chain must still pass through it."""

    def __init__(self, expect: tuple[int, str] | None = None, key: bytes | None = None) -> None:
        self.expect = expect
        self.key = key
        self.unkeyed = 0
        self.count = 0
        self.head = GENESIS
        self.verdicts: dict[tuple[str, int], tuple[str, str, str, str, str]] = {}
        self.submissions: dict[tuple[str, int], str] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self.catalogs: dict[int, tuple[object, ...]] = {}  # number -> what was proposed
        self.catalog_verdicts: dict[int, tuple[object, ...]] = {}  # number -> verdict
        self.unit_managers: dict[str, list[AuditEvent]] = {}  # their records' events
        # (moment, source) -> ((rows, digest) or None, event id): each appending of observations
        self.observed: dict[tuple[dt.datetime, str], tuple[tuple[Any, Any] | None, int]] = {}

    def read(self, events: Iterable[AuditEvent]) -> None:
        """Every event in order; with a key, every event after the first keyed one must be
        keyed with it, and a chain with no keyed event at all is a chain rewritten without
        the key (the app marks the key's introduction with a keyed event)."""
        keyed = False
        for event in events:
            self.count += 1
            try:
                keyed = self._link(event, keyed)
            except (AttributeError, TypeError, ValueError) as exc:  # forged out of shape
                raise _Broken("audit.altered_event", str(event.id)) from exc
        if self.key is not None and self.count and not keyed:
            raise _Broken("audit.unkeyed_chain", str(self.count))

    def _introduces_key(self, event: AuditEvent) -> bool:
        """The first keyed event after unkeyed ones: the explicit introduction of the key,
        naming exactly the unkeyed part before it (its length and its head)."""
        details = event.details if isinstance(event.details, dict) else {}
        return (
            event.action == KEY_INTRODUCED
            and details.get("unkeyed_events") == self.unkeyed
            and details.get("head") == self.head
        )

    def _link(self, event: AuditEvent, keyed: bool) -> bool:
        """Check one event against the one before, and note what it says; whether the chain
        is keyed from here on."""
        if event.prev_hash != self.head:
            raise _Broken("audit.broken_link", str(event.id))
        if event.key_id is None:  # from before the chain had a key: only at its start
            if keyed:
                raise _Broken("audit.unkeyed_event", str(event.id))
            self.unkeyed += 1
        elif self.key is None or key_id(self.key) != event.key_id:
            raise _Broken("audit.unknown_key", str(event.id))
        else:
            if not keyed and self.unkeyed and not self._introduces_key(event):
                # keyed events after unkeyed ones, without the administrator's introduction
                raise _Broken("audit.key_not_introduced", str(event.id))
            keyed = True
        key = self.key if event.key_id is not None else None
        digest = event_hash(event.at, event.actor, event.action, event.details, self.head, key)
        if digest != event.hash:
            raise _Broken("audit.altered_event", str(event.id))
        self.head = event.hash
        noted = self.expect
        if noted is not None and noted[0] == self.count and event.hash != noted[1]:
            raise _Broken("audit.head_mismatch", f"{noted[0]}:{noted[1]}")  # rewritten
        d = event.details
        if event.action in VERDICT_EVENTS:
            self.verdicts[(d.get("hsa_id"), d.get("revision"))] = (
                VERDICT_EVENTS[event.action],
                event.actor,
                d.get("content_hash"),
                d.get("comment", ""),
                event.at.isoformat(),
            )
        elif event.action in SUBMIT_EVENTS:
            self.submissions[(d.get("hsa_id"), d.get("revision"))] = d.get("content_hash")
        if event.action in OBSERVING_EVENTS and (event.action == "import_units" or "digest" in d):
            # what it appended: (rows, digest), or None from before imports committed to it
            committed = (d.get("observations"), d.get("digest")) if "digest" in d else None
            self.observed[(event.at, OBSERVING_EVENTS[event.action])] = (committed, event.id)
        elif event.action in USER_EVENTS and isinstance(d.get("after"), dict):
            self.users[str(d.get("email"))] = d["after"]
        elif event.action in cv.PROPOSAL_EVENTS:
            number = d.get("number")
            self.catalogs[number] = cv.proposal_in_event(event.actor, event.at, d, event.action)
            if event.action == "catalog_started":  # approved as it was recorded
                verdict = ("faststalld", event.actor, d.get("version"), event.at.isoformat())
                self.catalog_verdicts[number] = verdict
        elif event.action in um.UNIT_MANAGER_EVENTS:
            self.unit_managers.setdefault(event.action, []).append(event)
        elif event.action in cv.CATALOG_VERDICT_EVENTS:
            kind = cv.CATALOG_VERDICT_EVENTS[event.action]
            verdict = (kind, event.actor, d.get("version"), event.at.isoformat())
            self.catalog_verdicts[d.get("number")] = verdict
        return keyed


def verify(
    events: Iterable[AuditEvent],
    revisions: Iterable[RevisionRow],
    approvals: Iterable[StoredVerdict] = (),
    current: Iterable[CurrentStatus] = (),
    users: Iterable[User] = (),
    expect: tuple[int, str] | None = None,
    key: bytes | None = None,
    observations: Iterable[Mapping[str, Any]] = (),
    catalog: Catalog | None = None,
    projection: Iterable[tuple[str, Any, Any]] = (),
    catalogs: tuple[Iterable[cv.CatalogProposal], Iterable[cv.CatalogVerdict]] = ((), ()),
    unit_managers: tuple[Iterable[Any], Iterable[Any]] = ((), ()),
) -> Verification:
    """The first place where the record disagrees with itself, in the order of the module's
    docstring; or intact, with the chain's head. With `expect` (a head written down
    earlier), the chain must still pass through it: a chain cut off before it, or rewritten
    up to it, is named even when every link and hash was recomputed."""
    chain = _Chain(expect, key)
    checked = 0
    try:
        chain.read(events)
        if expect is not None and chain.count < expect[0]:
            raise _Broken("audit.head_missing", f"{expect[0]}:{expect[1]}")
        verdicts = {(a.hsa_id, a.revision): a for a in approvals}
        newest: dict[str, CurrentDecision] = {}
        seen: set[tuple[str, int]] = set()
        for row in revisions:
            checked += 1
            _check_revision(row, chain, verdicts, newest)
            if row.revision is not None:
                seen.add((row.revision.hsa_id, row.revision.revision))
        for key in sorted(set(chain.submissions) - seen):
            raise _Broken("audit.missing_revision", f"{key[0]} rev {key[1]}")
        _check_verdicts(verdicts, chain, seen)
        latest = _check_observations(observations, chain)
        _check_register(current, newest, verdicts, latest, catalog)
        _check_projection(projection)
        _check_users(users, chain)
        found = cv.catalog_problem(*catalogs, chain.catalogs, chain.catalog_verdicts)
        if found is not None:
            raise _Broken(*found)
        found = um.unit_manager_problem(*unit_managers, chain.unit_managers)
        if found is not None:
            raise _Broken(*found)
    except _Broken as broken:
        return Verification(
            events=chain.count, revisions=checked, problem=broken.problem, where=broken.where
        )
    return Verification(
        events=chain.count,
        revisions=checked,
        head=f"{chain.count}:{chain.head}",
        unkeyed=chain.unkeyed,
    )


def _check_revision(
    row: RevisionRow,
    chain: _Chain,
    verdicts: dict[tuple[str, int], StoredVerdict],
    newest: dict[str, CurrentDecision],
) -> None:
    revision = row.revision
    if revision is None:  # a row that no longer reads as a revision at all
        raise _Broken("audit.altered_revision", row.where)
    key = (revision.hsa_id, revision.revision)
    where = f"{revision.hsa_id} rev {revision.revision}"
    if revision_hash(revision) != revision.content_hash:
        raise _Broken("audit.altered_revision", where)
    if row.rule_ids != "|".join(dict.fromkeys(revision.recommendation.rule_ids)):
        raise _Broken("audit.altered_revision", f"{where}: rule_ids")
    recorded = chain.submissions.get(key)
    if recorded is not None and recorded != revision.content_hash:
        raise _Broken("audit.altered_revision", where)  # rewritten, hash recomputed
    if recorded is None:
        raise _Broken("audit.unrecorded_revision", where)  # inserted behind the app's back
    verdict = verdicts.get(key)
    if verdict is not None and (
        verdict.content_hash != revision.content_hash or wrote_part(revision, verdict.approver)
    ):
        raise _Broken("audit.altered_approval", where)
    before = newest.get(revision.hsa_id)
    newest[revision.hsa_id] = on_submission(revision, before.kontakt_since if before else None)


def _check_verdicts(
    verdicts: dict[tuple[str, int], StoredVerdict], chain: _Chain, seen: set[tuple[str, int]]
) -> None:
    for key in sorted(set(verdicts) | set(chain.verdicts)):
        approval = verdicts.get(key)
        row = approval and (
            approval.verdict,
            approval.approver,
            approval.content_hash,
            approval.comment,
            approval.at.isoformat(),
        )
        if key not in seen or row is None or chain.verdicts.get(key) != row:
            raise _Broken("audit.altered_approval", f"{key[0]} rev {key[1]}")


def _check_observations(
    observations: Iterable[Mapping[str, Any]], chain: _Chain
) -> dict[str, Mapping[str, Any]]:
    """Each appending of observations against what its event committed to (its rows and
    their digest); every observation appended by an event. Returns each unit's newest
    observation (by the day observed, then as recorded): the facts the register shows."""
    latest: dict[str, Mapping[str, Any]] = {}
    expected = dict(chain.observed)
    for (moment, source), rows in groupby(observations, key=_group):
        group = list(rows)
        first = group[0]
        committed, event = expected.pop((moment, source), (False, None))
        if committed is False:  # no event appended these: inserted behind the app's back
            raise _Broken("audit.unrecorded_observation", f"{first['hsa_id']} {first['observed']}")
        if committed is not None and committed != (len(group), observation_digest(group)):
            raise _Broken("audit.altered_observations", str(event))
        for row in group:
            before = latest.get(row["hsa_id"])
            if before is None or _newer(row, before):
                latest[row["hsa_id"]] = row
    for committed, event in sorted(expected.values(), key=lambda c: c[1]):
        if committed is not None and committed[0]:  # rows it appended are all gone
            raise _Broken("audit.altered_observations", str(event))
    return latest


def _group(row: Mapping[str, Any]) -> tuple[dt.datetime, str]:
    return row["recorded_at"], row["source"]


def _newer(row: Mapping[str, Any], than: Mapping[str, Any]) -> bool:
    return (row["observed"], row["recorded_at"], row["id"]) > (
        than["observed"],
        than["recorded_at"],
        than["id"],
    )


def _check_facts(
    unit: CurrentStatus,
    newest: Mapping[str, Any] | None,
    recommended: Recommendations | None,
) -> None:
    """The facts the register shows are its newest observation's; what it says the rules
    recommend is what they do for those facts (when made under the catalog `recommended`
    runs them by)."""
    if newest is None:
        if unit.facts:
            raise _Broken("audit.altered_register", f"{unit.hsa_id}: observed")
        return
    for field in OBSERVED_FIELDS:
        if str(unit.facts.get(field)) != str(newest[field]):
            raise _Broken("audit.altered_register", f"{unit.hsa_id}: {field}")
    if recommended is None or unit.catalog_version != recommended.cat.version:
        return
    try:
        # code lists as stored ("a|b"): the unit reads them as the unit file gives them
        facts = Unit.model_validate({f: v for f, v in newest.items() if f in Unit.model_fields})
    except ValueError:  # facts no unit can have: forged
        raise _Broken("audit.altered_register", f"{unit.hsa_id}: facts") from None
    rec = recommended(facts)
    if unit.recommended != (rec.outcome, rec.variant, "|".join(rec.missing)):
        raise _Broken("audit.altered_register", f"{unit.hsa_id}: recommended")


def _check_register(
    current: Iterable[CurrentStatus],
    newest: dict[str, CurrentDecision],
    verdicts: dict[tuple[str, int], StoredVerdict],
    latest: Mapping[str, Mapping[str, Any]] | None = None,
    catalog: Catalog | None = None,
) -> None:
    in_force: dict[str, StoredVerdict] = {}
    for (hsa_id, _number), approval in sorted(verdicts.items()):
        if approval.verdict == "faststalld":
            in_force[hsa_id] = approval  # sorted: the newest approved revision wins
    # the day does not change what is recommended or missing, only the deadline's status
    recommended = (
        Recommendations(catalog, catalog.policy.deadline_digital_kontakt) if catalog else None
    )
    for unit in current:
        if latest is not None:
            _check_facts(unit, latest.get(unit.hsa_id), recommended)
        expected = newest.pop(unit.hsa_id, None)
        if expected is None:
            if unit.decision is not None or unit.in_force_revision is not None:
                raise _Broken("audit.altered_register", f"{unit.hsa_id}: current_revision")
            continue
        verdict = verdicts.get((unit.hsa_id, expected.revision))
        expected = expected.model_copy(
            update={"status": verdict.verdict if verdict else "for_beslut"}
        )
        force = in_force.get(unit.hsa_id)
        expected_force = (force.revision, force.approver, force.at) if force else (None,) * 3
        if unit.decision != expected:
            differs = next(
                name
                for name in CurrentDecision.model_fields
                if unit.decision is None or getattr(unit.decision, name) != getattr(expected, name)
            )
            raise _Broken("audit.altered_register", f"{unit.hsa_id}: {differs}")
        if (unit.in_force_revision, unit.in_force_approver, unit.in_force_at) != expected_force:
            raise _Broken("audit.altered_register", f"{unit.hsa_id}: in_force")
    for hsa_id in sorted(newest):  # decided units the register has lost
        raise _Broken("audit.altered_register", f"{hsa_id}: current_revision")


def _check_projection(projection: Iterable[tuple[str, Any, Any]]) -> None:
    """The roll-out now, as stored, is what the record makes of it (readmodels'
    as_stored_and_made gives each row both ways)."""
    for where, stored, made in projection:
        if stored is None or made is None:
            raise _Broken("audit.altered_rollout", where)
        for field, value in made.items():
            if _text(stored.get(field)) != _text(value):
                raise _Broken("audit.altered_rollout", f"{where}: {field}")


def _text(value: Any) -> str:
    """A value as compared across the databases' types (a date, a flag, a text)."""
    return "" if value is None else str(value)


def _same(value: Any) -> Any:
    """A field as compared: roles in any order are the same roles."""
    return tuple(sorted(value)) if isinstance(value, list | tuple) else value


def _check_users(users: Iterable[User], chain: _Chain) -> None:
    audited = dict(chain.users)
    fields = ("email", "namn", "roles", "active", "units")
    for user in users:
        after = audited.pop(user.email, None)  # "units": [] when recorded before units
        after = None if after is None else {"units": [], **after}
        stored = user.model_dump(mode="json")
        if after is None or any(_same(after.get(f)) != _same(stored[f]) for f in fields):
            raise _Broken("audit.altered_user", user.email)
    for email in sorted(audited):  # a user the record has and the table has lost
        raise _Broken("audit.altered_user", email)
