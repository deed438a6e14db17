"""`make mutation`'s report: per module, how many of mutmut's small deliberate bugs the tests
caught (killed), against the target, and every survivor by name (`mutmut show NAME` prints
its diff). Reads `mutmut results --all true` after `mutmut run`; prints the summary and
writes docs/mutation.md, where each survivor stands with the reason docs/mutation-survivors.yaml
gives for it, or as "not explained". Exits 1 below the target.

Run it again after editing the reasons: it reads the last run's results, running no mutant.
"""

from __future__ import annotations

import datetime as dt
import math
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))  # also when imported as scripts.*
from mutation_state import SAMPLE, sample  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "docs" / "mutation.md"
REASONS = ROOT / "docs" / "mutation-survivors.yaml"
TARGET = 0.90  # of the mutants in each module, killed
CAUGHT = {"killed", "timeout", "segfault"}  # a test failed, hung or crashed: the bug was seen
PENDING = "not checked"  # not run yet (an interrupted run): left out of the score, and said
CLASS = "ǁ"  # mutmut's separator in a method's mutant: xǁClassǁmethod__mutmut_1

# How the numbers in docs/mutation.md are made; written above them on every run.
ABOUT = """\
`make mutation` (not part of `make test`: it is slow) runs mutmut over the policy code, the
record and every user action: `logic/domain/rules.py`, `assessment.py`, `validation.py`,
`workflow.py`, `record.py`, `verification.py`, `catalog_versions.py`,
`logic/files/unit_file.py`, `unit_file_columns.py` and `export.py`, every module of
`logic/services/` and `logic/readmodels/` (pyproject `[tool.mutmut]`), and then
`scripts/mutation_report.py` prints and writes here, per module, the mutants killed,
missed and not run, the score against the target (90% of the mutants in each module killed)
and every survivor. The log is `var/mutation.log`.

**A sample per module.** Some five thousand mutants at seconds to minutes each are days of
two cores, so a module not measured whole is scored on a sample: `MUTATION_SAMPLE` (50 by
default) of its mutants, chosen at random once and for all (ordered by a hash of each
mutant's name, so every run and checkout draws the same ones, and never only those quickest
to test, which mutmut runs first). The table says which: "all" (the score is exact) or
"sample of 50", with the score's 95% interval (Wilson's). `make mutation` runs the sampled
mutants not measured yet; `MUTATION_SAMPLE=all make mutation` runs every mutant without a
result. Survivors are listed from every mutant measured, in the sample or not.

The measurement goes on where it stopped: each mutant's result is kept with the code in
`docs/mutation-results.json` (`scripts/mutation_state.py`), restored before a run and saved
after it; mutmut runs only the mutants without a result, or of a function changed since.
`make mutation MUTANTS="logic.domain.validation*"` runs those mutants again (say, the
survivors after a test was added). `MUTATION_JOBS=1 make mutation` tests one mutant at a
time (the default is 2). From scratch: `rm -rf mutants docs/mutation-results.json`. Which
tests reach which function is collected afresh at the start of every run (mutmut would keep
the mapping of the run that first collected it, so a test added since would never be run
against an older survivor); and a mutant whose tests mutmut's fork server failed to start
(exit 255 in no time, which mutmut reports as a timeout) is kept as not run, never as caught.

**Which tests a mutant runs.** mutmut notes which tests call each function; of those,
`tests/mutation_selection.py` (a pytest plugin in mutmut's configuration only: the suite
never reads which mutant is under test) runs the tiers of the mutant's module, the quickest
test first within each tier, stopping at the first failure: the policy and the files
(`logic/domain`, `logic/files`) by the unit and integration tests on SQLite (a rule behaves
the same on either database); the services and read models by the unit and integration
tests on SQLite and PostgreSQL (`make mutation` sets `TEST_DATABASE_URL` to the local
server: a lock mutant shows only there). The app tests are left out: mutmut does not see the
calls made in their script thread, so they reached a service only where a test set up data
through it (results measured before 2026-12-06 ran them too, and every database). mutmut's
configuration also leaves out the tests that run the command line or many people in
processes of their own (the mutant is not in them) and the tests that read the source
itself. Each mutant runs in a process forked from a server that has run no test (forked
from mutmut's own process, the app tests inherited Streamlit's threads mid-lock and hung).
Each test's SQLite store starts as a copy of one database migrated once per session.

Every survivor is listed by function and mutant number (`_units` 7 is mutmut's
`logic.files.unit_file.x__units__mutmut_7`; `.venv/bin/python -m mutmut show NAME` prints
its diff) with why it is equivalent (it behaves the same wherever the code is used) or
harmless. The reasons are kept by hand in `docs/mutation-survivors.yaml`; a survivor without
one is listed as **not explained**: kill it with a test, or say there why it is harmless.
"""


