"""Who sees what, through AppTest: each role gets exactly its pages and actions; local mode
only on loopback; sign-in through OpenID Connect (st.user as AppTest simulates it)."""

from __future__ import annotations

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from logic.domain.auth import User
from logic.services.users import save_user
from logic.settings import settings
from logic.store.store import Store
from tests.app.conftest import (
    ADMINISTRATOR,
    BESLUTSFATTARE,
    CHEF,
    ENHETSCHEF,
    HANDLAGGARE,
    new_app,
)
from tests.factories import ADAM, ANNA, BERIT, decide

CLINIC = "SE162321000255-DEMO0002"
PAGES = {
    "pages/oversikt.py": "Översikt",
    "pages/bedomning.py": "Bedömning",
    "pages/faststallande.py": "Fastställande",
    "pages/beslut.py": "Beslut",
    "pages/uppfoljning.py": "Uppföljning",
    "pages/administration.py": "Administration",
    "pages/min_enhet.py": "Min enhet",
}
MATRIX = {
    HANDLAGGARE: {
        "pages/oversikt.py",
        "pages/bedomning.py",
        "pages/beslut.py",
        "pages/uppfoljning.py",
    },
    BESLUTSFATTARE: {
        "pages/oversikt.py",
        "pages/bedomning.py",
        "pages/faststallande.py",
        "pages/beslut.py",
        "pages/uppfoljning.py",
    },
    CHEF: {"pages/oversikt.py", "pages/beslut.py", "pages/uppfoljning.py"},
    ADMINISTRATOR: {
        "pages/oversikt.py",
        "pages/beslut.py",
        "pages/uppfoljning.py",
        "pages/administration.py",
    },
    ENHETSCHEF: {"pages/min_enhet.py"},  # their own units, nothing of the register
}


DOCUMENT = "Beslutshandling (PDF)"  # a decision as a document: for every reader
FOLLOW_UP = "Uppföljning av enheten (PDF)"  # a unit manager's own follow-up, one page


def downloads(at: AppTest) -> int:
    """The exports offered (the decision document is no export)."""
    return len([b for b in at.get("download_button") if b.proto.label != DOCUMENT])


@pytest.mark.parametrize("who", list(MATRIX))
def test_each_role_sees_exactly_its_pages(seeded: Store, who: str) -> None:
    at = new_app(who).run()
    assert not at.exception
    for page, title in PAGES.items():
        if page in MATRIX[who]:
            at.switch_page(page).run()
            assert not at.exception, page
            assert at.title[0].value.startswith(title), page
        else:  # the page does not exist for this role
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(page)


@pytest.mark.parametrize(
    ("who", "exports", "assesses"),
    [
        (HANDLAGGARE, False, True),
        (BESLUTSFATTARE, True, True),
        (CHEF, True, False),
        (ADMINISTRATOR, True, False),
    ],
)
def test_register_and_follow_up_offer_exactly_the_roles_actions(
    seeded: Store, who: str, exports: bool, assesses: bool
) -> None:
    decide(seeded, CLINIC)
    at = new_app(who)
    at.query_params["text"] = CLINIC
    at.run()
    at.switch_page("pages/beslut.py").run()
    at.selectbox(key="reg_detail").select(CLINIC).run()
    assert (downloads(at) == 3) is exports
    assert [b for b in at.get("download_button") if b.proto.label == DOCUMENT]
    links = [p.proto.page for p in at.get("page_link")]
    assert any("bedomning" in link for link in links) is assesses
    at.switch_page("pages/uppfoljning.py").run()
    assert (downloads(at) > 0) is exports


def test_the_start_page_shows_each_role_its_queues(seeded: Store) -> None:
    decide(seeded, CLINIC)
    handlaggare = new_app(HANDLAGGARE).run()
    assert "Omprövningar" in [s.value for s in handlaggare.subheader]
    assert "Att fastställa" not in [s.value for s in handlaggare.subheader]
    beslutsfattare = new_app(BESLUTSFATTARE).run()
    assert "Att fastställa" in [s.value for s in beslutsfattare.subheader]
    assert "1 beslut väntar på fastställande." in [m.value for m in beslutsfattare.markdown]
    chef = new_app(CHEF).run()
    assert not {"Omprövningar", "Att fastställa"} & {s.value for s in chef.subheader}


