"""The roll-out's figures as of a date, as known at a moment: the roll-out now (today, as
known now) aggregated in SQL from the projection and cached by the data it depends on; an
earlier date or moment worked out from the append-only history (history_figures.py), so last
quarter's report, known at the moment it was first made, comes out the same after older
observations are imported."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from logic.clock import local_day
from logic.domain.catalog import Catalog
from logic.domain.rollout import Progress
from logic.domain.rollout_summary import LATE_LIMIT, Summary, late_order
from logic.readmodels.history_figures import history_summary
from logic.readmodels.kept import Kept
from logic.store.rows import utc
from logic.store.store import Tx


def is_now(made_at: dt.datetime, as_of: dt.date, known_at: dt.datetime | None) -> bool:
    """Is this the roll-out now, which the projection holds?"""
    return known_at is None and as_of >= local_day(made_at)


def projection_serves(tx: Tx, cat: Catalog) -> bool:
    """Was the roll-out now made under the catalog in force? On the day a new catalog
    version takes effect it is not, until it is made again (at start-up, or by
    `python -m logic catalog take-effect`): until then the roll-out now is worked out from the
    history, as an earlier date is."""
    return tx.rollout.made_under() in (None, cat.version)


def read_summary(
    tx: Tx,
    made_at: dt.datetime,
    as_of: dt.date,
    known_at: dt.datetime | None,
    forvaltning: str | None,
    cat: Catalog,
) -> Summary:
    if not is_now(made_at, as_of, known_at) or not projection_serves(tx, cat):  # seconds
        kept = _KEPT.get(
            tx,
            ("history", as_of, known_at, forvaltning, cat.version),
            lambda: history_summary(tx, made_at, as_of, known_at, forvaltning, cat),
        )
        return replace(kept, known_at=utc(known_at) if known_at else made_at, made_at=made_at)
    now = ("now", as_of, forvaltning, cat.version)
    kept = _KEPT.get(tx, now, lambda: _summary_now(tx, made_at, as_of, forvaltning, cat))
    return replace(kept, known_at=made_at, made_at=made_at)


# The roll-out now, aggregated, and as of an earlier date or moment, kept per database,
# date, moment, administration and catalog until something is written (kept.py): the
# page's reruns and the next reader reuse it
_KEPT: Kept[Summary] = Kept()


def _summary_now(
    tx: Tx, made_at: dt.datetime, as_of: dt.date, forvaltning: str | None, cat: Catalog
) -> Summary:
    late, totals = tx.rollout.late(as_of, forvaltning, LATE_LIMIT)
    points = [
        Progress(p.observed, p.forvaltning, p.arendetyp, p.units, p.in_place, p.on_template)
        for p in tx.rollout.progress_points(forvaltning)
    ]
    return Summary(
        as_of,
        made_at,
        made_at,
        forvaltning,
        tx.rollout.tallies(as_of, forvaltning),
        tx.rollout.unit_tallies(as_of, forvaltning),
        sorted(late, key=late_order),
        sorted(points, key=lambda p: (p.observed, p.forvaltning, p.arendetyp)),
        sorted({p.observed for p in points}),
        cat.version,
        totals,
        tx.rollout.kontakt_observed_since(forvaltning),
    )