@dataclass(frozen=True)
class Score:
    """A module's score over its basis: every mutant once all are measured, else its sample
    (scripts/mutation_state.py: a fixed random sample of MUTATION_SAMPLE mutants)."""

    mutants: int  # in the module
    basis: int  # the mutants the score is over
    killed: int
    missed: int  # survived, or no test reaches it
    pending: int  # of the basis, not run yet

    @property
    def sampled(self) -> bool:
        return self.basis < self.mutants

    @property
    def score(self) -> float:
        return self.killed / (self.killed + self.missed) if self.killed + self.missed else 0.0

    @property
    def interval(self) -> tuple[float, float]:
        """The score's 95% interval (Wilson's) as an estimate from a sample; the score itself
        when every mutant is measured."""
        n = self.killed + self.missed
        if not self.sampled or not n:
            return self.score, self.score
        z = 1.96
        p = self.score
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        return max(0.0, centre - half), min(1.0, centre + half)

    @property
    def ok(self) -> bool:
        return self.score >= TARGET and not self.pending

    @property
    def measured(self) -> str:
        return f"sample of {self.basis}" if self.sampled else "all"


def mark(s: Score, strong: str = "") -> str:
    """Against the target: ok, below (said whether measured whole or not), or not yet known."""
    if s.ok:
        return "ok"
    below = f"{strong}below {TARGET:.0%}{strong}"
    return "incomplete" if s.score >= TARGET else f"{below} (incomplete)" if s.pending else below


def tally(
    lines: Iterable[str],
) -> tuple[dict[str, dict[str, str]], dict[str, list[tuple[str, str]]]]:
    """`mutmut results --all true`'s lines -> per module, each mutant's result, and the
    survivors (of every mutant measured, in the sample or not) as (mutant name, result)."""
    results: dict[str, dict[str, str]] = defaultdict(dict)
    survivors: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for line in lines:
        name, _, result = line.strip().rpartition(": ")
        if "__mutmut_" not in name:
            continue
        module = _module(name)
        results[module][name] = result
        if result not in CAUGHT and result != PENDING:  # survived, or no test reaches it
            survivors[module].append((name, result))
    return dict(results), dict(survivors)


def score(results: Mapping[str, str], size: str = SAMPLE) -> Score:
    """A module's results -> its score: over every mutant if all are measured, else over its
    sample (the same sample whatever was measured first: never the quickest mutants only)."""
    whole = PENDING not in results.values()
    basis = list(results) if whole else sample(results, size)
    counts = Counter(results[name] for name in basis)
    killed = sum(n for result, n in counts.items() if result in CAUGHT)
    pending = counts[PENDING]
    return Score(len(results), len(basis), killed, len(basis) - killed - pending, pending)


def load_reasons(path: Path = REASONS) -> tuple[dict[str, str], str]:
    """The hand-kept file -> (mutant name -> reason, the notes under the scores)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    reasons: dict[str, str] = {}
    for module, groups in (data.get("survivors") or {}).items():
        for key, reason in groups.items():
            for name in mutant_names(module, key):
                if name in reasons:
                    raise ValueError(f"{path.name}: {name} is given two reasons")
                reasons[name] = " ".join(str(reason).split())
    return reasons, " ".join(str(data.get("notes") or "").split())


def mutant_names(module: str, key: str) -> list[str]:
    """("logic/files/unit_file.py", "_units 7, 8") -> mutmut's names of `_units`' mutants 7
    and 8; "_Chain._link 53" names a method's."""
    function, _, numbers = key.strip().partition(" ")
    owner, _, method = function.rpartition(".")
    mangled = f"x{CLASS}{owner}{CLASS}{method}" if owner else f"x_{function}"
    dotted = module.removesuffix(".py").replace("/", ".")
    return [f"{dotted}.{mangled}__mutmut_{int(n)}" for n in numbers.split(",")]


def label(name: str) -> tuple[str, int]:
    """logic.files.unit_file.x__units__mutmut_7 -> ("_units", 7);
    ...xǁ_Chainǁ_link__mutmut_53 -> ("_Chain._link", 53)."""
    mangled, _, number = name.rpartition("__mutmut_")
    tail = mangled.rpartition(".")[2]
    function = ".".join(tail.split(CLASS)[1:]) if tail.startswith(f"x{CLASS}") else tail[2:]
    return function, int(number)