def test_local_mode_shows_itself_on_every_page_and_records_the_sign_in(seeded: Store) -> None:
    at = new_app(CHEF).run()
    for page in MATRIX[CHEF]:
        at.switch_page(page).run()
        assert any("Lokalt läge" in m.value for m in at.markdown), page
    assert "Inloggad som Cecilia Chef (`cecilia.chef@demo.local`)" in at.sidebar.caption[0].value
    with seeded.transaction() as tx:
        signed = [e for e in tx.audit.events() if e.action == "sign_in"]
    assert [(e.actor, e.details["via"]) for e in signed] == [("cecilia.chef@demo.local", "local")]


def test_nobody_is_anybody_until_a_demo_user_is_chosen(seeded: Store) -> None:
    at = new_app(None).run()
    assert not at.exception
    assert "välj en demoanvändare" in at.info[0].value
    at.switch_page("pages/beslut.py").run()  # a crafted request: still nobody, no register
    assert [t.value for t in at.title] == ["Basutbud 1177"] and not at.dataframe


@pytest.mark.parametrize("address", ["0.0.0.0", None, "10.1.2.3"])  # None: every interface
def test_local_mode_refuses_unless_the_server_listens_on_loopback(
    seeded: Store, address: str | None
) -> None:
    config.set_option("server.address", address)  # the conftest fixture restores it
    at = new_app(HANDLAGGARE).run()
    assert "loopback" in at.error[0].value
    assert not at.title and not at.dataframe


