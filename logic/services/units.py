"""The unit register: import the unit file (all rows valid, or nothing written), its preview,
the sample units, cached recommendations, search."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from logic.clock import local_today
from logic.domain.auth import SYSTEM, User
from logic.domain.errors import EARLIEST_OBSERVED, ObservedOutOfRange
from logic.domain.models import Unit
from logic.domain.register import UnitListing
from logic.domain.rules import Recommendations
from logic.files.unit_file import Source, check_units, iter_units
from logic.readmodels import overview
from logic.readmodels.recommendations import refresh_stale
from logic.readmodels.rollout_projection import refresh_if_stale, refresh_units, templated_codes
from logic.services.unit_of_work import unit_of_work
from logic.store.store import Store


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    unchanged: int
    older: int = 0  # the register shows a newer observation of these: left as they are

    @property
    def total(self) -> int:
        return self.added + self.updated + self.unchanged + self.older


COUNTS = ("added", "updated", "unchanged", "older")


def import_units(
    store: Store,
    data: Source,
    user: User,
    source: str,
    lang: str = "sv",
    observed: dt.date | None = None,
) -> ImportResult:
    """Validate every row first (UnitFileError lists them all, nothing written); then upsert
    by hsa_id with each unit's recommendation, append each unit as an observation on
    `observed` (default today; ObservedOutOfRange after today or before 2000), and record
    the import in the audit log. A unit the register shows from a newer observation keeps
    its row (counted as `older`). A file given as a path is streamed twice (checked, then
    written), never whole."""
    local = local_today(store)
    observed = observed or local
    if not EARLIEST_OBSERVED <= observed <= local:
        raise ObservedOutOfRange(observed, local)
    with unit_of_work(store, user, "import_units") as work:
        in_file = check_units(data, lang)  # every row first: nothing written unless all right
        work.tx.serialize("units")  # two imports at once: one after the other
        work.tx.hold_snapshot()  # a report's moment waits for this import to commit
        cat = work.catalog
        recommended = Recommendations(cat, work.today)  # the day it is written
        refresh_if_stale(work.tx, cat)  # the roll-out now whole first (after an upgrade)
        counts = dict.fromkeys(COUNTS, 0)
        with work.tx.rollout.writing_many(in_file, work.tx.units.count()):
            for chunk in _chunks(iter_units(data, lang)):  # a large file never whole in memory
                pairs = [(u, recommended(u)) for u in chunk]
                done = work.tx.units.upsert(pairs, work.user.email, observed)
                counts = {name: counts[name] + done[name] for name in counts}
                refresh_units(work.tx, cat, [u.hsa_id for u in chunk])  # the roll-out now
        work.tx.rollout.rebuild_progress(templated_codes(cat))
        details = {
            "source": source,
            "observed": observed.isoformat(),
            **counts,
            # every row it appended, committed to: verification recomputes the digest
            **work.tx.units.recorded_observations(),
        }
        work.tx.audit.append(work.user.email, "import_units", details)
    return ImportResult(**counts)


CHUNK = 2000  # units written per statement batch


def _chunks(units: Iterator[Unit]) -> Iterator[list[Unit]]:
    chunk: list[Unit] = []
    for unit in units:
        chunk.append(unit)
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@dataclass(frozen=True)
class ImportPreview:
    """What an import would do: the counts, and the first PREVIEW new units and units
    changed, each changed one with the facts that changed (in the unit file's columns)."""

    counts: ImportResult
    new: list[Unit]
    changed: list[tuple[Unit, tuple[str, ...]]]


def preview_import(
    store: Store,
    data: bytes,
    user: User,
    lang: str = "sv",
    observed: dt.date | None = None,
) -> ImportPreview:
    """What an import observed on `observed` (default today) would do, without writing
    (UnitFileError lists every bad row)."""
    observed = observed or local_today(store)
    with unit_of_work(store, user, "import_units") as work:
        check_units(data, lang)
        recommended = Recommendations(work.catalog, work.today)
        new: list[Unit] = []
        changed: list[tuple[Unit, tuple[str, ...]]] = []
        counts = dict.fromkeys(COUNTS, 0)
        for chunk in _chunks(iter_units(data, lang)):
            pairs = [(u, recommended(u)) for u in chunk]
            added: list[Unit] = []
            found: list[tuple[Unit, tuple[str, ...]]] = []
            done = work.tx.units.upsert(
                pairs, "", observed, dry_run=True, added=added, changes=found
            )
            new += added[: PREVIEW - len(new)]
            changed += found[: PREVIEW - len(changed)]
            counts = {name: counts[name] + done[name] for name in counts}
    return ImportPreview(ImportResult(**counts), new, changed)


PREVIEW = 50  # units a preview shows


def seed_sample_units(store: Store, path: Path, user: User = SYSTEM) -> ImportResult | None:
    """Load the sample units into an empty register; leave a register with units alone."""
    with store.transaction() as tx:
        if tx.units.count() > 0:
            return None
    return import_units(store, path.read_bytes(), user, source=f"sample:{path.name}")


def refresh_recommendations(store: Store, user: User = SYSTEM) -> int:
    """Recompute cached recommendations made under another catalog version (after an edit of
    the reference data). Returns how many units were refreshed."""
    with unit_of_work(store, user, "import_units") as work:
        work.tx.serialize("units")
        return refresh_stale(work.tx, work.catalog, work.today, work.user.email)


def search_units(store: Store, query: str, user: User, limit: int = 100) -> list[UnitListing]:
    """Units whose name or HSA-id holds every word of `query` (kept until something is
    written: the wizard asks on every rerun)."""
    with unit_of_work(store, user, "read_register", readonly=True) as work:
        return overview.search_units(work.tx, query, limit)
