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
from logic.domain.rollout import Progress, RolloutRow
from logic.i18n import t

IN_PLACE = ("infort_mall", "infort")


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def status_name(code: str, lang: str) -> str:
    return t(f"rollout.status.{code}", lang)


def on_time_name(code: str, lang: str) -> str:
    return t(f"rollout.i_tid.{code or 'ingen'}", lang)


def administration_frame(
    rows: Sequence[RolloutRow], waiting: frozenset[str], lang: str
) -> pd.DataFrame:
    """Per administration (and the region): units in scope; with a decision in force, with
    a proposal waiting for approval, counted on the recommendation; digital contact in
    place, on time or not; units late with any e-service."""
    units: dict[str, dict[str, RolloutRow]] = defaultdict(dict)
    for r in rows:
        units[r.forvaltning].setdefault(r.hsa_id, r)
    records = []
    for forvaltning in [*sorted(units), ""]:
        mine = [r for r in rows if not forvaltning or r.forvaltning == forvaltning]
        ids = {r.hsa_id for r in mine}
        kontakt = [r for r in mine if r.arendetyp == MINIMUM and r.status != "undantaget"]
        in_place = sum(r.status in IN_PLACE for r in kontakt)
        by_unit = {r.hsa_id: r.basis for r in mine}
        on_time = Counter(r.i_tid for r in kontakt)
        records.append(
            {
                t("col.forvaltning", lang): forvaltning or t("rollout.region", lang),
                t("rollout.col.i_omfattning", lang): len(ids),
                t("rollout.col.beslut_galler", lang): sum(b == "beslut" for b in by_unit.values()),
                t("rollout.col.vantar", lang): len(ids & waiting),
                t("rollout.col.pa_forslag", lang): sum(b == "forslag" for b in by_unit.values()),
                t("rollout.col.kontakt_infort", lang): in_place,
                t("rollout.col.kontakt_andel", lang): _percent(in_place, len(kontakt)),
                t("rollout.col.kontakt_i_tid", lang): on_time["ja"],
                t("rollout.col.kontakt_inte_i_tid", lang): on_time["nej"],
                t("rollout.col.kontakt_okant", lang): on_time["okant"],
                t("rollout.col.forsenade_enheter", lang): len(
                    {r.hsa_id for r in mine if r.status == "forsenat"}
                ),
            }
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


def summary_frame(rows: Sequence[RolloutRow], cat: Catalog, lang: str) -> pd.DataFrame:
    """Per administration and case type: units required to have it, in place, on the
    template, late, exempted; shares of those required."""
    counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for r in rows:
        counts[(r.forvaltning, r.arendetyp)][r.status] += 1
    order = {c.code: i for i, c in enumerate(cat.case_types)}
    records = []
    for (forvaltning, case_type), c in sorted(
        counts.items(), key=lambda i: (i[0][0], order[i[0][1]])
    ):
        required = sum(n for s, n in c.items() if s != "undantaget")
        in_place = c["infort_mall"] + c["infort"]
        records.append(
            {
                t("col.forvaltning", lang): forvaltning,
                t("rollout.col.arendetyp", lang): cat.case_type(case_type).name(lang),
                t("rollout.col.kravs", lang): required,
                t("rollout.col.infort", lang): in_place,
                t("rollout.col.andel_infort", lang): _percent(in_place, required),
                t("rollout.col.pa_mall", lang): c["infort_mall"],
                t("rollout.col.andel_mall", lang): _percent(c["infort_mall"], required),
                t("rollout.col.forsenat", lang): c["forsenat"],
                t("rollout.col.undantaget", lang): c["undantaget"],
            }
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


def timetable_frame(rows: Sequence[RolloutRow], cat: Catalog, lang: str) -> pd.DataFrame:
    """Each deadline in force (a timetable's date for the region or one administration, and
    the policy's date for digital contact): the units due by it, met, not met, unknown."""
    met: dict[tuple[str, str, dt.date], Counter[str]] = defaultdict(Counter)
    for r in rows:
        if r.frist is None:
            continue
        template = cat.template(r.arendetyp)
        own = template and any(d.forvaltning == r.forvaltning for d in template.timetable)
        scope = r.forvaltning if own else ""
        tally = met[(r.arendetyp, scope, r.frist)]
        tally[r.i_tid] += 1
        tally["mall"] += r.mall
    order = {c.code: i for i, c in enumerate(cat.case_types)}
    records = []
    for (case_type, scope, frist), c in sorted(
        met.items(), key=lambda i: (order[i[0][0]], i[0][2], i[0][1])
    ):
        template = cat.template(case_type)
        name = template.name if template else t("rollout.policy_deadline", lang)
        if template and template.example:
            name += " " + t("rollout.example", lang)
        records.append(
            {
                t("rollout.col.arendetyp", lang): cat.case_type(case_type).name(lang),
                t("rollout.col.mall", lang): name,
                t("rollout.col.version", lang): template.version if template else "",
                t("rollout.col.galler", lang): scope or t("rollout.whole_region", lang),
                t("rollout.col.frist", lang): frist.isoformat(),
                t("rollout.col.enheter", lang): c["ja"] + c["nej"] + c["okant"],
                t("rollout.col.i_tid", lang): c["ja"],
                t("rollout.col.inte_i_tid", lang): c["nej"],
                t("rollout.col.okant", lang): c["okant"],
                t("rollout.col.pa_mall", lang): c["mall"],
            }
        )
    keys = ("arendetyp", "mall", "version", "galler", "frist", "enheter", "i_tid", "inte_i_tid")
    columns = [t(f"rollout.col.{k}", lang) for k in (*keys, "okant", "pa_mall")]
    return pd.DataFrame(records, columns=columns)


def late_frame(rows: Sequence[RolloutRow], cat: Catalog, lang: str) -> pd.DataFrame:
    """The units with an e-service past its deadline and not in place: what each lacks, and
    since when (the earliest deadline passed); the longest late first."""
    late: dict[str, list[RolloutRow]] = defaultdict(list)
    for r in rows:
        if r.status == "forsenat":
            late[r.hsa_id].append(r)
    records = []
    for hsa_id, mine in late.items():
        first = min(r.frist for r in mine if r.frist is not None)
        records.append(
            {
                t("col.namn", lang): mine[0].enhet,
                t("col.forvaltning", lang): mine[0].forvaltning,
                t("rollout.col.saknar", lang): ", ".join(
                    cat.case_type(r.arendetyp).name(lang) for r in mine
                ),
                t("rollout.col.forsenat_sedan", lang): first.isoformat(),
                t("rollout.col.underlag", lang): t(f"rollout.basis.{mine[0].basis}", lang),
                t("col.hsa_id", lang): hsa_id,
            }
        )
    columns = [
        t("col.namn", lang),
        t("col.forvaltning", lang),
        t("rollout.col.saknar", lang),
        t("rollout.col.forsenat_sedan", lang),
        t("rollout.col.underlag", lang),
        t("col.hsa_id", lang),
    ]
    frame = pd.DataFrame(records, columns=columns)
    return frame.sort_values([columns[3], columns[1], columns[0]], kind="stable", ignore_index=True)


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
