"""The roll-out's tables, in the words of the chosen language: per administration and case
type, progress over time, each deadline and timetable met or not, and the late units. The
page, its downloads and the report all draw from these, so every chart's table is exactly
what the chart shows."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence

import pandas as pd

from logic.domain.catalog import Catalog
from logic.domain.codes import MINIMUM
from logic.domain.rollout import IN_PLACE, Progress, RolloutRow
from logic.domain.rollout_summary import LateUnit, Summary, Tally, UnitTally, late_order
from logic.i18n import t


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def status_name(code: str, lang: str) -> str:
    return t(f"rollout.status.{code}", lang)


def on_time_name(code: str, lang: str) -> str:
    return t(f"rollout.i_tid.{code or 'ingen'}", lang)


def administration_frame(summary: Summary, lang: str) -> pd.DataFrame:
    """Per administration and for the region: units in scope; with a decision in force,
    with a proposal waiting for approval, counted on the recommendation; digital contact in
    place, on time or not; units late with any e-service."""
    kontakt: dict[str, Counter[str]] = defaultdict(Counter)
    for tally in summary.tallies:
        if tally.arendetyp != MINIMUM or tally.status == "undantaget":
            continue
        for key in (tally.forvaltning, ""):
            kontakt[key]["required"] += tally.n
            kontakt[key]["in_place"] += tally.n * (tally.status in IN_PLACE)
            kontakt[key][tally.i_tid] += tally.n
    region = UnitTally(
        "",
        sum(u.units for u in summary.units),
        sum(u.beslut for u in summary.units),
        sum(u.waiting for u in summary.units),
        sum(u.late for u in summary.units),
        sum(u.exempt for u in summary.units),
    )
    records = []
    for u in [*summary.units, region]:
        c = kontakt[u.forvaltning]
        records.append(
            [
                u.forvaltning or t("rollout.region", lang),
                u.units,
                u.beslut,
                u.waiting,
                u.units - u.beslut,
                c["in_place"],
                _percent(c["in_place"], c["required"]),
                c["ja"],
                c["nej"],
                c["okant"],
                u.late,
            ]
        )
    return pd.DataFrame(records, columns=_administration_columns(lang))


def _administration_columns(lang: str) -> list[str]:
    keys = (
        "i_omfattning",
        "beslut_galler",
        "vantar",
        "pa_forslag",
        "kontakt_infort",
        "kontakt_andel",
        "kontakt_i_tid",
        "kontakt_inte_i_tid",
        "kontakt_okant",
        "forsenade_enheter",
    )
    return [t("col.forvaltning", lang), *(t(f"rollout.col.{k}", lang) for k in keys)]


def summary_frame(tallies: Sequence[Tally], cat: Catalog, lang: str) -> pd.DataFrame:
    """Per administration and case type: units required to have it, in place, on the
    template, late, exempted; shares of those required."""
    counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for tally in tallies:
        counts[(tally.forvaltning, tally.arendetyp)][tally.status] += tally.n
    order = {c.code: i for i, c in enumerate(cat.case_types)}
    records = []
    for (forvaltning, case_type), c in sorted(
        counts.items(), key=lambda i: (i[0][0], order[i[0][1]])
    ):
        required = sum(n for s, n in c.items() if s != "undantaget")
        in_place = c["infort_mall"] + c["infort"]
        records.append(
            [
                forvaltning,
                cat.case_type(case_type).name(lang),
                required,
                in_place,
                _percent(in_place, required),
                c["infort_mall"],
                _percent(c["infort_mall"], required),
                c["forsenat"],
                c["undantaget"],
            ]
        )
    return pd.DataFrame(records, columns=_summary_columns(lang))


def _summary_columns(lang: str) -> list[str]:
    keys = ("kravs", "infort", "andel_infort", "pa_mall", "andel_mall", "forsenat", "undantaget")
    return [
        t("col.forvaltning", lang),
        t("rollout.col.arendetyp", lang),
        *(t(f"rollout.col.{k}", lang) for k in keys),
    ]


def progress_frame(points: Sequence[Progress], cat: Catalog, lang: str) -> pd.DataFrame:
    """Per observation date and case type (all administrations given, added up): of the
    units required to have it, the share in place and on the template."""
    totals: dict[tuple[dt.date, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for p in points:
        total = totals[(p.observed, p.arendetyp)]
        total[0] += p.units
        total[1] += p.in_place
        total[2] += p.on_template
    order = {c.code: i for i, c in enumerate(cat.case_types)}
    columns = [
        t("rollout.col.observerad", lang),
        t("rollout.col.arendetyp", lang),
        t("rollout.col.kravs", lang),
        t("rollout.col.infort", lang),
        t("rollout.col.andel_infort", lang),
        t("rollout.col.andel_mall", lang),
    ]
    records = [
        dict(
            zip(
                columns,
                (
                    day.isoformat(),
                    cat.case_type(case_type).name(lang),
                    n,
                    there,
                    _percent(there, n),
                    _percent(templated, n),
                ),
                strict=True,
            )
        )
        for (day, case_type), (n, there, templated) in sorted(
            totals.items(), key=lambda i: (i[0][0], order[i[0][1]])
        )
    ]
    return pd.DataFrame(records, columns=columns)


def timetable_frame(tallies: Sequence[Tally], cat: Catalog, lang: str) -> pd.DataFrame:
    """Each deadline in force (a timetable's date for the region or one administration, and
    the policy's date for digital contact): the units due by it, met, not met, unknown."""
    met: dict[tuple[str, str, dt.date], Counter[str]] = defaultdict(Counter)
    for tally in tallies:
        if tally.frist is None:
            continue
        c = met[(tally.arendetyp, tally.frist_scope, tally.frist)]
        c[tally.i_tid] += tally.n
        c["mall"] += tally.n * tally.mall
    order = {c.code: i for i, c in enumerate(cat.case_types)}
    records = []
    for (case_type, scope, frist), c in sorted(
        met.items(), key=lambda i: (order[i[0][0]], i[0][2], i[0][1])
    ):
        template = cat.template(case_type)
        name = template.name if template else t("rollout.policy_deadline", lang)
        if template and template.example:
            name += " " + t("rollout.example", lang)
        records.append(  # what answers the heading first: the table may scroll sideways
            [
                cat.case_type(case_type).name(lang),
                scope or t("rollout.whole_region", lang),
                frist.isoformat(),
                c["ja"] + c["nej"] + c["okant"],
                c["ja"],
                c["nej"],
                c["okant"],
                c["mall"],
                name,
                template.version if template else "",
            ]
        )
    keys = ("arendetyp", "galler", "frist", "enheter", "i_tid", "inte_i_tid", "okant")
    columns = [t(f"rollout.col.{k}", lang) for k in (*keys, "pa_mall", "mall", "version")]
    return pd.DataFrame(records, columns=columns)


def late_frame(late: Sequence[LateUnit], cat: Catalog, lang: str) -> pd.DataFrame:
    """The units with an e-service past its deadline and not in place: what each lacks, and
    since when (the earliest deadline passed); the longest late first."""
    columns = [
        t("col.namn", lang),
        t("col.forvaltning", lang),
        t("rollout.col.forsenat_sedan", lang),
        t("rollout.col.saknar", lang),
        t("rollout.col.underlag", lang),
        t("col.hsa_id", lang),
    ]
    records = [
        [
            u.enhet,
            u.forvaltning,
            u.since.isoformat(),
            ", ".join(cat.case_type(c).name(lang) for c in u.lacks),
            t(f"rollout.basis.{u.basis}", lang),
            u.hsa_id,
        ]
        for u in sorted(late, key=late_order)
    ]
    return pd.DataFrame(records, columns=columns)


def unit_frame(rows: Sequence[RolloutRow], cat: Catalog, lang: str) -> pd.DataFrame:
    """One unit's roll-out per case type, with its intervals (the register's unit detail)."""

    def day(value: dt.date | None) -> str:
        return value.isoformat() if value else ""

    def removed(r: RolloutRow) -> str:
        if r.removed_efter is None:
            return ""
        return t("rollout.removed", lang, efter=day(r.removed_efter), senast=day(r.removed_senast))

    return pd.DataFrame(
        {
            t("rollout.col.arendetyp", lang): [cat.case_type(r.arendetyp).name(lang) for r in rows],
            t("rollout.col.status", lang): [status_name(r.status, lang) for r in rows],
            t("rollout.col.infort_efter", lang): [day(r.infort_efter) for r in rows],
            t("rollout.col.infort_senast", lang): [day(r.infort_senast) for r in rows],
            t("rollout.col.frist", lang): [day(r.frist) for r in rows],
            t("rollout.col.i_tid", lang): [on_time_name(r.i_tid, lang) for r in rows],
            t("rollout.col.borttagen", lang): [removed(r) for r in rows],
            t("rollout.col.underlag", lang): [t(f"rollout.basis.{r.basis}", lang) for r in rows],
        }
    )


def quarterly_frame(
    points: Sequence[Progress], lang: str, case_type: str = MINIMUM
) -> pd.DataFrame:
    """Quarter by quarter (each observation date): the share of units required to have
    the case type that had it in place, per administration and for the region."""
    by_day: dict[dt.date, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for p in points:
        if p.arendetyp != case_type:
            continue
        for key in (p.forvaltning, ""):
            total = by_day[p.observed][key]
            total[0] += p.units
            total[1] += p.in_place
    administrations = sorted({p.forvaltning for p in points if p.arendetyp == case_type})
    region = t("rollout.region", lang)
    columns = [t("rollout.col.observerad", lang), *administrations, region]
    records = [
        [
            day.isoformat(),
            *(
                _percent(counts[a][1], counts[a][0]) if a in counts else None
                for a in administrations
            ),
            _percent(counts[""][1], counts[""][0]),
        ]
        for day, counts in sorted(by_day.items())
    ]
    return pd.DataFrame(records, columns=columns)


def since_frame(summary: Summary, lang: str) -> pd.DataFrame:
    """Digital contact, since when: per first observation that showed it (the first date:
    there already when first observed), how many units in each administration had it."""
    administrations = sorted({f for f, _, _ in summary.kontakt_observed_since})
    counts = {(f, day): n for f, day, n in summary.kontakt_observed_since}
    days = sorted({day for _, day, _ in summary.kontakt_observed_since})
    columns = [t("rollout.col.sedan", lang), *administrations, t("rollout.region", lang)]
    records = [
        [
            day.isoformat(),
            *(counts.get((f, day), 0) for f in administrations),
            sum(counts.get((f, day), 0) for f in administrations),
        ]
        for day in days
    ]
    return pd.DataFrame(records, columns=columns)
