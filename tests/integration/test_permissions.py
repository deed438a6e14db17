"""The role x action matrix through the services directly: whatever a page shows, a service
refuses what the user's roles do not allow, and writes nothing but the refusal. On SQLite
and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable
from typing import Any

import pytest

from logic.domain.auth import PermissionDenied, User, may, may_on_unit
from logic.domain.register import RegisterFilter, RegisterView
from logic.files.reference_data import catalog_from_texts, catalog_texts
from logic.services import (
    assessment,
    audit,
    mail,
    policy,
    register,
    rollout,
    unit_managers,
    units,
    users,
    verdicts,
)
from logic.services import catalog as c
from logic.services import decision_documents as documents
from logic.services import register as r
from logic.store.store import Store
from tests.factories import (
    ADAM,
    ANNA,
    BERIT,
    CECILIA,
    ELIN,
    HEADER,
    ROW,
    completed,
    decide,
    on_day,
)

TODAY = dt.date(2026, 11, 25)
CLAIM = dt.timedelta(minutes=5)  # how long a sender holds a mail
UNIT, OTHER, THIRD = (f"SE162321000255-T000{n}" for n in (1, 2, 3))
STRANGER = User(email="ny@region.se", namn="Ny Person")  # signed in, no role
FILE = f"{HEADER}\n{ROW}\n".encode()
# an action on UNIT: a unit manager's too, on a unit they hold (ELIN holds UNIT)
ON_UNIT = "read_register@unit"
MANAGERS = f"hsa_id;epost;namn\n{UNIT};ulla@region.se;Ulla Enhetschef\n".encode()


def changed_catalog(old: str, new: str) -> dict[str, str]:
    files = catalog_texts()
    return files | {"mallar.yaml": files["mallar.yaml"].replace(old, new)}


def calls(
    store: Store,
    approvable: Any,
    returnable: Any,
    proposals: Any = (None, None),
    in_force: Any = None,
    request: Any = None,
) -> list[tuple[str, str, Callable[..., Any]]]:
    """(service, action, call with a user): valid arguments, so a permitted call succeeds."""
    a, r = assessment, register
    to_approve, to_withdraw = proposals
    later = changed_catalog("    - deadline: 2024-06-30", "    - deadline: 2024-05-31")
    return [
        ("decisions_to_review", "read_register", lambda u: r.decisions_to_review(store, u)),
        ("catalog_as_of", "read_register", lambda u: rollout.catalog_as_of(store, u, TODAY)),
        ("list_catalog_versions", "read_register", lambda u: c.list_catalog_versions(store, u)),
        ("catalog_files", "read_register", lambda u: c.catalog_files(store, u)),
        ("read_proposal", "read_register", lambda u: c.read_proposal(store, u, 1)),
        (
            "propose_catalog",
            "propose_catalog",
            lambda u: c.propose_catalog(store, u, later, TODAY, "Ändrat datum."),
        ),
        (
            "approve_catalog",
            "approve_catalog",
            lambda u: c.approve_catalog(store, u, to_approve.number, to_approve.version),
        ),
        (
            "withdraw_catalog",
            "propose_catalog",
            lambda u: c.withdraw_catalog(store, u, to_withdraw.number, to_withdraw.version),
        ),
        ("take_effect", "import_units", lambda u: c.take_effect(store, u)),
        (
            "policy_impact",
            "export",
            lambda u: policy.policy_impact(store, u, catalog_from_texts(later), "csv"),
        ),
        ("recommendation_overview", "read_register", lambda u: r.recommendation_overview(store, u)),
        ("register_page", "read_register", lambda u: r.register_page(store, RegisterView(), u)),
        ("unit_history", ON_UNIT, lambda u: r.unit_history(store, UNIT, u)),
        ("unit_status", "read_register", lambda u: a.unit_status(store, UNIT, u)),
        ("search_units", "read_register", lambda u: units.search_units(store, "", u)),
        ("follow_up", "read_register", lambda u: r.follow_up(store, None, u)),
        ("forvaltningar", "read_register", lambda u: r.forvaltningar(store, u)),
        ("unit_verdicts", ON_UNIT, lambda u: verdicts.unit_verdicts(store, UNIT, u)),
        ("read_rollout", "read_register", lambda u: rollout.read_rollout(store, u, TODAY)),
        ("read_summary", "read_register", lambda u: rollout.read_summary(store, u, TODAY)),
        ("management", "read_register", lambda u: rollout.management(store, u, TODAY)),
        ("unit_rollout", ON_UNIT, lambda u: rollout.unit_rollout(store, u, UNIT, TODAY)),
        ("review_queue", "assess", lambda u: r.review_queue(store, u)),
        ("returned_decisions", "assess", lambda u: verdicts.returned_decisions(store, u)),
        ("open_assessment", "assess", lambda u: a.open_assessment(store, OTHER, u)),
        (
            "save_draft",
            "assess",
            lambda u: a.save_draft(store, a.take_over_draft(store, OTHER, u).draft, u),
        ),
        ("take_over_draft", "assess", lambda u: a.take_over_draft(store, OTHER, u)),
        ("discard_draft", "assess", lambda u: a.discard_draft(store, OTHER, u)),
        (
            "submit_decision",
            "assess",
            lambda u: a.submit_decision(
                store, completed(a.open_assessment(store, OTHER, u).draft), u
            ),
        ),
        (
            "acknowledge_decision",
            "acknowledge_decision@unit",
            lambda u: unit_managers.acknowledge_decision(
                store, u, UNIT, in_force.revision, in_force.content_hash
            ),
        ),
        ("acknowledgements", ON_UNIT, lambda u: unit_managers.acknowledgements(store, u, UNIT)),
        (
            "unacknowledged_decisions",
            "read_register",
            lambda u: unit_managers.unacknowledged_decisions(store, u),
        ),
        (
            "ask",
            "ask@unit",
            lambda u: unit_managers.ask(store, u, UNIT, "omprovning", "Vi har fått tidbokning."),
        ),
        ("unit_requests", ON_UNIT, lambda u: unit_managers.unit_requests(store, u, UNIT)),
        (
            "report_e_service",
            "report@unit",
            lambda u: unit_managers.report_e_service(store, u, UNIT, "fornya_recept", True, TODAY),
        ),
        ("reported_units", ON_UNIT, lambda u: unit_managers.reported_units(store, u, [UNIT])),
        ("reported_units", "read_register", lambda u: unit_managers.reported_units(store, u)),
        ("open_requests", "assess", lambda u: unit_managers.open_requests(store, u)),
        (
            "answer_request",
            "assess",
            lambda u: unit_managers.answer_request(store, u, request.number, "Vi svarar."),
        ),
        ("pending_decisions", "approve", lambda u: verdicts.pending_decisions(store, u)),
        (
            "approve_decision",
            "approve",
            lambda u: verdicts.approve_decision(
                store, UNIT, approvable.revision, approvable.content_hash, u
            ),
        ),
        (
            "return_decision",
            "approve",
            lambda u: verdicts.return_decision(
                store, THIRD, returnable.revision, returnable.content_hash, "Ändra.", u
            ),
        ),
        (
            "export_decisions",
            "export",
            lambda u: r.export_decisions(store, RegisterFilter(), "csv", u),
        ),
        ("export_rollout", "export", lambda u: rollout.export_rollout(store, u, "csv", TODAY)),
        (
            "rollout_report",
            "export",
            lambda u: rollout.rollout_report(store, u, "xlsx", TODAY),
        ),
        ("export_table", "export", lambda u: r.export_table(store, "t", ["a"], [[1]], "csv", u)),
        ("import_units", "import_units", lambda u: units.import_units(store, FILE, u, "x.csv")),
        ("preview_import", "import_units", lambda u: units.preview_import(store, FILE, u)),
        (
            "refresh_recommendations",
            "import_units",
            lambda u: units.refresh_recommendations(store, u),
        ),
        ("verify_audit", "verify_audit", lambda u: audit.verify_audit(store, u)),
        ("audit_log", "verify_audit", lambda u: audit.audit_log(store, u)),
        ("introduce_key", "introduce_audit_key", lambda u: audit.introduce_key(store, u)),
        ("decision_document", ON_UNIT, lambda u: documents.decision_document(store, UNIT, u)),
        ("unit_follow_up", ON_UNIT, lambda u: documents.unit_follow_up(store, u, UNIT, TODAY)),
        (
            "decision_documents",
            "read_register",
            lambda u: documents.decision_documents(store, "Primärvård Skåne", u),
        ),
        ("list_users", "manage_users", lambda u: users.list_users(store, u)),
        (
            "save_user",
            "manage_users",
            lambda u: users.save_user(store, User(email="x@region.se", namn="X"), u),
        ),
        (
            "import_unit_managers",
            "manage_users",
            lambda u: users.import_unit_managers(store, MANAGERS, u, "m.csv"),
        ),
        ("my_units", "read_own_units", lambda u: unit_managers.my_units(store, u)),
        ("write_reminders", "send_mail", lambda u: mail.write_reminders(store, u)),
        ("send_mail", "send_mail", lambda u: mail.send_mail(store, u, None, CLAIM)),
        ("outbox", "send_mail", lambda u: mail.outbox(store, u)),
    ]


@pytest.fixture
def prepared(store: Store) -> Store:
    store = on_day(store, TODAY)
    rows = [ROW, ROW.replace("T0001", "T0002"), ROW.replace("T0001", "T0003")]
    units.import_units(store, "\n".join([HEADER, *rows]).encode(), ADAM, "t.csv")
    return store


@pytest.mark.parametrize(
    "user", [ANNA, BERIT, CECILIA, ADAM, ELIN, STRANGER], ids=lambda u: u.email
)
def test_each_service_allows_exactly_the_roles_the_matrix_gives(
    prepared: Store, user: User
) -> None:
    in_force = decide(prepared, UNIT, ANNA, approver=BERIT)  # for a unit manager to acknowledge
    manager = ELIN.model_copy(update={"email": "ulla@region.se"})  # asks, for the team to answer
    request = unit_managers.ask(prepared, manager, UNIT, "undantag", "Vi saknar bokning.")
    approvable = decide(prepared, UNIT, ANNA)
    returnable = decide(prepared, THIRD, ANNA)
    proposer = User(email="team@region.se", namn="Team", roles=("administrator",))
    to_approve = c.propose_catalog(
        prepared,
        proposer,
        changed_catalog("    - deadline: 2023-06-30", "    - deadline: 2023-05-31"),
        TODAY,
        "Tidigare.",
    )
    to_withdraw = c.propose_catalog(
        prepared,
        proposer,
        changed_catalog("    - deadline: 2023-12-31", "    - deadline: 2023-11-30"),
        TODAY,
        "Tidigare.",
    )
    proposals = (to_approve, to_withdraw)
    made = (approvable, returnable, proposals, in_force, request)
    for name, asked, call in calls(prepared, *made):
        with prepared.transaction() as tx:
            before = len(tx.audit.events())
        action = asked.removesuffix("@unit")
        if may(user, action) if asked == action else may_on_unit(user, action, UNIT):
            call(user)  # permitted: runs through (any refusal here would be a bug)
        else:
            with pytest.raises(PermissionDenied):
                call(user)
            with prepared.transaction() as tx:  # nothing but the refusal itself
                events = tx.audit.events()
            assert len(events) == before + 1, f"{name} wrote for {user.email}"
            assert (events[-1].action, events[-1].actor) == ("permission_denied", user.email)
            on_unit = {"hsa_id": UNIT} if asked != action else {}
            assert events[-1].details == {"action": action} | on_unit


def test_every_service_that_takes_a_user_is_in_the_matrix(prepared: Store) -> None:
    """A new service cannot slip in without its permission being tested."""
    taking_user = {
        name
        for module in (
            assessment,
            audit,
            c,
            documents,
            mail,
            policy,
            register,
            rollout,
            unit_managers,
            units,
            users,
            verdicts,
        )
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__
        and "user" in inspect.signature(function).parameters
        and not name.startswith("_")
        and "__mutmut_" not in name  # a mutant's copy under `make mutation` is no service
    }
    # System and sign-in steps: who signs in has no role yet; seeding acts as the system.
    not_user_actions = {
        "seed_sample_units",
        "ensure_first_administrator",
        "ensure_demo_users",
        "retire_demo_users",
        "record_sign_out",  # anyone signed in may sign out
        "choose_language",  # anyone signed in chooses their own language
    }
    covered = {name for name, _, _ in calls(prepared, None, None)}
    assert taking_user - not_user_actions == covered


@pytest.mark.parametrize("unit", [OTHER, THIRD])
def test_a_unit_manager_reads_no_unit_they_do_not_hold(prepared: Store, unit: str) -> None:
    """Another unit's HSA-id given to every service that reads one unit: refused, and on
    the record, as any action the role may not take."""
    decide(prepared, unit, ANNA)
    for read in (
        lambda: r.unit_history(prepared, unit, ELIN),
        lambda: verdicts.unit_verdicts(prepared, unit, ELIN),
        lambda: rollout.unit_rollout(prepared, ELIN, unit, TODAY),
        lambda: documents.decision_document(prepared, unit, ELIN),
        lambda: documents.unit_follow_up(prepared, ELIN, unit, TODAY),
        lambda: unit_managers.acknowledgements(prepared, ELIN, unit),
        lambda: unit_managers.unit_requests(prepared, ELIN, unit),
        lambda: unit_managers.reported_units(prepared, ELIN, [unit]),
        lambda: unit_managers.ask(prepared, ELIN, unit, "undantag", "Vi vill."),
        lambda: unit_managers.report_e_service(prepared, ELIN, unit, "fornya_recept", True, TODAY),
        lambda: assessment.unit_status(prepared, unit, ELIN),
    ):
        with pytest.raises(PermissionDenied):
            read()
    with prepared.transaction() as tx:
        refused = [e for e in tx.audit.events() if e.action == "permission_denied"]
    assert len(refused) == 11 and {e.actor for e in refused} == {ELIN.email}
    # the unit asked for is on the record with the refusal (unit_status asks no unit)
    assert [e.details.get("hsa_id") for e in refused] == [unit] * 10 + [None]
