"""The formal wording of a decision, generated from the structured decision alone, so the
two can never disagree. Made at every submission and stored with the revision; the record
is Swedish, so the submission asks for "sv" whatever the UI language. What the assessor
writes in their own words is the rationale and the remark, kept apart from it.

It is part of the record, so it is made here, in the domain; the words of each phrase come
from the message catalog, handed in as `words` (logic.i18n.t), so the domain reads no file."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from logic.domain.assessment import BELOW_MINIMUM
from logic.domain.catalog import Catalog


class Words(Protocol):
    """A message in a language, with its parameters filled in (logic.i18n.t)."""

    def __call__(self, key: str, lang: str, /, **params: object) -> str: ...


def decision_text(
    record: Mapping[str, Any], unit_name: str, cat: Catalog, lang: str, words: Words
) -> str:
    """`record` is the decision as stored (assessment.decision_record): outcome, variant,
    required and missing case types, exemption, response time."""
    t = words

    def case_types(codes: Iterable[str], cat: Catalog, lang: str) -> str:
        return ", ".join(cat.case_type(c).name(lang) for c in codes) or t("rec.none", lang)

    def variant(code: str | None, cat: Catalog, lang: str) -> str:
        return cat.variant(code).name(lang) if code else t("overview.no_variant", lang)

    outcome = record["outcome"]
    ex = record["exemption"]
    parts = [t("wording.outcome", lang, unit=unit_name, outcome=t(f"decision.{outcome}", lang))]
    if outcome in ("omfattas", "delvis_undantagen"):
        parts.append(t("wording.variant", lang, variant=variant(record["variant"], cat, lang)))
        parts.append(t("wording.required", lang, codes=case_types(record["required"], cat, lang)))
        parts.append(t("wording.missing", lang, codes=case_types(record["missing"], cat, lang)))
    if outcome == "delvis_undantagen":
        parts.append(t("wording.exempted", lang, codes=case_types(ex["case_types"], cat, lang)))
    if outcome in ("undantagen", "delvis_undantagen"):
        # "Annat (beskriv)" is the prompt; the record says the ground the person described
        grounds = [
            ex.get("other_ground") or cat.ground(g).name(lang)
            if g == "annat"
            else cat.ground(g).name(lang)
            for g in ex["grounds"]
        ]
        parts.append(t("wording.grounds", lang, grounds="; ".join(grounds) or t("rec.none", lang)))
        if ex.get("review_date"):
            parts.append(t("wording.review", lang, date=ex["review_date"]))
    if record.get("response_time") and outcome in ("omfattas", "delvis_undantagen"):
        name = cat.policy.response_time(record["response_time"]).name(lang)
        parts.append(t("wording.response_time", lang, response_time=name))
    if outcome == "avvaktar" and record.get("analysis_expected"):
        parts.append(t("wording.analysis_expected", lang, date=record["analysis_expected"]))
    for d in record.get("deviations", []):
        said = deviation_words(d["code"], d["recommended"], d["chosen"], cat, lang, words)
        why = (d.get("justification") or "").strip()  # empty only while still being written
        if why:
            parts.append(t("wording.deviation", lang, deviation=said, justification=sentence(why)))
        else:
            parts.append(t("wording.deviation_unjustified", lang, deviation=said))
    return " ".join(parts)


def sentence(text: str) -> str:
    """A person's text as a sentence of the decision text: ended, so the next one begins."""
    text = text.strip()
    return text if text.endswith((".", "!", "?", ":")) else text + "."


def deviation_words(
    code: str, recommended: str, chosen: str, cat: Catalog, lang: str, words: Words
) -> str:
    """A deviation from the recommendation in words: another variant, another outcome, the
    whole unit exempted, the lowest level exempted (BELOW_MINIMUM)."""
    t = words
    if code == "variant":
        return t(
            "deviation.variant",
            lang,
            recommended=cat.variant(recommended).name(lang)
            if recommended
            else t("overview.no_variant", lang),
            chosen=cat.variant(chosen).name(lang),
        )
    if code == "utfall":
        return t(
            "deviation.utfall",
            lang,
            recommended=t(f"decision.{recommended}", lang),
            chosen=t(f"decision.{chosen}", lang),
        )
    if code == BELOW_MINIMUM:
        return t("deviation.lagstaniva", lang)
    return t(f"deviation.{code}", lang)  # undantag
