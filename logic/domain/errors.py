"""Every way a user action is refused. Each refusal is a Refused: it leaves the record as it
was (but for the refusal itself, where that is recorded) and names its words, a message of
data/i18n/messages.yaml with its parameters, so a page or the command line says any refusal
the same way (and catches one thing). The refusals of other layers (PermissionDenied in
auth.py, UnitFileError in files/unit_file.py, NotARegister in services/audit.py) are
Refused too."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from logic.domain.validation import FieldError


class Refused(Exception):
    """A user action refused in words; nothing of it was written."""

    def words(self) -> tuple[str, dict[str, object]]:
        """The message key and its parameters."""
        return "refused.generic", {}


class StaleRevision(Refused):
    """A save based on a revision that is no longer the newest: refused, nothing written."""

    def __init__(self, hsa_id: str, based_on: int | None, current: int | None):
        super().__init__(f"{hsa_id}: based on revision {based_on}, newest is {current}")
        self.hsa_id, self.based_on, self.current = hsa_id, based_on, current

    def words(self) -> tuple[str, dict[str, object]]:
        return "wizard.stale", {"current": self.current}


class StaleVerdict(Exception):
    """A verdict on a revision that is no longer the newest: the transaction is rolled back."""

    def __init__(self, hsa_id: str, revision: int):
        super().__init__(f"{hsa_id} rev {revision} is no longer the newest")
        self.hsa_id, self.revision = hsa_id, revision


class UnknownUnit(Refused):
    def __init__(self, hsa_id: str):
        super().__init__(hsa_id)
        self.hsa_id = hsa_id

    def words(self) -> tuple[str, dict[str, object]]:
        return "wizard.unknown_unit", {"hsa_id": self.hsa_id}


class UnknownRevision(Refused):
    """A unit has no revision of that number (or no decision at all)."""

    def __init__(self, hsa_id: str, revision: int | None):
        super().__init__(f"{hsa_id} rev {revision}")
        self.hsa_id, self.revision = hsa_id, revision

    def words(self) -> tuple[str, dict[str, object]]:
        if self.revision is None:
            return "document.no_decision", {"hsa_id": self.hsa_id}
        return "document.no_revision", {"hsa_id": self.hsa_id, "revision": self.revision}


class DraftNotHeld(Refused):
    """The draft was taken over by someone else (or recorded): this save is refused."""

    def __init__(self, hsa_id: str, holder: str | None, since: dt.datetime | None):
        super().__init__(f"{hsa_id} held by {holder}")
        self.hsa_id, self.holder, self.since = hsa_id, holder, since

    def words(self) -> tuple[str, dict[str, object]]:
        return "wizard.taken_over", {"holder": self.holder or "?", "since": self.since or "?"}


class DecisionInvalid(Refused):
    """A submission with validation problems, per wizard step."""

    def __init__(self, errors: dict[str, list[FieldError]]):
        super().__init__(
            "; ".join(f"{step}: {e.field} {e.message}" for step, es in errors.items() for e in es)
        )
        self.errors = errors

    def words(self) -> tuple[str, dict[str, object]]:
        first = next(e for errors in self.errors.values() for e in errors)
        return first.message, dict(first.params)


class VerdictRefused(Refused):
    """An approval or a return that may not be given (workflow.Refusal says why)."""

    def __init__(self, hsa_id: str, revision: int, reason: str):
        super().__init__(f"{hsa_id} rev {revision}: {reason}")
        self.hsa_id, self.revision, self.reason = hsa_id, revision, reason

    def words(self) -> tuple[str, dict[str, object]]:
        return f"workflow.refused.{self.reason}", {}


class CommentInvalid(Refused):
    def __init__(self, errors: list[FieldError]):
        super().__init__(", ".join(e.message for e in errors))
        self.errors = errors

    def words(self) -> tuple[str, dict[str, object]]:
        return self.errors[0].message, dict(self.errors[0].params)


class DatabaseError(Exception):
    """The database could not be used (unreachable, read-only, full, locked too long):
    nothing of the action was written. `reason` is the database's own words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class UnkeyedChain(Refused):
    """The record's chain holds no event keyed with the app's key (begun before keys, or
    rewritten without the key): nothing is appended until an administrator, having checked
    the record, introduces the key explicitly (python -m logic introduce-audit-key)."""

    def words(self) -> tuple[str, dict[str, object]]:
        return "audit.refused_unkeyed", {}


class LastAdministrator(Refused):
    """The change would leave no active administrator, and nobody could manage users."""

    def words(self) -> tuple[str, dict[str, object]]:
        return "admin.last_admin", {}


class UnknownUnits(Refused):
    """A unit manager given units the register does not hold (the first named)."""

    def __init__(self, hsa_ids: list[str]):
        super().__init__(", ".join(hsa_ids))
        self.hsa_ids = hsa_ids

    def words(self) -> tuple[str, dict[str, object]]:
        return "admin.unknown_units", {"units": ", ".join(self.hsa_ids[:5])}


EARLIEST_OBSERVED = dt.date(2000, 1, 1)  # before 1177.se: a slip, and it could never go


class ObservedOutOfRange(Refused):
    """An import dated after today (an observation is of what was seen, never ahead) or
    before EARLIEST_OBSERVED (observations are kept for good: a slip would stay)."""

    def __init__(self, observed: dt.date, today: dt.date):
        super().__init__(f"observed {observed} is not in {EARLIEST_OBSERVED}..{today}")
        self.observed, self.today = observed, today

    def words(self) -> tuple[str, dict[str, object]]:
        return "cli.observed_range", {"observed": self.observed, "today": self.today}


class CatalogRefused(Refused):
    """A catalog version that may not be proposed, approved or withdrawn: `reason` is a
    problem of logic/domain/catalog_versions.py, or "invalid" (a file is wrong: `detail`
    names file, line and field) or "unknown_administration" (`detail` names it)."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason, self.detail = reason, detail

    def words(self) -> tuple[str, dict[str, object]]:
        return f"catalog.refused.{self.reason}", {"detail": self.detail}


class CatalogAltered(Refused):
    """The catalog version in force no longer matches its hash, or is no catalog at all:
    edited behind the app's back. Nothing is decided by it; verification names it."""

    def __init__(self, number: int):
        super().__init__(f"catalog version {number}")
        self.number = number

    def words(self) -> tuple[str, dict[str, object]]:
        return "catalog.altered", {"number": self.number}
