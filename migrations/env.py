"""Alembic environment: runs migrations on the URL given by the caller or the settings."""

from alembic import context
from sqlalchemy import create_engine

from logic.settings import settings
from logic.store.schema import metadata

config = context.config
url = config.get_main_option("sqlalchemy.url") or settings().database_url
connection = config.attributes.get("connection")


def run(conn) -> None:  # type: ignore[no-untyped-def]
    context.configure(connection=conn, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    run(connection)
else:
    engine = create_engine(url)
    with engine.connect() as conn:
        run(conn)
    engine.dispose()
