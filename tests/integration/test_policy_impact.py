"""The impact of a changed catalog before anyone approves it: every unit whose
recommendation or roll-out would change, before and after in words, one row per unit and
change; an unchanged catalog lists no unit; on the record; and from the command line."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from logic.domain.assessment import Exemption, grounds_for
from logic.domain.auth import PermissionDenied
from logic.domain.catalog import Catalog
from logic.files.policy_impact import headers as impact_headers
from logic.files.reference_data import CATALOG_DIR, catalog, load_catalog
from logic.services.audit import audit_log
from logic.services.policy import policy_impact
from logic.services.units import import_units
from logic.store import readmodel_rollout
from logic.store.store import Store
from tests.cli import run_cli
from tests.factories import ADAM, ANNA, BERIT, CECILIA, HEADER, decide, on_day

TODAY = dt.date(2026, 11, 25)
# two primary-care units (one decided), a ward and a unit out of scope, in three administrations
UNITS = [
    "SE162321000255-P0001;Vårdcentralen Ett;Primärvård Skåne;mottagning;primarvard;region;;ja;ja;ja;ja;kontakt|fornya_recept;kontakt",  # noqa: E501
    "SE162321000255-P0002;Vårdcentralen Två;Primärvård Skåne;mottagning;primarvard;region;;ja;ja;ja;ja;kontakt|fornya_recept;kontakt|fornya_recept",  # noqa: E501
    "SE162321000255-A0001;Avdelning 3;Sjukhusen i nordväst;avdelning;specialistvard;region;;ja;ja;ja;nej;kontakt;",  # noqa: E501
    "SE162321000255-X0001;Kansliet;Regionkontoret;ovrig;ovrigt;region;;nej;nej;nej;nej;;",
]
DECIDED = "SE162321000255-P0001"


def register_unit(store: Store, hsa_id: str):  # type: ignore[no-untyped-def]
    with store.transaction() as tx:
        return tx.units.get(hsa_id)


@pytest.fixture
def register(store: Store) -> Store:
    store = on_day(store, TODAY)
    import_units(store, "\n".join([HEADER, *UNITS]).encode(), ADAM, source="t.csv")
    decide(store, DECIDED, ANNA, approver=BERIT)
    return store


def changed(tmp_path: Path, file: str, old: str, new: str) -> Path:
    """A copy of data/catalog with `old` replaced by `new` once in `file`."""
    folder = tmp_path / "proposed"
    shutil.copytree(CATALOG_DIR, folder)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def impact_catalog(tmp_path: Path, change: tuple[str, str, str] | None = None) -> Catalog:
    """data/catalog as the command line loads a copy of it, changed so (or unchanged)."""
    return load_catalog(changed(tmp_path, *(change or ("policy.yaml", "", ""))))


def rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


# the first timetable date of Förnya recept (region-wide), moved four years on
LATER_RECIPES = ("mallar.yaml", "    - deadline: 2023-06-30", "    - deadline: 2027-06-30")
# primary care given the midwife clinics' variant
PRIMARY_AS_MIDWIFE = (
    "varianter.yaml",
    "  - when: {verksamhet: primarvard}\n    variant: primarvard",
    "  - when: {verksamhet: primarvard}\n    variant: barnmorskemottagning",
)


def test_an_unchanged_catalog_lists_no_unit_and_is_on_the_record(
    register: Store, tmp_path: Path
) -> None:
    same = impact_catalog(tmp_path)
    delivered: list[bytes] = []
    found = policy_impact(register, CECILIA, same, "csv-excel", deliver=delivered.append)
    assert found.units == {} and found.file.rows == 0 and delivered == [found.file.data]
    assert found.file.sha256 == hashlib.sha256(found.file.data).hexdigest()
    assert found.file.file_name == f"paverkan-{same.version}-{same.version}-{TODAY}.csv"
    assert rows(found.file.data) == [
        ["HSA-id", "Enhet", "Förvaltning", "Vad ändras", "Ärendetyp",
         "Före (gällande referensdata)", "Efter (föreslagen referensdata)"],
    ]  # fmt: skip
    (event,) = [e for e in audit_log(register, ADAM) if e.action == "policy_impact"]
    assert event.details == {
        "as_of": TODAY.isoformat(),
        "catalog_version": same.version,
        "proposed_version": same.version,
        "profile": "csv-excel",
        "rows": 0,
        "units": 0,
        "sha256": found.file.sha256,
    }


def test_a_later_timetable_date_moves_the_deadline_of_every_unit_asked_for_it(
    register: Store, tmp_path: Path
) -> None:
    proposed = impact_catalog(tmp_path, LATER_RECIPES)
    found = policy_impact(register, CECILIA, proposed, "csv-excel", lang="en")
    body = rows(found.file.data)[1:]
    # both primary-care units are asked for Förnya recept (on paper): the decided one by its
    # decision (not offered: late, then planned), the other by the recommendation (offered,
    # first seen after the old date: on time unknown, then before the new one: on time)
    ett = [DECIDED, "Vårdcentralen Ett", "Primärvård Skåne"]
    assert body == [
        [*ett, "Roll-out: deadline", "Renew prescription", "2023-06-30", "2027-06-30"],
        [*ett, "Roll-out: status", "Renew prescription", "Late", "Planned"],
        [*ett, "Roll-out: on time", "Renew prescription", "No", "Unknown"],
        ["SE162321000255-P0002", "Vårdcentralen Två", "Primärvård Skåne", "Roll-out: deadline",
         "Renew prescription", "2023-06-30", "2027-06-30"],
        ["SE162321000255-P0002", "Vårdcentralen Två", "Primärvård Skåne", "Roll-out: on time",
         "Renew prescription", "Unknown", "Yes"],
    ]  # fmt: skip
    assert found.units == {"Primärvård Skåne": 2}


def test_another_variant_changes_the_recommendation_and_the_roll_out_of_the_undecided_only(
    register: Store, tmp_path: Path
) -> None:
    proposed = impact_catalog(tmp_path, PRIMARY_AS_MIDWIFE)
    found = policy_impact(register, CECILIA, proposed, "xlsx")
    sheet = load_workbook(io.BytesIO(found.file.data)).active
    listed = [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=2)]
    variants = [r for r in listed if r[3] == "Rekommenderad variant"]
    assert {r[0] for r in variants} == {DECIDED, "SE162321000255-P0002"}
    assert {(r[5], r[6]) for r in variants} == {
        ("Vårdcentral (primärvård)", "Barnmorskemottagning")
    }
    # the decided unit's roll-out is its decision's, whatever the rules now say
    assert not [r for r in listed if r[0] == DECIDED and r[3].startswith("Införande")]
    assert found.units == {"Primärvård Skåne": 2}  # the ward and the office: unchanged


def test_only_those_who_may_export_see_the_impact(register: Store, tmp_path: Path) -> None:
    proposed = impact_catalog(tmp_path, LATER_RECIPES)
    with pytest.raises(PermissionDenied):
        policy_impact(register, ANNA, proposed, "csv")


def test_the_command_line_writes_the_list_and_refuses_in_words(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    url = f"sqlite:///{db}"
    assert run_cli("migrate", url=url).returncode == 0
    units = tmp_path / "units.csv"
    units.write_text("\n".join([HEADER, *UNITS]) + "\n", encoding="utf-8")
    assert run_cli("import-units", str(units), "--observed", "2026-01-05", url=url).returncode == 0
    proposed = changed(tmp_path, *PRIMARY_AS_MIDWIFE)
    out = tmp_path / "impact.csv"
    done = run_cli("policy-impact", "--catalog", str(proposed), "--out", str(out), url=url)
    assert done.returncode == 0, done.stderr
    assert "2 enheter påverkas (Primärvård Skåne: 2)" in done.stdout
    assert {r[0] for r in rows(out.read_bytes())[1:]} == {DECIDED, "SE162321000255-P0002"}

    (proposed / "varianter.yaml").write_text("variants: [", encoding="utf-8")
    bad = run_cli("policy-impact", "--catalog", str(proposed), "--out", str(out), url=url)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert "Den föreslagna referensdatan är felaktig" in bad.stderr
    assert "varianter.yaml" in bad.stderr
    wrong = run_cli("policy-impact", "--catalog", str(proposed), "--out", "x.pdf", url=url)
    assert (
        wrong.returncode == 2
        and "x.pdf: ange en fil som slutar på .csv eller .xlsx" in wrong.stderr
    )


def test_the_catalog_in_force_is_the_one_compared_with(register: Store, tmp_path: Path) -> None:
    proposed = impact_catalog(tmp_path, LATER_RECIPES)
    in_force: Catalog = impact_catalog(tmp_path / "b", LATER_RECIPES)
    found = policy_impact(register.with_catalog(in_force), CECILIA, proposed, "csv")
    assert found.units == {}  # the store's catalog is the one in force, whatever data/ holds


# Förnya recept's timetable emptied (the template stays)
NO_DATE_FOR_RECIPES = (
    "mallar.yaml",
    "  timetable:\n    - deadline: 2023-06-30\n",
    "  timetable: []\n",
)
# primary care given the wards' variant (digital contact alone)
PRIMARY_AS_WARD = (
    "varianter.yaml",
    "  - when: {verksamhet: primarvard}\n    variant: primarvard",
    "  - when: {verksamhet: primarvard}\n    variant: avdelning",
)
# Primärvård Skåne's own date for digital contact (the region's stays)
LATER_CONTACT_IN_PRIMARY_CARE = (
    "mallar.yaml",
    '    - forvaltning: "Primärvård Skåne"\n      deadline: 2022-06-30',
    '    - forvaltning: "Primärvård Skåne"\n      deadline: 2022-08-31',
)


def test_a_case_type_no_longer_required_leaves_the_roll_out_of_the_undecided(
    register: Store, tmp_path: Path
) -> None:
    proposed = impact_catalog(tmp_path, PRIMARY_AS_WARD)
    found = policy_impact(register, CECILIA, proposed, "csv-excel", lang="en")
    body = rows(found.file.data)[1:]
    gone = [r for r in body if r[0] == "SE162321000255-P0002" and r[4] == "Cancel or rebook"]
    assert [(r[3], r[6]) for r in gone] == [
        ("Roll-out: deadline", "not required"),
        ("Roll-out: status", "not required"),
        ("Roll-out: on time", "not required"),
    ]
    assert not [r for r in body if r[0] == DECIDED and r[3].startswith("Roll-out")]


def test_an_administration_s_own_date_moves_its_units_only(register: Store, tmp_path: Path) -> None:
    proposed = impact_catalog(tmp_path, LATER_CONTACT_IN_PRIMARY_CARE)
    found = policy_impact(register, CECILIA, proposed, "csv-excel", lang="en")
    deadlines = {
        (r[0], r[5], r[6])
        for r in rows(found.file.data)[1:]
        if r[3] == "Roll-out: deadline" and r[4] == "Contact us / Write to us"
    }
    assert deadlines == {
        (DECIDED, "2022-06-30", "2022-08-31"),
        ("SE162321000255-P0002", "2022-06-30", "2022-08-31"),
    }
    assert found.units == {"Primärvård Skåne": 2}  # the ward's administration keeps its date


def test_a_decision_s_exemption_stands_under_either_catalog(
    register: Store, tmp_path: Path
) -> None:
    """What a decision asks (here: Förnya recept exempted) is the decision's under either
    catalog, never the rules' recommendation in its place: a later date for Förnya recept
    moves the unit that must have it, not the one exempted from it."""
    unit = "SE162321000255-P0002"
    ground = grounds_for(register_unit(register, unit), "per_arendetyp", catalog())[0]
    exempt = Exemption(
        scope="per_arendetyp",
        case_types=("fornya_recept",),
        grounds=(ground,),
        rationale="Skäl.",
        review_date=TODAY + dt.timedelta(days=180),
    )
    decide(register, unit, ANNA, approver=BERIT, outcome="delvis_undantagen", exemption=exempt)
    proposed = impact_catalog(tmp_path, LATER_RECIPES)
    found = policy_impact(register, CECILIA, proposed, "csv-excel")
    assert found.units == {"Primärvård Skåne": 1}
    assert {r[0] for r in rows(found.file.data)[1:]} == {DECIDED}


def test_a_unit_exempted_whole_is_exempted_under_either_catalog(
    register: Store, tmp_path: Path
) -> None:
    """A decision exempting the whole unit: under each catalog, what it is exempted from is
    what that catalog would require of it (worked out under that catalog), never a
    deadline; a later date for Förnya recept moves the other unit only."""
    unit = "SE162321000255-P0002"
    ground = grounds_for(register_unit(register, unit), "hela_enheten", catalog())[0]
    whole = Exemption(
        scope="hela_enheten",
        grounds=(ground,),
        rationale="Skäl.",
        review_date=TODAY + dt.timedelta(days=180),
    )
    decide(
        register, unit, ANNA, approver=BERIT, outcome="undantagen", response_time="",
        exemption=whole, justifications={"undantag": "Enheten bokar inte besök."},
    )  # fmt: skip
    found = policy_impact(register, CECILIA, impact_catalog(tmp_path, LATER_RECIPES), "csv-excel")
    assert {r[0] for r in rows(found.file.data)[1:]} == {DECIDED}


def test_a_unit_whose_recommendation_and_roll_out_both_change_lists_both(
    register: Store, tmp_path: Path
) -> None:
    """One proposal giving primary care another variant and Förnya recept a later date: the
    undecided unit's new variant and its new deadline, each a change of its own."""
    folder = changed(tmp_path, *LATER_RECIPES)
    file, old, new = PRIMARY_AS_MIDWIFE
    text = (folder / file).read_text(encoding="utf-8")
    (folder / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    found = policy_impact(register, CECILIA, load_catalog(folder), "csv-excel", lang="en")
    mine = {(r[3], r[4]) for r in rows(found.file.data)[1:] if r[0] == "SE162321000255-P0002"}
    assert {("Recommended variant", ""), ("Roll-out: deadline", "Renew prescription")} <= mine


def test_a_case_type_without_a_date_any_more_is_asked_without_a_deadline(
    register: Store, tmp_path: Path
) -> None:
    """Förnya recept's timetable emptied: still required, now with no deadline (not "not
    required")."""
    proposed = impact_catalog(tmp_path, NO_DATE_FOR_RECIPES)
    found = policy_impact(register, CECILIA, proposed, "csv-excel", lang="en")
    mine = {(r[3], r[5], r[6]) for r in rows(found.file.data)[1:] if r[0] == DECIDED}
    assert mine == {
        ("Roll-out: deadline", "2023-06-30", "No deadline"),
        ("Roll-out: status", "Late", "Not planned"),
        ("Roll-out: on time", "No", "No deadline"),
    }


def test_no_write_lock_is_held_while_the_impact_is_worked_out(
    register: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seconds on a large register: others write meanwhile (on SQLite a write lock held
    would make this save wait, and fail, after the store's timeout)."""
    from logic.domain.auth import User
    from logic.files import policy_impact as impact_file
    from logic.services.users import save_user

    real = impact_file.rows_in_words
    saved: list[str] = []

    def worked_out_while_someone_writes(*args: Any) -> Any:
        someone = User(email=f"ny{len(saved)}@region.se", namn="Ny", roles=("chef",))
        saved.append(save_user(register, someone, ADAM).email)
        return real(*args)

    monkeypatch.setattr(impact_file, "rows_in_words", worked_out_while_someone_writes)
    found = policy_impact(register, CECILIA, impact_catalog(tmp_path, LATER_RECIPES), "csv")
    assert saved == ["ny0@region.se"] and found.units == {"Primärvård Skåne": 2}


def test_the_list_is_in_the_reader_s_language_headers_too(register: Store, tmp_path: Path) -> None:
    proposed = impact_catalog(tmp_path, LATER_RECIPES)
    english = rows(policy_impact(register, CECILIA, proposed, "csv-excel", lang="en").file.data)[0]
    assert english == impact_headers("en") != impact_headers("sv")


def test_the_list_is_worked_out_from_one_state_though_units_are_imported_while_it_is_read(
    register: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The decisions and the observations are read as one state of the register: a unit
    imported between the two reads (PostgreSQL reads each statement afresh unless asked for
    a snapshot) is in the next list, not in this one."""
    proposed = impact_catalog(tmp_path, LATER_RECIPES)
    newcomer = UNITS[1].replace("P0002;Vårdcentralen Två", "P0003;Vårdcentralen Tre")
    reading = readmodel_rollout.decisions_in_force
    importing: list[Store] = []

    def meanwhile(*args: Any, **kwargs: Any) -> Any:
        found = reading(*args, **kwargs)
        if importing:  # Adam imports a unit file between the two reads
            file = "\n".join([HEADER, *UNITS, newcomer]).encode()
            import_units(importing.pop(), file, ADAM, source="u.csv")
        return found

    monkeypatch.setattr(readmodel_rollout, "decisions_in_force", meanwhile)
    before = policy_impact(register, CECILIA, proposed, "csv-excel").file
    importing.append(register)
    assert policy_impact(register, CECILIA, proposed, "csv-excel").file.data == before.data
    assert not importing
    after = policy_impact(register, CECILIA, proposed, "csv-excel").file
    assert "SE162321000255-P0003" in {r[0] for r in rows(after.data)}
