"""Reference data as types: case types, baseline variants, exemption grounds, rule texts,
policy. The catalog is loaded from data/catalog/ by logic.files.reference_data; its
`version` (a hash of the files) is stored with every recommendation and revision.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from logic.domain.codes import (
    CASE_TYPES,
    ENHETSTYPER,
    MINIMUM,
    VARIANTS,
    VERKSAMHETER,
    CaseType,
    Variant,
)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A user-facing text in each UI language."""

    sv: str
    en: str

    def __call__(self, lang: str) -> str:
        return self.en if lang == "en" else self.sv


class ResponseTimeOption(Strict):
    code: str
    name: Text
    within_goal: bool


class Policy(Strict):
    deadline_digital_kontakt: dt.date
    review_default_months: int
    review_max_months: int
    response_time_goal: Text
    response_times: tuple[ResponseTimeOption, ...]

    def response_time(self, code: str) -> ResponseTimeOption:
        return next(r for r in self.response_times if r.code == code)


class CaseTypeInfo(Strict):
    code: CaseType
    name: Text
    description: Text


class VariantInfo(Strict):
    code: Variant
    name: Text
    case_types: tuple[CaseType, ...]
    also_relevant: tuple[CaseType, ...] = ()


class Assignment(Strict):
    when: dict[Literal["vardutforande", "enhetstyp", "verksamhet"], str]
    variant: Variant
    rule: str

    def matches(self, facts: dict[str, str]) -> bool:
        return all(facts.get(k) == v for k, v in self.when.items())


class Variants(Strict):
    variants: tuple[VariantInfo, ...]
    assignment: tuple[Assignment, ...]


class Ground(Strict):
    code: str
    name: Text
    basis: Literal["kalla", "bedomning"]
    applies_to: tuple[Literal["enhet", "arendetyp"], ...]
    needs_text: bool = False
    # Offered only for units with these facts, e.g. {kontaktkort: nej}; values as in the file.
    only_if: dict[Literal["kontaktkort", "verksamhet", "bokar_besok", "patientkontakt"], str] = {}

    def offered_for(self, facts: dict[str, str]) -> bool:
        return all(facts.get(k) == v for k, v in self.only_if.items())


class Rule(Strict):
    id: str
    text: Text
    source: str
    checklist: Text | None = None


class Deadline(Strict):
    """A date in a template's timetable: by then units must have the e-service in place on
    the regional template; for one administration, or (forvaltning empty) region-wide."""

    deadline: dt.date
    forvaltning: str | None = None


class Template(Strict):
    """A case type's regional template (mall) and its timetable, kept by the regional team.
    `example`: sample data, said so wherever it is shown."""

    case_type: CaseType
    name: str
    version: str
    example: bool = False
    timetable: tuple[Deadline, ...] = ()

    @model_validator(mode="after")
    def _one_date_each(self) -> Template:
        scopes = [d.forvaltning for d in self.timetable]
        if len(set(scopes)) != len(scopes):
            raise ValueError(
                f"{self.case_type}: one deadline per administration, and one region-wide"
            )
        return self


class Catalog(Strict):
    version: str
    policy: Policy
    case_types: tuple[CaseTypeInfo, ...]
    variants: tuple[VariantInfo, ...]
    assignment: tuple[Assignment, ...]
    grounds: tuple[Ground, ...]
    rules: tuple[Rule, ...]
    templates: tuple[Template, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Catalog:
        def exactly(kind: str, found: list[str], expected: tuple[str, ...]) -> None:
            if sorted(found) != sorted(expected):
                raise ValueError(f"{kind}: expected exactly {', '.join(expected)}; got {found}")

        exactly("arendetyper.yaml codes", [c.code for c in self.case_types], CASE_TYPES)
        exactly("varianter.yaml variants", [v.code for v in self.variants], VARIANTS)
        rule_ids = [r.id for r in self.rules]
        if len(set(rule_ids)) != len(rule_ids):
            raise ValueError("regler.yaml: rule ids must be unique")
        for a in self.assignment:
            if a.rule not in rule_ids:
                raise ValueError(f"varianter.yaml assignment: unknown rule {a.rule!r}")
        templated = [m.case_type for m in self.templates]
        if len(set(templated)) != len(templated):
            raise ValueError("mallar.yaml: one template per case type")
        for m in self.templates:
            late = [d for d in m.timetable if d.deadline > self.policy.deadline_digital_kontakt]
            if m.case_type == MINIMUM and late:  # the seed's date for digital contact
                raise ValueError(
                    f"mallar.yaml {MINIMUM}: no deadline after "
                    f"{self.policy.deadline_digital_kontakt} (policy.yaml)"
                )
        for v in self.variants:
            if "kontakt" not in v.case_types:
                raise ValueError(f"varianter.yaml {v.code}: every variant must contain kontakt")
        # Every unit must get a variant: check all combinations once, here, not per unit.
        for vu, et, vh in itertools.product(("ja", "nej"), ENHETSTYPER, VERKSAMHETER):
            facts = {"vardutforande": vu, "enhetstyp": et, "verksamhet": vh}
            if not any(a.matches(facts) for a in self.assignment):
                raise ValueError(f"varianter.yaml assignment: no variant for {facts}")
        return self

    # Lookups, by code. Small tuples: a linear scan is cheaper than keeping dicts in sync.
    def rule(self, rule_id: str) -> Rule:
        return next(r for r in self.rules if r.id == rule_id)

    def variant(self, code: str) -> VariantInfo:
        return next(v for v in self.variants if v.code == code)

    def case_type(self, code: str) -> CaseTypeInfo:
        return next(c for c in self.case_types if c.code == code)

    def ground(self, code: str) -> Ground:
        return next(g for g in self.grounds if g.code == code)

    def template(self, case_type: str) -> Template | None:
        return next((m for m in self.templates if m.case_type == case_type), None)

    def timetable_administrations(self) -> set[str]:
        """Every administration a timetable names (to check against the register's)."""
        return {d.forvaltning for m in self.templates for d in m.timetable if d.forvaltning}

    def deadline_scope(self, case_type: str, forvaltning: str) -> str:
        """Whose date `deadline` gives: the administration's own, or "" (the region's, or
        the policy's for digital contact)."""
        template = self.template(case_type)
        own = template is not None and any(d.forvaltning == forvaltning for d in template.timetable)
        return forvaltning if own else ""

    def deadline(self, case_type: str, forvaltning: str) -> dt.date | None:
        """The date by which a unit of this administration must have the case type's
        e-service in place: its administration's date in the timetable, else the
        region-wide one; for digital contact (kontakt) at the latest the policy's date."""
        template = self.template(case_type)
        dates = {d.forvaltning: d.deadline for d in template.timetable} if template else {}
        found = dates.get(forvaltning, dates.get(None))
        if case_type == MINIMUM:
            return found or self.policy.deadline_digital_kontakt
        return found
