"""An export for people: column names and values in words (Swedish by default) instead of
codes. Codes stay the default, since machines read them; the words come from the same
catalog and messages as the pages, so the file says what the screen says."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from logic.domain.catalog import Catalog
from logic.files.export import HEADERS
from logic.i18n import t
from logic.presentation import labels
from logic.presentation.frames import outcome_name

CASE_TYPE_COLUMNS = {"kravda", "saknas", "undantagna_arendetyper"}


def headers(lang: str) -> list[str]:
    return [t(f"export.{name}", lang) for name in HEADERS]


def rows_in_words(rows: Iterable[tuple[Any, ...]], cat: Catalog, lang: str) -> Iterator[tuple]:  # type: ignore[type-arg]
    for row in rows:
        yield tuple(_cell(name, value, cat, lang) for name, value in zip(HEADERS, row, strict=True))


def _cell(name: str, value: Any, cat: Catalog, lang: str) -> Any:
    if value in (None, ""):
        return value
    if name == "utfall":
        return outcome_name(value, lang)
    if name == "variant":
        return labels.variant(value, cat, lang)
    if name in CASE_TYPE_COLUMNS:
        return labels.case_types(value.split("|"), cat, lang)
    if name == "undantagsgrunder":
        known = {g.code for g in cat.grounds}
        return ", ".join(cat.ground(g).name(lang) if g in known else g for g in value.split("|"))
    if name == "beslutsstatus":
        return t(f"status.{value}", lang)
    if name == "svarstid":  # a code since left out of the catalog is shown as it is
        known = {r.code for r in cat.policy.response_times}
        return cat.policy.response_time(value).name(lang) if value in known else value
    if name == "under_lagstaniva":
        return labels.yes_no(value == "ja", lang)
    return value
