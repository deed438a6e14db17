"""Users and their roles (kept by administrators; deactivated, never deleted)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from sqlalchemy import insert, select, update

from logic.domain.auth import User
from logic.store.rows import Rows
from logic.store.schema import users


def _user_from(row: Any) -> User:
    """A user as stored. A row that no longer passes the rules (edited behind the app's back,
    or kept from before a rule existed) is read as it is, never a crash: verification names
    it, and roles that are not roles give no permission."""
    try:
        return User.model_validate(row._asdict())
    except ValidationError:
        return User.model_construct(
            email=str(row.email),
            namn=str(row.namn),
            roles=tuple(r for r in str(row.roles or "").split("|") if r),
            active=bool(row.active),
            units=tuple(u for u in str(row.units or "").split("|") if u),
        )


class UserRows(Rows):
    def all(self) -> list[User]:
        rows = self.connection.execute(select(users).order_by(users.c.email))
        return [_user_from(r) for r in rows]

    def get(self, email: str) -> User | None:
        row = self.connection.execute(select(users).where(users.c.email == email.lower())).first()
        return _user_from(row) if row else None

    def save(self, user: User, actor: str) -> None:
        values = {
            "namn": user.namn,
            "roles": "|".join(user.roles),
            "active": user.active,
            "units": "|".join(user.units),
            "updated_at": self.now,
            "updated_by": actor,
        }
        if self.get(user.email) is None:
            self.connection.execute(insert(users).values(email=user.email, **values))
        else:
            self.connection.execute(
                update(users).where(users.c.email == user.email).values(**values)
            )

    def languages(self) -> dict[str, str]:
        """The language each person last chose in the app (their mail's), by e-mail."""
        statement = select(users.c.email, users.c.language).where(users.c.language.isnot(None))
        return {str(r.email): str(r.language) for r in self.connection.execute(statement)}

    def set_language(self, email: str, language: str) -> None:
        """A preference, not part of the record: no audit event, nothing verified by it."""
        statement = update(users).where(users.c.email == email.lower()).values(language=language)
        self.connection.execute(statement)
