"""The results of `make mutation`, kept with the code (docs/mutation-results.json), so that a
measurement too long for one sitting (thousands of mutants, minutes each on two cores) goes
on where it stopped, in another checkout or on another day.

    save     mutmut's results in mutants/ -> docs/mutation-results.json
    restore  docs/mutation-results.json -> mutants/, for each module mutmut has no results of
    sample N the mutants of each module's sample of N not measured yet, one name a line
             (`all`: none; make mutation then runs every mutant without a result)

What is kept per module: each function's hash (mutmut's, of its source) and each mutant's
exit code (null for one not run yet). mutmut keeps a mutant's result only while its
function's hash is unchanged, so a function changed since is measured again; a test added
since does not make mutmut re-run a mutant that survived (`make mutation MUTANTS=NAME`
does).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "mutants"
STATE = ROOT / "docs" / "mutation-results.json"
# mutmut's fork server gives 255 when running a mutant's tests raised (no test ran: seen
# after hundreds of mutants, in 0.0 s each) and reports it as a timeout, which would count
# as caught: such a mutant is not measured, and is kept as not run.
NOT_RUN_BY_MUTMUT = 255
# How many mutants of each module make its score when not all are measured (MUTATION_SAMPLE;
# `all`: every mutant): a random sample that stays the same from run to run and checkout to
# checkout (ordered by a hash of the mutant's name), so a measurement goes on where it stopped
# and is never biased to the mutants quickest to test (mutmut runs those first).
SAMPLE = os.environ.get("MUTATION_SAMPLE", "50")


def sample(names: Iterable[str], size: str = SAMPLE) -> list[str]:
    """A module's mutant names -> its sample of `size` (all of them for `all`)."""
    ordered = sorted(names, key=lambda name: hashlib.sha256(name.encode()).hexdigest())
    return ordered if size == "all" else ordered[: int(size)]


def save() -> int:
    state: dict[str, dict[str, dict[str, object]]] = {}
    if STATE.exists():
        state = json.loads(STATE.read_text("utf-8"))
    for meta in sorted(MUTANTS.glob("logic/**/*.py.meta")):
        data = json.loads(meta.read_text("utf-8"))
        results = data["exit_code_by_key"]  # null: not run yet (the report counts it so)
        if not results:
            continue
        if failed := [k for k, code in results.items() if code == NOT_RUN_BY_MUTMUT]:
            for key in failed:  # measured again next time, never counted as caught
                results[key] = None
            meta.write_text(json.dumps(data), "utf-8")
            print(f"{meta.name}: {len(failed)} mutants mutmut failed to test, to run again")
        path = str(meta.relative_to(MUTANTS)).removesuffix(".meta")
        state[path] = {
            "functions": dict(sorted(data.get("hash_by_function_name", {}).items())),
            "results": dict(sorted(results.items())),
        }
    STATE.write_text(json.dumps(dict(sorted(state.items())), indent=1) + "\n", "utf-8")
    print(f"mutation results of {len(state)} modules kept in {STATE.relative_to(ROOT)}")
    return 0


def restore() -> int:
    if not STATE.exists():
        return 0
    restored = 0
    for path, kept in json.loads(STATE.read_text("utf-8")).items():
        meta = MUTANTS / f"{path}.meta"
        if meta.exists():
            continue  # mutmut's own results here are newer
        meta.parent.mkdir(parents=True, exist_ok=True)
        meta.write_text(
            json.dumps(
                {
                    "exit_code_by_key": kept["results"],
                    "hash_by_function_name": kept["functions"],
                    "type_check_error_by_key": {},
                    "durations_by_key": {},
                    "estimated_durations_by_key": {},
                }
            ),
            "utf-8",
        )
        restored += 1
    print(f"mutation results of {restored} modules restored from {STATE.relative_to(ROOT)}")
    return 0


def unmeasured(size: str) -> int:
    """Print the names of the sampled mutants without a result, from mutmut's own files (run
    after it made the mutants: a function changed since has its mutants numbered afresh)."""
    if size == "all":
        return 0
    for meta in sorted(MUTANTS.glob("logic/**/*.py.meta")):
        results = json.loads(meta.read_text("utf-8"))["exit_code_by_key"]
        for name in sample(results, size):
            if results[name] is None:
                print(name)
    return 0


if __name__ == "__main__":
    commands = {"save": save, "restore": restore}
    if len(sys.argv) == 3 and sys.argv[1] == "sample":
        sys.exit(unmeasured(sys.argv[2]))
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        sys.exit(f"usage: {sys.argv[0]} save|restore|sample N")
    sys.exit(commands[sys.argv[1]]())