def render(
    status: Mapping[str, Mapping[str, str]],
    survivors: Mapping[str, Sequence[tuple[str, str]]],
    reasons: Mapping[str, str],
    made: str,
    notes: str = "",
) -> str:
    """docs/mutation.md: what made it, how, the score per module (below the target marked),
    and per module every survivor with its reason, or "not explained"."""
    out = [
        "# Mutation testing",
        "",
        "<!-- Written by `make mutation` (scripts/mutation_report.py): edit the reasons in"
        " docs/mutation-survivors.yaml and ABOUT in the script, not this file. -->",
        "",
        made,
        "",
        ABOUT,
        "## Scores",
        "",
        "| module | mutants | measured | killed | missed | not run | score | 95% interval |"
        " target 90% |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for module in sorted(status):
        s = score(status[module])
        low, high = s.interval
        interval = f"{low:.1%} to {high:.1%}" if s.sampled else "–"
        out.append(
            f"| `{module}` | {s.mutants} | {s.measured} | {s.killed} | {s.missed} | {s.pending} | "
            f"{s.score:.1%} | {interval} | {mark(s, '**')} |"
        )
    if notes:
        out += ["", notes]
    out += ["", "## Survivors"]
    listed = set()
    for module in sorted(status):
        found = survivors.get(module, ())
        count = f"{len(found)} survivor{'' if len(found) == 1 else 's'}"
        out += ["", f"**`{module}`** ({count}){':' if found else '.'}"]
        if found:
            out += ["", *_grouped(found, reasons)]
        listed |= {name for name, _ in found}
    stale = sorted(name for name in set(reasons) - listed if _module(name) in status)
    if stale:
        out += [
            "",
            "## Reasons for mutants that did not survive",
            "",
            "In docs/mutation-survivors.yaml but not among this run's survivors (killed now, "
            "not run yet, or numbered afresh after a change): remove or renumber them.",
            "",
            *(f"- `{name}`" for name in stale),
            "",
        ]
    return "\n".join(out).rstrip("\n") + "\n"


def _grouped(found: Sequence[tuple[str, str]], reasons: Mapping[str, str]) -> list[str]:
    """One line per function and reason, in the order met: "- `view` 11, 15: reason"."""
    groups: dict[tuple[str, str], list[str]] = {}
    for name, result in found:
        function, number = label(name)
        why = reasons.get(name, "**not explained**")
        shown = f"{number}" if result == "survived" else f"{number} ({result})"
        groups.setdefault((function, why), []).append(shown)
    return [
        f"- `{function}` {', '.join(numbers)}: {why}" for (function, why), numbers in groups.items()
    ]


def main() -> int:
    done = subprocess.run(
        [sys.executable, "-m", "mutmut", "results", "--all", "true"],
        capture_output=True,
        text=True,
        check=True,
    )
    status, survivors = tally(done.stdout.splitlines())
    if not status:
        print("No mutmut results: run `mutmut run` first.", file=sys.stderr)
        return 1
    reasons, notes = load_reasons()
    print(
        f"\n{'module':38} {'mutants':>8} {'measured':>14} {'killed':>7} {'missed':>7}"
        f" {'not run':>8} {'score':>7}  target {TARGET:.0%}"
    )
    below = []
    for module in sorted(status):
        s = score(status[module])
        if not s.ok:
            below.append(module)
        print(
            f"{module:38} {s.mutants:>8} {s.measured:>14} {s.killed:>7} {s.missed:>7}"
            f" {s.pending:>8} {s.score:>7.1%}  {mark(s)}"
        )
    for module in sorted(survivors):
        print(f"\nsurvivors in {module} ({len(survivors[module])}):")
        for name, result in survivors[module]:
            print(f"  {name} ({result}){'' if name in reasons else '  not explained'}")
    made = (
        f"Made {dt.datetime.now().astimezone():%Y-%m-%d %H:%M %Z} by `make mutation` "
        "(`scripts/mutation_report.py`, from `mutmut results` of the last `mutmut run`)."
    )
    REPORT.write_text(render(status, survivors, reasons, made, notes), encoding="utf-8")
    print(f"\nwritten to {REPORT.relative_to(ROOT)}")
    return 1 if below else 0


def _module(name: str) -> str:
    """logic.domain.rules.x_recommend__mutmut_3 -> logic/domain/rules.py; a method's mutant
    (logic.files.duplicates.xǁDuplicatesǁadd__mutmut_1) names its class, not a module."""
    path = []
    for part in name.split("."):
        if (part.startswith("x") and "__mutmut_" in part) or CLASS in part:
            break
        path.append(part)
    return "/".join(path) + ".py"


if __name__ == "__main__":
    sys.exit(main())
