"""The decision register's filters, sort and paging: a pydantic model that also travels in
the page's URL, so a filtered view can be shared as a link."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from logic.domain.codes import CaseType

RegisterStatus = Literal["alla", "ej_bedomd", "bedomd", "omprovning_kravs"]
SortKey = Literal["namn", "forvaltning", "utfall", "beslutad", "omprovas"]
NOT_ASSESSED = "ej_bedomd"
PAGE_SIZE = 50


class RegisterFilter(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    forvaltning: str | None = None
    utfall: str | None = None  # a decision outcome, or "ej_bedomd"
    variant: str | None = None
    status: RegisterStatus = "alla"
    omprovas_inom: int | None = Field(default=None, ge=0, le=3650)  # review due within N days
    beslutsstatus: Literal["for_beslut", "faststalld", "aterremitterad"] | None = None
    avviker: bool = False  # deviates from the recommendation
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
        if "avviker" in values:
            values["avviker"] = values["avviker"] == "1"
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
