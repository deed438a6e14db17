"""The policy kept in the record, on both databases: the starting catalog recorded once, a
timetable date proposed by the regional team and approved by another person, the roll-out
and the report following it from its date while a report of an earlier date comes out byte
for byte the same; every refusal in words with nothing written; the command line."""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Connection, bindparam, insert, text

from logic.domain.auth import PermissionDenied, User
from logic.domain.catalog_versions import BEGINNING
from logic.domain.errors import CatalogAltered, CatalogRefused
from logic.domain.register import RegisterFilter, RegisterView
from logic.files.catalog_edit import with_review_months
from logic.files.reference_data import catalog, catalog_from_texts, catalog_texts, load_catalog
from logic.services import unit_of_work
from logic.services.audit import verify_audit
from logic.services.catalog import (
    approve_catalog,
    catalog_files,
    list_catalog_versions,
    propose_catalog,
    read_proposal,
    record_starting_catalog,
    take_effect,
    withdraw_catalog,
)
from logic.services.decision_documents import decision_document
from logic.services.register import (
    decisions_to_review,
    export_decisions,
    register_page,
    unit_history,
)
from logic.services.rollout import catalog_as_of, read_rollout, read_summary, rollout_report
from logic.services.units import refresh_recommendations
from logic.services.verdicts import approve_decision
from logic.store.schema import catalog_versions
from logic.store.store import Store
from tests.cli import run_cli
from tests.factories import ADAM, ANNA, BERIT, CECILIA, decide, on_day
from tests.integration.test_rollout import OTHER, UNIT, at, clocked, observe, row
from tests.integration.test_rollout_report import pdf_text

D = dt.date
OLD, NEW = "    - deadline: 2023-06-30", "    - deadline: 2023-03-31"  # Förnya recept, region
BODIL = User(email="bodil@region.se", namn="Bodil Båda", roles=("administrator", "beslutsfattare"))


def changed_files(old: str = OLD, new: str = NEW) -> dict[str, str]:
    files = catalog_texts()
    assert files["mallar.yaml"].count(old) == 1
    return files | {"mallar.yaml": files["mallar.yaml"].replace(old, new)}


def deadline(
    store: Store, day: dt.date, known_at: dt.datetime | None = None, asked: dt.date | None = None
) -> dt.date | None:
    """Förnya recept's deadline for UNIT as of `day`, asked on `asked` (default: that day)."""
    rollout = read_rollout(clocked(store, at(asked or day)), CECILIA, day, known_at)
    return next(r.frist for r in rollout.rows if (r.hsa_id, r.arendetyp) == (UNIT, "fornya_recept"))


@pytest.fixture
def started(store: Store) -> Store:
    observe(store, D(2022, 6, 1), row(UNIT, "kontakt"), row(OTHER, ""))
    observe(store, D(2022, 12, 1), row(UNIT, "kontakt"), row(OTHER, "kontakt"))
    assert record_starting_catalog(clocked(store, at(D(2023, 1, 2))), catalog_texts())
    return store


def test_the_starting_catalog_is_recorded_once_and_is_the_catalog_in_force(store: Store) -> None:
    assert record_starting_catalog(store, catalog_texts())
    assert not record_starting_catalog(store, catalog_texts())
    (start,) = list_catalog_versions(store, CECILIA)
    assert (start.number, start.state, start.proposal.effective_from) == (
        1,
        "faststalld",
        BEGINNING,
    )
    assert start.proposal.version == catalog().version == load_catalog().version
    assert catalog_files(store, CECILIA).files == catalog_texts()


