"""The policy kept as reference data (the catalog): what a proposed catalog would change for
the register's units before anyone approves it, as a file, on the record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from logic.domain.auth import User
from logic.domain.catalog import Catalog
from logic.domain.policy_impact import Change, units_per_forvaltning
from logic.files import export
from logic.files import policy_impact as impact_file
from logic.files.export import ExportFile, Profile
from logic.readmodels.policy_impact import impact
from logic.services.unit_of_work import unit_of_work
from logic.store.store import Store

__all__ = ["Impact", "policy_impact"]


@dataclass(frozen=True)
class Impact:
    """The impact list as a file, and how many units change per administration."""

    file: ExportFile
    units: dict[str, int]


def policy_impact(
    store: Store,
    user: User,
    proposed: Catalog,
    profile: Profile,
    as_of: dt.date | None = None,
    lang: str = "sv",
    deliver: Callable[[bytes], None] | None = None,
    current: Catalog | None = None,
) -> Impact:
    """Every unit whose recommendation or roll-out (as of `as_of`, default today) differs
    under `proposed` from the catalog in force, one row per unit and change, in words;
    recorded in the audit log with both catalogs' versions, the rows and the SHA-256 (with
    `deliver`, only once the file has been delivered whole). Worked out from one state of
    the register with no write lock held (seconds on a large register: others write
    meanwhile), and recorded afterwards, as the decision documents are."""
    with unit_of_work(store, user, "export", readonly=True, snapshot=True) as work:
        day = as_of or work.today
        current = current or work.catalog  # what it changes: by default, the one in force
        changes: list[Change] = list(impact(work.tx, day, current, proposed))
        rows = list(impact_file.rows_in_words(changes, current, proposed, lang))
        data = export.render_table(impact_file.headers(lang), rows, profile)
        digest = export.sha256(data)
        if deliver is not None:
            deliver(data)  # raises on failure: nothing is recorded
    units = units_per_forvaltning(changes)
    with unit_of_work(store, user, "export") as work:
        work.tx.audit.append(
            work.user.email,
            "policy_impact",
            {
                "as_of": day.isoformat(),
                "catalog_version": current.version,
                "proposed_version": proposed.version,
                "profile": profile,
                "rows": len(rows),
                "units": sum(units.values()),
                "sha256": digest,
            },
        )
    name = f"paverkan-{current.version}-{proposed.version}-{day.isoformat()}"
    return Impact(
        ExportFile(
            data,
            f"{name}.{export.EXTENSIONS[profile]}",
            export.MEDIA_TYPES[profile],
            len(rows),
            digest,
        ),
        units,
    )
