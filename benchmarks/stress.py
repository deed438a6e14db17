"""`make stress`: many people at once, on SQLite and on PostgreSQL.

Cases, each on a fresh database:
- same unit: K assessors open, save and submit the same unit while K approvers give
  verdicts on it;
- different units: each assessor works on a unit of their own, the approvers on all;
- imports: K unit files (overlapping units) imported at once;
- two app processes: two `streamlit run` serving one database, browsers at once on both,
  each assessing a unit to a submitted decision (benchmarks/stress_apps.py);
- self-service: 200 unit managers at once reading Min enhet, reporting, asking and
  acknowledging while the assessors and approvers work (benchmarks/stress_self_service.py),
  with p50 and p95 per action and every read outside a manager's scope counted.
Each worker is a process of its own with its own connections, as app processes are. Every
action is counted as committed, refused in words (a refusal the pages explain) or an error
(anything else: a traceback, an IntegrityError, a lock timeout). Afterwards the database is
checked: every committed submission and verdict is there (else "lost"), revision numbers
are unique and contiguous per unit, and verification says intact.

Prints one line per case and database. `tests/integration/test_concurrency.py` runs a short
version in `make test`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing as mp
import os
import random
import sys
import tempfile
import time
import traceback
import types
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
KEY = b"stress-audit-key"  # the audit chain's key, for the workers and the app processes
HEADER = (
    "hsa_id;namn;forvaltning;enhetstyp;verksamhet;driftsform;avtalsanalys_klar;"
    "vardutforande;kontaktkort;patientkontakt;bokar_besok;telefon_papper;e_tjanster"
)


def unit_row(n: int, suffix: str = "") -> str:
    return (
        f"SE162321000255-S{n:05d};Stressenhet {n}{suffix};Förvaltning {n % 3};mottagning;"
        "primarvard;region;;ja;ja;ja;ja;kontakt|fornya_recept;kontakt"
    )


def unit_file(numbers: range, suffix: str = "") -> bytes:
    return "\n".join([HEADER, *(unit_row(n, suffix) for n in numbers)]).encode()


def hsa(n: int) -> str:
    return f"SE162321000255-S{n:05d}"


@dataclass
class Tally:
    """What one worker did: outcomes by kind, and what it committed (to look for later)."""

    committed: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    submissions: list[tuple[str, int, str]] = field(default_factory=list)
    verdicts: list[tuple[str, int, str]] = field(default_factory=list)
    alarms: list[str] = field(default_factory=list)  # "altered" said while others wrote


def attempt(tally: Tally, name: str, call: Callable[[], Any]) -> Any:
    """Run one action; count it. Refusals are the domain's own, said in words on a page."""
    from logic.domain.auth import PermissionDenied
    from logic.domain.errors import (
        CommentInvalid,
        DecisionInvalid,
        DraftNotHeld,
        StaleRevision,
        UnknownUnit,
        VerdictRefused,
    )

    refusals = (
        StaleRevision,
        DraftNotHeld,
        VerdictRefused,
        UnknownUnit,
        DecisionInvalid,
        CommentInvalid,
        PermissionDenied,
    )
    try:
        result = call()
    except refusals as exc:
        tally.refused[f"{name}: {type(exc).__name__}"] += 1
        return None
    except Exception as exc:  # noqa: BLE001 - every other failure is what we count
        tally.errors.append(f"{name}: {type(exc).__name__}: {exc}".splitlines()[0][:300])
        traceback.print_exc(file=sys.stderr) if os.environ.get("STRESS_VERBOSE") else None
        return None
    tally.committed[name] += 1
    return result


def _store(url: str) -> Any:
    from logic.store.db import make_engine
    from logic.store.store import Store

    return Store(make_engine(url), KEY)


_START_LINE: Any = None  # every worker of a case
_MEETING: Any = None  # the assessors of a case


def _ready(start_line: Any, meeting: Any) -> None:
    global _START_LINE, _MEETING
    _START_LINE, _MEETING = start_line, meeting


