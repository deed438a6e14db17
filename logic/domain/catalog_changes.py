"""What a catalog version changes against the one before it, in the terms the regional team
uses: a timetable's date (for the region or one administration), a template's name and
version, a policy parameter; and which of the files differ."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict

from logic.domain.catalog import Catalog
from logic.domain.catalog_versions import CATALOG_FILES

ChangeKind = Literal["frist", "mall", "parameter"]
# The policy parameters the page changes (policy.yaml), in the order shown.
PARAMETERS = ("review_default_months", "review_max_months")


class CatalogChange(BaseModel):
    """One thing a version changes: a timetable date of a case type for a scope (an
    administration, or "" for the region), a case type's template ("name version"), or a
    policy parameter (`case_type` names it); before and after as text, "" for none."""

    model_config = ConfigDict(frozen=True)

    kind: ChangeKind
    case_type: str
    scope: str
    before: str
    after: str


def catalog_changes(before: Catalog, after: Catalog) -> list[CatalogChange]:
    """Every date, template and parameter that differs, in the case types' order."""
    order = {c.code: i for i, c in enumerate(after.case_types)}
    found = _differences("frist", _dates(before), _dates(after), order)
    found += _differences("mall", _templates(before), _templates(after), order)
    params = {(p, ""): str(getattr(before.policy, p)) for p in PARAMETERS}
    new_params = {(p, ""): str(getattr(after.policy, p)) for p in PARAMETERS}
    found += _differences("parameter", params, new_params, {p: i for i, p in enumerate(PARAMETERS)})
    return found


def _differences(
    kind: ChangeKind,
    old: dict[tuple[str, str], str],
    new: dict[tuple[str, str], str],
    order: dict[str, int],
) -> list[CatalogChange]:
    keys = sorted(old.keys() | new.keys(), key=lambda k: (order.get(k[0], 99), k[1]))
    return [
        CatalogChange(
            kind=kind, case_type=k[0], scope=k[1], before=old.get(k, ""), after=new.get(k, "")
        )
        for k in keys
        if old.get(k) != new.get(k)
    ]


def _dates(cat: Catalog) -> dict[tuple[str, str], str]:
    found: dict[tuple[str, str], str] = {}
    for m in cat.templates:
        found |= {(m.case_type, d.forvaltning or ""): _iso(d.deadline) for d in m.timetable}
    return found


def _templates(cat: Catalog) -> dict[tuple[str, str], str]:
    return {(m.case_type, ""): f"{m.name} {m.version}" for m in cat.templates}


def _iso(day: dt.date) -> str:
    return day.isoformat()


def changed_files(before: Mapping[str, str], after: Mapping[str, str]) -> list[str]:
    """The catalog's files that differ between two versions."""
    return [name for name in CATALOG_FILES if before.get(name) != after.get(name)]
