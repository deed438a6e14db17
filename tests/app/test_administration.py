"""Administration through AppTest: import with preview, refusal naming rows, audit check."""

from __future__ import annotations

import pytest

from logic.services import units
from logic.services.verdicts import approve_decision
from logic.settings import settings
from logic.store.store import Store
from tests.app.conftest import ADMINISTRATOR, ENHETSCHEF, new_app
from tests.factories import ANNA, BERIT, HEADER, ROW, decide


def admin_page():  # type: ignore[no-untyped-def]
    at = new_app(ADMINISTRATOR).run()
    at.switch_page("pages/administration.py").run()
    assert not at.exception
    return at


def test_import_shows_a_preview_and_writes_only_when_asked(app_db: Store) -> None:
    at = admin_page()
    at.file_uploader(key="admin_upload").upload(
        "enheter.csv", settings().sample_units.read_bytes(), "text/csv"
    ).run()
    assert "72 nya, 0 ändrade och 0 oförändrade" in at.info[0].value
    with app_db.transaction() as tx:
        assert tx.units.count() == 0  # a preview writes nothing
    at.button(key="admin_import").click().run()
    assert "Inläst: 72 nya" in at.success[0].value
    with app_db.transaction() as tx:
        assert tx.units.count() == 72


def test_the_preview_says_which_units_change_and_how(seeded: Store) -> None:
    sample = settings().sample_units.read_text("utf-8")
    changed = sample.replace(
        "Vårdcentralen Södervärn Malmö (demo);Primärvård Skåne;mottagning",
        "Vårdcentralen Södervärn (demo);Primärvård Skåne;avdelning",
    )
    added = sample.splitlines()[1].replace("DEMO0001", "DEMO9999")
    at = admin_page()
    at.file_uploader(key="admin_upload").upload(
        "enheter.csv", f"{changed}{added}\n".encode(), "text/csv"
    ).run()
    assert "1 ny, 1 ändrad och 71 oförändrade" in at.info[0].value
    table = at.dataframe[0].value
    assert table.set_index("HSA-id")["Vad som ändras"].to_dict() == {
        "SE162321000255-DEMO9999": "Ny enhet",
        "SE162321000255-DEMO0002": "Namn, Enhetstyp",
    }


