"""A change to the catalog made in the app, written into a copy of the catalog's files: a
timetable's date for the region or one administration, or a case type's template (a new
version, or a first template) in mallar.yaml (its opening comment kept, its entries written
again as YAML); the review periods in policy.yaml (those lines alone, comments kept)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, NamedTuple

import yaml

from logic.domain.catalog import Catalog
from logic.domain.codes import MINIMUM
from logic.domain.errors import CatalogRefused
from logic.domain.validation import text_errors
from logic.files.reference_data import catalog_from_texts

TEMPLATES = "mallar.yaml"
POLICY = "policy.yaml"
LONGEST_REVIEW = 120  # months: ten years is no review at all


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
    entries = _entries(files)
    for entry in entries:
        if entry.get("case_type") != case_type:
            continue
        timetable = [d for d in entry.get("timetable") or [] if d.get("forvaltning") != forvaltning]
        date = {"deadline": deadline} | ({"forvaltning": forvaltning} if forvaltning else {})
        entry["timetable"] = sorted(
            [*timetable, date], key=lambda d: (d.get("forvaltning") is not None, d["deadline"])
        )
    return _with_entries(files, entries)


def with_template(files: dict[str, str], case_type: str, name: str, version: str) -> Edited:
    """The files with `case_type`'s regional template named `name` at `version`: a new
    version of its template, or (a case type without one) its first, with no dates yet.
    A template the region names is its own, no longer an example."""
    name, version = name.strip(), version.strip()
    for value in (name, version):  # shown on every page and report: one plain line
        if text_errors("template", value, required=True, one_line=True) or len(value) > 120:
            raise CatalogRefused("template_name")
    entries = _entries(files)
    entry = next((e for e in entries if e.get("case_type") == case_type), None)
    if entry is None:
        entry = {"case_type": case_type, "timetable": []}
        entries.append(entry)
    entry.update({"name": name, "version": version})
    entry.pop("example", None)
    return _with_entries(files, entries)


def with_review_months(files: dict[str, str], default: int, longest: int) -> Edited:
    """The files with the review periods of an exemption: by default after `default` months,
    never later than `longest` (1 <= default <= longest <= LONGEST_REVIEW)."""
    if not 1 <= default <= longest <= LONGEST_REVIEW:
        raise CatalogRefused("review_months", str(LONGEST_REVIEW))
    text = files[POLICY]
    for key, value in (("review_default_months", default), ("review_max_months", longest)):
        text, found = re.subn(rf"(?m)^{key}:[ \t]*\d+", f"{key}: {value}", text, count=1)
        if not found:
            raise CatalogRefused("invalid", f"{POLICY}: {key}")
    changed = files | {POLICY: text}
    return Edited(changed, catalog_from_texts(changed))


def _entries(files: dict[str, str]) -> list[dict[str, Any]]:
    return list(yaml.safe_load(files[TEMPLATES]) or [])


def _with_entries(files: dict[str, str], entries: list[dict[str, Any]]) -> Edited:
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
