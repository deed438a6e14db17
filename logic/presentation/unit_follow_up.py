"""One unit's follow-up as of a date, on one page, for the unit's own verksamhetsuppföljning
(the region's decision: the roll-out "följs upp i respektive enhets verksamhetsuppföljning"):
the decision in force, what it requires and what is missing, each e-service's roll-out with
its deadline and whether it was in place on time, and whether the figures rest on the unit's
own report. Laid out as the decision document is (logic/files/decision_document.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from logic.domain.catalog import Catalog
from logic.domain.record import StoredRevision
from logic.domain.register import RegisterRow
from logic.domain.rollout import RolloutRow
from logic.domain.unit_reports import Reported
from logic.i18n import t
from logic.presentation import labels
from logic.presentation.decision_document import DecisionDocument, Part
from logic.presentation.frames import local_time


def unit_follow_up(
    unit: RegisterRow,
    in_force: StoredRevision | None,
    rollout: Sequence[RolloutRow],
    reported: Reported | None,
    as_of: dt.date,
    made_at: dt.datetime,
    cat: Catalog,
    lang: str,
    tz: Any,
) -> DecisionDocument:
    parts = [
        Part(
            t("document.unit", lang),
            (
                (t("field.namn", lang), unit.namn),
                (t("field.hsa_id", lang), unit.hsa_id),
                (t("field.forvaltning", lang), unit.forvaltning),
            ),
        ),
        _decision(in_force, cat, lang),
        Part(
            t("follow_up_unit.rollout", lang, as_of=as_of.isoformat()),
            tuple(_rollout_row(r, cat, lang) for r in rollout)
            or ((t("rollout.unit_none", lang), ""),),
            (
                t("report.pending", lang, day=reported.observed.isoformat(), by=reported.by)
                if reported is not None
                else t("follow_up_unit.from_file", lang),
            ),
        ),
    ]
    title = t("follow_up_unit.title", lang, unit=unit.namn, as_of=as_of.isoformat())
    made = t("follow_up_unit.made", lang, made=local_time(made_at, tz))
    return DecisionDocument(
        title=title,
        status="",
        parts=tuple(parts),
        footer=f"{unit.hsa_id} · {made}",
        made_at=made_at,
        lang=lang,
    )


def _decision(in_force: StoredRevision | None, cat: Catalog, lang: str) -> Part:
    heading = t("follow_up_unit.decision", lang)
    if in_force is None:
        return Part(heading, (), (t("follow_up_unit.no_decision", lang),))
    d = in_force.decision
    ex = d.get("exemption") or {}
    review = ex.get("review_date") if ex.get("scope", "ingen") != "ingen" else None
    rows = [
        (t("document.outcome", lang), t(f"decision.{in_force.outcome}", lang)),
        (t("document.variant", lang), labels.variant(in_force.variant, cat, lang)),
        (t("rec.required", lang), labels.case_types(d.get("required") or (), cat, lang)),
        (t("rec.missing", lang), labels.case_types(d.get("missing") or (), cat, lang)),
    ]
    if d.get("response_time"):
        commitment = cat.policy.response_time(d["response_time"]).name(lang)
        rows.append((t("document.response_time", lang), commitment))
    if review or d.get("analysis_expected"):
        rows.append((t("document.review_date", lang), str(review or d["analysis_expected"])))
    rows.append((t("follow_up_unit.revision", lang), str(in_force.revision)))
    return Part(heading, tuple(rows))


def _rollout_row(r: RolloutRow, cat: Catalog, lang: str) -> tuple[str, str]:
    """One e-service: its status, its deadline and whether it was in place by then."""
    said = [t(f"rollout.status.{r.status}", lang)]
    if r.frist is not None:
        said.append(f"{t('rollout.col.frist', lang)} {r.frist.isoformat()}")
        said.append(f"{t('rollout.col.i_tid', lang)}: {t(f'rollout.i_tid.{r.i_tid}', lang)}")
    if r.infort_senast is not None:
        said.append(f"{t('rollout.col.infort_senast', lang)} {r.infort_senast.isoformat()}")
    return cat.case_type(r.arendetyp).name(lang), " · ".join(said)
