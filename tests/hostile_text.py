"""Text as a file or a person may hand it in, for the tests that hold two writers of a file
equal: what a spreadsheet would run as a formula, line breaks, delimiters and quotes,
controls, noncharacters, any script."""

from __future__ import annotations

from hypothesis import strategies as st

HOSTILE = [
    '=HYPERLINK("http://x")',
    "+46 40 123",
    "-1",
    "@SUM(A1)",
    "\tTab först",
    "\rRetur först",
    " =blank först",
    "＝fullbredd",  # a full-width equals sign
    "rad\nbrytning",
    "rad\r\nbrytning",
    "klocka\x07",
    "icke\ufdd0tecken",  # a noncharacter
    "vänd\u202eriktning",
    "\u2028radskiljare",
    "Östra Göinge",
    'Ärende ; med, avgränsare och "citat"',
    "",
]
# Any text a column may hold, but NUL, which PostgreSQL's text refuses (and no import lets in)
# and a lone surrogate (no database hands one over as UTF-8)
TEXT = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",), exclude_characters="\0"),
        max_size=12,
    ),
)
