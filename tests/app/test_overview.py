"""Översikt, through AppTest: what a user sees on the start page."""

from __future__ import annotations

from logic.store.store import Store
from tests.app.conftest import new_app


def metrics(at) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {m.label: m.value for m in at.metric}


def test_overview_shows_the_sample_register_by_outcome_in_swedish(seeded: Store) -> None:
    at = new_app().run()
    assert not at.exception
    assert at.title[0].value == "Översikt"
    shown = metrics(at)
    assert shown["Enheter i registret"] == "72"
    with seeded.transaction() as tx:
        assert tx.units.count() == 72
    assert (
        int(shown["Omfattas"])
        + int(shown["Avvaktar avtalsanalys"])
        + int(shown["Pröva undantag"])
        + int(shown["Omfattas inte"])
        == 72
    )
    outcome_table = at.dataframe[0].value
    assert list(outcome_table.columns) == ["Rekommenderat utfall", "Antal enheter"]
    assert outcome_table["Antal enheter"].sum() == 72
    per_forvaltning = at.dataframe[2].value
    assert per_forvaltning["Totalt"].sum() == 72
    assert len(per_forvaltning) >= 6


def test_filtering_one_administration_shows_only_its_units(seeded: Store) -> None:
    at = new_app().run()
    at.selectbox(key="w_overview_forvaltning").select("Primärvård Skåne").run()
    per_forvaltning = at.dataframe[2].value
    assert list(per_forvaltning["Förvaltning"]) == ["Primärvård Skåne"]
    assert metrics(at)["Enheter i registret"] == str(per_forvaltning["Totalt"].iloc[0])


def test_english_is_available(seeded: Store) -> None:
    at = new_app().run()
    at.selectbox(key="lang").select("en").run()
    assert at.title[0].value == "Overview"
    assert "Units in the register" in metrics(at)
    assert list(at.dataframe[0].value.columns) == ["Recommended outcome", "Number of units"]


def test_the_language_chosen_is_kept_across_a_reload(seeded: Store) -> None:
    from tests.app.conftest import CHEF

    at = new_app().run()
    at.selectbox(key="lang").select("en").run()
    again = new_app().run()  # the same person in a new session: a reload, a new tab
    assert again.title[0].value == "Overview"
    assert again.selectbox(key="lang").value == "en"
    other = new_app(CHEF).run()  # another person keeps the server's language
    assert other.title[0].value == "Översikt"


def test_the_next_person_at_a_computer_does_not_take_over_a_language() -> None:
    """Local mode keeps the language chosen when another person is chosen: that choice is
    not written into the next person's memory, and their own comes back."""
    from pages.ui.common import LANG_CHOSEN, LANG_KEY, LANG_OWNER, keep_language

    memory: dict[str, str] = {}
    state = {LANG_KEY: "en", LANG_CHOSEN: "en", LANG_OWNER: None}  # chosen before sign-in
    assert keep_language(memory, state, "anna@x.se") is False
    assert memory == {"anna@x.se": "en"} and state[LANG_OWNER] == "anna@x.se"
    assert keep_language(memory, state, "bo@x.se") is False  # Bo has no language of his own
    assert memory == {"anna@x.se": "en"}  # and Anna's is not written as his
    memory["bo@x.se"] = "sv"
    assert keep_language(memory, state, "bo@x.se") is True  # his own, drawn again
    assert state[LANG_CHOSEN] == "sv" and state[LANG_OWNER] == "bo@x.se"
    state[LANG_KEY] = "sv"
    assert keep_language(memory, state, "bo@x.se") is False  # settled
    assert keep_language({"cai@x.se": "sv"}, {LANG_KEY: "sv"}, "cai@x.se") is False


def test_an_empty_register_says_how_to_import(app_db: Store) -> None:
    at = new_app().run()
    assert not at.exception
    assert "import-units" in at.info[0].value


def test_the_start_page_lists_reviews_due_with_the_overdue_first(seeded: Store) -> None:
    import datetime as dt

    from logic.domain.assessment import Exemption
    from tests.factories import decide, on_day

    today = dt.date.today()
    for hsa_id, days in (("SE162321000255-DEMO0063", 10), ("SE162321000255-DEMO0050", -5)):
        decide(
            on_day(seeded, today + dt.timedelta(days=days - 20) if days < 0 else today),
            hsa_id,
            outcome="undantagen",
            response_time="",
            exemption=Exemption(
                scope="hela_enheten",
                grounds=("ingen_patientkontakt",),
                rationale="Ingen kontakt.",
                review_date=today + dt.timedelta(days=days),
            ),
        )
    at = new_app().run()
    queue = at.dataframe[0].value  # the review queue comes first on the page
    assert list(queue["Läge"]) == ["Omprövning krävs", "Omprövas snart"]
    assert at.selectbox(key="review_queue_pick").value == "SE162321000255-DEMO0050"
    [link] = [e for e in at.get("page_link") if e.proto.label == "Öppna i Bedömning"]
    assert link.proto.query_string == "unit=SE162321000255-DEMO0050"  # opened in this tab