def assessor(url: str, number: int, units: list[int], rounds: int, seed: int) -> Tally:
    """Open a unit (take it over if someone holds it), save a step, submit."""
    from logic.domain.auth import User
    from logic.services.assessment import (
        open_assessment,
        save_draft,
        submit_decision,
        take_over_draft,
    )

    rnd = random.Random(seed)
    me = User(email=f"assessor{number}@stress.local", namn=f"A {number}", roles=("handlaggare",))
    store, tally = _store(url), Tally()
    for round_ in range(rounds):
        unit = hsa(rnd.choice(units))
        opened = attempt(tally, "open", lambda unit=unit: open_assessment(store, unit, me))
        if opened is not None and opened.held_by_other(me):
            opened = attempt(tally, "take_over", lambda unit=unit: take_over_draft(store, unit, me))
        if round_ == 0 and _MEETING is not None:
            # The first round, everyone has opened before anyone saves: on one unit the
            # people meet for certain, however the machine schedules them afterwards.
            _MEETING.wait(timeout=300)
        if opened is None:
            continue
        draft = opened.draft.model_copy(update={"step": 3, "rationale": f"Av {me.email}."})
        attempt(tally, "save", lambda draft=draft: save_draft(store, draft, me))
        time.sleep(rnd.random() * 0.01)
        done = draft.model_copy(
            update={
                "response_time": "samma_vardag",
                "outcome": "omfattas",
            }
        )
        revision = attempt(tally, "submit", lambda done=done: submit_decision(store, done, me))
        if revision is not None:
            tally.submissions.append((revision.hsa_id, revision.revision, revision.content_hash))
    store.engine.dispose()
    return tally


def approver(url: str, number: int, rounds: int, seed: int) -> Tally:
    """Take a waiting decision and approve it, or now and then return it."""
    from logic.domain.auth import User
    from logic.services.verdicts import approve_decision, pending_decisions, return_decision

    rnd = random.Random(seed)
    me = User(email=f"approver{number}@stress.local", namn=f"B {number}", roles=("beslutsfattare",))
    store, tally = _store(url), Tally()
    for _ in range(rounds):
        waiting = attempt(tally, "pending", lambda: pending_decisions(store, me)) or []
        if not waiting:
            time.sleep(0.02)
            continue
        pick = rnd.choice(waiting)
        if rnd.random() < 0.2:
            given = attempt(
                tally,
                "return",
                lambda p=pick: return_decision(
                    store, p.hsa_id, p.revision, p.content_hash, "Komplettera.", me
                ),
            )
        else:
            given = attempt(
                tally,
                "approve",
                lambda p=pick: approve_decision(store, p.hsa_id, p.revision, p.content_hash, me),
            )
        if given is not None:
            tally.verdicts.append((given.hsa_id, given.revision, given.verdict))
    store.engine.dispose()
    return tally


