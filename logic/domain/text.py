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


# Controls, format characters, line and paragraph separators (a line break where a text is
# one line: free text has them as "\n" already), surrogates, and code points that are no
# characters at all (U+FFFE, U+FFFF, U+FDD0...: an XLSX file holding one cannot be opened).
_NOT_SHOWN = frozenset(("Cc", "Cf", "Cs", "Cn", "Zl", "Zp"))


# Most text is plain: printable ASCII and the Latin-1 letters (å, ä, ö, é...), where no
# character is invisible and the only digits are 0-9 and the letters that pass for them.
# An identity number there needs ten digits, or look-alikes, with only separators between.
# Both patterns work in Python's re and in RE2 (pyarrow), so a whole column is gated at once
# (logic/files/text_columns.py); a value outside them gets the exact checks below.
PLAIN_CHARACTERS = " -~\u00c0-\u00ff"
PLAIN = f"[{PLAIN_CHARACTERS}]*"  # the whole value
DIGIT_RUN = "[0-9lIoO|](?:[ \\-+./_,:']*[0-9lIoO|]){9}"
# a value that is not plain or holds such a run: both in one search (RE2 reads a column once)
DOUBTFUL = f"[^{PLAIN_CHARACTERS}]|{DIGIT_RUN}"
_PLAIN = re.compile(PLAIN)
_DIGIT_RUN = re.compile(DIGIT_RUN)


def invisible_characters(value: str) -> list[str]:
    """The invisible or control characters in `value`, as code points ("U+0007"): controls
    but TAB and LF, every format character (zero-width, direction, tags), fillers, line
    separators, surrogates and noncharacters."""
    if _PLAIN.fullmatch(value):
        return []
    found = [
        c
        for c in dict.fromkeys(value)
        if _INVISIBLE.match(c)
        or c in _FILLERS
        or (unicodedata.category(c) in _NOT_SHOWN and c not in "\t\n")
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


# Other marks people put between the parts, taken as a hyphen when they stand right between
# two digits: underscore, comma, colon, middle dots and bullets, apostrophes.
_BETWEEN_DIGITS = re.compile("(?<=[0-9])[_,:\u00b7\u2022\u2027\u30fb'\u2019\u02bc](?=[0-9])")
# Letters that pass for digits beside a digit: l, I and | for 1, O and o for 0.
_AS_ONE = re.compile("[lI|](?=[0-9])|(?<=[0-9])[lI|]")
_AS_ZERO = re.compile("[oO](?=[0-9])|(?<=[0-9])[oO]")
# Every digit apart, by one mark each ("1 9 1 2 1 2 - 1 2 1 2"): the marks taken away.
_SPACED = re.compile(
    r"(?<![0-9])[0-9](?:[ ._/-][0-9]){5,7}(?:[ ._/-]|\s*[-+]\s*)[0-9](?:[ ._/-][0-9]){3}(?![0-9])"
)


def contains_personnummer(value: str) -> bool:
    """Does the text hold something that reads as a Swedish personal identity number or
    coordination number, however it is written: with or without century, any hyphen, dash,
    minus, dot, slash, space, underscore, comma, colon, middle dot or apostrophe between the
    parts or between every digit, full-width or other scripts' digits, combining marks or
    zero-width characters among them, l or O for 1 or 0? Dates, HSA-ids, organisation and
    phone numbers are not (their digits do not form a date followed by four digits)."""
    if _PLAIN.fullmatch(value) and not _DIGIT_RUN.search(value):
        return False
    text = unicodedata.normalize("NFKC", _ZERO_WIDTH.sub("", value))
    text = "".join(  # any script's digits as 0-9 (NFKC leaves Arabic-Indic ones alone)
        str(unicodedata.digit(c)) if c.isdigit() and not c.isascii() else c
        for c in text
        if not unicodedata.combining(c)  # a mark on a digit hides nothing
    )
    text = _SPACES.sub(" ", _DASHES.sub("-", text))
    text = _AS_ZERO.sub("0", _AS_ONE.sub("1", text))
    text = _BETWEEN_DIGITS.sub("-", text)
    text = _SPACED.sub(lambda m: "".join(c for c in m.group() if c.isdigit() or c == "+"), text)
    for match in _PERSONNUMMER.finditer(text):
        month, day = int(match.group(2)), int(match.group(3))
        if 1 <= month <= 12 and (1 <= day <= 31 or 61 <= day <= 91):  # 61-91: samordning
            return True
    return False


def scripts(value: str) -> set[str]:
    """The writing systems of the text's letters, by their Unicode names' first word (LATIN,
    CYRILLIC, GREEK; FULLWIDTH for the full-width Latin ones): a word whose letters come
    from two looks like another word, as 'аnna' with a Cyrillic а looks like 'anna'."""
    return {unicodedata.name(c, "?").split(" ", 1)[0] for c in value if c.isalpha()}
