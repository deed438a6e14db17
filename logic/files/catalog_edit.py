"""A change to the catalog made in the app: a timetable's date for the region or one
administration, written into a copy of the catalog's files (mallar.yaml). The file's
opening comment is kept; its entries are written again as YAML."""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

import yaml

from logic.domain.catalog import Catalog
from logic.domain.codes import MINIMUM
from logic.domain.errors import CatalogRefused
from logic.files.reference_data import catalog_from_texts

TEMPLATES = "mallar.yaml"


class Edited(NamedTuple):
    files: dict[str, str]
    catalog: Catalog  # the files, validated


def with_deadline(
    files: dict[str, str], case_type: str, forvaltning: str | None, deadline: dt.date
) -> Edited:
    """The files with `case_type`'s timetable date set to `deadline`, region-wide
    (`forvaltning` None) or for one administration. Digital contact (kontakt) is never
    later than the policy's date (refused in words)."""
    current = catalog_from_texts(files)
    if case_type == MINIMUM and deadline > current.policy.deadline_digital_kontakt:
        limit = current.policy.deadline_digital_kontakt.isoformat()
        raise CatalogRefused("kontakt_late", limit)
    if current.template(case_type) is None:
        raise CatalogRefused("no_template", case_type)
    entries: list[dict[str, Any]] = yaml.safe_load(files[TEMPLATES]) or []
    for entry in entries:
        if entry.get("case_type") != case_type:
            continue
        timetable = [d for d in entry.get("timetable") or [] if d.get("forvaltning") != forvaltning]
        date = {"deadline": deadline} | ({"forvaltning": forvaltning} if forvaltning else {})
        entry["timetable"] = sorted(
            [*timetable, date], key=lambda d: (d.get("forvaltning") is not None, d["deadline"])
        )
    text = _opening_comment(files[TEMPLATES]) + yaml.safe_dump(
        entries, allow_unicode=True, sort_keys=False, width=100
    )
    changed = files | {TEMPLATES: text}
    return Edited(changed, catalog_from_texts(changed))


def _opening_comment(text: str) -> str:
    lines = []
    for line in text.splitlines(keepends=True):
        if not line.startswith("#"):
            break
        lines.append(line)
    return "".join(lines)