def test_a_timetable_date_changes_from_its_date_and_an_earlier_report_stays_the_same(
    started: Store,
) -> None:
    made = at(D(2023, 1, 10))
    before = rollout_report(clocked(started, made), CECILIA, "pdf", D(2022, 12, 31), made)
    summary_before = read_summary(clocked(started, made), CECILIA, D(2022, 12, 31))

    proposal = propose_catalog(
        clocked(started, at(D(2023, 1, 11))), ADAM, changed_files(), D(2023, 2, 1), "Tidigare."
    )
    assert (proposal.number, proposal.based_on) == (2, 1)
    assert deadline(started, D(2023, 2, 15)) == D(2023, 6, 30)  # proposed only: nothing yet
    approve_catalog(clocked(started, at(D(2023, 1, 12))), BERIT, 2, proposal.version)

    # the roll-out follows the new date from the day it takes effect, never before it,
    # whenever it is asked
    assert deadline(started, D(2023, 1, 31)) == D(2023, 6, 30)
    assert deadline(started, D(2023, 1, 31), asked=D(2023, 2, 15)) == D(2023, 6, 30)
    assert deadline(started, D(2023, 2, 1)) == D(2023, 3, 31)
    # as known before the approval, the old date still holds
    assert deadline(started, D(2023, 2, 15), known_at=at(D(2023, 1, 11))) == D(2023, 6, 30)

    # made again, the earlier report is the same byte for byte (it says when it was made:
    # the same moment); made after the new date took effect, all but when it was made
    again = rollout_report(clocked(started, made), CECILIA, "pdf", D(2022, 12, 31), made)
    assert again.data == before.data and again.sha256 == before.sha256
    after = clocked(started, at(D(2023, 2, 15)))
    later_report = rollout_report(after, CECILIA, "pdf", D(2022, 12, 31), made)
    made_line = re.compile(r"Rapporten gjordes [0-9-]+ [0-9:]+")
    assert made_line.sub("", pdf_text(later_report.data)) == made_line.sub(
        "", pdf_text(before.data)
    )
    later = after
    summary_again = read_summary(later, CECILIA, D(2022, 12, 31))
    assert summary_again.tallies == summary_before.tallies
    assert summary_again.catalog_version == summary_before.catalog_version


def test_the_roll_out_now_follows_a_version_on_its_date_before_and_after_it_takes_effect(
    started: Store,
) -> None:
    proposal = propose_catalog(
        clocked(started, at(D(2023, 1, 11))), ADAM, changed_files(), D(2023, 2, 1), "Tidigare."
    )
    approve_catalog(clocked(started, at(D(2023, 1, 12))), BERIT, 2, proposal.version)
    on_the_day = clocked(started, at(D(2023, 2, 1)))
    new_version = load_catalog_version(started, 2)
    figures = read_summary(on_the_day, CECILIA, D(2023, 2, 1))  # the history path: no wait
    assert figures.catalog_version == new_version
    with started.transaction() as tx:
        assert tx.rollout.made_under() != new_version
    take_effect(on_the_day)
    with started.transaction() as tx:
        assert tx.rollout.made_under() == new_version
        assert tx.units.with_other_catalog(new_version) == []
    assert read_summary(on_the_day, CECILIA, D(2023, 2, 1)).tallies == figures.tallies


def load_catalog_version(store: Store, number: int) -> str:
    return next(
        v.proposal.version for v in list_catalog_versions(store, CECILIA) if v.number == number
    )


def test_four_eyes_and_nothing_backwards_in_time(started: Store) -> None:
    day = clocked(started, at(D(2023, 1, 11)))
    files = changed_files()
    with pytest.raises(PermissionDenied):  # a beslutsfattare does not propose
        propose_catalog(day, BERIT, files, D(2023, 2, 1), "Tidigare.")
    for effective, reason, refused in [
        (D(2023, 1, 10), "Tidigare.", "date_passed"),
        (D(2023, 2, 1), "", "reason"),
        (D(2023, 2, 1), "Ring 19121212-1212.", "reason"),
    ]:
        with pytest.raises(CatalogRefused) as exc:
            propose_catalog(day, ADAM, files, effective, reason)
        assert exc.value.reason == refused
    with pytest.raises(CatalogRefused) as exc:
        propose_catalog(day, ADAM, catalog_texts(), D(2023, 2, 1), "Ingen ändring.")
    assert exc.value.reason == "unchanged"
    elsewhere = changed_files(
        '    - forvaltning: "Primärvård Skåne"\n      deadline: 2023-03-31',
        '    - forvaltning: "Primärvården Skåne"\n      deadline: 2023-03-31',
    )
    with pytest.raises(CatalogRefused) as exc:
        propose_catalog(day, ADAM, elsewhere, D(2023, 2, 1), "Stavfel.")
    assert (exc.value.reason, exc.value.detail) == ("unknown_administration", "Primärvården Skåne")
    broken = files | {"mallar.yaml": files["mallar.yaml"].replace("2023-03-31", "2023-02-30")}
    with pytest.raises(CatalogRefused) as exc:
        propose_catalog(day, ADAM, broken, D(2023, 2, 1), "Fel datum.")
    assert exc.value.reason == "invalid" and "mallar.yaml, line" in exc.value.detail
    assert [v.number for v in list_catalog_versions(started, CECILIA)] == [1]  # none written

    mine = propose_catalog(day, BODIL, files, D(2023, 2, 1), "Tidigare.")
    for who, seen, refused in [
        (BODIL, mine.version, "own_proposal"),  # four eyes, whatever roles one holds
        (BERIT, "0" * 12, "changed"),  # bound to the version seen
    ]:
        with pytest.raises(CatalogRefused) as exc:
            approve_catalog(day, who, mine.number, seen)
        assert exc.value.reason == refused
    with pytest.raises(PermissionDenied):
        approve_catalog(day, ADAM, mine.number, mine.version)
    with pytest.raises(CatalogRefused) as exc:  # its date has passed: never backwards
        approve_catalog(clocked(started, at(D(2023, 2, 2))), BERIT, mine.number, mine.version)
    assert exc.value.reason == "date_passed"
    approve_catalog(day, BERIT, mine.number, mine.version)
    with pytest.raises(CatalogRefused) as exc:
        withdraw_catalog(day, ADAM, mine.number, mine.version)
    assert exc.value.reason == "already_decided"
    with started.transaction() as tx:
        refusals = [
            (e.details["number"], e.details["verdict"], e.details["reason"])
            for e in tx.audit.events()
            if e.action == "catalog_refused"
        ]
    assert refusals == [
        (mine.number, "faststalld", "own_proposal"),
        (mine.number, "faststalld", "changed"),
        (mine.number, "faststalld", "date_passed"),
        (mine.number, "aterkallad", "already_decided"),
    ]


