"""Two app processes serving one PostgreSQL database, as behind a load balancer: four
browsers at once, two on each fresh process (their first requests at the same moment), each
assessing a unit to a submitted decision, and the unit manager asking on Min enhet in two
more. None sees an error, nothing is lost, the record verifies (a short `make stress`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.stress import run_two_apps
from benchmarks.stress_apps import MANAGED
from tests.conftest import TEST_DATABASE_URL, skip_or_fail
from tests.e2e.conftest import chromium_path

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]


def test_four_browsers_on_two_app_processes_submit_without_an_error(tmp_path: Path) -> None:
    if not TEST_DATABASE_URL:
        skip_or_fail("PostgreSQL tests need TEST_DATABASE_URL")
    if chromium_path() is None:
        skip_or_fail("browser tests need Chromium (apt-get install chromium, or CHROMIUM_PATH)")
    result = run_two_apps("postgresql", browsers=4, directory=tmp_path)
    assert result.errors == []
    assert result.lost == []
    # four decisions submitted, and each of the unit manager's requests stored
    assert result.intact and result.committed == 4 + len(MANAGED)
