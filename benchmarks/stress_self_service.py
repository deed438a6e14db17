"""`make stress`, the self-service case: 200 unit managers at once, as threads in four
processes (four app servers, each with its own connection pool, as the app would be), each
holding a unit of their own: they read Min enhet through the services its page calls,
report an e-service, ask the regional team and acknowledge the decision in force, and try
once per round to read another manager's unit (which must be refused: a read outside the
scope is counted). Meanwhile 8 handläggare submit decisions on their units and 8
beslutsfattare give verdicts (benchmarks/stress.py). Afterwards: nothing committed lost,
verification intact, and p50 and p95 per action."""

from __future__ import annotations

import datetime as dt
import random
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

MANAGERS = 200
SERVERS = 4  # processes; MANAGERS / SERVERS threads each


def manager_email(n: int) -> str:
    return f"chef{n:03d}@stress.local"


def managers_file(units: list[str]) -> bytes:
    rows = [f"{hsa_id};{manager_email(n)};Chef {n}" for n, hsa_id in enumerate(units)]
    return "\n".join(["hsa_id;epost;namn", *rows]).encode()


@dataclass
class Timed:
    """What the unit managers of one process did: outcomes, durations per action, reads of
    another's unit that were not refused, and what they committed."""

    committed: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    seconds: dict[str, list[float]] = field(default_factory=dict)
    outside_scope: list[str] = field(default_factory=list)
    reports: list[tuple[str, str]] = field(default_factory=list)  # (hsa_id, case type)
    requests: list[int] = field(default_factory=list)
    acknowledged: list[tuple[str, int, str]] = field(default_factory=list)


def _timed(timed: Timed, lock: threading.Lock, name: str, call: Callable[[], Any]) -> Any:
    from logic.domain.acknowledgements import AcknowledgementRefused
    from logic.domain.auth import PermissionDenied
    from logic.domain.unit_reports import ReportRefused
    from logic.domain.unit_requests import RequestRefused

    start = time.perf_counter()
    try:
        result = call()
    except (AcknowledgementRefused, ReportRefused, RequestRefused, PermissionDenied) as exc:
        with lock:
            timed.refused[f"{name}: {type(exc).__name__}"] += 1
        return None
    except Exception as exc:  # noqa: BLE001 - every other failure is what is counted
        with lock:
            timed.errors.append(f"{name}: {type(exc).__name__}: {exc}".splitlines()[0][:300])
        return None
    with lock:
        timed.committed[name] += 1
        timed.seconds.setdefault(name, []).append(time.perf_counter() - start)
    return result


def unit_managers(url: str, key: bytes, server: int, units: list[str], rounds: int) -> Timed:
    """One app server's share of the unit managers, one thread each, all at once."""
    from sqlalchemy import create_engine

    from logic.domain.auth import PermissionDenied, User
    from logic.services.decision_documents import decision_document
    from logic.services.register import unit_history
    from logic.services.rollout import unit_rollout
    from logic.services.unit_managers import (
        acknowledge_decision,
        acknowledgements,
        ask,
        my_units,
        report_e_service,
        reported_units,
        unit_requests,
    )
    from logic.services.verdicts import unit_verdicts
    from logic.store.db import make_engine
    from logic.store.store import Store

    if url.startswith("sqlite"):
        engine = make_engine(url)
    else:  # an app server's pool: its people wait for a connection, as they would
        engine = create_engine(
            url, pool_pre_ping=True, pool_size=10, max_overflow=5, pool_timeout=120
        )
    store = Store(engine, key)
    timed, lock = Timed(), threading.Lock()
    share = range(server, len(units), SERVERS)
    start = threading.Barrier(len(share))

    def one(n: int) -> None:
        rnd = random.Random(n)
        mine = units[n]
        other = units[(n + 1) % len(units)]
        me = User(email=manager_email(n), namn=f"Chef {n}", roles=("enhetschef",), units=(mine,))
        start.wait(timeout=300)
        for round_ in range(rounds):
            today = dt.date.today()
            # Min enhet, as its page reads it
            shown = _timed(timed, lock, "read my_units", lambda: my_units(store, me)) or []
            _timed(timed, lock, "read rollout", lambda d=today: unit_rollout(store, me, mine, d))
            history = _timed(timed, lock, "read history", lambda: unit_history(store, mine, me))
            _timed(timed, lock, "read verdicts", lambda: unit_verdicts(store, mine, me))
            _timed(timed, lock, "read acks", lambda: acknowledgements(store, me, mine))
            _timed(timed, lock, "read requests", lambda: unit_requests(store, me, mine))
            _timed(timed, lock, "read reported", lambda: reported_units(store, me, [mine]))
            # another manager's unit, asked for by hand: must be refused
            try:
                unit_rollout(store, me, other, today)
                timed.outside_scope.append(f"{me.email} read {other}")
            except PermissionDenied:
                pass
            action = (round_ + n) % 3  # each action in every round, by someone
            if action == 0:
                in_place = rnd.random() < 0.5
                done = _timed(timed, lock, "report", lambda p=in_place, d=today: report_e_service(
                    store, me, mine, "fornya_recept", p, d))  # fmt: skip
                if done is not None:
                    timed.reports.append((mine, "fornya_recept"))
            elif action == 1:
                made = _timed(timed, lock, "ask", lambda r=round_: ask(
                    store, me, mine, "omprovning", f"Runda {r}."))  # fmt: skip
                if made is not None:
                    timed.requests.append(made.number)
            else:  # the decision in force, as the page shows it for the kvittens
                number = next((u.in_force_revision for u in shown), None)
                seen = next((r for r in history or [] if r.revision == number), None)
                if seen is not None:
                    given = _timed(timed, lock, "acknowledge", lambda r=seen: acknowledge_decision(
                        store, me, mine, r.revision, r.content_hash))  # fmt: skip
                    if given is not None:
                        timed.acknowledged.append((mine, seen.revision, me.email))
                if history:  # its newest revision as a document, as the page offers it
                    _timed(timed, lock, "decision document", lambda: decision_document(
                        store, mine, me))  # fmt: skip

    threads = [threading.Thread(target=one, args=(n,)) for n in share]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()
    return timed


