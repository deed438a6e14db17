"""AppTest fixtures: the app on a fresh SQLite file with the sample units."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from logic.bootstrap import audit_key
from logic.demo.history import seed_demo_history
from logic.domain.auth import DEMO_USERS
from logic.files.reference_data import catalog
from logic.services.units import seed_sample_units
from logic.settings import settings
from logic.store.db import make_engine, migrate
from logic.store.store import Store

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def loopback() -> Iterator[None]:
    """Local mode serves only on loopback, as `make run` does; a served app has this set."""
    before = config.get_option("server.address")
    config.set_option("server.address", "127.0.0.1")
    yield
    config.set_option("server.address", before)


@pytest.fixture
def app_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Store]:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    settings.cache_clear()
    engine = make_engine(url)
    migrate(engine)
    store = Store(engine, audit_key(settings()))  # the key the app writes with
    yield store
    engine.dispose()
    settings.cache_clear()


@pytest.fixture
def seeded(app_db: Store) -> Store:
    seed_sample_units(app_db, settings().sample_units)
    return app_db


@pytest.fixture(scope="module")
def demo_register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A register at work: the demo units with a year of decisions and observations."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    store = Store(engine, audit_key(settings()))
    seed_demo_history(store, settings().sample_units, catalog(), dt.date.today())
    engine.dispose()
    return path


@pytest.fixture
def at_work(demo_register: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of a register at work (the demo history) that the app is opened on."""
    copy = tmp_path / "app.db"
    shutil.copy(demo_register, copy)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{copy}")
    settings.cache_clear()
    yield copy
    settings.cache_clear()


# The demo users by role, as local mode offers them.
HANDLAGGARE, BESLUTSFATTARE, _, CHEF, ADMINISTRATOR, ENHETSCHEF = (u.email for u in DEMO_USERS)


def new_app(as_user: str | None = HANDLAGGARE) -> AppTest:
    """The app in local mode with a demo user chosen (None: nobody chosen yet)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    if as_user is not None:
        at.session_state["local_user"] = as_user
    return at
