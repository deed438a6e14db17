"""Shared fixtures: a migrated store on SQLite and on PostgreSQL.

PostgreSQL tests use TEST_DATABASE_URL; each test gets a fresh schema. Without it they skip
with a visible reason, unless TEST_REQUIRE_ALL=1 (CI), which turns the skip into a failure.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from logic.domain import validation
from logic.i18n import messages
from logic.store.db import make_engine, migrate
from logic.store.store import Store

_MADE = validation.FieldError.__init__


def _said_in_words(self: validation.FieldError, /, **data: object) -> None:
    """Every validation problem any test meets names a message a page can say (a key of
    messages.yaml): a misspelt key would reach the user as an error of its own."""
    _MADE(self, **data)
    if self.message not in messages():
        raise AssertionError(f"FieldError at {self.field!r} names no message: {self.message!r}")


validation.FieldError.__init__ = _said_in_words  # type: ignore[method-assign]

REQUIRE_ALL = os.environ.get("TEST_REQUIRE_ALL") == "1"
TEST_AUDIT_KEY = b"test-audit-key"  # the chain is keyed in tests, as in every deployment
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")


def skip_or_fail(reason: str) -> None:
    if REQUIRE_ALL:
        pytest.fail(f"{reason} (TEST_REQUIRE_ALL=1: required components must be present)")
    pytest.skip(reason)


def postgres_engine() -> Iterator[Engine]:
    """A fresh schema on the test server; dropped afterwards."""
    if not TEST_DATABASE_URL:
        skip_or_fail("PostgreSQL tests need TEST_DATABASE_URL")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(TEST_DATABASE_URL)
    try:
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as exc:  # noqa: BLE001 - any connection failure means "no server"
        admin.dispose()
        skip_or_fail(f"PostgreSQL at TEST_DATABASE_URL is not reachable: {exc}")
    engine = create_engine(TEST_DATABASE_URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'test.db'}")
        yield engine
        engine.dispose()
    else:
        yield from postgres_engine()


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite database at the newest migration, made once: each test's store starts as
    a copy of it (migrating costs more than most tests)."""
    path = tmp_path_factory.mktemp("template") / "migrated.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()  # the last connection closed: the write-ahead log is in the file
    return path


@pytest.fixture
def store(engine: Engine, request: pytest.FixtureRequest) -> Store:
    if engine.dialect.name == "sqlite" and engine.url.database:
        engine.dispose()
        shutil.copyfile(request.getfixturevalue("migrated_sqlite"), engine.url.database)
    else:
        migrate(engine)
    return Store(engine, TEST_AUDIT_KEY)


TIERS = ("/unit/", "/integration/", "/app/", "/e2e/")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The fastest tier first (unit, integration, app, browser), so a failure shows in
    seconds; under `make mutation`, which stops at a mutant's first failing test, a mutant
    the unit tests catch costs no slower test."""
    items.sort(key=lambda item: next((i for i, t in enumerate(TIERS) if t in item.nodeid), 0))
