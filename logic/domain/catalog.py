"""Reference data as types: case types, baseline variants, exemption grounds, rule texts,
policy. The catalog is loaded from data/catalog/ by logic.files.reference_data; its
`version` (a hash of the files) is stored with every recommendation and revision.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Literal

from pydantic import BaseModel, ConfigDict, model_validator

from logic.domain.codes import CASE_TYPES, ENHETSTYPER, VARIANTS, VERKSAMHETER, CaseType, Variant


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


class Catalog(Strict):
    version: str
    policy: Policy
    case_types: tuple[CaseTypeInfo, ...]
    variants: tuple[VariantInfo, ...]
    assignment: tuple[Assignment, ...]
    grounds: tuple[Ground, ...]
    rules: tuple[Rule, ...]

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
