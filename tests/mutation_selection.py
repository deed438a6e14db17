"""Which of the tests that reach a mutant's function `make mutation` runs against it, per module.

A pytest plugin loaded only by mutmut's configuration (pyproject `[tool.mutmut]`,
`-p tests.mutation_selection`): the suite itself never reads which mutant is under test.
mutmut runs every test that called the mutated function while it collected its statistics;
for the policy that is nearly every test, minutes a mutant. What kills a mutant of a module
is its own tier:

- the policy and the files (`logic/domain`, `logic/files`) are pure: the unit and
  integration tests on SQLite (a bug in a rule behaves the same on either database, and a
  page only shows what the services return);
- the services and read models: the unit and integration tests on both databases (a lock
  shows only on PostgreSQL).

The app tests are left out of both: mutmut does not see the calls made in their script
thread, so they reach a service only where a test sets up data through it, and a bug they
alone would see is a page's (the pages are not mutated). If nothing is left, every test
mutmut chose runs (a mutant is never reported as reached by no test because of this file).

Within a tier the quickest tests run first (their durations from mutmut's statistics): a
mutant stops at its first failing test, so a caught one costs seconds.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

import pytest

from tests.conftest import TIERS

MUTANT = "__mutmut_"  # in mutmut's mutant names only (stats and clean runs have other values)
PURE = ("logic.domain.", "logic.files.")  # checked on SQLite only


def keeps(mutant: str, nodeid: str, on_postgresql: bool) -> bool:
    """Whether the test `nodeid` runs against `mutant` (mutmut's name, e.g.
    `logic.domain.rules.x_recommend__mutmut_3`)."""
    if tier(nodeid) >= TIERS.index("/app/"):
        return False
    return not (mutant.startswith(PURE) and on_postgresql)


@cache
def durations() -> dict[str, float]:
    """Each test's time as mutmut measured it (seconds; empty if there are no statistics)."""
    for path in (Path("mutmut-stats.json"), Path("mutants/mutmut-stats.json")):
        if path.exists():
            return json.loads(path.read_text("utf-8")).get("duration_by_test", {})
    return {}


def tier(nodeid: str) -> int:
    return next((i for i, t in enumerate(TIERS) if t in nodeid), len(TIERS))


@pytest.hookimpl(trylast=True)  # after the suite's own order, which this refines
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    mutant = os.environ.get("MUTANT_UNDER_TEST", "")
    if MUTANT not in mutant:
        return
    on_postgresql = {i.nodeid: i.get_closest_marker("postgres") is not None for i in items}
    kept = [i for i in items if keeps(mutant, i.nodeid, on_postgresql[i.nodeid])] or list(items)
    if len(kept) < len(items):
        ids = {i.nodeid for i in kept}
        config.hook.pytest_deselected(items=[i for i in items if i.nodeid not in ids])
    took = durations()
    items[:] = sorted(kept, key=lambda i: (tier(i.nodeid), took.get(i.nodeid, 0.0)))
