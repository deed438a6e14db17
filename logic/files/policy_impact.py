"""The impact list of a proposed catalog as a file for people (CSV or XLSX): one row per unit
and change, what changes in words, before under the catalog in force and after under the
proposed one (each named in its own catalog's words: a renamed variant reads as renamed)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from logic.domain.catalog import Catalog
from logic.domain.policy_impact import NOT_ASKED, Change
from logic.i18n import t
from logic.presentation import labels
from logic.presentation.rollout_frames import on_time_name, status_name

COLUMNS = ("hsa_id", "enhet", "forvaltning", "andring", "arendetyp", "fore", "efter")


def headers(lang: str) -> list[str]:
    return [t(f"impact.col.{name}", lang) for name in COLUMNS]


def value_words(what: str, code: str, cat: Catalog, lang: str) -> str:
    """A before or after value (Change's codes) in words."""
    if what == "utfall":
        return t(f"outcome.{code}", lang)
    if what == "variant":
        return labels.variant(code or None, cat, lang)
    if what in ("kravda", "saknas"):
        return labels.case_types(code.split("|"), cat, lang) if code else t("rec.none", lang)
    if code == NOT_ASKED:  # a case type asked under one catalog only
        return t("impact.not_asked", lang)
    if what == "status":
        return status_name(code, lang)
    if what == "i_tid":
        return on_time_name(code, lang)
    return code or on_time_name("", lang)  # a deadline (YYYY-MM-DD), or none


def rows_in_words(
    changes: Iterable[Change], current: Catalog, proposed: Catalog, lang: str
) -> Iterator[tuple[str, ...]]:
    for c in changes:
        # every catalog has the same case types (Catalog checks them against the codes)
        case_type = labels.case_types([c.arendetyp], proposed, lang) if c.arendetyp else ""
        yield (
            c.hsa_id,
            c.enhet,
            c.forvaltning,
            t(f"impact.what.{c.what}", lang),
            case_type,
            value_words(c.what, c.before, current, lang),
            value_words(c.what, c.after, proposed, lang),
        )
