"""The tables people read: register rows, follow-up aggregates and a decision's details,
as DataFrames with the words of the chosen language. Charts draw from the same frames, so
every chart's data table shows exactly what the chart shows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from logic.domain.assessment import WARD_ITEMS, Deviation
from logic.domain.catalog import Catalog
from logic.domain.follow_up import (
    COUNTS,
    FollowUpRow,
    OutcomeCount,
)
from logic.domain.record import StoredRevision
from logic.domain.register import NOT_ASSESSED, RegisterRow
from logic.i18n import t
from logic.presentation import labels

# (label col.<key>, RegisterRow field). What a reader scans for first stands first (the
# table scrolls sideways at the end).
REGISTER_COLUMNS = (
    ("namn", "namn"),
    ("forvaltning", "forvaltning"),
    ("utfall", "outcome"),
    ("beslutsstatus", "status"),
    ("faststalld_revision", "in_force_revision"),
    ("faststalld_av", "in_force_approver"),
    ("variant", "variant"),
    ("saknas", "missing"),
    ("omprovas", "review_date"),
    ("beslutad_av", "author"),
    ("beslutad", "submitted_at"),
    ("revision", "revision"),
    ("avviker", "deviates"),
    ("under_lagstaniva", "below_minimum"),
    ("hsa_id", "hsa_id"),
)
REPORT_COLUMNS = (
    "forvaltning",
    "enheter",
    "ej_bedomda",
    "for_beslut",
    "faststallda",
    "aterremitterade",
    "med_faststallt_beslut",
    "omfattas",
    "undantagna",
    "delvis_undantagna",
    "avvaktar",
    "ej_omfattade",
    "omprovning_forsenad",
    "omprovas_30",
    "omprovas_90",
    "avviker",
    "under_lagstaniva",
)


def outcome_name(code: str | None, lang: str) -> str:
    return t(f"decision.{code or NOT_ASSESSED}", lang)


def local_time(moment: dt.datetime | None, tz: Any) -> str:
    if moment is None:
        return ""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def register_frame(rows: list[RegisterRow], cat: Catalog, lang: str, tz: Any) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            t(f"col.{label}", lang): [
                _register_cell(field, getattr(r, field), cat, lang, tz) for r in rows
            ]
            for label, field in REGISTER_COLUMNS
        }
    )
    for column in ("col.revision", "col.faststalld_revision"):  # a number, or "–" for none
        frame[t(column, lang)] = [
            labels.NONE if pd.isna(n) else str(int(n)) for n in frame[t(column, lang)]
        ]
    return frame


def _register_cell(field: str, value: Any, cat: Catalog, lang: str, tz: Any) -> Any:
    if field == "outcome":
        return outcome_name(value, lang)
    if field == "variant":
        return labels.variant(value, cat, lang) if value else ""
    if field == "missing":
        return labels.case_types(value, cat, lang) if value else ""
    if field == "submitted_at":
        return local_time(value, tz)
    if field in ("deviates", "below_minimum"):
        return "" if value is None else labels.yes_no(bool(value), lang)
    if field == "status":
        return t(f"status.{value}", lang) if value else ""
    if field == "review_date":
        return value.isoformat() if value else ""
    if field in ("revision", "in_force_revision"):
        return value
    return "" if value is None else value


def outcomes_frame(rows: list[OutcomeCount], lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("follow_up.forvaltning", lang): [r.forvaltning for r in rows],
            t("register.f_utfall", lang): [outcome_name(r.outcome, lang) for r in rows],
            t("follow_up.col_count", lang): [int(r.count) for r in rows],
        }
    )


def grounds_frame(counts: dict[str, int], cat: Catalog, lang: str) -> pd.DataFrame:
    used = [(code, n) for code, n in counts.items() if n]
    return pd.DataFrame(
        {
            t("follow_up.col_ground", lang): [cat.ground(code).name(lang) for code, _ in used],
            t("follow_up.col_count", lang): [n for _, n in used],
        }
    )


def reviews_frame(report: list[FollowUpRow], lang: str) -> pd.DataFrame:
    kinds = (
        ("forsenad", "omprovning_forsenad"),
        ("inom_30", "omprovas_30"),
        ("inom_90", "omprovas_90"),
    )
    return pd.DataFrame(
        {
            t("follow_up.col_kind", lang): [t(f"review.{k}", lang) for k, _ in kinds],
            t("follow_up.col_count", lang): [
                sum(getattr(r, column) for r in report) for _, column in kinds
            ],
        }
    )


def report_frame(report: list[FollowUpRow], lang: str) -> pd.DataFrame:
    """One row per administration, and a total for the region when there are several."""
    rows = list(report)
    if len(rows) > 1:
        total = {c: sum(getattr(r, c) for r in rows) for c in COUNTS}
        rows.append(FollowUpRow(forvaltning=t("report.total", lang), **total))
    return pd.DataFrame(
        {t(f"report.{c}", lang): [getattr(r, c) for r in rows] for c in REPORT_COLUMNS}
    )


def revision_lines(revision: StoredRevision, cat: Catalog, lang: str) -> pd.DataFrame:
    """A recorded decision in full, as (item, value) rows."""
    d = revision.decision
    ex = d.get("exemption", {})
    grounds = ", ".join(cat.ground(g).name(lang) for g in ex.get("grounds", []))
    scope = ex.get("scope", "ingen")
    lines = [
        (t("col.utfall", lang), outcome_name(revision.outcome, lang)),
        (t("col.variant", lang), labels.variant(revision.variant, cat, lang)),
        (t("rec.required", lang), labels.case_types(d.get("required", []), cat, lang)),
        (t("rec.missing", lang), labels.case_types(d.get("missing", []), cat, lang)),
        (t("wizard.exemption.scope", lang), t(f"exemption.{scope}", lang)),
    ]
    if d.get("variant_justification"):
        lines.insert(2, (t("wizard.variant.justification", lang), d["variant_justification"]))
    if scope != "ingen":  # the exemption's particulars only where there is one
        if ex.get("case_types"):
            lines.append(
                (
                    t("wizard.exemption.case_types", lang),
                    labels.case_types(ex["case_types"], cat, lang),
                )
            )
        if ex.get("other_ground"):
            lines.append((t("wizard.exemption.other", lang), ex["other_ground"]))
        lines += [
            (t("wizard.exemption.grounds", lang), grounds),
            (t("wizard.exemption.rationale", lang), ex.get("rationale") or ""),
            (t("wizard.exemption.review_date", lang), ex.get("review_date") or ""),
        ]
    response_time = d.get("response_time") or ""
    lines.append(
        (
            t("wizard.svarstid.choose", lang),
            field_value("decision.response_time", response_time, cat, lang) or "–",
        )
    )
    if response_time and not cat.policy.response_time(response_time).within_goal:
        lines.append(
            (
                t("wizard.svarstid.informed", lang),
                labels.yes_no(bool(d.get("citizen_informed")), lang),
            )
        )
    lines += [
        (t("wizard.beslut.text", lang), d.get("decision_text", "")),
        (t("wizard.beslut.rationale", lang), d.get("rationale", "")),
        (t("wizard.beslut.remark", lang), d.get("remark", "")),
        (
            t("wizard.beslut.deviations", lang),
            "; ".join(deviation_line(x, cat, lang) for x in d.get("deviations", []))
            or t("wizard.beslut.no_deviations", lang),
        ),
        (t("col.beslutad_av", lang), revision.author),
        (t("col.revision", lang), str(revision.revision)),
    ]
    if revision.variant == "avdelning":  # the ward checklist the decision confirms
        ward = d.get("ward", {})
        lines += [  # as recorded: a decision before the four parts had one relatives' box
            (t(f"wizard.ward.{item}", lang), labels.yes_no(ward.get(item), lang))
            for item in (*WARD_ITEMS, "relatives_routine")
            if item in ward
        ]
    if d.get("corrections"):  # what the assessor corrected in the unit's facts
        lines += [
            (
                t("wizard.corrections", lang),
                "; ".join(
                    f"{t(f'field.{f}', lang)}: {labels.fact(f, old, cat, lang)} → "
                    f"{labels.fact(f, new, cat, lang)}"
                    for f, (old, new) in d["corrections"].items()
                ),
            ),
            (
                t("wizard.beslut.update_register", lang),
                labels.yes_no(bool(d.get("update_register")), lang),
            ),
        ]
    return pd.DataFrame(
        lines, columns=[t("wizard.summary_item", lang), t("wizard.summary_value", lang)]
    )


# Readable names for the fields of a revision, for the diff (others keep their path).
FIELD_LABELS = {
    "decision.outcome": "col.utfall",
    "decision.variant": "col.variant",
    "decision.variant_justification": "wizard.variant.justification",
    "decision.decision_text": "wizard.beslut.text",
    "decision.rationale": "wizard.beslut.rationale",
    "decision.remark": "wizard.beslut.remark",
    "decision.required": "rec.required",
    "decision.missing": "rec.missing",
    "decision.response_time": "wizard.svarstid.choose",
    "decision.citizen_informed": "wizard.svarstid.informed",
    "decision.exemption.scope": "wizard.exemption.scope",
    "decision.exemption.case_types": "wizard.exemption.case_types",
    "decision.exemption.grounds": "wizard.exemption.grounds",
    "decision.exemption.other_ground": "wizard.exemption.other",
    "decision.exemption.rationale": "wizard.exemption.rationale",
    "decision.exemption.review_date": "wizard.exemption.review_date",
    **{f"decision.ward.{item}": f"wizard.ward.{item}" for item in WARD_ITEMS},
    "decision.ward.relatives_routine": "wizard.ward.relatives_routine",
    "decision.deviations": "wizard.beslut.deviations",
    "decision.justifications": "register.justifications",
    "decision.corrections": "wizard.corrections",
    "decision.update_register": "wizard.beslut.update_register",
    "decision.analysis_expected": "wizard.beslut.analysis_expected",
    "decision.editors": "register.editors",
    "catalog_version": "register.catalog_version",
}
CASE_TYPE_LISTS = {"decision.required", "decision.missing", "decision.exemption.case_types"}


def field_label(path: str, lang: str) -> str:
    """ "decision.rationale" -> "Motivering"; "inputs.namn" -> "Namn (enhetens uppgifter)"."""
    if path in FIELD_LABELS:
        return t(FIELD_LABELS[path], lang)
    if path.startswith("inputs."):
        return t("register.unit_fact", lang, field=t(f"field.{path.removeprefix('inputs.')}", lang))
    return path


def field_value(path: str, value: Any, cat: Catalog, lang: str) -> str:
    """A diffed value in words: names for codes ("samma_vardag" -> "Senast samma vardag"),
    Ja/Nej for yes and no, deviations and corrections in sentences; nothing for nothing."""
    if value in (None, "", [], {}):
        return labels.NONE
    if isinstance(value, bool):
        return labels.yes_no(value, lang)
    if path.startswith("inputs."):
        return labels.fact(path.removeprefix("inputs."), value, cat, lang)
    if path in CASE_TYPE_LISTS:
        return labels.case_types(value, cat, lang)
    if path == "decision.exemption.grounds":
        return ", ".join(cat.ground(g).name(lang) for g in value)
    if path == "decision.deviations":
        return "; ".join(deviation_line(d, cat, lang) for d in value)
    if path == "decision.justifications":
        return "; ".join(
            f"{t(f'deviation.name.{code}', lang)}: {text}" for code, text in value.items() if text
        )
    if path == "decision.corrections":
        return "; ".join(
            f"{t(f'field.{f}', lang)}: {labels.fact(f, old, cat, lang)} → "
            f"{labels.fact(f, new, cat, lang)}"
            for f, (old, new) in value.items()
        )
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if path == "decision.response_time":
        return cat.policy.response_time(value).name(lang)
    if path == "decision.outcome":
        return outcome_name(value, lang)
    if path == "decision.variant":
        return labels.variant(value, cat, lang)
    if path == "decision.exemption.scope":
        return t(f"exemption.{value}", lang)
    return str(value)


def deviation_line(d: dict[str, Any], cat: Catalog, lang: str) -> str:
    """A recorded deviation in words, with its justification."""
    fields = {k: d.get(k, "") for k in ("code", "recommended", "chosen")}
    said = labels.deviation(Deviation(**fields), cat, lang)
    return f"{said} ({d['justification']})" if d.get("justification") else said


def unit_fact_lines(revision: StoredRevision, cat: Catalog, lang: str) -> pd.DataFrame:
    """The unit's facts as the assessor confirmed them (part of what an approval covers)."""
    return pd.DataFrame(
        [
            (t(f"field.{field}", lang), labels.fact(field, value, cat, lang))
            for field, value in revision.inputs.items()
        ],
        columns=[t("wizard.summary_item", lang), t("wizard.summary_value", lang)],
    )
