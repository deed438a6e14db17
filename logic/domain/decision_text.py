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
        grounds = [cat.ground(g).name(lang) for g in ex["grounds"]]
        if ex.get("other_ground"):
            grounds.append(ex["other_ground"])
        parts.append(t("wording.grounds", lang, grounds="; ".join(grounds) or t("rec.none", lang)))
        if ex.get("review_date"):
            parts.append(t("wording.review", lang, date=ex["review_date"]))
    if record.get("response_time") and outcome in ("omfattas", "delvis_undantagen"):
        name = cat.policy.response_time(record["response_time"]).name(lang)
        parts.append(t("wording.response_time", lang, response_time=name))
    if outcome == "avvaktar" and record.get("analysis_expected"):
        parts.append(t("wording.analysis_expected", lang, date=record["analysis_expected"]))
    if any(d["code"] == BELOW_MINIMUM for d in record.get("deviations", [])):
        parts.append(t("wording.below_minimum", lang))
    return " ".join(parts)
