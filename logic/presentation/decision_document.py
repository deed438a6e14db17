"""A decision as a document for a reader outside the tool (the unit, the registry, an auditor
years later): everything the revision holds, in words, with who prepared and who approved
it, and what seals it (its content hash and catalog version). Made from the stored revision
and the verdict on it alone, so the same revision makes the same document.
logic/files/decision_document.py lays it out as PDF."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from logic.domain.catalog import Catalog
from logic.domain.decision_text import deviation_words
from logic.domain.record import StoredRevision, StoredVerdict
from logic.i18n import t
from logic.presentation import labels
from logic.presentation.frames import local_time

# The status said on every page of a document whose decision is not in force.
NOT_IN_FORCE = {None: "document.status_pending", "aterremitterad": "document.status_returned"}


@dataclass(frozen=True)
class Part:
    heading: str
    rows: tuple[tuple[str, str], ...] = ()  # (label, value), a value may span lines
    paragraphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class DecisionDocument:
    title: str
    status: str  # "" when approved; else said on every page
    parts: tuple[Part, ...]
    footer: str  # the unit, the revision and its hash: on every page
    made_at: dt.datetime  # the document says it was made then: the same revision, same bytes
    lang: str


def decision_document(
    revision: StoredRevision,
    verdict: StoredVerdict | None,
    cat: Catalog,
    lang: str,
    tz: Any,
) -> DecisionDocument:
    d = revision.decision
    ex = d.get("exemption") or {}
    unit = revision.inputs
    name = str(unit.get("namn", ""))
    approved = verdict is not None and verdict.verdict == "faststalld"
    status = "" if approved else t(NOT_IN_FORCE[verdict.verdict if verdict else None], lang)

    def case_types(codes: Any) -> str:
        return labels.case_types(codes or (), cat, lang)

    parts = [
        Part(
            t("document.unit", lang),
            (
                (t("field.namn", lang), name),
                (t("field.hsa_id", lang), revision.hsa_id),
                (t("field.forvaltning", lang), str(unit.get("forvaltning", ""))),
            ),
        ),
        Part(
            t("document.decision", lang),
            ((t("document.outcome", lang), t(f"decision.{revision.outcome}", lang)),),
            (str(d.get("decision_text", "")),),
        ),
    ]
    if revision.outcome in ("omfattas", "delvis_undantagen", "avvaktar"):
        parts.append(
            Part(
                t("document.e_services", lang),
                (
                    (t("document.variant", lang), labels.variant(revision.variant, cat, lang)),
                    (t("rec.required", lang), case_types(d.get("required"))),
                    (t("rec.missing", lang), case_types(d.get("missing"))),
                    *(
                        ((t("document.response_time", lang), _response_time(d, cat, lang)),)
                        if d.get("response_time")
                        else ()
                    ),
                ),
            )
        )
    if ex.get("scope", "ingen") != "ingen":
        grounds = [
            ex.get("other_ground") if g == "annat" else cat.ground(g).name(lang)
            for g in ex.get("grounds", ())
        ]
        rows = [(t("document.exempted", lang), _exempted(ex, case_types, lang))]
        rows.append((t("document.grounds", lang), "\n".join(str(g) for g in grounds)))
        rows.append((t("document.exemption_rationale", lang), str(ex.get("rationale", ""))))
        rows.append((t("document.review_date", lang), str(ex.get("review_date") or "")))
        parts.append(Part(t("wizard.exemption.scope", lang), tuple(rows)))
    if d.get("analysis_expected"):
        parts.append(
            Part(
                t("document.waiting", lang),
                ((t("wizard.beslut.analysis_expected", lang), str(d["analysis_expected"])),),
            )
        )
    parts.append(Part(t("wizard.beslut.rationale", lang), (), (str(d.get("rationale", "")),)))
    if d.get("remark"):
        parts.append(Part(t("document.remark", lang), (), (str(d["remark"]),)))
    deviations = d.get("deviations") or []
    if deviations:
        parts.append(
            Part(
                t("wizard.beslut.deviations", lang),
                tuple(
                    (
                        _sentence_case(
                            deviation_words(x["code"], x["recommended"], x["chosen"], cat, lang, t)
                        ),
                        str(x.get("justification", "")),
                    )
                    for x in deviations
                ),
            )
        )
    parts.append(Part(t("document.basis", lang), (), _basis(revision, lang)))
    parts.append(_who(revision, verdict, lang, tz))
    parts.append(
        Part(
            t("document.sealed", lang),
            (
                (t("document.revision", lang), str(revision.revision)),
                (t("document.content_hash", lang), revision.content_hash),
                (t("document.catalog_version", lang), revision.catalog_version),
            ),
            (t("document.sealed_text", lang),),
        )
    )
    title = t("document.title", lang, unit=name)
    footer = t(
        "document.footer",
        lang,
        unit=name,
        hsa_id=revision.hsa_id,
        revision=revision.revision,
        hash=revision.content_hash[:16],
    )
    made_at = verdict.at if verdict is not None else revision.created_at
    return DecisionDocument(title, status, tuple(parts), footer, made_at, lang)


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def _response_time(d: dict[str, Any], cat: Catalog, lang: str) -> str:
    return cat.policy.response_time(d["response_time"]).name(lang)


def _exempted(ex: dict[str, Any], case_types: Any, lang: str) -> str:
    if ex.get("scope") == "hela_enheten":
        return t("document.whole_unit", lang)
    return str(case_types(ex.get("case_types")))


def _basis(revision: StoredRevision, lang: str) -> tuple[str, ...]:
    """What the decision rests on: the region's decision, the law on contacts with the
    public, and for a ward the confidentiality of patients' circumstances."""
    basis = [t("document.basis_region", lang), t("document.basis_fl", lang)]
    if revision.variant == "avdelning":
        basis.append(t("document.basis_osl", lang))
    return tuple(basis)


def _who(revision: StoredRevision, verdict: StoredVerdict | None, lang: str, tz: Any) -> Part:
    editors = [e for e in revision.decision.get("editors", []) if e != revision.author]
    rows = [
        (t("document.prepared_by", lang), revision.author),
        (t("document.submitted", lang), local_time(revision.created_at, tz)),
    ]
    if editors:
        rows.append((t("document.also_wrote", lang), "\n".join(editors)))
    if verdict is None:
        rows.append((t("document.approved_by", lang), t("document.not_approved", lang)))
    else:
        kind = "approved_by" if verdict.verdict == "faststalld" else "returned_by"
        rows.append((t(f"document.{kind}", lang), verdict.approver))
        rows.append((t("document.verdict_at", lang), local_time(verdict.at, tz)))
        if verdict.comment:
            rows.append((t("document.verdict_comment", lang), verdict.comment))
    return Part(t("document.who", lang), tuple(rows))
