"""The policy kept in the record, in words: the timetables in force, what a proposed catalog
version changes, and every version with its state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pandas as pd

from logic.domain.catalog import Catalog
from logic.domain.catalog_changes import CatalogChange
from logic.domain.catalog_versions import BEGINNING, CatalogVersion
from logic.domain.policy_impact import Change
from logic.files.policy_impact import value_words
from logic.i18n import t
from logic.presentation.frames import local_time


def scope_name(forvaltning: str | None, lang: str) -> str:
    return forvaltning or t("catalog.whole_region", lang)


def _date(day: dt.date | None, lang: str) -> str:
    return day.isoformat() if day else t("catalog.no_date", lang)


def timetable_frame(cat: Catalog, lang: str) -> pd.DataFrame:
    """Each case type's template and its dates: region-wide first, then per administration."""
    records = []
    for info in cat.case_types:
        template = cat.template(info.code)
        if template is None:
            continue
        name = f"{template.name} {template.version}"
        if template.example:
            name += " " + t("rollout.example", lang)
        dates = sorted(template.timetable, key=lambda d: (d.forvaltning is not None, d.deadline))
        for d in dates or [None]:
            records.append(
                [
                    info.name(lang),
                    name,
                    scope_name(d.forvaltning if d else None, lang),
                    _date(d.deadline if d else None, lang),
                ]
            )
    columns = [t(f"catalog.col.{c}", lang) for c in ("case_type", "template", "scope", "date")]
    return pd.DataFrame(records, columns=columns)


def changes_frame(changes: Sequence[CatalogChange], cat: Catalog, lang: str) -> pd.DataFrame:
    """What a version changes, before and after: dates, templates, parameters."""
    records = [
        [
            t(f"catalog.kind.{c.kind}", lang),
            t(f"catalog.parameter.{c.case_type}", lang)
            if c.kind == "parameter"
            else cat.case_type(c.case_type).name(lang),
            "" if c.kind != "frist" else scope_name(c.scope, lang),
            c.before or t("catalog.no_date" if c.kind == "frist" else "catalog.none", lang),
            c.after or t("catalog.no_date" if c.kind == "frist" else "catalog.none", lang),
        ]
        for c in changes
    ]
    keys = ("kind", "case_type", "scope", "before", "after")
    return pd.DataFrame(records, columns=[t(f"catalog.col.{k}", lang) for k in keys])


def versions_frame(versions: Sequence[CatalogVersion], lang: str, tz: Any) -> pd.DataFrame:
    """Every version, the newest first: its number, state, date, who proposed and decided."""
    records = []
    for v in versions:
        p = v.proposal
        records.append(
            [
                str(p.number),
                t(f"catalog.state.{v.state}", lang),
                t("catalog.from_beginning", lang)
                if p.effective_from == BEGINNING
                else p.effective_from.isoformat(),
                p.proposed_by,
                local_time(p.proposed_at, tz),
                v.verdict.by if v.verdict else "",
                local_time(v.verdict.at, tz) if v.verdict else "",
                p.version,
            ]
        )
    keys = (
        "number",
        "state",
        "from",
        "proposed_by",
        "proposed_at",
        "by",
        "at",
        "version",
    )
    return pd.DataFrame(records, columns=[t(f"catalog.col.{k}", lang) for k in keys])


def impact_frame(units: dict[str, int], lang: str) -> pd.DataFrame:
    """How many units a change affects, per administration and in all."""
    rows = [[name, count] for name, count in units.items()]
    rows.append([t("catalog.all", lang), sum(units.values())])
    return pd.DataFrame(rows, columns=[t("col.forvaltning", lang), t("catalog.col.units", lang)])


def review_frame(changes: Sequence[Change], cat: Catalog, lang: str) -> pd.DataFrame:
    """The decisions that should be reviewed, one row per unit: what changed in its
    recommendation since it was decided, before and after in words (both in the words of the
    catalog in force: every catalog has the same codes)."""
    units: dict[str, list[Any]] = {}
    for c in changes:
        row = units.setdefault(c.hsa_id, [c.enhet, c.hsa_id, c.forvaltning, []])
        before = value_words(c.what, c.before, cat, lang)
        after = value_words(c.what, c.after, cat, lang)
        row[3].append(f"{t(f'impact.what.{c.what}', lang)}: {before} → {after}")
    records = [[*row[:3], "; ".join(row[3])] for row in units.values()]
    keys = ("col.namn", "col.hsa_id", "col.forvaltning", "catalog.col.changed")
    return pd.DataFrame(records, columns=[t(k, lang) for k in keys])
