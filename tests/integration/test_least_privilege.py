"""Least privilege on PostgreSQL: migrations run as the owner, the app as a role that can
read and append but can neither alter, drop nor truncate a table nor disable or drop the
triggers that keep the record append-only; and the app does all its work as that role."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from logic.domain.register import RegisterFilter
from logic.services.audit import verify_audit
from logic.services.register import export_decisions
from logic.services.rollout import read_summary
from logic.services.units import import_units
from logic.services.users import save_user
from logic.store.db import grant_app_role, migrate
from logic.store.store import Store
from tests.conftest import TEST_AUDIT_KEY, TEST_DATABASE_URL, postgres_engine, skip_or_fail
from tests.factories import ADAM, ANNA, BERIT, CECILIA, HEADER, ROW, decide, on_day

TODAY = dt.date(2026, 11, 25)

pytestmark = pytest.mark.postgres


@pytest.fixture
def owner() -> Iterator[Engine]:
    if not TEST_DATABASE_URL:
        skip_or_fail("PostgreSQL tests need TEST_DATABASE_URL")
    yield from postgres_engine()


@pytest.fixture
def app_engine(owner: Engine) -> Iterator[Engine]:
    """The app's engine: a login role of its own, granted by migrate's grant_app_role."""
    migrate(owner)
    role = f"app_{uuid.uuid4().hex[:10]}"
    with owner.begin() as connection:
        connection.execute(text(f"CREATE ROLE {role} LOGIN"))
    grant_app_role(owner, role)
    with owner.connect() as connection:
        schema = connection.execute(text("SELECT current_schema()")).scalar_one()
    url = make_url(TEST_DATABASE_URL).set(username=role)
    engine = create_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield engine
    finally:
        engine.dispose()
        with owner.begin() as connection:
            connection.execute(text(f"DROP OWNED BY {role}"))
            connection.execute(text(f"DROP ROLE {role}"))


def test_the_app_does_its_work_as_its_own_role(app_engine: Engine) -> None:
    store = on_day(Store(app_engine, TEST_AUDIT_KEY), TODAY)
    rows = [ROW, ROW.replace("T0001", "T0002")]
    import_units(store, "\n".join([HEADER, *rows]).encode(), ADAM, source="t.csv")
    decide(store, "SE162321000255-T0001", ANNA, approver=BERIT)
    save_user(store, ANNA.model_copy(update={"namn": "Anna A"}), ADAM)
    assert export_decisions(store, RegisterFilter(), "csv", CECILIA).rows == 2
    assert read_summary(store, CECILIA, TODAY).tallies
    assert verify_audit(store, ADAM).intact


@pytest.mark.parametrize(
    "statement",
    [
        "ALTER TABLE audit_events DISABLE TRIGGER ALL",
        "ALTER TABLE assessment_revisions DISABLE TRIGGER assessment_revisions_append_only",
        "DROP TRIGGER audit_events_append_only ON audit_events",
        "TRUNCATE audit_events",
        "TRUNCATE units CASCADE",
        "ALTER TABLE units ADD COLUMN forged integer",
        "DROP TABLE drafts",
        "UPDATE audit_events SET actor = 'mallory@region.se'",
        "DELETE FROM approvals",
        "CREATE TABLE shadow (id integer)",
        "ALTER TABLE audit_events OWNER TO CURRENT_USER",
    ],
)
def test_the_app_role_is_refused_what_could_undo_the_record(
    app_engine: Engine, statement: str
) -> None:
    with pytest.raises(DBAPIError) as refused, app_engine.begin() as connection:
        connection.execute(text(statement))
    assert "permission denied" in str(refused.value.orig) or "must be owner" in str(
        refused.value.orig
    )


def test_migrate_as_the_owner_grants_the_apps_role_exactly_that(
    owner: Engine, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The documented way: DATABASE_URL is the app's role, MIGRATION_DATABASE_URL the owner;
    `python -m logic migrate` upgrades the schema and grants the role its privileges."""
    from logic.__main__ import main
    from logic.settings import settings

    role = f"app_{uuid.uuid4().hex[:10]}"
    with owner.begin() as connection:
        connection.execute(text(f"CREATE ROLE {role} LOGIN"))
        schema = connection.execute(text("SELECT current_schema()")).scalar_one()
    in_schema = f"?options=-csearch_path%3D{schema}"
    monkeypatch.setenv("MIGRATION_DATABASE_URL", TEST_DATABASE_URL + in_schema)
    url = make_url(TEST_DATABASE_URL).set(username=role)
    monkeypatch.setenv("DATABASE_URL", url.render_as_string(hide_password=False) + in_schema)
    monkeypatch.setenv("AUDIT_KEY", "a-key-of-sixteen-or-more")
    settings.cache_clear()
    try:
        assert main(["migrate"]) == 0
        assert role in capsys.readouterr().out
        with owner.connect() as connection:
            may = {
                (table, privilege): connection.execute(
                    text("SELECT has_table_privilege(:r, :t, :p)"),
                    {"r": role, "t": f"{schema}.{table}", "p": privilege},
                ).scalar_one()
                for table in ("audit_events", "units")
                for privilege in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "TRIGGER")
            }
        assert {k for k, v in may.items() if v} == {
            ("audit_events", "SELECT"),
            ("audit_events", "INSERT"),
            ("units", "SELECT"),
            ("units", "INSERT"),
            ("units", "UPDATE"),
            ("units", "DELETE"),
        }
    finally:
        settings.cache_clear()
        with owner.begin() as connection:
            connection.execute(text(f"DROP OWNED BY {role}"))
            connection.execute(text(f"DROP ROLE {role}"))
