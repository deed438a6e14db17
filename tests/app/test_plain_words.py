"""Plain words for every reader: on every page each role sees, and on every step of the
wizard, in Swedish and in English, no catalog code, rule id or program value reaches the
text a person reads (codes belong in the exports' code profile and where a page documents
a file format). Walked on a register at work (the demo history)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from logic.bootstrap import audit_key
from logic.i18n import t
from logic.settings import settings
from logic.store.db import make_engine
from logic.store.store import Store
from tests.app.conftest import (
    ADMINISTRATOR,
    BESLUTSFATTARE,
    CHEF,
    ENHETSCHEF,
    HANDLAGGARE,
    new_app,
)

# A code as the program spells it: snake_case (kontakta_mig, omfattas_vue, ej_omfattad), or a
# code folded to ASCII where the catalog's name is not (primarvard for Primärvård).
SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
FOLDED = re.compile(r"\b(?:primarvard|tandvard|radgivning|specialistvard|ovrig|ovrigt)\b")
# A value as Python or pandas prints it.
PROGRAM = re.compile(r"\b(?:None|nan|NaN|NaT|True|False)\b|\('|\['|\{'|\[\]|\{\}")
ICON = re.compile(r":material/\w+:")  # an icon Streamlit draws, not text
# Where a page documents a file format, the columns are named as the file names them.
FILE_FORMAT = ("admin.import_help", "admin.managers_help")


def visible(at: AppTest) -> Iterator[str]:
    """Every text on the page a person reads, as its source."""
    for kind in ("title", "header", "subheader", "markdown", "caption"):
        yield from (e.value for e in getattr(at, kind))
    for kind in ("info", "warning", "error", "success"):
        yield from (e.value for e in getattr(at, kind))
    for metric in at.metric:
        yield from (metric.label, str(metric.value), str(metric.proto.delta or ""))
    for frame in [d.value for d in at.dataframe] + [d.value for d in at.table]:
        yield from (str(c) for c in frame.columns)
        for column in frame.columns:  # an empty cell shows as None, unless it holds words
            for cell in frame[column]:
                empty = cell is None or (not isinstance(cell, list) and pd.isna(cell))
                yield f"{column}: {'None' if empty else cell}"
    for kind in ("selectbox", "multiselect", "radio"):
        for box in getattr(at, kind):
            yield box.label
            yield from (str(o) for o in box.options)
    for kind in ("text_input", "text_area", "date_input", "number_input", "checkbox", "toggle"):
        yield from (e.label for e in getattr(at, kind))
    yield from (b.label for b in at.button)
    yield from (e.label for e in at.expander)
    yield from (e.label for e in at.tabs)
    yield from (b.proto.label for b in at.get("download_button"))
    yield from (f"raw JSON: {j.proto.body}" for j in at.json)


def undecodable(at: AppTest, lang: str) -> list[str]:
    documented = {t(key, lang) for key in FILE_FORMAT}
    found = [  # without a placeholder of ours, Streamlit's own English "Choose an option"
        f"no placeholder on {box.label!r}"
        for kind in ("selectbox", "multiselect")
        for box in getattr(at, kind)
        if not box.proto.placeholder
    ]
    for text in visible(at):
        text = ICON.sub("", text)
        if text in documented:
            continue
        for pattern in (SNAKE, FOLDED, PROGRAM):
            if match := pattern.search(text):
                found.append(f"{match.group(0)!r} in {text[:160]!r}")
    return found


def said(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{where}: {problem}" for where, ps in found.items() for problem in ps)


def run_as(who: str, lang: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The app in `lang` as the server's language (AppTest formats a choice's options
    outside the session, so the language chosen in the session would not reach them)."""
    monkeypatch.setenv("APP_LANGUAGE", lang)
    settings.cache_clear()
    return new_app(who).run()


PAGES = {
    HANDLAGGARE: ["oversikt", "beslut", "uppfoljning", "inforande"],
    BESLUTSFATTARE: ["faststallande"],
    CHEF: ["oversikt", "beslut", "uppfoljning", "inforande"],
    ADMINISTRATOR: ["administration"],
    ENHETSCHEF: ["min_enhet"],
}


