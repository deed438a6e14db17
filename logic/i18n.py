"""The one message catalog: every user-facing string, in Swedish (default) and English.

Strings live in data/i18n/messages.yaml as `key: {sv: ..., en: ...}`; `t("key", lang, **kw)`
formats one. A word that agrees with a number is written `{count|rad|rader}`: the first form
when the number is 1, the second otherwise ("1 rad", "2 rader"). Domain names (case types,
variants, grounds, rules) live in the reference data.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

LANGUAGES = ("sv", "en")
DEFAULT_LANGUAGE = "sv"
MESSAGES = Path(__file__).resolve().parent.parent / "data" / "i18n" / "messages.yaml"


@cache
def messages() -> dict[str, dict[str, str]]:
    data = yaml.safe_load(MESSAGES.read_text(encoding="utf-8"))
    for key, texts in data.items():
        missing = [lang for lang in LANGUAGES if not isinstance(texts, dict) or lang not in texts]
        if missing:
            raise ValueError(f"{MESSAGES.name}: '{key}' lacks {', '.join(missing)}")
    return data


_AGREES = re.compile(r"\{(\w+)\|([^|{}]*)\|([^|{}]*)\}")


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **params: object) -> str:
    texts = messages()[key]
    text = texts.get(lang) or texts[DEFAULT_LANGUAGE]
    if not params:
        return text
    text = _AGREES.sub(lambda m: m.group(2) if params[m.group(1)] == 1 else m.group(3), text)
    return text.format(**params)


def one_decimal(number: float, lang: str = DEFAULT_LANGUAGE) -> str:
    """A number with one decimal, the decimal mark of the language (a comma in Swedish):
    a share, a file's size in MB."""
    return f"{number:.1f}".replace(".", "," if lang == "sv" else ".")
