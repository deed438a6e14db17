"""What Översikt shows of the whole register, aggregated in SQL, and Bedömning's unit picker
(run on every rerun of the wizard), kept until something is written (kept.py): the units per
administration and recommendation, the decisions due for review, the units a search finds.
Each reader gets a list of their own."""

from __future__ import annotations

import datetime as dt

from logic.domain.follow_up import RecommendationCount
from logic.domain.register import ReviewItem, UnitListing
from logic.readmodels.kept import Kept
from logic.store import readmodel_follow_up as follow_up_rows
from logic.store import readmodel_register as register_rows
from logic.store.store import Tx

_COUNTS: Kept[list[RecommendationCount]] = Kept()
_REVIEWS: Kept[list[ReviewItem]] = Kept()
_FOUND: Kept[list[UnitListing]] = Kept()


def recommendation_counts(tx: Tx) -> list[RecommendationCount]:
    return list(_COUNTS.get(tx, (), lambda: follow_up_rows.recommendation_counts(tx)))


def review_queue(tx: Tx, today: dt.date) -> list[ReviewItem]:
    return list(_REVIEWS.get(tx, (today,), lambda: register_rows.review_queue(tx, today)))


def search_units(tx: Tx, query: str, limit: int) -> list[UnitListing]:
    return list(_FOUND.get(tx, (query, limit), lambda: tx.units.search(query, limit)))
