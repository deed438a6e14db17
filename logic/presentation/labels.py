"""Words for codes, in the session's language: one place, so every page says the same."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from logic.domain.assessment import (
    WARD_ITEMS,
    Deviation,
    Draft,
    corrections,
)
from logic.domain.catalog import Catalog
from logic.domain.decision_text import deviation_words
from logic.domain.draft_view import DraftView
from logic.domain.models import Reason
from logic.domain.validation import FieldError
from logic.i18n import t

CODED_FACTS = {"enhetstyp", "verksamhet", "driftsform"}
NONE = "–"  # an empty value, as a person reads it (never None, nan or a blank that hides it)


def case_types(codes: Iterable[str], cat: Catalog, lang: str) -> str:
    names = [cat.case_type(c).name(lang) for c in codes]
    return ", ".join(names) if names else t("rec.none", lang)


def imported(counts: Any, observed: Any, lang: str) -> str:
    """What an import did, in words (an ImportResult), with the units it left as they were
    because the register shows a newer observation of them."""
    text = t(
        "cli.imported",
        lang,
        added=counts.added,
        updated=counts.updated,
        unchanged=counts.unchanged,
        observed=observed.isoformat(),
    )
    if counts.older:
        text += " " + t("import.older", lang, older=counts.older, observed=observed.isoformat())
    return text


def variant(code: str | None, cat: Catalog, lang: str) -> str:
    return cat.variant(code).name(lang) if code else t("overview.no_variant", lang)


def yes_no(value: bool | None, lang: str) -> str:
    if value is None:
        return t("not_given", lang)
    return t("answer.yes" if value else "answer.no", lang)


def fact(field: str, value: Any, cat: Catalog, lang: str) -> str:
    """A unit fact as a person reads it: words for codes, Ja/Nej for booleans."""
    if field in CODED_FACTS:
        return t(f"{field}.{value}", lang)
    if field in ("telefon_papper", "e_tjanster", "regionala_mallar"):
        return case_types(value, cat, lang)
    if isinstance(value, bool) or value is None:
        return yes_no(value, lang)
    return str(value)


def changes(draft: Draft, cat: Catalog, lang: str) -> str:
    """The assessor's corrections of the register, e.g. "Namn: A → B"."""
    return "; ".join(
        f"{t('field.' + f, lang)}: {fact(f, a, cat, lang)} → {fact(f, b, cat, lang)}"
        for f, (a, b) in corrections(draft).items()
    )


def field_error(error: FieldError, cat: Catalog, lang: str) -> str:
    """A validation problem in words: the codes among its parameters named as the catalog
    names them (case types, grounds, outcomes, which text)."""
    params: dict[str, Any] = dict(error.params)
    if isinstance(params.get("codes"), list | tuple):
        params["codes"] = case_types(params["codes"], cat, lang)
    if isinstance(params.get("grounds"), list | tuple):
        params["grounds"] = ", ".join(cat.ground(g).name(lang) for g in params["grounds"])
    if "outcome" in params:
        params["outcome"] = t(f"decision.{params['outcome']}", lang)
    if "texts" in params:
        params["texts"] = t(f"wizard.text.{params['texts']}", lang)
    return t(error.message, lang, **params)


def reason(r: Reason, cat: Catalog, lang: str) -> str:
    """A rule that fired, as a person reads it: its text, then what it concerns (the case
    types or the variant) named as the catalog names them. The rule's id stays in the
    record and the exports, for those who trace a recommendation to the reference data."""
    named = {v.code: v.name(lang) for v in cat.variants} | {
        c.code: c.name(lang) for c in cat.case_types
    }
    concerns = [named.get(code, code) for code in r.detail]  # an older catalog's: as written
    return r.text(lang) + (f" ({', '.join(concerns)})" if concerns else "")


def deviation(d: Deviation, cat: Catalog, lang: str) -> str:
    return deviation_words(d.code, d.recommended, d.chosen, cat, lang, t)


def summary(draft: Draft, v: DraftView, cat: Catalog, lang: str) -> list[tuple[str, str]]:
    """Everything the assessor has entered, as (label, value) lines for the decision step."""
    ex = draft.exemption
    lines = [
        (t("field.hsa_id", lang), draft.hsa_id),
        (t("field.namn", lang), draft.unit.namn),
        (t("field.forvaltning", lang), draft.unit.forvaltning),
        (t("rec.outcome", lang), t(f"outcome.{v.recommendation.outcome}", lang)),
        (t("rec.variant", lang), variant(v.variant, cat, lang)),
        (t("rec.required", lang), case_types(v.required, cat, lang)),
        (t("rec.missing", lang), case_types(v.missing, cat, lang)),
        (t("wizard.exemption.scope", lang), t(f"exemption.{ex.scope}", lang)),
    ]
    if ex.scope != "ingen":
        if ex.scope == "per_arendetyp":
            lines.append(
                (t("wizard.exemption.case_types", lang), case_types(ex.case_types, cat, lang))
            )
        grounds = ", ".join(cat.ground(g).name(lang) for g in ex.grounds)
        if ex.other_ground:
            grounds += f" ({ex.other_ground})"
        lines += [
            (t("wizard.exemption.grounds", lang), grounds),
            (t("wizard.exemption.rationale", lang), ex.rationale),
            (
                t("wizard.exemption.review_date", lang),
                ex.review_date.isoformat() if ex.review_date else "",
            ),
        ]
    if draft.response_time:
        lines.append(
            (
                t("wizard.svarstid.choose", lang),
                cat.policy.response_time(draft.response_time).name(lang),
            )
        )
    if v.variant == "avdelning":
        lines += [
            (t(f"wizard.ward.{item}", lang), yes_no(getattr(draft.ward, item), lang))
            for item in WARD_ITEMS
        ]
    if v.corrections:
        lines.append((t("wizard.corrected", lang, changes=""), changes(draft, cat, lang)))
    lines.append(
        (
            t("wizard.beslut.deviations", lang),
            "; ".join(deviation(d, cat, lang) for d in v.deviations)
            or t("wizard.beslut.no_deviations", lang),
        )
    )
    return lines
