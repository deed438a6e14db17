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

from logic.store.db import make_engine, migrate
from logic.store.store import Store

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


# Under mutmut, a unit-file mutant runs the unit tests and these integration tests of imports;
# every other integration test reads a unit file only to set up its data (and a mutant that
# breaks reading a good file is caught by the unit tests first).
UNIT_FILE_INTEGRATION = ("tests/integration/test_store.py", "tests/integration/test_rollout.py")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under mutmut (`make mutation`), which names the tests that reach a mutant in no
    particular order and stops at the first failure: the fast unit tests first, so a mutant
    they catch costs no integration test; the reports with charts are left out of it."""
    mutant = os.environ.get("MUTANT_UNDER_TEST", "")
    if not mutant:
        return
    items.sort(key=lambda item: "/integration/" in item.nodeid)
    # vl-convert's runtime, started before mutmut forks a test run, hangs in the fork
    charts = pytest.mark.skip(reason="renders charts (vl-convert): not in a forked run")
    for item in items:
        if "test_rollout_report.py" in item.nodeid:
            item.add_marker(charts)
    if mutant.startswith("logic.files.unit_file."):
        setup_only = [
            item
            for item in items
            if "/integration/" in item.nodeid
            and not item.nodeid.split("::")[0].endswith(UNIT_FILE_INTEGRATION)
        ]
        if setup_only:
            config.hook.pytest_deselected(items=setup_only)
            items[:] = [item for item in items if item not in setup_only]
