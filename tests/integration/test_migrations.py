"""Migrations on both databases: a register made under an older schema upgrades cleanly."""

from __future__ import annotations

import datetime as dt

from alembic import command
from sqlalchemy import Engine, text

from logic.services.units import search_units
from logic.store.db import alembic_config
from logic.store.store import Store
from tests.factories import ANNA


def upgrade(engine: Engine, target: str) -> None:
    with engine.begin() as connection:
        config = alembic_config(engine.url.render_as_string(hide_password=False))
        config.attributes["connection"] = connection
        command.upgrade(config, target)


def test_units_from_before_the_search_key_are_found_after_the_upgrade(engine: Engine) -> None:
    upgrade(engine, "0002")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO units (hsa_id, namn, forvaltning, enhetstyp, verksamhet, driftsform,"
                " vardutforande, kontaktkort, patientkontakt, bokar_besok, telefon_papper,"
                " e_tjanster, recommended_outcome, recommended_missing, catalog_version,"
                " updated_at, updated_by) VALUES ('SE162321000255-M1', 'Hörselmottagningen Ystad',"
                " 'F', 'mottagning', 'specialistvard', 'region', true, true, true, true, '', '',"
                " 'omfattas', 'kontakt', 'x', :now, 'test')"
            ),
            {"now": dt.datetime.now(dt.UTC)},
        )
    upgrade(engine, "head")
    assert [u.hsa_id for u in search_units(Store(engine), "horsel ystad", ANNA)] == [
        "SE162321000255-M1"
    ]


def test_the_migrations_create_exactly_the_schema_the_code_declares(engine: Engine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from logic.store.schema import metadata

    upgrade(engine, "head")
    with engine.connect() as connection:
        context = MigrationContext.configure(connection)
        differences = [
            d
            for d in compare_metadata(context, metadata)
            if not (
                isinstance(d, tuple) and d[0] == "remove_table" and d[1].name == "alembic_version"
            )
        ]
    assert differences == []


def test_a_decision_recorded_before_four_eyes_awaits_approval_after_the_upgrade(
    engine: Engine,
) -> None:
    upgrade(engine, "0004")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO units (hsa_id, namn, forvaltning, enhetstyp, verksamhet, driftsform,"
                " vardutforande, kontaktkort, patientkontakt, bokar_besok, telefon_papper,"
                " e_tjanster, recommended_outcome, recommended_missing, catalog_version,"
                " updated_at, updated_by, current_revision) VALUES ('SE162321000255-M2',"
                " 'Mottagning', 'F', 'mottagning', 'specialistvard', 'region', true, true, true,"
                " true, '', '', 'omfattas', 'kontakt', 'x', :now, 'test', 1)"
            ),
            {"now": dt.datetime.now(dt.UTC)},
        )
    upgrade(engine, "head")
    with engine.connect() as conn:
        status = conn.execute(text("SELECT decision_status FROM units")).scalar_one()
    assert status == "for_beslut"


def test_four_eyes_downgrades_and_upgrades_again_with_data(engine: Engine) -> None:
    from logic.services.units import import_units
    from logic.services.verdicts import approve_decision
    from tests.factories import ADAM, BERIT, HEADER, ROW, decide

    upgrade(engine, "head")
    store = Store(engine)
    import_units(store, f"{HEADER}\n{ROW}\n".encode(), ADAM, source="t.csv")
    revision = decide(store, "SE162321000255-T0001", ANNA)
    approve_decision(store, revision.hsa_id, revision.revision, revision.content_hash, BERIT)
    with engine.begin() as connection:
        config = alembic_config(engine.url.render_as_string(hide_password=False))
        config.attributes["connection"] = connection
        command.downgrade(config, "0004")
    upgrade(engine, "head")
    with engine.connect() as conn:  # the verdict table went; the decision awaits approval
        status = conn.execute(text("SELECT decision_status FROM units")).scalar_one()
    assert status == "for_beslut"
