"""Users and their roles (kept by administrators; deactivated, never deleted)."""

from __future__ import annotations

from sqlalchemy import insert, select, update

from logic.domain.auth import User
from logic.store.rows import Rows
from logic.store.schema import users


class UserRows(Rows):
    def users(self) -> list[User]:
        rows = self.connection.execute(select(users).order_by(users.c.email))
        return [User.model_validate(r._asdict()) for r in rows]

    def user(self, email: str) -> User | None:
        row = self.connection.execute(select(users).where(users.c.email == email.lower())).first()
        return User.model_validate(row._asdict()) if row else None

    def save_user(self, user: User, actor: str) -> None:
        values = {
            "namn": user.namn,
            "roles": "|".join(user.roles),
            "active": user.active,
            "updated_at": self.now,
            "updated_by": actor,
        }
        if self.user(user.email) is None:
            self.connection.execute(insert(users).values(email=user.email, **values))
        else:
            self.connection.execute(
                update(users).where(users.c.email == user.email).values(**values)
            )