def test_an_approval_never_undoes_a_change_approved_meanwhile(started: Store) -> None:
    day = clocked(started, at(D(2023, 1, 11)))
    first = propose_catalog(day, ADAM, changed_files(), D(2023, 2, 1), "Förnya recept tidigare.")
    other = changed_files("    - deadline: 2024-06-30", "    - deadline: 2024-03-31")
    second = propose_catalog(day, ADAM, other, D(2023, 3, 1), "Kontakta mig tidigare.")
    approve_catalog(day, BERIT, first.number, first.version)
    with pytest.raises(CatalogRefused) as exc:  # it was based on the starting catalog
        approve_catalog(day, BERIT, second.number, second.version)
    assert exc.value.reason == "stale"
    withdraw_catalog(day, ADAM, second.number, second.version)
    with pytest.raises(CatalogRefused) as exc:  # made from version 1, which is no longer last
        propose_catalog(day, ADAM, other, D(2023, 3, 1), "Kontakta mig.", edited_from=1)
    assert exc.value.reason == "stale"
    made = propose_catalog(day, ADAM, other, D(2023, 3, 1), "Kontakta mig.", edited_from=2)
    assert made.based_on == 2
    withdraw_catalog(day, ADAM, made.number, made.version)
    with pytest.raises(CatalogRefused) as exc:  # and none may take effect before the last
        propose_catalog(day, ADAM, other, D(2023, 1, 20), "Kontakta mig tidigare.")
    assert exc.value.reason == "before_latest"
    states = {v.number: v.state for v in list_catalog_versions(started, CECILIA)}
    assert states == {1: "faststalld", 2: "faststalld", 3: "aterkallad", 4: "aterkallad"}


