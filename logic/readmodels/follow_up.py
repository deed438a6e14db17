"""The follow-up page's figures (Uppföljning): aggregated in SQL over the whole register, and
kept by the data they depend on (kept.py), so the page's reruns and the next manager reuse
them until something is written."""

from __future__ import annotations

import datetime as dt

from logic.domain.follow_up import FollowUp
from logic.domain.management_summary import Reviews
from logic.readmodels.kept import Kept
from logic.store import readmodel_follow_up as follow_up_rows
from logic.store.store import Tx

_KEPT: Kept[FollowUp] = Kept()


def read_follow_up(
    tx: Tx, forvaltning: str | None, today: dt.date, grounds: tuple[str, ...]
) -> FollowUp:
    def work_out() -> FollowUp:
        return FollowUp(
            outcomes=follow_up_rows.outcomes_by_forvaltning(tx, forvaltning),
            grounds=follow_up_rows.grounds_count(tx, forvaltning, grounds),
            by_forvaltning=follow_up_rows.follow_up(tx, forvaltning, today),
            latest_approvals=follow_up_rows.latest_approvals(tx, forvaltning),
        )

    return _KEPT.get(tx, (forvaltning, today, grounds), work_out)


_REVIEWS: Kept[dict[str, Reviews]] = Kept()


def reviews_due(tx: Tx, forvaltning: str | None, today: dt.date) -> dict[str, Reviews]:
    """Per administration: decisions overdue for review and due within 90 days (the
    managers' summary on Uppföljning and the report), kept as the page's other figures."""
    return _REVIEWS.get(
        tx, (forvaltning, today), lambda: follow_up_rows.reviews_due(tx, forvaltning, today)
    )