def importer(url: str, number: int, size: int) -> Tally:
    """Import a file whose units overlap everyone else's (names differ per importer)."""
    from logic.domain.auth import User
    from logic.services.units import import_units

    me = User(email=f"admin{number}@stress.local", namn="Admin", roles=("administrator",))
    store, tally = _store(url), Tally()
    data = unit_file(range(number * size // 2, number * size // 2 + size), f" v{number}")
    attempt(tally, "import", lambda: import_units(store, data, me, source=f"stress-{number}.csv"))
    store.engine.dispose()
    return tally


def verifier(url: str, rounds: int) -> Tally:
    """verify-audit over and over while the others work: every "not intact" is a false
    alarm (the record is checked intact at the end; nobody tampers with it here)."""
    from logic.domain.auth import User
    from logic.services.audit import verify_audit

    me = User(email="verifier@stress.local", namn="V", roles=("administrator",))
    store, tally = _store(url), Tally()
    for _ in range(rounds):
        result = attempt(tally, "verify", lambda: verify_audit(store, me))
        if result is not None and not result.intact:
            tally.alarms.append(f"verify: {result.problem} at {result.where}")
        time.sleep(0.05)
    store.engine.dispose()
    return tally


# --- A case: a fresh database, workers at once, then the checks ---------------------------
@dataclass
class Result:
    case: str
    database: str
    attempts: int
    committed: int
    refused: int
    errors: list[str]
    lost: list[str]
    intact: bool
    seconds: float
    alarms: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)  # lines printed under the case's

    def line(self) -> str:
        return (
            f"{self.case:<16} {self.database:<10} attempts {self.attempts:>5}  "
            f"committed {self.committed:>5}  refused in words {self.refused:>4}  "
            f"errors {len(self.errors):>3}  lost {len(self.lost):>3}  "
            f"false alarms {len(self.alarms):>3}  "
            f"verify-audit {'intact' if self.intact else 'BROKEN'}  {self.seconds:6.1f} s"
        )

    @property
    def clean(self) -> bool:
        return not self.errors and not self.lost and not self.alarms and self.intact


@contextmanager
def fresh_database(kind: str, directory: Path) -> Iterator[str]:
    """A new, migrated database: a SQLite file, or a PostgreSQL database of its own."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from logic.store.db import make_engine, migrate

    if kind == "sqlite":
        url = f"sqlite:///{directory / f'stress-{uuid.uuid4().hex[:8]}.db'}"
        engine = make_engine(url)
        migrate(engine)
        engine.dispose()
        yield url
        return
    server = os.environ.get("TEST_DATABASE_URL") or DEFAULT_POSTGRES
    name = f"stress_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    try:
        engine = make_engine(url)
        migrate(engine)
        engine.dispose()
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def check(url: str, tallies: list[Tally]) -> tuple[list[str], bool]:
    """What was committed and is not there; and whether verification says intact."""
    from sqlalchemy import text

    from logic.domain.auth import SYSTEM
    from logic.services.audit import verify_audit

    store = _store(url)
    lost: list[str] = []
    with store.engine.connect() as conn:
        revisions = {
            (r.hsa_id, r.revision): r.content_hash
            for r in conn.execute(
                text("SELECT hsa_id, revision, content_hash FROM assessment_revisions")
            )
        }
        verdicts = {
            (r.hsa_id, r.revision): r.verdict
            for r in conn.execute(text("SELECT hsa_id, revision, verdict FROM approvals"))
        }
    for tally in tallies:
        lost += [f"revision {s}" for s in tally.submissions if revisions.get(s[:2]) != s[2]]
        lost += [f"verdict {v}" for v in tally.verdicts if verdicts.get(v[:2]) != v[2]]
    per_unit: dict[str, list[int]] = {}
    for unit, number in revisions:
        per_unit.setdefault(unit, []).append(number)
    for unit, numbers in per_unit.items():
        if sorted(numbers) != list(range(1, len(numbers) + 1)):
            lost.append(f"{unit}: revisions {sorted(numbers)} are not 1..n")
    intact = verify_audit(store, SYSTEM).intact
    store.engine.dispose()
    return lost, intact


def run_two_apps(kind: str, browsers: int, directory: Path) -> Result:
    """Browsers at once on two app processes serving one database."""
    from benchmarks.stress_apps import CLINICS, MANAGED, REASON, run_browsers, two_apps

    with fresh_database(kind, directory) as url:
        start = time.perf_counter()
        with two_apps(url, directory) as urls:
            errors = run_browsers(urls, browsers, managers=len(MANAGED))
        failed = {problem.split(" ", 1)[0] for problem in errors}  # never confirmed
        seconds = time.perf_counter() - start
        tally = Tally()
        store = _store(url)
        with store.transaction() as tx:
            for unit in CLINICS[:browsers]:
                latest = tx.revisions.latest(unit)
                if latest is not None:
                    tally.submissions.append((unit, latest.revision, latest.content_hash))
            asked = {r.hsa_id for r in tx.requests.all() if r.reason == REASON}
        store.engine.dispose()
        lost, intact = check(url, [tally])
        lost += [  # the page confirmed the request, and the database has none
            f"{unit}: request confirmed, not stored"
            for unit in MANAGED
            if unit not in asked and not any(p.startswith(f"unit manager {unit}") for p in errors)
        ]
        decided = {s[0] for s in tally.submissions}
        lost += [  # the page confirmed the submission, and the database has no decision
            f"{unit}: confirmed, not stored"
            for unit in CLINICS[:browsers]
            if unit not in failed and unit not in decided
        ]
    return Result(
        case="two app processes",
        database=kind,
        attempts=browsers + len(MANAGED),
        committed=len(tally.submissions) + len(asked),
        refused=0,
        errors=errors,
        lost=lost,
        intact=intact,
        seconds=seconds,
    )


def run_case(case: str, kind: str, workers: int, rounds: int, directory: Path) -> Result:
    """One case on one kind of database ("sqlite" or "postgresql")."""
    from logic.domain.auth import SYSTEM
    from logic.services.units import import_units

    if case == "two app processes":
        return run_two_apps(kind, min(workers, 8), directory)
    if case == "self-service":
        from benchmarks.stress_self_service import run_self_service

        return run_self_service(kind, workers, rounds, directory)
    with fresh_database(kind, directory) as url:
        units = list(range(1)) if case == "same unit" else list(range(workers))
        if case != "imports":
            store = _store(url)
            import_units(store, unit_file(range(max(units) + 1)), SYSTEM, source="stress.csv")
            store.engine.dispose()
        jobs: list[tuple[Callable[..., Tally], tuple[Any, ...]]] = []
        if case == "imports":
            jobs = [(importer, (url, n, 200)) for n in range(workers)]
        else:
            for n in range(workers):
                mine = units if case == "same unit" else [units[n]]
                jobs.append((assessor, (url, n, mine, rounds, n)))
                jobs.append((approver, (url, n, rounds * 2, 1000 + n)))
        jobs.append((verifier, (url, max(4, rounds * 2))))  # verification while all write
        start = time.perf_counter()
        # Every worker waits at one start line after its imports: spawned processes come up
        # seconds apart on a busy machine, and a worker that started late would otherwise
        # find the others done, so nobody would meet anybody.
        context = mp.get_context("spawn")
        start_line = context.Barrier(len(jobs))
        meeting = context.Barrier(sum(1 for job in jobs if job[0] is assessor) or 1)
        with spawn_pool(len(jobs), _ready, (start_line, meeting)) as pool:  # stuck: fails
            tallies = pool.starmap_async(_call, jobs, chunksize=1).get(timeout=600)
        seconds = time.perf_counter() - start
        lost, intact = check(url, tallies)
    committed = sum(sum(t.committed.values()) for t in tallies)
    refused = sum(sum(t.refused.values()) for t in tallies)
    errors = [e for t in tallies for e in t.errors]
    return Result(
        case=case,
        database=kind,
        attempts=committed + refused + len(errors),
        committed=committed,
        refused=refused,
        errors=errors,
        lost=lost,
        intact=intact,
        seconds=seconds,
        alarms=[a for t in tallies for a in t.alarms],
    )


def _call(function: Callable[..., Tally], args: tuple[Any, ...]) -> Tally:
    import logic.services.assessment  # noqa: F401 - the slow imports before the start line
    import logic.services.audit  # noqa: F401
    import logic.services.units  # noqa: F401
    import logic.services.verdicts  # noqa: F401

    if _START_LINE is not None:
        _START_LINE.wait(timeout=300)
    return function(*args)


@contextmanager
def spawn_pool(
    processes: int, initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = ()
) -> Iterator[Any]:
    """Worker processes of their own. A spawned worker imports the parent's __main__ again:
    under a test runner that has run the app (AppTest makes app.py the __main__) that would
    be the app, so the workers are given an empty one (they need only this module)."""
    main = sys.modules["__main__"]
    if getattr(main, "__file__", None) != __file__:  # not `python benchmarks/stress.py`
        sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        with mp.get_context("spawn").Pool(processes, initializer, initargs) as pool:
            sys.modules["__main__"] = main
            yield pool
    finally:
        sys.modules["__main__"] = main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=8, help="assessors (and approvers)")
    parser.add_argument("--rounds", type=int, default=6, help="actions per assessor")
    parser.add_argument("--databases", nargs="*", default=["sqlite", "postgresql"])
    parser.add_argument(
        "--cases",
        nargs="*",
        default=["same unit", "different units", "imports", "two app processes", "self-service"],
    )
    args = parser.parse_args()
    print(f"{args.workers} assessors and {args.workers} approvers, {args.rounds} rounds each;")
    print(f"{args.workers} imports at once. {dt.datetime.now():%Y-%m-%d %H:%M}")
    results = []
    with tempfile.TemporaryDirectory() as directory:
        for kind in args.databases:
            for case in args.cases:
                result = run_case(case, kind, args.workers, args.rounds, Path(directory))
                results.append(result)
                print(result.line(), flush=True)
                for line in result.details:
                    print(line, flush=True)
                for problem in (result.errors + result.lost + result.alarms)[:5]:
                    print(f"    {problem}")
    return 0 if all(r.clean for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