def test_the_command_line_exports_proposes_and_approves(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    seeded = run_cli("seed", url=url, AUTH_MODE="local")  # the demo users, the starting catalog
    assert seeded.returncode == 0, seeded.stderr
    exported = tmp_path / "catalog"
    done = run_cli("catalog", "export", str(exported), url=url)
    assert done.returncode == 0, done.stderr
    assert catalog_texts(exported) == catalog_texts()  # byte for byte, as data/catalog
    (exported / "mallar.yaml").write_text(changed_files()["mallar.yaml"], encoding="utf-8")
    later = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    admin, approver = "adam.administrator@demo.local", "bengt.beslutsfattare@demo.local"
    propose = ["catalog", "propose", str(exported), "--from", later, "--reason", "Tidigare."]
    propose += ["--edited-from", "1"]  # the version exported
    done = run_cli(*propose, "--as", admin, url=url)
    assert done.returncode == 0, done.stderr
    assert "Katalogversion 2 är föreslagen" in done.stdout
    version = load_catalog(exported).version
    own = run_cli("catalog", "approve", "2", "--version", version, "--as", admin, url=url)
    assert own.returncode == 1 and "Traceback" not in own.stderr
    assert "Din roll får inte göra detta" in own.stderr  # an administrator does not approve
    again = run_cli(*propose, "--as", admin, url=url)  # nothing changed since: still a change
    assert again.returncode == 0, again.stderr
    done = run_cli("catalog", "approve", "2", "--version", version, "--as", approver, url=url)
    assert done.returncode == 0 and "Katalogversion 2 är fastställd." in done.stdout
    stale = run_cli("catalog", "approve", "3", "--version", version, "--as", approver, url=url)
    assert stale.returncode == 1 and "En annan ändring av katalogen" in stale.stderr
    listed = run_cli("catalog", "list", url=url).stdout.splitlines()
    assert [line.split()[:3] for line in listed] == [
        ["3", version, "föreslagen"],
        ["2", version, "fastställd"],
        ["1", catalog().version, "fastställd"],
    ]  # the newest first
    late = run_cli(*propose, "--as", admin, url=url)  # made from 1; 2 is approved since
    assert late.returncode == 1 and "Gör förslaget igen utifrån" in late.stderr
    broken = tmp_path / "broken"
    run_cli("catalog", "export", str(broken), url=url)
    (broken / "policy.yaml").write_text("review_max_months: [", encoding="utf-8")
    bad = run_cli(*propose[:2], str(broken), *propose[3:], "--as", admin, url=url)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert "Katalogen är inte giltig: policy.yaml" in bad.stderr


@pytest.fixture
def approved(started: Store) -> Store:
    day = clocked(started, at(D(2023, 1, 11)))
    proposal = propose_catalog(day, ADAM, changed_files(), D(2023, 2, 1), "Tidigare.")
    approve_catalog(day, BERIT, proposal.number, proposal.version)
    assert verify_audit(day, ADAM).intact
    return started


@contextmanager
def unguarded(store: Store, *tables: str) -> Iterator[Connection]:
    """One connection with the append-only triggers of `tables` off: someone with the
    database's owner rights, editing behind the app's back."""
    with store.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            for table in tables:
                conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
            yield conn
            for table in tables:
                conn.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER USER"))
            return
        found = conn.execute(
            text(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN :t"
            ).bindparams(bindparam("t", expanding=True)),
            {"t": list(tables)},
        ).all()
        for name, _ in found:
            conn.execute(text(f"DROP TRIGGER {name}"))
        yield conn
        for _, sql in found:
            conn.execute(text(sql))


ALTERATIONS = {
    # the files changed, the version kept: what the app decides by is not what was approved
    "files": ["UPDATE catalog_versions SET files = :files WHERE number = 2"],
    "date moved": ["UPDATE catalog_versions SET effective_from = '2022-01-01' WHERE number = 2"],
    "approver": ["UPDATE catalog_verdicts SET by = 'mallory@region.se' WHERE number = 2"],
    "verdict deleted": ["DELETE FROM catalog_verdicts WHERE number = 2"],
    # approved earlier than it was: "known at" a moment before would count it
    "verdict moved": ["UPDATE catalog_verdicts SET at = '2022-01-01 12:00:00' WHERE number = 2"],
    "verdict made up": ["UPDATE catalog_verdicts SET verdict = 'godkand' WHERE number = 2"],
    "files not a catalog": ["UPDATE catalog_versions SET files = '[1, 2]' WHERE number = 2"],
    "version deleted": [
        "DELETE FROM catalog_verdicts WHERE number = 2",
        "DELETE FROM catalog_versions WHERE number = 2",
    ],
}


@pytest.mark.parametrize("alteration", ALTERATIONS)
def test_verification_finds_a_changed_or_deleted_version(approved: Store, alteration: str) -> None:
    files = json.dumps(catalog_texts() | {"regler.yaml": "[]\n"})
    with unguarded(approved, "catalog_versions", "catalog_verdicts") as conn:
        for statement in ALTERATIONS[alteration]:
            conn.execute(text(statement), {"files": files})
    result = verify_audit(clocked(approved, at(D(2023, 1, 12))), ADAM)
    assert (result.problem, result.where) == ("audit.altered_catalog", "2")


ALTERED_FILES = {  # no catalog at all; a catalog still, but not the one its hash names
    "no catalog": {"regler.yaml": "[]\n"},
    "another catalog": {"policy.yaml": catalog_texts()["policy.yaml"] + "\n# ändrad\n"},
}


@pytest.mark.parametrize("altered", list(ALTERED_FILES))
def test_the_version_in_force_altered_is_refused_in_words_and_named_by_verification(
    approved: Store, monkeypatch: pytest.MonkeyPatch, altered: str
) -> None:
    # a process keeps each version as it read it; one started after the edit reads it again
    monkeypatch.setattr("logic.services.unit_of_work._PARSED", {})
    read_summary(clocked(approved, at(D(2023, 1, 12))), CECILIA, D(2023, 1, 12))  # read, kept
    files = json.dumps(catalog_texts() | ALTERED_FILES[altered])
    with unguarded(approved, "catalog_versions") as conn:
        conn.execute(text("UPDATE catalog_versions SET files = :f WHERE number = 1"), {"f": files})
    day = clocked(approved, at(D(2023, 1, 12)))  # version 1 is in force
    read_summary(day, CECILIA, D(2023, 1, 12))  # as this process read it before the edit
    monkeypatch.setattr("logic.services.unit_of_work._PARSED", {})  # a process started since
    with pytest.raises(CatalogAltered) as exc:
        read_summary(day, CECILIA, D(2023, 1, 12))
    assert exc.value.words() == ("catalog.altered", {"number": 1})
    result = verify_audit(day, ADAM)
    assert (result.problem, result.where) == ("audit.altered_catalog", "1")


def test_verification_finds_a_version_inserted_behind_the_apps_back(approved: Store) -> None:
    with approved.engine.begin() as conn:
        conn.execute(
            insert(catalog_versions).values(
                number=3,
                version=load_catalog().version,
                based_on=2,
                effective_from=D(2023, 1, 12),
                proposed_by="mallory@region.se",
                proposed_at=at(D(2023, 1, 11)),
                reason="",
                files=catalog_texts(),
            )
        )
    result = verify_audit(clocked(approved, at(D(2023, 1, 12))), ADAM)
    assert (result.problem, result.where) == ("audit.unrecorded_catalog", "3")


MIDWIFE = (
    "  - when: {verksamhet: primarvard}\n    variant: primarvard",
    "  - when: {verksamhet: primarvard}\n    variant: barnmorskemottagning",
)


def test_decisions_whose_recommendation_changed_are_marked_and_listed(store: Store) -> None:
    day = on_day(store, D(2026, 11, 25))
    observe(day, D(2026, 11, 20), row(UNIT, "kontakt"), row(OTHER, "kontakt"))
    record_starting_catalog(day, catalog_texts())
    decide(day, UNIT, ANNA, approver=BERIT)
    decide(day, OTHER, ANNA)  # waiting for approval: nothing in force to review
    assert decisions_to_review(day, ANNA) == []
    files = catalog_texts()
    changed = files | {"varianter.yaml": files["varianter.yaml"].replace(*MIDWIFE)}
    proposal = propose_catalog(
        day, ADAM, changed, D(2026, 11, 25), "Barnmorskemottagningens variant."
    )
    assert decisions_to_review(day, ANNA) == []  # proposed only
    approve_catalog(day, BERIT, proposal.number, proposal.version)  # in force today

    marked = decisions_to_review(day, ANNA)
    assert {(c.hsa_id, c.what, c.before, c.after) for c in marked} >= {
        (UNIT, "variant", "primarvard", "barnmorskemottagning")
    }
    assert {c.hsa_id for c in marked} == {UNIT}
    page, total = register_page(day, RegisterView(filter=RegisterFilter(bor_omprovas=True)), ANNA)
    assert ([r.hsa_id for r in page], total) == ([UNIT], 1)
    exported = export_decisions(day, RegisterFilter(bor_omprovas=True), "csv", CECILIA)
    assert exported.rows == 1 and UNIT in exported.data.decode()

    # the waiting decision approved now, made under the old catalog: both to review
    [waiting] = [r for r in unit_history(day, OTHER, ANNA)]
    approve_decision(day, OTHER, waiting.revision, waiting.content_hash, BERIT)
    assert {c.hsa_id for c in decisions_to_review(day, ANNA)} == {UNIT, OTHER}

    # reviewed: decided again under the new catalog
    decide(day, UNIT, ANNA, approver=BERIT, variant="barnmorskemottagning")
    decide(day, OTHER, ANNA, approver=BERIT, variant="barnmorskemottagning")
    assert decisions_to_review(day, ANNA) == []
    assert register_page(day, RegisterView(filter=RegisterFilter(bor_omprovas=True)), ANNA)[1] == 0


BRITT = User(email="britt@region.se", namn="Britt Beslutsfattare", roles=("beslutsfattare",))


def at_once(*actions: Callable[[], object]) -> list[object]:
    """Run the actions in threads released together: each one's result or refusal."""
    gate = threading.Barrier(len(actions))

    def run(action: Callable[[], object]) -> object:
        gate.wait()
        try:
            return action()
        except CatalogRefused as exc:
            return exc.reason

    with ThreadPoolExecutor(len(actions)) as pool:
        return list(pool.map(run, actions))


def test_two_approvals_at_once_never_both_land(started: Store) -> None:
    day = clocked(started, at(D(2023, 1, 11)))
    first = propose_catalog(day, ADAM, changed_files(), D(2023, 2, 1), "Förnya recept.")
    # the same proposal approved by two people at once: one verdict
    outcomes = at_once(
        lambda: approve_catalog(day, BERIT, first.number, first.version),
        lambda: approve_catalog(day, BRITT, first.number, first.version),
    )
    assert sorted(o if isinstance(o, str) else "faststalld" for o in outcomes) == [
        "already_decided",
        "faststalld",
    ]
    # two proposals changing the same version, approved at once: never both (the second
    # would undo the first)
    base = catalog_files(day, CECILIA, latest_approved=True).files

    def changing(old: str, new: str) -> dict[str, str]:
        return base | {"mallar.yaml": base["mallar.yaml"].replace(old, new)}

    second = propose_catalog(
        day,
        ADAM,
        changing("    - deadline: 2024-06-30", "    - deadline: 2024-03-31"),
        D(2023, 3, 1),
        "Kontakta mig.",
    )
    third = propose_catalog(
        day,
        ADAM,
        changing("    - deadline: 2023-12-31", "    - deadline: 2023-11-30"),
        D(2023, 3, 1),
        "Av- och omboka.",
    )
    assert second.based_on == third.based_on == first.number
    outcomes = at_once(
        lambda: approve_catalog(day, BERIT, second.number, second.version),
        lambda: approve_catalog(day, BRITT, third.number, third.version),
    )
    assert sorted(o if isinstance(o, str) else "faststalld" for o in outcomes) == [
        "faststalld",
        "stale",
    ]
    assert verify_audit(day, ADAM).intact


def test_a_decision_document_speaks_the_words_of_the_catalog_it_was_made_under(
    store: Store,
) -> None:
    day = on_day(store, D(2026, 11, 25))
    observe(day, D(2026, 11, 20), row(UNIT, "kontakt"))
    record_starting_catalog(day, catalog_texts())
    decide(day, UNIT, ANNA, approver=BERIT)
    before = decision_document(day, UNIT, CECILIA, 1).data
    files = catalog_texts()
    old = 'name: {sv: "Vårdcentral (primärvård)"'
    renamed = files | {
        "varianter.yaml": files["varianter.yaml"].replace(old, 'name: {sv: "Hälsocentral"')
    }
    proposal = propose_catalog(day, ADAM, renamed, D(2026, 11, 25), "Nytt namn.")
    approve_catalog(day, BERIT, proposal.number, proposal.version)
    assert (
        decision_document(day, UNIT, CECILIA, 1).data == before
    )  # the same revision, the same file
    assert "Vårdcentral (primärvård)" in pdf_text(before)
    decide(day, UNIT, ANNA, approver=BERIT)  # revision 2, under the renamed version
    back = propose_catalog(day, ADAM, files, D(2026, 11, 25), "Gamla namnet.")
    approve_catalog(day, BERIT, back.number, back.version)
    unit_of_work._PARSED.clear()  # as an app process that has read no version yet
    second = pdf_text(decision_document(day, UNIT, CECILIA, 2).data)
    assert "Hälsocentral" in second and "Vårdcentral (primärvård)" not in second


def test_the_filter_takes_more_units_to_review_than_a_database_takes_parameters(
    store: Store,
) -> None:
    from logic.store.readmodel_register import register_page as page_of

    observe(store, D(2026, 11, 20), row(UNIT, "kontakt"), row(OTHER, "kontakt"))
    many = [f"SE162321000255-X{i:05d}" for i in range(70_000)] + [OTHER, "O'Brien"]
    view = RegisterView(filter=RegisterFilter(bor_omprovas=True))
    with store.transaction() as tx:
        rows, total = page_of(tx, view, D(2026, 11, 25), many)
    assert ([r.hsa_id for r in rows], total) == ([OTHER], 1)


def test_the_catalog_a_date_is_read_under_is_the_one_approved_by_the_moment_asked(
    started: Store,
) -> None:
    day = clocked(started, at(D(2023, 1, 11)))
    proposal = propose_catalog(day, ADAM, changed_files(), D(2023, 2, 1), "Tidigare.")
    approve_catalog(clocked(started, at(D(2023, 1, 12))), BERIT, 2, proposal.version)
    later = clocked(started, at(D(2023, 2, 15)))
    assert catalog_as_of(later, CECILIA, D(2023, 2, 15)).version == proposal.version
    before = catalog_as_of(later, CECILIA, D(2023, 2, 15), known_at=at(D(2023, 1, 11)))
    assert before.version == catalog().version  # as known before the approval


def test_before_any_version_is_recorded_the_files_in_data_catalog_are_in_force(
    store: Store,
) -> None:
    """A database migrated but never started (no version yet): `catalog export` gives the
    files in data/catalog, as if approved from the beginning."""
    assert list_catalog_versions(store, CECILIA) == []
    files = catalog_files(store, CECILIA)
    assert (files.number, files.effective_from, files.based_on) == (0, BEGINNING, None)
    assert files.version == catalog().version and files.files == catalog_texts()
    with pytest.raises(CatalogRefused) as exc:
        catalog_files(store, CECILIA, 1)
    assert exc.value.reason == "not_found"


def test_a_proposal_is_read_against_the_version_it_changes(started: Store) -> None:
    """What the approver reviews: the files and the dates or parameters this version
    changes against the one it was based on, not against data/catalog or another."""
    day = clocked(started, at(D(2023, 1, 11)))
    first = propose_catalog(day, ADAM, changed_files(), D(2023, 2, 1), "Förnya recept tidigare.")
    approve_catalog(day, BERIT, first.number, first.version)
    reviews = with_review_months(catalog_files(day, CECILIA, latest_approved=True).files, 6, 24)
    second = propose_catalog(day, ADAM, reviews.files, D(2023, 3, 1), "Omprövning oftare.")
    assert second.based_on == first.number

    read = read_proposal(day, CECILIA, first.number)
    assert (read.version.number, read.files) == (first.number, ["mallar.yaml"])
    assert [(c.case_type, c.scope, c.before, c.after) for c in read.changes] == [
        ("fornya_recept", "", "2023-06-30", "2023-03-31")
    ]
    read = read_proposal(day, CECILIA, second.number)
    assert (read.base.version, read.proposed.version) == (first.version, second.version)
    assert read.files == ["policy.yaml"]  # not mallar.yaml: version 2 changed that
    assert [(c.case_type, c.before, c.after) for c in read.changes] == [
        ("review_default_months", "12", "6"),
        ("review_max_months", "36", "24"),
    ]
    with pytest.raises(CatalogRefused) as exc:
        read_proposal(day, CECILIA, 99)
    assert exc.value.reason == "not_found"


def test_recommendations_made_under_another_catalog_are_made_again_on_the_record(
    store: Store,
) -> None:
    day = on_day(store, D(2026, 11, 25))
    observe(day, D(2026, 11, 20), row(UNIT, "kontakt"), row(OTHER, "kontakt"))
    files = catalog_texts()
    midwife = catalog_from_texts(
        files | {"varianter.yaml": files["varianter.yaml"].replace(*MIDWIFE)}
    )
    assert refresh_recommendations(day, ADAM) == 0  # all made under the catalog in force
    under = day.with_catalog(midwife)
    assert refresh_recommendations(under, ADAM) == 2
    assert refresh_recommendations(under, ADAM) == 0  # once
    with store.transaction() as tx:
        events = [e.details for e in tx.audit.events() if e.action == "refresh_recommendations"]
        found = tx.connection.execute(text("SELECT hsa_id, recommended_variant FROM units"))
        variants = {hsa_id: variant for hsa_id, variant in found}
    assert events == [{"catalog_version": midwife.version, "units": 2}]
    assert variants == {UNIT: "barnmorskemottagning", OTHER: "barnmorskemottagning"}