# --- OpenID Connect (AUTH_MODE=oidc); st.user as AppTest simulates it ---------------------
@pytest.fixture
def oidc(seeded: Store, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.setenv("AUTH_MODE", "oidc")
    settings.cache_clear()
    return seeded


def oidc_app(**claims: object) -> AppTest:
    at = new_app(None)
    at.secrets["auth"] = {"client_id": "test"}  # only its presence matters here
    at.user = {"is_logged_in": bool(claims), **claims}
    return at.run()


def test_oidc_asks_to_sign_in_first(oidc: Store) -> None:
    at = oidc_app()
    assert [b.label for b in at.button] == ["Logga in"]
    assert not any("Lokalt läge" in m.value for m in at.markdown)


def test_oidc_roles_come_from_the_user_table_by_email(oidc: Store) -> None:
    save_user(oidc, User(email="eva.chef@region.se", namn="Eva Chef", roles=("chef",)), ADAM)
    at = oidc_app(email="Eva.Chef@Region.se", name="Eva Chef")
    assert not at.exception
    assert at.title[0].value == "Översikt"
    at.switch_page("pages/uppfoljning.py").run()
    with pytest.raises(ValueError):
        at.switch_page("pages/bedomning.py")
    with oidc.transaction() as tx:
        assert [e.details["via"] for e in tx.audit.events() if e.action == "sign_in"] == ["oidc"]
    at.sidebar.button(key="sign_out").click().run()
    at.run()
    assert [b.label for b in at.button] == ["Logga in"]
    with oidc.transaction() as tx:
        assert tx.audit.events()[-1].action == "sign_out"


def test_a_signed_in_user_without_a_role_sees_only_whom_to_ask(oidc: Store) -> None:
    save_user(oidc, ADAM, ADAM)
    at = oidc_app(email="ny@region.se", name="Ny Person")
    assert at.title[0].value == "Ingen behörighet ännu"
    assert "adam@region.se" in at.markdown[-1].value
    for page in PAGES:
        with pytest.raises(ValueError):
            at.switch_page(page)


def test_a_deactivated_user_loses_access_at_once(oidc: Store) -> None:
    eva = User(email="eva.chef@region.se", namn="Eva Chef", roles=("chef",))
    save_user(oidc, eva, ADAM)
    at = oidc_app(email=eva.email, name=eva.namn)
    assert at.title[0].value == "Översikt"
    save_user(oidc, eva.model_copy(update={"active": False}), ADAM)
    at.run()
    assert at.title[0].value == "Ingen behörighet ännu"


def test_switching_user_leaves_nothing_of_the_last_ones_work(seeded: Store) -> None:
    at = new_app(HANDLAGGARE)
    at.query_params["unit"] = CLINIC
    at.run()
    at.switch_page("pages/bedomning.py").run()
    assert at.button(key="wizard_next")  # Hanna's draft is open
    at.selectbox(key="local_user").select(BESLUTSFATTARE).run()
    assert not at.exception
    assert not [b for b in at.button if b.key == "wizard_next"]
    assert "Inloggad som Bengt Beslutsfattare" in at.sidebar.caption[0].value
    with seeded.transaction() as tx:
        events = [(e.action, e.actor) for e in tx.audit.events()][-2:]
    assert events == [("sign_out", HANDLAGGARE), ("sign_in", BESLUTSFATTARE)]


def test_a_unit_manager_sees_their_own_units_and_no_other_whatever_the_address_asks(
    seeded: Store,
) -> None:
    at = new_app(ENHETSCHEF)
    at.query_params["hsa_id"] = "SE162321000255-DEMO0003"  # another unit, asked for by hand
    at.query_params["text"] = "DEMO0003"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Min enhet"
    units = at.selectbox(key="my_unit")
    assert units.options == [
        "Vårdcentral Norra, Lund (demo) · SE162321000255-DEMO0001",
        "Vårdcentralen Södervärn Malmö (demo) · SE162321000255-DEMO0002",
    ]
    assert at.subheader[0].value.endswith("DEMO0001")  # the first, with its roll-out
    assert "Kontakta oss / Skriv till oss" in set(at.dataframe[0].value.iloc[:, 0])
    decide(seeded, CLINIC)  # a decision on her second unit
    units.select("SE162321000255-DEMO0002").run()
    assert not at.exception
    assert [b.proto.label for b in at.get("download_button")] == [FOLLOW_UP, DOCUMENT]
    elin = next(u for u in seeded_users(seeded) if u.email == ENHETSCHEF)
    save_user(seeded, elin.model_copy(update={"units": ("SE162321000255-DEMO0002",)}), ADAM)
    at.run()  # the next view: the units the table gives her now
    assert at.selectbox(key="my_unit").options == [
        "Vårdcentralen Södervärn Malmö (demo) · SE162321000255-DEMO0002"
    ]


def seeded_users(store: Store) -> list[User]:
    with store.transaction() as tx:
        return tx.users.all()


def test_a_unit_manager_acknowledges_and_the_regional_team_sees_who_has_not(
    seeded: Store,
) -> None:
    north = "SE162321000255-DEMO0001"
    decide(seeded, north, ANNA, approver=BERIT)
    team = new_app(HANDLAGGARE).run()
    assert "Ej kvitterade beslut" in [s.value for s in team.subheader]
    waiting = next(d.value for d in team.dataframe if "Enhetschefer" in d.value.columns)
    assert list(waiting["HSA-id"]) == [north]
    assert list(waiting["Enhetschefer"]) == [ENHETSCHEF]

    elin = new_app(ENHETSCHEF).run()
    button = elin.button(key="my_acknowledge")
    assert button.label == "Kvittera beslutet (revision 1)"
    button.click().run()
    assert not elin.exception
    assert any("Du kvitterade beslutet (revision 1)" in s.value for s in elin.success)
    assert not [b for b in elin.button if b.key == "my_acknowledge"]

    team.run()
    assert "Ej kvitterade beslut" not in [s.value for s in team.subheader]


def test_the_decision_shown_in_full_is_the_one_acknowledged(seeded: Store) -> None:
    north = "SE162321000255-DEMO0001"
    decide(seeded, north, ANNA, approver=BERIT, rationale="Beslutet i kraft.")
    decide(seeded, north, ANNA, rationale="Ett förslag som väntar på beslut.")
    elin = new_app(ENHETSCHEF).run()
    shown = " ".join(str(t.value.to_dict()) for t in elin.table)
    assert elin.button(key="my_acknowledge").label == "Kvittera beslutet (revision 1)"
    assert "Beslutet i kraft." in shown and "väntar" not in shown
    assert any("Fastställt" in m.value for m in elin.markdown)  # its status, not the newest's


def test_a_unit_manager_asks_and_the_regional_team_answers(seeded: Store) -> None:
    elin = new_app(ENHETSCHEF).run()
    elin.radio(key="my_request_kind").set_value("undantag")
    elin.text_area(key="my_request_reason").input("Ring 19121212-1212.")
    elin.button[-1].click().run()  # the form's submit button
    assert "personnummer" in elin.error[0].value  # refused in words, nothing sent
    assert elin.radio(key="my_request_kind").value == "undantag"  # what was written stays
    elin.text_area(key="my_request_reason").input("**Vi** har [ingen](x) bokning ännu.")
    elin.button[-1].click().run()
    assert elin.text_area(key="my_request_reason_1").value == ""  # sent: a new, empty form
    assert not elin.exception
    assert "Begäran är skickad" in elin.success[0].value

    team = new_app(HANDLAGGARE).run()
    assert "Begäran från enheter" in [s.value for s in team.subheader]
    assert "**Vi** har [ingen](x) bokning ännu." in [t.value for t in team.text]  # as written
    team.text_area(key="answer_1").input("Vi bedömer enheten igen i januari.")
    next(b for b in team.button if b.label == "Skicka svaret").click().run()
    assert "Svaret på begäran 1 är skickat." in team.success[0].value
    assert "Begäran från enheter" not in [s.value for s in team.subheader]

    elin.run()
    asked = next(d.value for d in elin.dataframe if "Svar" in d.value.columns)
    assert list(asked["Svar"]) == ["Vi bedömer enheten igen i januari."]
    assert list(asked["Begäran"]) == ["Undantag"]


def test_a_unit_manager_reports_an_e_service_and_the_register_shows_it_as_reported(
    seeded: Store,
) -> None:
    north = "SE162321000255-DEMO0001"  # offers every e-service in the sample
    elin = new_app(ENHETSCHEF).run()
    first = elin.dataframe[0].value.set_index(elin.dataframe[0].value.columns[0])
    case_type = "Förnya recept"
    elin.radio(key="my_report_case_type").set_value("fornya_recept")
    elin.radio(key="my_report_in_place").set_value(True)  # in place already
    report = next(b for b in elin.button if b.proto.label == "Rapportera")
    report.click().run()
    assert not elin.exception
    assert [e.value for e in elin.error] == ["Registret visar redan det. Inget har sparats."]
    elin.radio(key="my_report_in_place").set_value(False)
    next(b for b in elin.button if b.proto.label == "Rapportera").click().run()
    assert not elin.exception
    today = elin.date_input(key="my_report_day").value
    assert [s.value for s in elin.success] == [
        f"Rapporten om Förnya recept är sparad. Den räknas i införandet från {today.isoformat()}."
    ]
    after = elin.dataframe[0].value.set_index(elin.dataframe[0].value.columns[0])
    assert after.loc[case_type].iloc[0] != first.loc[case_type].iloc[0]  # no longer in place
    assert any("vilar på enhetens egen rapport" in i.value for i in elin.info)
    with seeded.transaction() as tx:
        [event] = [e for e in tx.audit.events() if e.action == "report_e_service"]
    assert (event.actor, event.details["hsa_id"], event.details["in_place"]) == (
        ENHETSCHEF, north, False,
    )  # fmt: skip


def test_the_wizard_opened_from_a_request_shows_it_and_the_decision_answers_it(
    seeded: Store,
) -> None:
    from logic.services.unit_managers import ask, unit_requests
    from logic.services.verdicts import approve_decision

    north = "SE162321000255-DEMO0001"
    new_app(ENHETSCHEF).run()  # the demo users, Elin among them
    elin = next(u for u in seeded_users(seeded) if u.email == ENHETSCHEF)
    asked = ask(seeded, elin, north, "undantag", "Vi har **ingen** bokning på nätet.")
    team = new_app(HANDLAGGARE)
    team.query_params["unit"] = north  # the queue's link on Översikt
    team.run()
    team.switch_page("pages/bedomning.py").run()
    assert not team.exception
    assert any(f"Begäran från enheten {asked.number} · Undantag" in m.value for m in team.markdown)
    assert "Vi har **ingen** bokning på nätet." in [t.value for t in team.text]  # as written
    hanna = next(u for u in seeded_users(seeded) if u.email == HANDLAGGARE)
    made = decide(seeded, north, hanna)  # the draft the wizard opened is hers
    approve_decision(seeded, north, made.revision, made.content_hash, BERIT)
    mine = new_app(ENHETSCHEF).run()
    table = next(d.value for d in mine.dataframe if "Svar" in d.value.columns)
    assert list(table["Svar"]) == [f"Besvarad med ett nytt beslut (revision {made.revision})"]
    assert unit_requests(seeded, elin, north)[0].answered_revision == made.revision