def decided(store: Any, units: list[str]) -> None:
    """A decision approved on each of these units before the start (through the services)."""
    from logic.domain.auth import User
    from logic.services.assessment import open_assessment, submit_decision
    from logic.services.verdicts import approve_decision

    author = User(email="forberedd@stress.local", namn="F", roles=("handlaggare",))
    approver = User(email="faststalld@stress.local", namn="G", roles=("beslutsfattare",))
    for hsa_id in units:
        draft = open_assessment(store, hsa_id, author).draft
        done = draft.model_copy(
            update={"response_time": "samma_vardag", "outcome": "omfattas", "rationale": "Före."}
        )
        made = submit_decision(store, done, author)
        approve_decision(store, hsa_id, made.revision, made.content_hash, approver)


def lost_of(url: str, key: bytes, timed: list[Timed]) -> list[str]:
    """What the unit managers committed and the database does not hold."""
    from logic.store.db import make_engine
    from logic.store.store import Store

    store = Store(make_engine(url), key)
    with store.transaction(readonly=True) as tx:
        numbers = {r.number for r in tx.requests.all()}
        acks = {
            a.key()
            for a in tx.acknowledgements.of_units({a[0] for t in timed for a in t.acknowledged})
        }
        reported = Counter(
            e.details.get("hsa_id") for e in tx.audit.events() if e.action == "report_e_service"
        )
    store.engine.dispose()
    lost = [f"request {n}" for t in timed for n in t.requests if n not in numbers]
    lost += [f"acknowledgement {a}" for t in timed for a in t.acknowledged if a not in acks]
    made = Counter(hsa_id for t in timed for hsa_id, _ in t.reports)
    lost += [
        f"reports of {h}: {c} made, {reported[h]} recorded"
        for h, c in made.items()
        if reported[h] != c
    ]
    return lost


def percentiles(timed: list[Timed]) -> list[str]:
    """p50 and p95 per action, in milliseconds."""
    seconds: dict[str, list[float]] = {}
    for t in timed:
        for name, values in t.seconds.items():
            seconds.setdefault(name, []).extend(values)
    lines = []
    for name in sorted(seconds):
        values = sorted(seconds[name])
        p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
        lines.append(
            f"    {name:<18} n {len(values):>5}  p50 {statistics.median(values) * 1000:7.0f} ms"
            f"  p95 {p95 * 1000:7.0f} ms"
        )
    return lines


def run_self_service(kind: str, workers: int, rounds: int, directory: Any) -> Any:
    """The case: 200 unit managers, `workers` handläggare and as many beslutsfattare, and
    verification, at once on a fresh database."""
    import multiprocessing as mp

    from benchmarks import stress as s
    from logic.domain.auth import SYSTEM
    from logic.services.units import import_units
    from logic.services.users import import_unit_managers

    with s.fresh_database(kind, directory) as url:
        store = s._store(url)
        import_units(store, s.unit_file(range(MANAGERS)), SYSTEM, source="stress.csv")
        units = [s.hsa(n) for n in range(MANAGERS)]
        import_unit_managers(store, managers_file(units), SYSTEM, "chefer.csv")
        decided(store, units[::4])  # a decision in force for a quarter of them to acknowledge
        store.engine.dispose()
        numbers = list(range(MANAGERS))
        jobs: list[tuple[Callable[..., Any], tuple[Any, ...]]] = []
        for n in range(workers):
            jobs.append((s.assessor, (url, n, numbers, rounds, n)))
            jobs.append((s.approver, (url, n, rounds * 2, 1000 + n)))
        jobs.append((s.verifier, (url, max(4, rounds * 2))))
        jobs += [(unit_managers, (url, s.KEY, k, units, rounds)) for k in range(SERVERS)]
        start = time.perf_counter()
        context = mp.get_context("spawn")
        start_line = context.Barrier(len(jobs))
        meeting = context.Barrier(workers or 1)
        with s.spawn_pool(len(jobs), s._ready, (start_line, meeting)) as pool:
            done = pool.starmap_async(s._call, jobs, chunksize=1).get(timeout=1800)
        seconds = time.perf_counter() - start
        tallies = [d for d in done if isinstance(d, s.Tally)]
        timed = [d for d in done if isinstance(d, Timed)]
        lost, intact = s.check(url, tallies)
        lost += lost_of(url, s.KEY, timed)
    everyone = [*tallies, *timed]
    committed = sum(sum(t.committed.values()) for t in everyone)
    refused = sum(sum(t.refused.values()) for t in everyone)
    errors = [e for t in everyone for e in t.errors]
    outside = [o for t in timed for o in t.outside_scope]
    result = s.Result(
        case="self-service",
        database=kind,
        attempts=committed + refused + len(errors),
        committed=committed,
        refused=refused,
        errors=errors + [f"outside scope: {o}" for o in outside],
        lost=lost,
        intact=intact,
        seconds=seconds,
        alarms=[a for t in tallies for a in t.alarms],
    )
    refusals = Counter(k for t in everyone for k in t.refused.elements())
    result.details = [
        f"    reads outside a manager's scope: {len(outside)}",
        *percentiles(timed),
        "    refused in words: " + ", ".join(f"{name} {n}" for name, n in sorted(refusals.items())),
    ]
    return result
