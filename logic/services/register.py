"""Reading the register: the start page's counts, the register's pages, a unit's history,
the review queue, the follow-up page; and exports, each on the record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing
from typing import Any
from zoneinfo import ZoneInfo

from logic import collector
from logic.clock import region
from logic.domain.auth import User
from logic.domain.follow_up import FollowUp, RecommendationCount
from logic.domain.policy_impact import Change
from logic.domain.record import StoredRevision
from logic.domain.register import RegisterFilter, RegisterRow, RegisterView, ReviewItem
from logic.files import arrow_csv, decision_columns, export, export_words
from logic.files.export import ExportFile, Profile
from logic.readmodels import overview, to_review
from logic.readmodels import register as register_read
from logic.readmodels.follow_up import read_follow_up
from logic.services.unit_of_work import unit_of_work
from logic.store import readmodel_register as register_rows
from logic.store.store import Store


def recommendation_overview(store: Store, user: User) -> list[RecommendationCount]:
    """Units per administration, recommended outcome and variant (for the start page)."""
    with unit_of_work(store, user, "read_register", readonly=True) as work:
        return overview.recommendation_counts(work.tx)


def register_page(store: Store, view: RegisterView, user: User) -> tuple[list[RegisterRow], int]:
    with unit_of_work(store, user, "read_register", readonly=True) as work:
        return register_read.register_page(work.tx, view, work.today, work.catalog)


def unit_history(store: Store, hsa_id: str, user: User) -> list[StoredRevision]:
    """Every revision of one unit, oldest first."""
    with unit_of_work(store, user, "read_register", readonly=True, unit=hsa_id) as work:
        return work.tx.revisions.of_unit(hsa_id)


def forvaltningar(store: Store, user: User) -> list[str]:
    """The administrations in the register, for filters."""
    with unit_of_work(store, user, "read_register", readonly=True) as work:
        return register_read.forvaltningar(work.tx)


def decisions_to_review(store: Store, user: User) -> list[Change]:
    """Decisions in force made under an older catalog whose recommendation has changed since
    (bör omprövas): what changed, one row each."""
    with unit_of_work(store, user, "read_register", readonly=True) as work:
        return to_review.decisions_to_review(work.tx, work.catalog, work.today)


def review_queue(store: Store, user: User) -> list[ReviewItem]:
    """Exemptions to review: overdue (the unit needs a new assessment) and due in 30 days."""
    with unit_of_work(store, user, "assess", readonly=True) as work:
        return overview.review_queue(work.tx, work.today)


def follow_up(store: Store, forvaltning: str | None, user: User) -> FollowUp:
    """Every aggregate the follow-up page shows, computed in SQL in one transaction (kept
    until something is written: readmodels/follow_up.py)."""
    with unit_of_work(store, user, "read_register", readonly=True) as work:
        grounds = tuple(g.code for g in work.catalog.grounds)
        return read_follow_up(work.tx, forvaltning, work.today, grounds)


# --- Exports ---------------------------------------------------------------------------------


def _local(moment: Any, tz: ZoneInfo) -> Any:
    if isinstance(moment, dt.datetime):
        aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
        return aware.astimezone(tz).replace(tzinfo=None)
    return moment


def export_decisions(
    store: Store,
    f: RegisterFilter,
    profile: Profile,
    user: User,
    deliver: Callable[[bytes], None] | None = None,
    in_words: str | None = None,
) -> ExportFile:
    """Exactly the rows the filter shows, as a file (times in local time); recorded in the
    audit log with who, when, which filter, how many rows and the file's SHA-256. With
    `deliver` (the command line writing the file), the export is recorded only once it has
    been delivered whole: a failed or killed write records nothing. `in_words` ("sv", "en")
    gives column names and values in that language instead of codes (for people)."""
    tz = region()
    counted = [0]

    def local_rows(rows: Iterable[Sequence[Any]]) -> Iterator[tuple[Any, ...]]:
        for raw in rows:
            counted[0] += 1
            row = list(export.record_row(raw))
            for index in export.MOMENTS:
                row[index] = _local(row[index], tz)
            yield tuple(row)

    with collector.paused(), unit_of_work(store, user, "export") as work:
        review = register_read.review_ids(work.tx, f, work.catalog, work.today)
        data = None
        if profile != "xlsx" and not in_words:  # over whole columns, as the driver gives them
            with closing(register_rows.export_plain_rows(work.tx, f, work.today, review)) as plain:
                table = decision_columns.table_of(plain, tz, not work.tx.postgresql)
            if table is not None:
                data, counted[0] = arrow_csv.to_csv(export.HEADERS, table, profile), len(table)
        if data is None:  # anything not as the app writes it: row by row, as always
            rows = local_rows(register_rows.export_rows(work.tx, f, work.today, review))
            if in_words:
                data = export.render(
                    export_words.rows_in_words(rows, work.catalog, in_words),
                    profile,
                    export_words.headers(in_words),
                )
            else:
                data = export.render(rows, profile)
        digest = export.sha256(data)
        if deliver is not None:
            deliver(data)  # raises on failure: the transaction, and so the record, is undone
        work.tx.audit.append(
            work.user.email,
            "export_decisions",
            {
                "filter": f.to_params(),
                "profile": profile,
                **({"in_words": in_words} if in_words else {}),  # codes unless said
                "rows": counted[0],
                "sha256": digest,
            },
        )
        stamp = work.now.astimezone(tz).strftime("%Y%m%d-%H%M")
    return ExportFile(
        data,
        f"beslut-{stamp}.{export.EXTENSIONS[profile]}",
        export.MEDIA_TYPES[profile],
        counted[0],
        digest,
    )


def export_table(
    store: Store,
    name: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    profile: Profile,
    user: User,
) -> ExportFile:
    """A follow-up table as a file, recorded in the audit log like every export."""
    with unit_of_work(store, user, "export") as work:
        data = export.render_table(columns, rows, profile)
        digest = export.sha256(data)
        work.tx.audit.append(
            work.user.email,
            "export_table",
            {
                "table": name,
                "profile": profile,
                "rows": len(rows),
                "sha256": digest,
            },
        )
    return ExportFile(
        data, f"{name}.{export.EXTENSIONS[profile]}", export.MEDIA_TYPES[profile], len(rows), digest
    )
