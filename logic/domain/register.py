"""The decision register: its filters, sort and paging (a pydantic model that also travels
in the page's URL, so a filtered view can be shared as a link), and the rows it shows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from logic.domain.codes import CaseType
from logic.domain.workflow import DecisionStatus

RegisterStatus = Literal["alla", "ej_bedomd", "bedomd", "omprovning_kravs"]
REGISTER_STATUSES: tuple[str, ...] = get_args(RegisterStatus)
# Sort keys travel in shared links (?sort=...): they stay as they are.
SortKey = Literal["namn", "forvaltning", "utfall", "beslutad", "omprovas"]
SORT_KEYS: tuple[str, ...] = get_args(SortKey)
NOT_ASSESSED = "ej_bedomd"
PAGE_SIZE = 50


class RegisterFilter(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    forvaltning: str | None = None
    utfall: str | None = None  # a decision outcome, or "ej_bedomd"
    variant: str | None = None
    status: RegisterStatus = "alla"
    omprovas_inom: int | None = Field(default=None, ge=0, le=3650)  # review due within N days
    beslutsstatus: DecisionStatus | None = None
    avviker: bool = False  # deviates from the recommendation
    bor_omprovas: bool = False  # in force, made under an older catalog, its recommendation changed
    saknar: CaseType | None = None  # missing this case type
    text: str = Field(default="", max_length=200)  # name, HSA-id or rationale

    def to_params(self) -> dict[str, str]:
        """Only what differs from the default, as URL query parameters."""
        params: dict[str, str] = {}
        for name, value in self.model_dump(exclude_defaults=True).items():
            params[name] = ("1" if value else "0") if isinstance(value, bool) else str(value)
        return params

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> RegisterFilter:
        """Read a filter from URL parameters; a bad parameter is dropped, never an error."""
        values: dict[str, object] = {k: params[k] for k in cls.model_fields if k in params}
        for flag in ("avviker", "bor_omprovas"):
            if flag in values:
                values[flag] = values[flag] == "1"
        for name in list(values):
            try:
                cls.model_validate({name: values[name]})
            except ValidationError:
                del values[name]
        return cls.model_validate(values)


class RegisterView(BaseModel):
    """Filter plus sort and page: everything the URL holds for the register."""

    model_config = ConfigDict(frozen=True)

    filter: RegisterFilter = RegisterFilter()
    sort: SortKey = "namn"
    descending: bool = False
    page: int = Field(default=1, ge=1)


# --- What the register's read models give the pages (the glossary's names) -----------------
@dataclass(frozen=True, slots=True)
class UnitListing:
    """A unit as a search result: enough to pick it, and whether it has a decision."""

    hsa_id: str
    namn: str
    forvaltning: str
    latest_revision: int | None


@dataclass(frozen=True, slots=True)
class RegisterRow:
    """One unit in the register with its newest decision (if any) and the one in force."""

    hsa_id: str
    namn: str
    forvaltning: str
    outcome: str  # a decision outcome, or ej_bedomd
    variant: str | None
    missing: tuple[str, ...]
    review_date: dt.date | None
    author: str | None  # who wrote and submitted the newest revision
    submitted_at: dt.datetime | None
    revision: int | None
    deviates: bool | None
    below_minimum: bool | None  # the lowest level (digital contact) exempted
    status: str | None  # the newest revision's four-eyes status
    in_force_revision: int | None
    in_force_approver: str | None


@dataclass(frozen=True, slots=True)
class DecisionListing:
    """A unit whose newest revision has a given status (waiting, returned), with its verdict
    where there is one."""

    hsa_id: str
    namn: str
    forvaltning: str
    outcome: str
    variant: str | None
    revision: int
    content_hash: str
    author: str
    submitted_at: dt.datetime
    comment: str | None  # the verdict's
    approver: str | None  # who gave the verdict
    verdict_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class ReviewItem:
    """An exemption whose review date has passed or comes soon."""

    hsa_id: str
    namn: str
    forvaltning: str
    outcome: str
    review_date: dt.date
    overdue: bool  # the review date has passed: the unit must be assessed again
