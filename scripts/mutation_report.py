"""`make mutation`'s summary: per module, how many of mutmut's small deliberate bugs the tests
caught (killed), against the target, and every survivor by name (`mutmut show NAME` prints
its diff). Reads `mutmut results --all true` after `mutmut run`. Exits 1 below the target."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter, defaultdict

TARGET = 0.90  # of the mutants in each module, killed
CAUGHT = {"killed", "timeout", "segfault"}  # a test failed, hung or crashed: the bug was seen
PENDING = "not checked"  # not run yet (an interrupted run): left out of the score, and said


def main() -> int:
    done = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"],
        capture_output=True,
        text=True,
        check=True,
    )
    status: dict[str, Counter[str]] = defaultdict(Counter)
    survivors: dict[str, list[str]] = defaultdict(list)
    for line in done.stdout.splitlines():
        name, _, result = line.strip().rpartition(": ")
        if "__mutmut_" not in name:
            continue
        module = _module(name)
        status[module][result] += 1
        if result not in CAUGHT and result != PENDING:  # survived, or no test reaches it
            survivors[module].append(f"{name} ({result})")
    if not status:
        print("No mutmut results: run `mutmut run` first.", file=sys.stderr)
        return 1
    print(
        f"\n{'module':34} {'mutants':>8} {'killed':>8} {'missed':>8} {'not run':>8} {'score':>7}"
        f"  target {TARGET:.0%}"
    )
    below = []
    for module in sorted(status):
        counts = status[module]
        killed = sum(n for result, n in counts.items() if result in CAUGHT)
        pending = counts[PENDING]
        missed = sum(counts.values()) - killed - pending
        score = killed / (killed + missed) if killed + missed else 0.0
        mark = "ok" if score >= TARGET else "BELOW"
        if score < TARGET or pending:
            below.append(module)
        print(
            f"{module:34} {sum(counts.values()):>8} {killed:>8} {missed:>8} {pending:>8} "
            f"{score:>7.1%}  {mark}{' (incomplete)' if pending else ''}"
        )
    for module in sorted(survivors):
        print(f"\nsurvivors in {module} ({len(survivors[module])}):")
        for name in survivors[module]:
            print(f"  {name}")
    return 1 if below else 0


def _module(name: str) -> str:
    """logic.domain.rules.x_recommend__mutmut_3 -> logic/domain/rules.py; a method's mutant
    (logic.files.duplicates.xǁDuplicatesǁadd__mutmut_1) names its class, not a module."""
    path = []
    for part in name.split("."):
        if (part.startswith("x") and "__mutmut_" in part) or "ǁ" in part:
            break
        path.append(part)
    return "/".join(path) + ".py"


if __name__ == "__main__":
    sys.exit(main())
