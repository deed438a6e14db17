"""The baseline policy as small pure functions: a unit in, a recommendation with its trace out.

The words of every rule live in data/catalog/regler.yaml; this module decides which fire.
"""

from __future__ import annotations

import datetime as dt
import operator

from logic.domain.catalog import Catalog
from logic.domain.codes import DeadlineStatus, RecommendedOutcome
from logic.domain.models import ChecklistItem, Reason, Recommendation, Unit


def scope_rule(unit: Unit) -> str:
    """Which scope rule applies: care-providing units and non-care units with a contact card."""
    if unit.vardutforande:
        return "omfattas_vue"
    if unit.kontaktkort:
        return "omfattas_kontaktkort"
    return "ej_omfattad"


def awaits_contract_analysis(unit: Unit) -> bool:
    return unit.driftsform == "avtal_upphandlad" and unit.avtalsanalys_klar is not True


def outcome_of(unit: Unit) -> RecommendedOutcome:
    if scope_rule(unit) == "ej_omfattad":
        return "ej_omfattad"
    if awaits_contract_analysis(unit):
        return "avvaktar_avtalsanalys"
    if not unit.patientkontakt:
        return "prova_undantag"
    return "omfattas"


def facts(unit: Unit) -> dict[str, str]:
    """The unit's facts as the unit file writes them ("ja"/"nej" for booleans), for the
    conditions in the reference data."""
    return {
        field: ("ja" if value else "nej") if isinstance(value, bool) else str(value)
        for field, value in unit.model_dump().items()
        if isinstance(value, bool | str)
    }


def assign_variant(unit: Unit, catalog: Catalog) -> tuple[str, str]:
    """(variant, rule id): the first assignment in varianter.yaml whose conditions hold."""
    facts_of_unit = facts(unit)
    # The catalog guarantees that every combination matches some assignment.
    chosen = next(a for a in catalog.assignment if a.matches(facts_of_unit))
    return chosen.variant, chosen.rule


def deadline_status(
    in_scope: bool, has_kontakt: bool, deadline: dt.date, today: dt.date
) -> DeadlineStatus:
    if not in_scope:
        return "ej_tillamplig"
    if has_kontakt:
        return "uppfylld"
    return "inom_frist" if today <= deadline else "forsenad"


def recommend(
    unit: Unit, catalog: Catalog, today: dt.date, variant: str | None = None
) -> Recommendation:
    """The recommendation for one unit on `today` (the region's day): outcome, variant,
    required and missing services, why.

    `variant` applies the assessor's choice instead of the recommended variant (for what a
    decision with another variant requires); the trace then says so."""
    chosen_variant = variant
    fired: list[tuple[str, tuple[str, ...]]] = []
    checklist: list[tuple[str, tuple[str, ...]]] = []

    def fire(rule_id: str, detail: tuple[str, ...] = ()) -> None:
        fired.append((rule_id, detail))
        if catalog.rule(rule_id).checklist is not None:
            checklist.append((rule_id, detail))

    scope = scope_rule(unit)
    fire(scope)
    outcome = outcome_of(unit)
    in_scope = outcome != "ej_omfattad"

    variant: str | None = None
    required: set[str] = set()
    outside: tuple[str, ...] = ()
    also_relevant: tuple[str, ...] = ()
    if in_scope:
        if outcome == "avvaktar_avtalsanalys":
            fire("avvaktar_avtalsanalys")
        if outcome == "prova_undantag":
            fire("prova_undantag")
        if not unit.kontaktkort:
            fire("saknar_kontaktkort")

        variant, variant_rule = assign_variant(unit, catalog)
        fire(variant_rule, (variant,))
        if chosen_variant is not None and chosen_variant != variant:
            variant = chosen_variant
            fire("variant_vald", (variant,))
        info = catalog.variant(variant)

        required.add("kontakt")
        fire("minsta_niva_kontakt", ("kontakt",))
        if unit.telefon_papper:
            required.update(unit.telefon_papper)
            fire("telefon_papper", unit.telefon_papper)
        in_variant = set(info.case_types) | set(info.also_relevant)
        outside = tuple(c for c in unit.telefon_papper if c not in in_variant)
        if outside:
            fire("utanfor_variant", outside)
        if unit.bokar_besok and "av_omboka" in info.case_types:
            required.add("av_omboka")
            fire("bokar_besok", ("av_omboka",))
        if variant == "avdelning":
            fire("avdelning_anhoriga")
        fire("frist_digital_kontakt", ("kontakt",))
        also_relevant = tuple(
            c for c in info.also_relevant if c not in required and c not in unit.e_tjanster
        )

    required_sorted = tuple(sorted(required))
    reasons = tuple(
        Reason(rule_id=r, text=catalog.rule(r).text, source=catalog.rule(r).source, detail=d)
        for r, d in fired
    )
    return Recommendation(
        hsa_id=unit.hsa_id,
        outcome=outcome,
        variant=variant,
        required=required_sorted,
        missing=tuple(c for c in required_sorted if c not in unit.e_tjanster),
        outside_variant=outside,
        also_relevant=also_relevant,
        deadline_status=deadline_status(
            in_scope, "kontakt" in unit.e_tjanster, catalog.policy.deadline_digital_kontakt, today
        ),
        checklist=tuple(
            ChecklistItem(rule_id=r, text=catalog.rule(r).checklist, detail=d)  # type: ignore[arg-type]
            for r, d in checklist
        ),
        reasons=reasons,
        catalog_version=catalog.version,
    )


# The facts the rules read (everything but the unit's identity and names).
FACTS: tuple[str, ...] = tuple(
    name
    for name in Unit.model_fields
    if name not in ("hsa_id", "namn", "forvaltning", "regionala_mallar")
)


_FACTS_OF = operator.attrgetter(*FACTS)  # a unit's facts as one tuple (attrgetter: in C)


class Recommendations:
    """The rules run once per distinct set of facts (a region has a few hundred), not once
    per unit: the register keeps only a recommendation's outcome, variant and missing."""

    def __init__(self, cat: Catalog, today: dt.date) -> None:
        self.cat, self.today = cat, today
        self.known: dict[tuple[object, ...], Recommendation] = {}

    def __call__(self, unit: Unit) -> Recommendation:
        facts = _FACTS_OF(unit)
        if facts not in self.known:
            self.known[facts] = recommend(unit, self.cat, self.today)
        return self.known[facts]
