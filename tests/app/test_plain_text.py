"""Text from a file or a person is shown as written, never as Markdown: a unit name, an
administration, a rationale and a return comment full of links, images, headings, colours
and formulas render as that text on every page that shows them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from streamlit.testing.v1 import AppTest

from logic.domain.auth import SYSTEM
from logic.services.units import import_units
from logic.services.verdicts import return_decision
from logic.store.store import Store
from tests.app.conftest import BESLUTSFATTARE, HANDLAGGARE, new_app
from tests.factories import ANNA, BERIT, HEADER, ROW, decide

HOSTILE = "SE162321000255-X0001"
NAME = "Mottagning ![bild](http://evil.example/x.png) [Logga in här](http://evil.example)"
ADMINISTRATION = "# Rubrik :red[röd] $x^2$"
RATIONALE = "Se [instruktionen](http://evil.example/login) och <http://evil.example>\n- lista"
COMMENT = "[Klicka här](http://evil.example) :material/warning:"
# Markup that would render: an unescaped [text](url), ![...], :colour[...], a line that
# starts a heading, an <autolink>, a $formula$.
MARKUP = re.compile(
    r"(?<!\\)\[[^\]]*(?<!\\)\]\(|(?<!\\):red(?<!\\)\[|^\s*#|(?<!\\)<http|(?<!\\)\$x", re.M
)


def texts(at: AppTest) -> Iterator[str]:
    """Everything on the page that Streamlit renders as Markdown, as its source."""
    for kind in ("markdown", "caption", "title", "header", "subheader"):
        yield from (e.value for e in getattr(at, kind))
    for kind in ("warning", "success", "info", "error"):
        yield from (e.value for e in getattr(at, kind))
    for table in at.table:
        yield from (str(v) for v in table.value.to_numpy().ravel())
        yield from (str(i) for i in table.value.index)
    yield from (e.label for e in at.expander)


def rendered_markup(at: AppTest) -> list[str]:
    return [text for text in texts(at) if MARKUP.search(text)]


def prepare(store: Store) -> None:
    row = ROW.replace("SE162321000255-T0001", HOSTILE).replace("Vårdcentralen Test", NAME)
    row = row.replace("Primärvård Skåne", ADMINISTRATION)
    import_units(store, f"{HEADER}\n{row}\n".encode(), SYSTEM, source="hostile.csv")
    first = decide(store, HOSTILE, ANNA, rationale=RATIONALE)
    return_decision(store, HOSTILE, first.revision, first.content_hash, COMMENT, BERIT)
    decide(store, HOSTILE, ANNA, rationale=RATIONALE)


def test_nothing_a_person_or_a_file_wrote_renders_as_markup(seeded: Store) -> None:
    prepare(seeded)
    pages = []
    at = new_app(HANDLAGGARE)
    at.query_params["unit"] = HOSTILE
    at.run()
    at.switch_page("pages/bedomning.py").run()  # the decision, read-only
    pages.append(at)
    at = new_app(BESLUTSFATTARE).run()
    at.switch_page("pages/faststallande.py").run()  # the approval page
    pages.append(at)
    at = new_app(BESLUTSFATTARE).run()
    at.switch_page("pages/beslut.py").run()
    at.selectbox(key="reg_detail").select(HOSTILE).run()  # the register's detail
    pages.append(at)
    for at in pages:
        assert not at.exception
        shown = "\n".join(texts(at))
        assert "Logga in här" in shown or "instruktionen" in shown  # the text is there...
        assert rendered_markup(at) == []  # ...as text, not markup


def test_an_email_address_reads_as_written_never_as_a_link() -> None:
    from pages.ui.common import md

    assert md("skickad av hanna.handlaggare@demo.local.") == (
        "skickad av `hanna.handlaggare@demo.local`."
    )
    assert md("a_b@region.se och *c*") == "`a_b@region.se` och \\*c\\*"  # code keeps _ as is
    assert md("x`y@z.se") == "x\\``y@z.se`"  # a backtick cannot open the code span early


def test_a_refusal_that_reaches_the_frame_is_said_in_its_own_words() -> None:
    """Not "an unexpected error": any Refused a page did not catch says what refused it."""
    from logic.domain.errors import DraftNotHeld, UnknownUnit
    from pages.ui.common import error_message

    assert "SE162321000255-X" in error_message(UnknownUnit("SE162321000255-X"))
    said = error_message(DraftNotHeld("SE1", "*bertil*@region.se", None))
    assert "\\*bertil\\*" in said  # a person's words are shown as written, not as markup
    at = dt.datetime(2026, 11, 25, 8, 5, tzinfo=dt.UTC)
    assert "2026-11-25 09:05" in error_message(DraftNotHeld("SE1", "b@region.se", at))
