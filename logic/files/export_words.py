"""An export for people: column names and values in words (Swedish by default) instead of
codes. Codes stay the default, since machines read them; the words come from the same
catalog and messages as the pages, so the file says what the screen says."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from logic.domain.catalog import Catalog
from logic.domain.decision_text import deviation_words
from logic.files.export import HEADERS
from logic.i18n import t
from logic.presentation import labels
from logic.presentation.frames import outcome_name

CASE_TYPE_COLUMNS = {"kravda", "saknas", "undantagna_arendetyper"}


def headers(lang: str) -> list[str]:
    return [t(f"export.{name}", lang) for name in HEADERS]


def rows_in_words(rows: Iterable[tuple[Any, ...]], cat: Catalog, lang: str) -> Iterator[tuple]:  # type: ignore[type-arg]
    # the names looked up once per export, not once per cell; a code the catalog no longer
    # has is shown as it is
    names = {
        "variant": {v.code: v.name(lang) for v in cat.variants},
        "undantagsgrunder": {g.code: g.name(lang) for g in cat.grounds},
        "svarstid": {r.code: r.name(lang) for r in cat.policy.response_times},
    }
    for row in rows:
        yield tuple(
            _cell(name, value, names, cat, lang) for name, value in zip(HEADERS, row, strict=True)
        )


def _deviation(said: str, cat: Catalog, lang: str) -> str:
    """ "code:recommended>chosen" (files.export.record_row) in words."""
    code, _, rest = said.partition(":")
    recommended, _, chosen = rest.partition(">")
    return deviation_words(code, recommended, chosen, cat, lang, t)


def _cell(name: str, value: Any, names: dict[str, dict[str, str]], cat: Catalog, lang: str) -> Any:
    if value in (None, ""):
        return value
    if name == "utfall":
        return outcome_name(value, lang)
    if name in names:
        return ", ".join(names[name].get(code, code) for code in value.split("|"))
    if name in CASE_TYPE_COLUMNS:
        return labels.case_types(value.split("|"), cat, lang)
    if name in ("beslutsstatus", "granskning"):
        return t(f"status.{value}", lang)
    if name == "avvikelser":
        return "; ".join(_deviation(said, cat, lang) for said in value.split("|"))
    if name == "under_lagstaniva":
        return labels.yes_no(value == "ja", lang)
    return value