@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("who", list(PAGES))
def test_every_page_speaks_in_words(
    at_work: Path, who: str, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    found: dict[str, list[str]] = {}
    at = run_as(who, lang, monkeypatch)
    for name in PAGES[who]:
        at.switch_page(f"pages/{name}.py").run()
        assert not at.exception, name
        if name == "beslut":  # a unit with a history of decisions, chosen
            at.selectbox(key="reg_detail").select_index(1).run()
        if name == "administration":  # the audit check's result too
            at.button(key="admin_verify").click().run()
        if problems := undecodable(at, lang):
            found[name] = problems
    assert not found, said(found)


NOT_ASSESSED = "SE162321000255-DEMO0002"  # the demo history leaves it for a newcomer


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_step_of_the_wizard_speaks_in_words(
    at_work: Path, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the register corrected on the way (a name, the e-services), so the last step
    says what was changed."""
    at = run_as(HANDLAGGARE, lang, monkeypatch)
    at.query_params["unit"] = NOT_ASSESSED
    at.switch_page("pages/bedomning.py").run()
    found: dict[str, list[str]] = {}
    for number in range(1, 8):
        assert not at.exception, number
        if number == 1:
            at.text_input(key="w_namn").input("Vårdcentralen Rättad (demo)").run()
        if number == 3:
            at.multiselect(key="w_e_tjanster").set_value(["kontakt"]).run()
        if number == 6:
            at.selectbox(key="w_response_time").select("samma_vardag").run()
        if problems := undecodable(at, lang):
            found[f"step {number}"] = problems
        if number < 7:
            at.button(key="wizard_next").click().run()
    assert at.subheader[0].value == t("wizard.step.beslut", lang)  # the last step reached
    assert "Rättad" in " ".join(visible(at))  # the correction is on the last step, in words
    assert not found, said(found)


def reassessed(path: Path) -> str:
    """A decision in force made again with a fact corrected and another response time: the
    approval page and Beslut then show what changed between two revisions."""
    from logic.domain.register import RegisterFilter, RegisterView
    from logic.services.assessment import open_assessment, submit_decision
    from logic.services.register import register_page
    from tests.factories import ANNA

    store = Store(make_engine(f"sqlite:///{path}"), audit_key(settings()))
    rows, _ = register_page(
        store, RegisterView(filter=RegisterFilter(beslutsstatus="faststalld")), ANNA
    )
    hsa_id = rows[0].hsa_id
    draft = open_assessment(store, hsa_id, ANNA).draft
    unit = draft.unit.model_copy(update={"bokar_besok": not draft.unit.bokar_besok})
    changed = draft.model_copy(
        update={
            "unit": unit,
            "response_time": "nasta_vardag",
            "citizen_informed": True,
            "rationale": "Ny bedömning.",
        }
    )
    submit_decision(store, changed, ANNA)
    store.engine.dispose()
    return hsa_id


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_what_changed_between_revisions_is_said_in_words(
    at_work: Path, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    hsa_id = reassessed(at_work)
    found: dict[str, list[str]] = {}
    at = run_as(BESLUTSFATTARE, lang, monkeypatch)
    at.switch_page("pages/faststallande.py").run()
    pick = next(s for s in at.selectbox if s.key and s.key.startswith("w_approval_pick_"))
    for index in range(len(pick.options)):  # every decision waiting, one after the other
        pick = next(s for s in at.selectbox if s.key and s.key.startswith("w_approval_pick_"))
        pick.select_index(index).run()
        if problems := undecodable(at, lang):
            found[f"faststallande {index}"] = problems
    at = run_as(CHEF, lang, monkeypatch)
    at.switch_page("pages/beslut.py").run()
    at.text_input(key="w_reg_text").input(hsa_id).run()
    at.selectbox(key="reg_detail").select(hsa_id).run()
    assert at.selectbox(key="reg_from").value != at.selectbox(key="reg_to").value
    if problems := undecodable(at, lang):
        found["beslut"] = problems
    assert not found, said(found)


def test_an_import_is_said_in_words(at_work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = run_as(ADMINISTRATOR, "sv", monkeypatch)
    at.switch_page("pages/administration.py").run()
    data = settings().sample_units.read_text("utf-8").replace("(demo)", "(demo, ny)", 3)
    at.file_uploader(key="admin_upload").upload("enheter.csv", data.encode(), "text/csv").run()
    found = {"preview": undecodable(at, "sv")}
    at.button(key="admin_import").click().run()
    found["imported"] = undecodable(at, "sv")
    assert not [p for ps in found.values() for p in ps], said(found)
