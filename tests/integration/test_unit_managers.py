"""Unit managers (enhetschefer) and the units they hold: kept from a file (every row checked
first, nothing written unless all are right, each change on the record and verified), and a
unit manager reads their own units only, as the user table has them when they ask. On
SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from sqlalchemy import text

from logic.domain.auth import PermissionDenied, User
from logic.files.unit_managers_file import UnitManagerFileError
from logic.services.audit import verify_audit
from logic.services.unit_managers import my_units
from logic.services.units import import_units
from logic.services.users import ManagersImported, import_unit_managers, list_users, save_user
from logic.store.db import make_engine
from logic.store.store import Store
from tests.cli import run_cli
from tests.factories import ADAM, CECILIA, ELIN, HEADER, ROW, on_day

TODAY = dt.date(2026, 11, 25)
T1, T2, T3 = (f"SE162321000255-T000{n}" for n in (1, 2, 3))
HEAD = "hsa_id;epost;namn"


@pytest.fixture
def register(store: Store) -> Store:
    store = on_day(store, TODAY)
    rows = [ROW, ROW.replace("T0001", "T0002"), ROW.replace("T0001", "T0003")]
    import_units(store, "\n".join([HEADER, *rows]).encode(), ADAM, source="t.csv")
    save_user(store, CECILIA, ADAM)
    return store


def managers(*rows: str) -> bytes:
    return "\n".join([HEAD, *rows]).encode()


def users_by_email(store: Store) -> dict[str, User]:
    return {u.email: u for u in list_users(store, ADAM)}


def test_a_managers_file_given_as_a_path_has_its_sha256_on_the_record(
    register: Store, tmp_path: Path
) -> None:
    """Streamed from its path (the command line's way), the file's SHA-256 is that of its
    bytes, as an upload's is."""
    file = tmp_path / "chefer.csv"
    file.write_bytes(managers(f"{T1};ulla@region.se;Ulla Enhetschef"))
    assert import_unit_managers(register, file, ADAM, "chefer.csv") == ManagersImported(1, 0, 0)
    with register.transaction() as tx:
        [event] = [e for e in tx.audit.events() if e.action == "import_unit_managers"]
    assert event.details["sha256"] == hashlib.sha256(file.read_bytes()).hexdigest()


def test_a_file_gives_each_person_it_names_exactly_their_units(register: Store) -> None:
    first = managers(
        f"{T1};Cecilia@Region.se;Cecilia Chef",  # a chef already: keeps the role and the name
        f"{T2};cecilia@region.se;Cecilia Chef",
        f"{T3};ulla@region.se;Ulla Enhetschef",  # unknown: added as a unit manager
    )
    assert import_unit_managers(register, first, ADAM, "m.csv") == ManagersImported(1, 1, 0)
    people = users_by_email(register)
    assert people["cecilia@region.se"].roles == ("chef", "enhetschef")
    assert people["cecilia@region.se"].units == (T1, T2)
    assert people["cecilia@region.se"].namn == "Cecilia Chef"
    assert people["ulla@region.se"].roles == ("enhetschef",)
    assert people["ulla@region.se"].units == (T3,)

    assert import_unit_managers(register, first, ADAM, "m.csv") == ManagersImported(0, 0, 2)
    # a person named again holds what the file gives them now; one not named keeps theirs
    again = managers(f"{T2};cecilia@region.se;Cecilia Chef")
    assert import_unit_managers(register, again, ADAM, "n.csv") == ManagersImported(0, 1, 0)
    people = users_by_email(register)
    assert people["cecilia@region.se"].units == (T2,)
    assert people["ulla@region.se"].units == (T3,)

    with register.transaction() as tx:
        events = [e for e in tx.audit.events() if e.action != "sign_in"]
    imports = [e.details for e in events if e.action == "import_unit_managers"]
    assert [(d["source"], d["rows"], d["added"], d["changed"]) for d in imports] == [
        ("m.csv", 3, 1, 1),
        ("m.csv", 3, 0, 0),
        ("n.csv", 1, 0, 1),
    ]
    changes = [e.details for e in events if e.action == "change_user"]
    assert changes[-1]["before"]["units"] == [T1, T2] and changes[-1]["after"]["units"] == [T2]
    assert verify_audit(register, ADAM).intact


def test_a_bad_file_is_refused_whole_each_problem_by_row_and_column(register: Store) -> None:
    before = users_by_email(register)
    bad = managers(
        f"{T1};ulla@region.se;Ulla Enhetschef",  # right
        "SE162321000255-X9999;ulla@region.se;Ulla Enhetschef",  # no such unit
        f"{T2};ulla.region.se;Ulla Enhetschef",  # no e-mail address
        f"{T2};vera@region.se;Vera 19121212-1212",  # an identity number
        f"{T3};ulla@region.se;Ulla Annan",  # another name for the same person
        f"{T3};ulla@region.se",  # a field missing
        f"{T3};vera@region.se;",  # no name
        f"{T3};elin@region.se\u200b;Elin E",  # an address that looks like Elin's
        f"{T3};19121212-1212@region.se;Tolvan",  # an identity number as the address
        f"{T3};\u0430nna@region.se;Anna",  # a Cyrillic а: another address than Anna's
    )
    with pytest.raises(UnitManagerFileError) as refused:
        import_unit_managers(register, bad, ADAM, "m.csv")
    assert [(e.row, e.column) for e in refused.value.errors] == [
        (3, "hsa_id"),
        (4, "epost"),
        (5, "namn"),
        (6, "namn"),
        (7, ""),
        (8, "namn"),
        (9, "epost"),
        (10, "epost"),
        (11, "epost"),
    ]
    assert "blandar alfabet" in refused.value.errors[-1].render()
    assert "rad 2" in refused.value.errors[3].render()  # the row with the first name
    with pytest.raises(UnitManagerFileError) as english:  # in the reader's language
        import_unit_managers(register, bad, ADAM, "m.csv", "en")
    assert "row 2" in english.value.errors[3].render()
    assert users_by_email(register) == before  # nothing written
    for file, row in [(b"epost;namn\nx@region.se;X\n", 1), (HEAD.encode(), 2)]:
        with pytest.raises(UnitManagerFileError) as refused:
            import_unit_managers(register, file, ADAM, "m.csv")
        assert [e.row for e in refused.value.errors] == [row]
    with register.transaction() as tx:
        assert not [e for e in tx.audit.events() if e.action == "import_unit_managers"]


def test_a_unit_manager_reads_the_units_the_user_table_gives_them_and_no_other(
    register: Store,
) -> None:
    save_user(register, ELIN, ADAM)
    assert [r.hsa_id for r in my_units(register, ELIN)] == [T1]
    # a request naming more units changes nothing: the units are the table's
    forged = ELIN.model_copy(update={"units": (T1, T2, T3)})
    assert [r.hsa_id for r in my_units(register, forged)] == [T1]
    # taken from them, gone at once; their role taken, no more reading at all
    save_user(register, ELIN.model_copy(update={"units": (T2,)}), ADAM)
    assert [r.hsa_id for r in my_units(register, ELIN)] == [T2]
    save_user(register, ELIN.model_copy(update={"roles": ("chef",)}), ADAM)
    with pytest.raises(PermissionDenied):
        my_units(register, ELIN)


def test_units_changed_behind_the_app_s_back_are_named_by_verification(register: Store) -> None:
    save_user(register, ELIN, ADAM)
    with register.engine.begin() as conn:
        conn.execute(
            text("UPDATE users SET units = :u WHERE email = :e"),
            {"u": f"{T1}|{T2}", "e": ELIN.email},
        )
    result = verify_audit(register, ADAM)
    assert (result.problem, result.where) == ("audit.altered_user", ELIN.email)


def test_the_command_line_imports_unit_managers_or_names_the_rows_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    assert run_cli("seed", url=url).returncode == 0  # the sample units
    good = tmp_path / "enhetschefer.csv"
    good.write_text(f"{HEAD}\nSE162321000255-DEMO0001;ulla@region.se;Ulla E\n", encoding="utf-8")
    done = run_cli("import-unit-managers", str(good), url=url)
    assert done.returncode == 0, done.stderr
    assert "Enhetschefer inlästa: 1 nya, 0 ändrade, 0 oförändrade." in done.stdout
    bad = tmp_path / "fel.csv"
    bad.write_text(f"{HEAD}\nSE162321000255-X9999;ulla@region.se;Ulla E\n", encoding="utf-8")
    refused = run_cli("import-unit-managers", str(bad), url=url)
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert "Rad 2, kolumn 'hsa_id'" in refused.stderr + refused.stdout
    # streamed from the file in its own encoding (cp1252 here), its SHA-256 on the record
    legacy = tmp_path / "cp1252.csv"
    legacy.write_bytes(
        f"{HEAD}\nSE162321000255-DEMO0002;asa@region.se;Åsa Öberg\n".encode("cp1252")
    )
    assert run_cli("import-unit-managers", str(legacy), url=url).returncode == 0
    store = Store(make_engine(url))
    with store.transaction() as tx:
        event = [e for e in tx.audit.events() if e.action == "import_unit_managers"][-1]
        asa = tx.users.get("asa@region.se")
    assert event.details["sha256"] == hashlib.sha256(legacy.read_bytes()).hexdigest()
    assert asa is not None and asa.namn == "Åsa Öberg"
    store.engine.dispose()


def test_a_name_stored_before_a_rule_refused_it_is_replaced_by_the_file_s(
    register: Store,
) -> None:
    with register.engine.begin() as conn:  # as kept from before names were checked
        conn.execute(
            text("UPDATE users SET namn = 'Cecilia 19121212-1212' WHERE email = :e"),
            {"e": CECILIA.email},
        )
    file = managers(f"{T1};cecilia@region.se;Cecilia Chef")
    assert import_unit_managers(register, file, ADAM, "m.csv") == ManagersImported(0, 1, 0)
    assert users_by_email(register)["cecilia@region.se"].namn == "Cecilia Chef"


def test_a_deactivated_person_in_the_file_is_refused_by_row_until_activated_again(
    register: Store,
) -> None:
    save_user(register, CECILIA.model_copy(update={"active": False}), ADAM)
    before = users_by_email(register)
    file = managers(f"{T1};ulla@region.se;Ulla U", f"{T2};Cecilia@Region.se;C. Chef")
    with pytest.raises(UnitManagerFileError) as refused:
        import_unit_managers(register, file, ADAM, "m.csv")
    assert [(e.row, e.column) for e in refused.value.errors] == [(3, "epost")]
    assert "avaktiverad" in refused.value.errors[0].render()
    assert users_by_email(register) == before  # nobody written, Ulla neither
    save_user(register, CECILIA, ADAM)  # active again
    assert import_unit_managers(register, file, ADAM, "m.csv") == ManagersImported(1, 1, 0)
    cecilia = users_by_email(register)[CECILIA.email]
    assert (cecilia.units, cecilia.namn) == ((T2,), "Cecilia Chef")  # the name she had kept


def test_units_are_a_unit_manager_s_alone(register: Store) -> None:
    saved = save_user(register, ELIN.model_copy(update={"roles": ("chef",)}), ADAM)
    assert saved.units == () and users_by_email(register)[ELIN.email].units == ()
