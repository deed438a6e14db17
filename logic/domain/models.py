"""Domain models: pure data, validated with pydantic at the edges."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator

from logic.domain.catalog import Text
from logic.domain.codes import (
    CASE_TYPES,
    CaseType,
    DeadlineStatus,
    Driftsform,
    Enhetstyp,
    RecommendedOutcome,
    Variant,
    Verksamhet,
)
from logic.domain.text import contains_personnummer, invisible_characters

# SE + the catalogue owner's organisation number (10 digits, or 12 with a prefix such as
# Skåne's 16) + '-' + letters/digits; at most 31 characters; no å ä ö.
# ASCII digits only: \d would let full-width or Arabic-Indic digits through.
HSA_ID = re.compile(r"^SE([0-9]{10}|[0-9]{12})-[A-Za-z0-9]+$")
HSA_ID_MAX = 31


class TextRefused(ValueError):
    """A text a unit may not carry: `reason` ("invisible" or "personnummer") with `params`;
    each edge says it in its own words (unitfile.<reason>, wizard.err.<reason>)."""

    def __init__(self, reason: str, field: str = "", **params: str):
        super().__init__(reason)
        self.reason, self.params = reason, params
        self.field = field  # the field refused, when the check spans several


def _yes_no(value: Any) -> Any:
    if isinstance(value, str):
        v = value.strip().lower()
        if v == "ja":
            return True
        if v == "nej":
            return False
        raise ValueError("expected ja or nej")
    return value


def _optional_yes_no(value: Any) -> Any:
    if isinstance(value, str) and value.strip() == "":
        return None
    return _yes_no(value)


def case_types(value: Any) -> Any:
    """'kontakt|boka_tid' -> ('boka_tid', 'kontakt'): sorted, unique, in one canonical order."""
    if isinstance(value, str):
        parts = [p.strip() for p in value.split("|") if p.strip()]
        unknown = [p for p in parts if p not in CASE_TYPES]
        if unknown:
            raise ValueError(f"unknown case type {', '.join(unknown)}")
        value = parts
    if isinstance(value, list | tuple | set | frozenset):
        return tuple(sorted(set(value)))
    return value


YesNo = Annotated[bool, BeforeValidator(_yes_no)]
OptionalYesNo = Annotated[bool | None, BeforeValidator(_optional_yes_no)]
CaseTypes = Annotated[tuple[CaseType, ...], BeforeValidator(case_types)]


class Unit(BaseModel):
    """A care unit (vårdenhet) in the register, as the unit file describes it."""

    model_config = ConfigDict(frozen=True, str_strip_whitespace=True)

    hsa_id: str
    namn: str = Field(min_length=1, max_length=200)
    forvaltning: str = Field(min_length=1, max_length=200)
    enhetstyp: Enhetstyp
    verksamhet: Verksamhet
    driftsform: Driftsform
    avtalsanalys_klar: OptionalYesNo = None
    vardutforande: YesNo
    kontaktkort: YesNo
    patientkontakt: YesNo
    bokar_besok: YesNo
    telefon_papper: CaseTypes = ()
    e_tjanster: CaseTypes = ()
    # the case types whose e-service uses the region's template (optional column, since 0011)
    regionala_mallar: CaseTypes = ()

    @field_validator("hsa_id")
    @classmethod
    def _hsa_id(cls, value: str) -> str:
        if len(value) > HSA_ID_MAX or not HSA_ID.fullmatch(value):
            raise ValueError("not a valid HSA-id")
        return value

    @field_validator("namn", "forvaltning")
    @classmethod
    def _plain_text(cls, value: str) -> str:
        """One line of visible text, and never a personal identity number."""
        if contains_personnummer(value):
            raise TextRefused("personnummer")
        hidden = invisible_characters(value) + [
            f"U+{ord(c):04X}" for c in dict.fromkeys(value) if c in "\t\n"
        ]
        if hidden:
            raise TextRefused("invisible", chars=", ".join(hidden))
        return value

    @model_validator(mode="after")
    def _templates_offered(self) -> Unit:
        """A regional template is used by an e-service the unit offers, never by one it lacks."""
        lacking = [c for c in self.regionala_mallar if c not in self.e_tjanster]
        if lacking:
            raise TextRefused("template_not_offered", "regionala_mallar", codes=", ".join(lacking))
        return self


class Reason(BaseModel):
    """One rule that fired: the trace that explains a recommendation."""

    model_config = ConfigDict(frozen=True)

    rule_id: str
    text: Text
    source: str
    detail: tuple[str, ...] = ()  # e.g. the case types the rule concerns


class ChecklistItem(BaseModel):
    model_config = ConfigDict(frozen=True)

    rule_id: str
    text: Text
    detail: tuple[str, ...] = ()


class Recommendation(BaseModel):
    """What the rules recommend for one unit. The person decides; this explains."""

    model_config = ConfigDict(frozen=True)

    hsa_id: str
    outcome: RecommendedOutcome
    variant: Variant | None
    required: tuple[CaseType, ...]
    missing: tuple[CaseType, ...]
    outside_variant: tuple[CaseType, ...]
    also_relevant: tuple[CaseType, ...]
    deadline_status: DeadlineStatus
    checklist: tuple[ChecklistItem, ...]
    reasons: tuple[Reason, ...]
    catalog_version: str

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(r.rule_id for r in self.reasons)
