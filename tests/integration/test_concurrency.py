"""Many people at once (a short `make stress`): assessors and approvers in processes of their
own, on one unit and on different units, and imports at once. Nothing fails with a
traceback, nothing committed is lost, revision numbers stay 1..n, the record verifies."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.stress import run_case
from tests.conftest import TEST_DATABASE_URL, skip_or_fail


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
@pytest.mark.parametrize("case", ["same unit", "different units", "imports"])
def test_people_acting_at_once_wait_for_each_other_and_lose_nothing(
    kind: str, case: str, tmp_path: Path
) -> None:
    if kind == "postgresql" and not TEST_DATABASE_URL:
        skip_or_fail("PostgreSQL tests need TEST_DATABASE_URL")
    result = run_case(case, kind, workers=4, rounds=3, directory=tmp_path)
    assert result.errors == []
    assert result.lost == []
    assert result.intact
    assert result.committed > 0
    if case == "same unit":  # one unit, four people: some find it taken or overtaken
        assert result.refused > 0