def test_a_file_is_checked_once_not_on_every_rerun(
    app_db: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = units.preview_import

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(units, "preview_import", counted)
    at = admin_page()
    at.file_uploader(key="admin_upload").upload(
        "enheter.csv", settings().sample_units.read_bytes(), "text/csv"
    ).run()
    at.run()
    at.button(key="admin_verify").click().run()  # other work on the page: no new check
    assert len(calls) == 1
    assert "72 nya" in at.info[0].value
    at.button(key="admin_import").click().run()
    assert "Inläst: 72 nya" in at.success[0].value
    # the result once: the file imported leaves the uploader, no new preview of it
    assert not at.info and not [b for b in at.button if b.key == "admin_import"]
    assert len(calls) == 1
    at.file_uploader(key="admin_upload_1").upload(
        "andra.csv", f"{HEADER}\n{ROW}\n".encode(), "text/csv"
    ).run()
    assert "1 ny," in at.info[0].value and len(calls) == 2  # a new file: a new check


def test_the_uploader_says_the_same_limit_as_the_page() -> None:
    """Streamlit's "per file" under the uploader and the page's "Högst N MB" agree."""
    import tomllib

    from logic.settings import ROOT, Settings

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    assert config["server"]["maxUploadSize"] == Settings.model_fields["upload_limit_mb"].default


def test_a_file_over_the_limit_is_refused_in_words_unread(
    app_db: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UPLOAD_LIMIT_MB", "1")
    settings.cache_clear()
    monkeypatch.setattr(units, "preview_import", lambda *a, **k: pytest.fail("file was read"))
    at = admin_page()
    big = settings().sample_units.read_bytes() * 200  # about 3.0 MB
    at.file_uploader(key="admin_upload").upload("stor.csv", big, "text/csv").run()
    assert not at.exception
    assert "för stor för sidan" in at.error[0].value and "högst 1 MB" in at.error[0].value
    assert "(3,0 MB," in at.error[0].value  # a decimal comma, as Swedish writes it
    assert "import-units" in at.error[0].value
    assert not [b for b in at.button if b.key == "admin_import"]
    with app_db.transaction() as tx:
        assert tx.units.count() == 0


def test_a_file_with_bad_rows_is_refused_with_every_row_named(app_db: Store) -> None:
    bad = ROW.replace(";mottagning;", ";klinik;")
    at = admin_page()
    at.file_uploader(key="admin_upload").upload(
        "fel.csv", f"{HEADER}\n{ROW.replace('T0001', 'T0002')}\n{bad}\n".encode(), "text/csv"
    ).run()
    assert "1 fel" in at.error[0].value
    errors = at.dataframe[0].value
    assert list(errors["Rad i filen (rubrikraden är rad 1)"]) == [3] and list(errors["Kolumn"]) == [
        "enhetstyp"
    ]
    assert not [b for b in at.button if b.key == "admin_import"]
    with app_db.transaction() as tx:
        assert tx.units.count() == 0


def test_the_audit_check_reports_intact(seeded: Store) -> None:
    at = admin_page()
    at.button(key="admin_verify").click().run()
    # seed, the starting catalog, 6 demo users (one a unit manager), sign-in
    assert at.success[0].value.startswith("Intakt: 9 händelser")


def test_the_audit_log_reads_in_words_newest_first(seeded: Store) -> None:
    revision = decide(seeded, "SE162321000255-DEMO0002", ANNA)
    approve_decision(seeded, revision.hsa_id, revision.revision, revision.content_hash, BERIT)
    at = admin_page()
    log = next(d.value for d in at.dataframe if "Händelse" in d.value.columns)
    events = list(zip(log["Händelse"], log["Vem"], strict=True))
    assert events[0] == ("Inloggning", "adam.administrator@demo.local")  # the newest first
    approved = events.index(("Beslut fastställt", BERIT.email))
    assert events.index(("Beslut skickat för fastställande", ANNA.email)) > approved
    assert list(log["Tid"]) == sorted(log["Tid"], reverse=True)
    assert not [a for a in log["Händelse"] if a.startswith("event.")]


def test_an_administrator_adds_a_user_with_roles(app_db: Store) -> None:
    at = admin_page()
    at.text_input(key="admin_email").input("Bertil.Berg@Region.se")
    at.text_input(key="admin_name").input("Bertil Berg")
    at.multiselect(key="admin_roles").select("beslutsfattare").select("handlaggare")
    at.button[-1].click().run()  # the form's submit button
    assert not at.exception
    users = at.dataframe[-1].value.set_index("E-post")
    assert users.loc["bertil.berg@region.se", "Roller"] == "Beslutsfattare, Handläggare"
    assert "`bertil.berg@region.se` är sparad." in at.success[0].value


def test_a_user_without_a_valid_email_is_refused(app_db: Store) -> None:
    at = admin_page()
    at.text_input(key="admin_email").input("bertil")
    at.text_input(key="admin_name").input("Bertil")
    at.button[-1].click().run()
    assert "e-postadress" in at.error[0].value


def test_an_address_that_looks_like_another_is_refused_in_words(app_db: Store) -> None:
    at = admin_page()
    at.text_input(key="admin_email").input("\u0430nna@region.se")  # a Cyrillic а
    at.text_input(key="admin_name").input("Anna")
    at.button[-1].click().run()
    assert "blandar alfabet" in at.error[0].value
    assert "\u0430nna@region.se" not in set(at.dataframe[-1].value["E-post"])  # not saved


def test_draft_saves_are_left_out_of_the_log_unless_asked_for(seeded: Store) -> None:
    from logic.services.assessment import open_assessment, save_draft

    draft = open_assessment(seeded, "SE162321000255-DEMO0002", ANNA).draft
    for text in ("Ett.", "Två.", "Tre."):
        save_draft(seeded, draft.model_copy(update={"rationale": text}), ANNA)
    at = admin_page()
    log = next(d.value for d in at.dataframe if "Händelse" in d.value.columns)
    assert "Utkast sparat" not in set(log["Händelse"])
    assert "Utkast öppnat" in set(log["Händelse"])  # everything else is there
    at.checkbox(key="admin_log_drafts").check().run()
    log = next(d.value for d in at.dataframe if "Händelse" in d.value.columns)
    assert list(log["Händelse"]).count("Utkast sparat") == 3


def test_an_import_is_an_observation_on_the_day_chosen(app_db: Store) -> None:
    import datetime as dt

    from sqlalchemy import text

    at = admin_page()
    at.file_uploader(key="admin_upload").upload(
        "enheter.csv", settings().sample_units.read_bytes(), "text/csv"
    ).run()
    at.button(key="admin_import").click().run()
    at.date_input(key="admin_observed").set_value(dt.date(2022, 3, 1)).run()
    older = f"{HEADER}\n{ROW.replace('T0001', 'DEMO0001')}\n"
    at.file_uploader(key="admin_upload_1").upload("mars.csv", older.encode(), "text/csv").run()
    assert not at.exception
    assert any("1 enhet har en nyare observation" in c.value for c in at.caption)
    at.button(key="admin_import").click().run()
    assert "(observerade 2022-03-01)" in at.success[0].value
    with app_db.engine.connect() as conn:
        seen = conn.execute(text("SELECT observed, count(*) FROM observations GROUP BY observed"))
        counts = {str(day): n for day, n in seen}
    assert counts.pop("2022-03-01") == 1 and list(counts.values()) == [72]


def test_a_chain_without_its_key_is_said_in_words_and_nothing_is_written(app_db: Store) -> None:
    """A register whose chain holds no keyed event (rewritten without the key, or begun
    before keys): choosing a user is refused in words, not a traceback, and the app appends
    nothing that would make the chain look keyed."""
    from logic.store.store import Store as Unkeyed

    units.seed_sample_units(Unkeyed(app_db.engine), settings().sample_units)  # no key
    with app_db.transaction() as tx:
        before = len(tx.audit.events())
    at = new_app(ADMINISTRATOR).run()
    assert not at.exception
    said = [e.value for e in at.error]
    assert any("saknar nyckel" in s and "introduce-audit-key" in s for s in said), said
    with app_db.transaction() as tx:
        assert len(tx.audit.events()) == before


def test_unit_managers_from_a_file_or_one_by_one_hold_units_of_the_register(
    seeded: Store,
) -> None:
    at = admin_page()
    bad = "hsa_id;epost;namn\nSE162321000255-X9999;ulla@region.se;Ulla Enhetschef\n"
    at.file_uploader(key="admin_managers_upload_0").upload("fel.csv", bad.encode(), "text/csv")
    at.run()
    at.button(key="admin_managers_import").click().run()
    assert not at.exception
    assert "1 fel" in at.error[0].value
    errors = at.dataframe[-1].value
    assert list(errors["Kolumn"]) == ["hsa_id"] and "finns inte i registret" in errors.iloc[0, 3]

    good = "hsa_id;epost;namn\nSE162321000255-DEMO0003;ulla@region.se;Ulla Enhetschef\n"
    at.file_uploader(key="admin_managers_upload_0").upload("ok.csv", good.encode(), "text/csv")
    at.run()
    at.button(key="admin_managers_import").click().run()
    assert "Enhetschefer inlästa: 1 nya, 0 ändrade, 0 oförändrade." in at.success[0].value
    people = at.dataframe[-1].value.set_index("E-post")
    assert people.loc["ulla@region.se", "Enheter (enhetschef)"] == "SE162321000255-DEMO0003"
    assert people.loc["ulla@region.se", "Roller"] == "Enhetschef"

    for held, said in [
        ("SE162321000255-DEMO0004\nSE162321000255-X9999", "finns inte i registret"),
        ("Vårdcentralen", "ett per rad"),
    ]:
        at.text_input(key="admin_email").input("vera@region.se")
        at.text_input(key="admin_name").input("Vera Enhetschef")
        at.multiselect(key="admin_roles").set_value(["enhetschef"])
        at.text_area(key="admin_units").input(held)
        at.button[-1].click().run()
        assert said in at.error[0].value
    at.text_area(key="admin_units").input("SE162321000255-DEMO0004, SE162321000255-DEMO0005")
    at.button[-1].click().run()
    people = at.dataframe[-1].value.set_index("E-post")
    assert people.loc["vera@region.se", "Enheter (enhetschef)"] == (
        "SE162321000255-DEMO0004, SE162321000255-DEMO0005"
    )


def test_changing_a_unit_manager_s_roles_in_the_form_keeps_their_units(seeded: Store) -> None:
    at = admin_page()
    at.text_input(key="admin_email").input(ENHETSCHEF)
    at.text_input(key="admin_name").input("Elin Enhetschef")
    at.multiselect(key="admin_roles").set_value(["enhetschef", "chef"])
    at.button[-1].click().run()  # the units field left empty
    people = at.dataframe[-1].value.set_index("E-post")
    assert people.loc[ENHETSCHEF, "Enheter (enhetschef)"] == (
        "SE162321000255-DEMO0001, SE162321000255-DEMO0002"
    )
    at.multiselect(key="admin_roles").set_value(["chef"])  # no longer a unit manager
    at.button[-1].click().run()
    people = at.dataframe[-1].value.set_index("E-post")
    assert people.loc[ENHETSCHEF, "Enheter (enhetschef)"] == ""


def test_the_outbox_shows_each_mail_and_its_text_as_written(seeded: Store) -> None:
    """Without a mail server the mail waits, and the administrator reads it as sent."""
    from logic.domain.auth import DEMO_USERS

    elin = next(u for u in DEMO_USERS if u.email == ENHETSCHEF)
    unit = elin.units[0]
    at = admin_page()  # the app keeps its demo users, Elin among them
    assert any("Utkorgen är tom." in c.value for c in at.caption)
    made = decide(seeded, unit, ANNA)
    approve_decision(seeded, unit, made.revision, made.content_hash, BERIT)
    at.run()
    assert any("Ingen e-postserver är inställd (SMTP_HOST)" in m.value for m in at.markdown)
    assert any("0 skickade, 1 väntar, 0 avvisade av servern." in m.value for m in at.markdown)
    table = at.dataframe[-1].value
    assert list(table["Till"]) == [f"Elin Enhetschef <{ENHETSCHEF}>"]
    assert list(table["Status"]) == ["Väntar"]
    assert table["Ämne"][0].startswith("Nytt beslut om basutbudet för ")
    assert at.text[-1].value.startswith("Hej Elin Enhetschef,\n\nEtt beslut om basutbudet")
