"""Reading the register: the start page's counts, the register's pages, a unit's history,
the review queue, the dashboard; and exports, each on the record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from logic.domain.auth import User
from logic.domain.catalog import Catalog
from logic.domain.record import StoredRevision
from logic.domain.register import RegisterFilter, RegisterView
from logic.files import export
from logic.files.export import Profile
from logic.files.reference_data import catalog
from logic.services.unit_of_work import unit_of_work
from logic.settings import settings
from logic.store import readmodel
from logic.store.store import Store


def recommendation_overview(store: Store, user: User) -> list[dict[str, object]]:
    """Units per administration, recommended outcome and variant (for the start page)."""
    with unit_of_work(store, user, "read_register") as work:
        return readmodel.recommendation_counts(work.tx)


def register_page(
    store: Store, view: RegisterView, user: User, today: dt.date | None = None
) -> tuple[list[dict[str, Any]], int]:
    with unit_of_work(store, user, "read_register") as work:
        return readmodel.register_page(work.tx, view, today or dt.date.today())


def unit_history(store: Store, hsa_id: str, user: User) -> list[StoredRevision]:
    with unit_of_work(store, user, "read_register") as work:
        return work.tx.revisions(hsa_id)


def forvaltningar(store: Store, user: User) -> list[str]:
    """The administrations in the register, for filters."""
    with unit_of_work(store, user, "read_register") as work:
        return readmodel.forvaltningar(work.tx)


def review_queue(store: Store, user: User, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Exemptions to review: overdue (the unit needs a new assessment) and due in 30 days."""
    with unit_of_work(store, user, "assess") as work:
        return readmodel.review_queue(work.tx, today or dt.date.today())


@dataclass(frozen=True)
class Dashboard:
    outcomes: list[dict[str, Any]]
    kontakt_progress: list[dict[str, Any]]
    coverage: list[dict[str, Any]]
    grounds: dict[str, int]
    follow_up: list[dict[str, Any]]
    latest_approvals: list[dict[str, Any]]


def dashboard(
    store: Store,
    forvaltning: str | None,
    user: User,
    today: dt.date | None = None,
    cat: Catalog | None = None,
) -> Dashboard:
    """Every aggregate the follow-up page shows, computed in SQL, in one transaction."""
    cat = cat or catalog()
    today = today or dt.date.today()
    with unit_of_work(store, user, "read_register") as work:
        tx = work.tx
        return Dashboard(
            outcomes=readmodel.outcomes_by_forvaltning(tx, forvaltning),
            kontakt_progress=readmodel.kontakt_progress(tx, forvaltning),
            coverage=readmodel.coverage(tx, forvaltning),
            grounds=readmodel.grounds_count(tx, forvaltning, tuple(g.code for g in cat.grounds)),
            follow_up=readmodel.follow_up(tx, forvaltning, today),
            latest_approvals=readmodel.latest_approvals(tx, forvaltning),
        )


# --- Exports ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class ExportFile:
    data: bytes
    file_name: str
    media_type: str
    rows: int
    sha256: str


SUBMITTED, APPROVED = export.HEADERS.index("beslutad"), export.HEADERS.index("faststalld")


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
    today: dt.date | None = None,
) -> ExportFile:
    """Exactly the rows the filter shows, as a file (times in local time); recorded in the
    audit log with who, when, which filter, how many rows and the file's SHA-256."""
    tz = ZoneInfo(settings().timezone)
    today = today or dt.date.today()
    counted = [0]

    def local_rows(rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
        for row in rows:
            counted[0] += 1
            yield (
                *row[:SUBMITTED],
                _local(row[SUBMITTED], tz),
                *row[SUBMITTED + 1 : APPROVED],
                _local(row[APPROVED], tz),
                *row[APPROVED + 1 :],
            )

    with unit_of_work(store, user, "export") as work:
        data = export.render(local_rows(readmodel.export_rows(work.tx, f, today)), profile)
        digest = export.sha256(data)
        work.tx.append_audit(
            work.user.email,
            "export_decisions",
            {
                "filter": f.to_params(),
                "profile": profile,
                "rows": counted[0],
                "sha256": digest,
            },
        )
    stamp = dt.datetime.now(tz).strftime("%Y%m%d-%H%M")
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
    """A dashboard table as a file, recorded in the audit log like every export."""
    with unit_of_work(store, user, "export") as work:
        data = export.render_table(columns, rows, profile)
        digest = export.sha256(data)
        work.tx.append_audit(
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
