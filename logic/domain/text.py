"""Text: search keys, and the checks on free text from people and files."""

from __future__ import annotations

import re
import unicodedata


def search_key(text: str) -> str:
    """Lower case without diacritics: "Södervärn" and "SODERVARN" both give "sodervarn"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# --- Free text from people and files: line breaks, invisible characters, identity numbers --
# Line breaks as Word, Windows, old Macs and Unicode write them; all become "\n".
_LINE_BREAKS = re.compile("\r\n|[\r\v\f\x85\u2028\u2029]")
# Characters nobody can see or type on purpose: C0 controls but TAB and LF, DEL, C1
# controls, zero-width and direction controls (which can hide or reorder what is shown).
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)


def normalise_text(value: str) -> str:
    """Every line break as "\\n" (Word's line break is a vertical tab)."""
    return _LINE_BREAKS.sub("\n", value)


# Blank "letters" some scripts have, shown as nothing.
_FILLERS = frozenset("\u034f\u115f\u1160\u3164\uffa0\u180e")


def invisible_characters(value: str) -> list[str]:
    """The invisible or control characters in `value`, as code points ("U+0007"): controls
    but TAB and LF, every format character (zero-width, direction, tags), fillers."""
    found = [
        c
        for c in dict.fromkeys(value)
        if _INVISIBLE.match(c)
        or c in _FILLERS
        or (unicodedata.category(c) in ("Cc", "Cf") and c not in "\t\n")
    ]
    return [f"U+{ord(c):04X}" for c in found]


# Separators people write inside an identity number, in their look-alike forms: hyphens
# and dashes, minus signs, spaces of every width, dots and slashes.
_DASHES = re.compile("[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad\u034f\u180e]")
_PERSONNUMMER = re.compile(
    r"(?<![0-9])(?:(?:19|20)(?=[0-9]{2}\s*[-./]?\s*[0-9]{2}))?"  # century, optional
    r"([0-9]{2})\s*[-./]?\s*([0-9]{2})\s*[-./]?\s*([0-9]{2})"  # YY MM DD
    r"\s*[-+./_]{0,2}\s*[0-9]{2}\s?[0-9]{2}(?![0-9]|[-./:][0-9])"  # the last four
)


def contains_personnummer(value: str) -> bool:
    """Does the text hold something that reads as a Swedish personal identity number or
    coordination number, however it is written: with or without century, any hyphen, dash,
    minus, dot, slash or space between the parts, full-width digits, zero-width characters
    between them? Dates, HSA-ids, organisation and phone numbers are not (their digits do
    not form a date followed by four digits)."""
    text = unicodedata.normalize("NFKC", _ZERO_WIDTH.sub("", value))
    text = "".join(  # any script's digits as 0-9 (NFKC leaves Arabic-Indic ones alone)
        str(unicodedata.digit(c)) if c.isdigit() and not c.isascii() else c for c in text
    )
    text = _SPACES.sub(" ", _DASHES.sub("-", text))
    for match in _PERSONNUMMER.finditer(text):
        month, day = int(match.group(2)), int(match.group(3))
        if 1 <= month <= 12 and (1 <= day <= 31 or 61 <= day <= 91):  # 61-91: samordning
            return True
    return False
