"""`make mutation`'s report: per module, how many of mutmut's small deliberate bugs the tests
caught (killed), against the target, and every survivor by name (`mutmut show NAME` prints
its diff). Reads `mutmut results --all true` after `mutmut run`; prints the summary and
writes docs/mutation.md, where each survivor stands with the reason docs/mutation-survivors.yaml
gives for it, or as "not explained". Exits 1 below the target.

Run it again after editing the reasons: it reads the last run's results, running no mutant.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

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
`workflow.py`, `record.py`, `verification.py`, `logic/files/unit_file.py` and `export.py`,
every module of `logic/services/` and `logic/readmodels/` (pyproject `[tool.mutmut]`), and
then `scripts/mutation_report.py` prints and writes here, per module, the mutants killed,
missed and not run, the score against the target (90% of the mutants in each module killed)
and every survivor. The log is `var/mutation.log`.

Some five thousand mutants take longer than one sitting on two cores, so the measurement
goes on where it stopped: each mutant's result is kept with the code in `docs/mutation-
results.json` (`scripts/mutation_state.py`), restored before a run and saved after it;
mutmut runs only the mutants without a result, or of a function changed since. `make
mutation MUTANTS="logic.domain.validation*"` runs those mutants again (say, the survivors
after a test was added). `MUTATION_JOBS=1 make mutation` tests one mutant at a time (the
default is 2). From scratch: `rm -rf mutants docs/mutation-results.json`. Which tests reach
which function is collected afresh at the start of every run (mutmut would keep the mapping
of the run that first collected it, so a test added since would never be run against an
older survivor: seen on 2026-12-06, when a survivor the tests plainly kill was still
reported so); and a mutant whose tests mutmut's fork server failed to start (exit 255 in no
time, which mutmut reports as a timeout) is kept as not run, never as caught.

Each mutant runs the tests that reach it (mutmut notes which tests call each function), on
SQLite and on PostgreSQL (`make mutation` sets `TEST_DATABASE_URL` to the local server: a
lock mutant shows only there), the fastest tier first (unit, integration, app:
`tests/conftest.py` orders every run so), stopping at the first failure, in a process forked
from a server that has run no test (forked from mutmut's own process, the app tests
inherited Streamlit's threads mid-lock and hung). mutmut's own configuration leaves out the
tests that run the command line or many people in processes of their own (the mutant is not
in them) and the tests that read the source itself; the test suite does not change when
mutmut runs it. The roll-out reports with charts are in again since the fork server (forked
from a process that had drawn a chart, vl-convert's runtime hung); a run has yet to show
they no longer do. mutmut does not see calls made in the app tests' script thread, so a
service is credited only with the integration tests that call it directly. Each test's
SQLite store starts as a copy of one database migrated once per session.

Every survivor is listed by function and mutant number (`_units` 7 is mutmut's
`logic.files.unit_file.x__units__mutmut_7`; `.venv/bin/python -m mutmut show NAME` prints
its diff) with why it is equivalent (it behaves the same wherever the code is used) or
harmless. The reasons are kept by hand in `docs/mutation-survivors.yaml`; a survivor without
one is listed as **not explained**: kill it with a test, or say there why it is harmless.
"""


@dataclass(frozen=True)
class Score:
    mutants: int
    killed: int
    missed: int  # survived, or no test reaches it
    pending: int  # not run yet

    @property
    def score(self) -> float:
        return self.killed / (self.killed + self.missed) if self.killed + self.missed else 0.0

    @property
    def ok(self) -> bool:
        return self.score >= TARGET and not self.pending


def tally(lines: Iterable[str]) -> tuple[dict[str, Counter[str]], dict[str, list[tuple[str, str]]]]:
    """`mutmut results --all true`'s lines -> per module, the count of each result, and the
    survivors as (mutant name, result)."""
    status: dict[str, Counter[str]] = defaultdict(Counter)
    survivors: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for line in lines:
        name, _, result = line.strip().rpartition(": ")
        if "__mutmut_" not in name:
            continue
        module = _module(name)
        status[module][result] += 1
        if result not in CAUGHT and result != PENDING:  # survived, or no test reaches it
            survivors[module].append((name, result))
    return dict(status), dict(survivors)


def score(counts: Counter[str]) -> Score:
    killed = sum(n for result, n in counts.items() if result in CAUGHT)
    pending = counts[PENDING]
    total = sum(counts.values())
    return Score(total, killed, total - killed - pending, pending)


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
    status: Mapping[str, Counter[str]],
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
        "| module | mutants | killed | missed | not run | score | target 90% |",
        "|---|---|---|---|---|---|---|",
    ]
    for module in sorted(status):
        s = score(status[module])
        mark = "ok" if s.ok else f"**below {TARGET:.0%}**" if s.score < TARGET else "incomplete"
        if s.pending and s.score < TARGET:
            mark += " (incomplete)"
        out.append(
            f"| `{module}` | {s.mutants} | {s.killed} | {s.missed} | {s.pending} | "
            f"{s.score:.1%} | {mark} |"
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
        f"\n{'module':34} {'mutants':>8} {'killed':>8} {'missed':>8} {'not run':>8} {'score':>7}"
        f"  target {TARGET:.0%}"
    )
    below = []
    for module in sorted(status):
        s = score(status[module])
        if not s.ok:
            below.append(module)
        print(
            f"{module:34} {s.mutants:>8} {s.killed:>8} {s.missed:>8} {s.pending:>8} "
            f"{s.score:>7.1%}  {'ok' if s.score >= TARGET else 'BELOW'}"
            f"{' (incomplete)' if s.pending else ''}"
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
