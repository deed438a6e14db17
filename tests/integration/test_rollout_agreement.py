"""The roll-out now is worked out twice: aggregated in SQL from the projection (the page, the
exports and the report read it so), and in Python from the history (as of an earlier date or
moment). Over small registers made through the real services (unit files imported on a few
dates, e-services coming and going, regional templates, back-filled observations; decisions
of every outcome, exemptions per case type including digital contact that is still offered,
corrections of the facts; approved, returned or left waiting), the two give the same figures
and the same files, on both databases."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import Phase, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from logic.clock import local_today, region
from logic.domain.assessment import Exemption, grounds_for, review_bounds
from logic.domain.codes import DRIFTSFORMER, ENHETSTYPER, MINIMUM, VARIANTS, VERKSAMHETER
from logic.domain.models import Unit
from logic.domain.rollout import STATUSES
from logic.domain.rollout_summary import late_order, late_units, longest_late
from logic.domain.rules import recommend
from logic.files.reference_data import catalog
from logic.files.unit_file import ALL_COLUMNS
from logic.readmodels.history_figures import history_summary
from logic.readmodels.rollout_history import read_history, summarize
from logic.readmodels.rollout_projection import projection_row
from logic.services.audit import verify_copy
from logic.services.rollout import RolloutFilter, export_rollout, read_rollout, read_summary
from logic.services.units import import_units
from logic.services.verdicts import approve_decision, return_decision
from logic.store.db import make_engine, migrate
from logic.store.schema import rollout
from logic.store.store import Store
from tests.conftest import TEST_AUDIT_KEY, TEST_DATABASE_URL, postgres_engine, skip_or_fail
from tests.factories import ADAM, ANNA, BERIT, CECILIA, FIGURES, decide, on_day

FIRST_DAY = dt.date(2022, 1, 10)  # before every deadline in mallar.yaml, and after some
CASE_TYPES = ("kontakt", "fornya_recept", "av_omboka", "kontakta_mig", "boka_tid", "begar_intyg")
ADMINISTRATIONS = ("Primärvård Skåne", "Skånevård Sund", "Ängelholms sjukhus", "@Regionservice")
# Names as people write them: letters outside ASCII, upper and lower case (the sort order),
# a formula sign first, quotes and both separators (the files).
NAMES = st.text(alphabet="aAzZåÅöÖéÉ =+-@'\";,|", min_size=1, max_size=8).filter(
    lambda name: name.strip()
)


# --- What is generated ----------------------------------------------------------------------
@dataclass(frozen=True)
class Observed:
    """One unit in one unit file: what it offers, which of those on the template, and any
    change of its facts from then on."""

    unit: int
    offered: frozenset[str]
    templated: frozenset[str]
    changes: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Import:
    gap: int  # days after the event before
    back: int  # observed this many days before the day it is imported (0: that day)
    units: tuple[Observed, ...]


@dataclass(frozen=True)
class Decision:
    gap: int
    unit: int
    kind: str  # omfattas, delvis, delvis_kontakt, undantagen, ej_omfattad, avvaktar
    variant: str | None  # another variant than the recommended one, or None
    correction: tuple[tuple[str, Any], ...]  # facts the assessor corrects
    verdict: str  # approve, return, wait


@dataclass(frozen=True)
class Verdict:  # on the unit's waiting proposal, a later day
    gap: int
    unit: int
    approve: bool


Event = Import | Decision | Verdict

FACT_CHANGES = st.sampled_from(
    [
        (),
        (),
        (),
        (("vardutforande", False), ("kontaktkort", False)),  # out of scope
        (("vardutforande", True),),  # in scope again
        (("forvaltning", "Skånevård Sund"),),  # moved
        (("patientkontakt", False),),
        (("telefon_papper", ("boka_tid", "fornya_recept", "kontakt")),),
    ]
)


def facts(index: int) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "hsa_id": st.sampled_from([f"SE162321000255-E{index}", f"SE2321000016-e{index}"]),
            "namn": NAMES,
            "forvaltning": st.sampled_from(ADMINISTRATIONS),
            "enhetstyp": st.sampled_from(ENHETSTYPER),
            "verksamhet": st.sampled_from(VERKSAMHETER),
            "driftsform": st.sampled_from(DRIFTSFORMER),
            "avtalsanalys_klar": st.sampled_from([None, True, False]),
            "vardutforande": st.sampled_from([True, True, True, False]),  # mostly in scope
            "kontaktkort": st.booleans(),
            "bokar_besok": st.booleans(),
            "telefon_papper": st.lists(st.sampled_from(CASE_TYPES), max_size=3).map(tuple),
            "patientkontakt": st.sampled_from([True, True, False]),
        }
    )


@st.composite
def observed(draw: st.DrawFn, unit: int) -> Observed:
    offered = frozenset(draw(st.lists(st.sampled_from(CASE_TYPES), max_size=4)))
    if draw(st.booleans()):  # digital contact, the minimum, more often than the rest
        offered |= {MINIMUM}
    templated = frozenset(c for c in sorted(offered) if draw(st.booleans()))
    return Observed(unit, offered, templated, draw(FACT_CHANGES))


@st.composite
def an_import(draw: st.DrawFn, units: int, everyone: bool = False) -> Import:
    chosen = range(units) if everyone else draw(st.sets(st.integers(0, units - 1), min_size=1))
    back = draw(st.sampled_from([0, 0, 0, 1, 30, 200]))
    return Import(
        draw(st.sampled_from([0, 1, 40, 150, 300])),
        back,
        tuple(draw(observed(i)) for i in sorted(chosen)),
    )


@st.composite
def a_decision(draw: st.DrawFn, unit: int) -> Decision:
    kinds = ["omfattas", "delvis", "delvis_kontakt", "delvis_kontakt", "undantagen"]
    kinds += ["ej_omfattad", "avvaktar"]
    corrections = [
        (),
        (),
        (("forvaltning", "Psykiatri Skåne"),),
        (("e_tjanster", ("fornya_recept", "kontakt")), ("regionala_mallar", ())),
        (("vardutforande", False), ("kontaktkort", False)),
    ]
    return Decision(
        draw(st.sampled_from([0, 1, 20, 200])),
        unit,
        draw(st.sampled_from(kinds)),
        draw(st.sampled_from([None, None, *VARIANTS])),
        draw(st.sampled_from(corrections)),
        draw(st.sampled_from(["approve", "approve", "approve", "return", "wait"])),
    )


@dataclass(frozen=True)
class Register:
    """A handful of units, their first file and then a few more events; how many days after
    the last of them the roll-out is read (or on the first deadline from then: late only
    after it); an administration to read it for, and a filter of the export."""

    units: tuple[dict[str, Any], ...]
    events: tuple[Event, ...]
    later: int = 0
    on_a_deadline: bool = False
    forvaltning: str = ADMINISTRATIONS[0]
    only: RolloutFilter = RolloutFilter()


@st.composite
def registers(draw: st.DrawFn) -> Register:
    count = draw(st.integers(1, 4))
    units = tuple(draw(facts(i)) for i in range(count))
    events: list[Event] = [draw(an_import(count, everyone=True))]
    events += draw(st.lists(an_import(count), min_size=1, max_size=3))
    for unit in range(count):  # most units decided on, some twice, between the files
        for _ in range(draw(st.sampled_from([1, 1, 0, 2]))):
            events.insert(draw(st.integers(1, len(events))), draw(a_decision(unit)))
    for _ in range(draw(st.sampled_from([0, 1, 2]))):  # a verdict on a proposal left waiting
        verdict = Verdict(
            draw(st.sampled_from([1, 30])), draw(st.integers(0, count - 1)), draw(st.booleans())
        )
        events.insert(draw(st.integers(1, len(events))), verdict)
    administrations = st.sampled_from([*ADMINISTRATIONS, "Psykiatri Skåne"])
    only = RolloutFilter(
        forvaltning=draw(st.none() | administrations),
        arendetyp=draw(st.none() | st.sampled_from(CASE_TYPES)),
        status=draw(st.sampled_from(STATUSES) | st.none()),
    )
    later = draw(st.sampled_from([0, 1, 100, 400, 900]))
    return Register(units, tuple(events), later, draw(st.booleans()), draw(administrations), only)


# --- Made through the services ----------------------------------------------------------------
class Clock:
    """The region's clock, set forward to each action's day (09:00 local), a millisecond
    later at each reading: the record's times run forward."""

    def __init__(self, day: dt.date) -> None:
        self.moment = self.morning(day)

    @staticmethod
    def morning(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(9), tzinfo=region()).astimezone(dt.UTC)

    def to(self, day: dt.date) -> None:
        self.moment = max(self.morning(day), self.moment)

    def __call__(self) -> dt.datetime:
        self.moment += dt.timedelta(milliseconds=1)
        return self.moment


def unit_file(rows: list[dict[str, Any]]) -> bytes:
    def cell(value: Any) -> str:
        if isinstance(value, bool):
            return "ja" if value else "nej"
        if isinstance(value, tuple | frozenset):
            return "|".join(sorted(value))
        return "" if value is None else str(value)

    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(ALL_COLUMNS)
    writer.writerows([cell(row[c]) for c in ALL_COLUMNS] for row in rows)
    return out.getvalue().encode()


def decision_fields(unit: Unit, decision: Decision, day: dt.date) -> dict[str, Any]:
    """What an assessor fills in for this kind of decision on this unit, valid as the
    services check it; every field given, so nothing a returned proposal carries on counts."""
    cat = catalog()
    if decision.correction:
        unit = Unit.model_validate(unit.model_dump() | dict(decision.correction))
    if unit.driftsform == "avtal_upphandlad" and unit.avtalsanalys_klar is None:
        unit = unit.model_copy(update={"avtalsanalys_klar": False})  # the wizard asks
    rec = recommend(unit, cat, day)
    variant = decision.variant if rec.variant is not None else None
    chosen = recommend(unit, cat, day, variant=variant or rec.variant)
    _, review, _ = review_bounds(day, cat)
    kind = decision.kind
    others = [c for c in chosen.required if c != MINIMUM]
    if kind in ("delvis", "delvis_kontakt") and not others:
        kind = "omfattas"  # an exemption per case type must leave something required
    if rec.outcome == "ej_omfattad":
        kind = "ej_omfattad"  # outside the baseline by its facts: nothing else is coherent
    fields: dict[str, Any] = {
        "unit": unit,
        "variant": variant,
        "variant_justification": "Enheten arbetar så." if variant else "",
        "outcome": kind,
        "exemption": Exemption(),
        "analysis_expected": None,
        "response_time": "samma_vardag",
        "citizen_informed": False,
        "rationale": "Motivering.",
        "earlier_texts_confirmed": True,  # the same words hold for another outcome
        "justifications": {code: "Skäl." for code in ("utfall", "undantag", "lagstaniva")},
    }
    if kind in ("delvis", "delvis_kontakt"):
        exempted = [MINIMUM] if kind == "delvis_kontakt" else others[:1]
        fields |= {"outcome": "delvis_undantagen", "exemption": exemption(unit, exempted, day)}
    elif kind == "undantagen":
        fields["exemption"] = exemption(unit, [], day)
    elif kind == "avvaktar":
        fields["analysis_expected"] = review
    return fields


def exemption(unit: Unit, case_types: list[str], day: dt.date) -> Exemption:
    scope = "per_arendetyp" if case_types else "hela_enheten"
    _, review, _ = review_bounds(day, catalog())
    return Exemption(
        scope=scope,
        case_types=tuple(case_types),
        grounds=grounds_for(unit, scope, catalog())[:1],
        other_ground="Annat skäl.",
        rationale="Skälen för undantaget.",
        review_date=review,
    )


def read_on(store: Store, register: Register) -> dt.date:
    """The day the roll-out is read: `later` days after the last event, or then the first
    deadline of a case type not in place (on it, not late yet; the day after, late)."""
    day = local_today(store) + dt.timedelta(days=register.later)
    if register.on_a_deadline:
        rows = read_rollout(store, CECILIA, day).rows
        deadlines = [r.frist for r in rows if r.status == "planerat" and r.frist]
        day = min(deadlines, default=day)
    return day


def play(store: Store, clock: Clock, register: Register) -> None:
    """Every event through the services, each on its day."""
    day = FIRST_DAY
    known = [dict(u) for u in register.units]  # each unit's facts as last imported
    waiting: dict[int, Any] = {}  # a unit's proposal waiting for a verdict
    for step in register.events:
        day += dt.timedelta(days=step.gap)
        clock.to(day)
        if isinstance(step, Import):
            rows = []
            for one in step.units:
                known[one.unit] |= dict(one.changes)
                rows.append(
                    known[one.unit] | {"e_tjanster": one.offered, "regionala_mallar": one.templated}
                )
            day_observed = max(day - dt.timedelta(days=step.back), FIRST_DAY)
            import_units(store, unit_file(rows), ADAM, source="t.csv", observed=day_observed)
        elif isinstance(step, Decision):
            hsa_id = known[step.unit]["hsa_id"]
            with store.transaction() as tx:
                unit = tx.units.get(hsa_id)
            assert unit is not None
            fields = decision_fields(unit, step, day)
            approver = BERIT if step.verdict == "approve" else None
            revision = decide(store, hsa_id, ANNA, approver=approver, **fields)
            waiting[step.unit] = revision if step.verdict == "wait" else None
            if step.verdict == "return":
                args = (revision.revision, revision.content_hash)
                return_decision(store, hsa_id, *args, "Komplettera.", BERIT)
        elif waiting.get(step.unit) is not None:  # a verdict on the proposal waiting
            revision, waiting[step.unit] = waiting[step.unit], None
            hsa_id = known[step.unit]["hsa_id"]
            args = (hsa_id, revision.revision, revision.content_hash)
            if step.approve:
                approve_decision(store, *args, BERIT)
            else:
                return_decision(store, *args, "Komplettera.", BERIT)


# --- The two sides --------------------------------------------------------------------------
def assert_the_two_sides_agree(store: Store, register: Register) -> None:
    today = local_today(store)
    for forvaltning in (None, register.forvaltning):
        now = read_summary(store, CECILIA, today, forvaltning=forvaltning)  # SQL
        known = store.clock()
        history = read_summary(store, CECILIA, today, known_at=known, forvaltning=forvaltning)
        for name in FIGURES:
            assert getattr(now, name) == getattr(history, name), (forvaltning, name)

    # the projection's rows, every column, as the history makes them today
    cat = catalog()
    rows = read_rollout(store, CECILIA, today, known_at=store.clock()).rows
    expected = [_without_version(projection_row(r, cat)) for r in rows]
    with store.transaction() as tx:
        stored = [
            _without_version(dict(r._mapping)) for r in tx.connection.execute(select(rollout))
        ]
    assert sorted(stored, key=_key) == sorted(expected, key=_key)

    # the export: from SQL (dates as text; as dates for a spreadsheet) and from the history
    for profile, only in (("csv", RolloutFilter()), ("csv-excel", register.only)):
        fast = export_rollout(store, CECILIA, profile, today, None, only)
        slow = export_rollout(store, CECILIA, profile, today, store.clock(), only)
        assert fast.data == slow.data, (profile, only)
        assert fast.rows == slow.rows
    fast = export_rollout(store, CECILIA, "xlsx", today, None)
    slow = export_rollout(store, CECILIA, "xlsx", today, store.clock())
    assert _cells(fast.data) == _cells(slow.data)
    assert fast.rows == slow.rows == len(rows)


def assert_the_figures_agree_on_any_day(store: Store, register: Register) -> None:
    """The figures as of an earlier date or moment, worked out over whole columns
    (history_figures.py), are the history's worked out unit by unit: on the day before the
    first file, on each event's day, today, and as known at the morning after each."""
    cat = catalog()
    day, days = FIRST_DAY, {FIRST_DAY - dt.timedelta(days=1), local_today(store)}
    for step in register.events:
        day += dt.timedelta(days=step.gap)
        days |= {day, day - dt.timedelta(days=1)}
    with store.transaction() as tx:
        made_at = store.clock()
        for as_of in sorted(days):
            for known_at in (None, Clock.morning(as_of + dt.timedelta(days=1))):
                for forvaltning in (None, register.forvaltning):
                    read = (tx, made_at, as_of, known_at, forvaltning, cat)
                    slow = summarize(read_history(*read), cat)
                    assert history_summary(*read) == slow, (as_of, known_at, forvaltning)
                    for limit in (1, 2):  # the longest late kept per administration
                        kept = history_summary(*read, late_limit=limit)
                        assert (kept.late, kept.late_total) == longest_late(list(slow.late), limit)


def _key(row: dict[str, Any]) -> tuple[str, str]:
    return row["hsa_id"], row["arendetyp"]


def _without_version(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != "catalog_version"}


def _cells(data: bytes) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    assert sheet is not None
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


# --- On both databases, a fresh store per example --------------------------------------------
Fresh = Callable[[], contextlib.AbstractContextManager[Store]]


@dataclass(frozen=True)
class Backend:
    fresh: Fresh
    examples: int


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest, migrated_sqlite: Path) -> Backend:
    if request.param == "sqlite":

        @contextlib.contextmanager
        def sqlite() -> Iterator[Store]:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / "example.db"
                shutil.copyfile(migrated_sqlite, path)  # migrated once, copied per example
                engine = make_engine(f"sqlite:///{path}")
                try:
                    yield Store(engine, TEST_AUDIT_KEY)
                finally:
                    engine.dispose()

        return Backend(sqlite, examples=25)
    if not TEST_DATABASE_URL:
        skip_or_fail("PostgreSQL tests need TEST_DATABASE_URL")

    @contextlib.contextmanager
    def postgresql() -> Iterator[Store]:
        with contextlib.contextmanager(postgres_engine)() as engine:  # a schema per example
            migrate(engine)
            yield Store(engine, TEST_AUDIT_KEY)

    return Backend(postgresql, examples=10)


def a_unit(index: int, **facts: Any) -> dict[str, Any]:
    return {
        "hsa_id": f"SE162321000255-E{index}",
        "namn": f"Vårdcentralen {index}",
        "forvaltning": "Primärvård Skåne",
        "enhetstyp": "mottagning",
        "verksamhet": "primarvard",
        "driftsform": "region",
        "avtalsanalys_klar": None,
        "vardutforande": True,
        "kontaktkort": True,
        "patientkontakt": True,
        "bokar_besok": False,
        "telefon_papper": ("fornya_recept", "kontakt"),
    } | facts


def seen(unit: int, *offered: str, templated: tuple[str, ...] = ()) -> Observed:
    return Observed(unit, frozenset(offered), frozenset(templated))


# Always tried first, whatever is generated: digital contact exempted by a decision approved
# after the last file, at a unit that offers it still (it is no digital contact "since"
# anything); a unit exempted whole, left waiting; one returned, late on deadlines of its own
# administration; a template the catalog has none for; an e-service that came and went; a
# back-filled file; facts corrected by a decision approved on a day without a file; the
# roll-out read on a deadline (late only after it), its late rows exported.
DIGITAL_CONTACT_EXEMPTED_AND_OFFERED = Register(
    units=(
        a_unit(0),
        a_unit(1, namn="=Summa", forvaltning="Skånevård Sund", telefon_papper=("boka_tid",)),
        a_unit(2, vardutforande=False, kontaktkort=False),
        a_unit(
            3,
            namn="ängen",
            forvaltning="Ängelholms sjukhus",
            telefon_papper=("av_omboka", "fornya_recept", "kontakta_mig"),
        ),
    ),
    events=(
        Import(0, 0, (seen(0, "kontakt", templated=("kontakt",)), seen(1), seen(2), seen(3))),
        Decision(1, 3, "omfattas", None, (), "return"),
        Import(150, 0, (seen(0, "kontakt", "fornya_recept"), seen(1, "boka_tid", "kontakt"))),
        Import(1, 30, (seen(1, "kontakt", "boka_tid", templated=("boka_tid",)),)),
        Import(200, 0, (seen(0, "kontakt"), seen(1, "kontakt", templated=("kontakt",)))),
        Decision(1, 0, "delvis_kontakt", None, (), "approve"),
        Decision(1, 1, "undantagen", None, (), "wait"),
        Decision(1, 2, "omfattas", None, (("vardutforande", True),), "approve"),
    ),
    later=400,
    on_a_deadline=True,
    forvaltning="Primärvård Skåne",
    only=RolloutFilter(status="forsenat"),
)


# Files observed on a deadline (Primärvård Skåne's for digital contact, 2022-06-30): one unit
# seen without it on the day and with it later (late: "nej"), one first seen with it on the
# day (on time), one never (missing on the day: "nej")
ON_THE_DEADLINE = Register(
    units=(a_unit(0), a_unit(1), a_unit(2)),
    events=(
        Import(0, 0, (seen(0), seen(1), seen(2))),
        Import(171, 0, (seen(0), seen(1, "kontakt"), seen(2))),
        Import(30, 0, (seen(0, "kontakt"), seen(1, "kontakt"), seen(2))),
    ),
)


# A unit on the curve, then out of scope by a decision that corrects its facts: its part of
# the progress is taken off again (and verification finds the counts as made)
OUT_OF_SCOPE_BY_A_DECISION = Register(
    units=(a_unit(0), a_unit(1)),
    events=(
        Import(0, 0, (seen(0, "kontakt"), seen(1))),
        Decision(
            1, 0, "ej_omfattad", None, (("vardutforande", False), ("kontaktkort", False)), "approve"
        ),
    ),
)


# Two units alike in every fact, each partly exempted from something else: what is asked of
# each is its own decision's, not the other's (the figures work it out once per distinct set
# of facts and decision)
ALIKE_BUT_EXEMPTED_APART = Register(
    units=(a_unit(0), a_unit(1)),
    events=(
        Import(0, 0, (seen(0, "kontakt"), seen(1, "kontakt"))),
        Decision(1, 0, "delvis", None, (), "approve"),
        Decision(1, 1, "delvis_kontakt", None, (), "approve"),
    ),
    later=400,
)


# Two contracted units, one with its contract analysed (in scope, SQLite keeps the answer
# as 1), one not (waiting for the analysis): the history reads the answer as the import did
CONTRACTED = Register(
    units=(
        a_unit(0, driftsform="avtal_upphandlad", avtalsanalys_klar=True),
        a_unit(1, driftsform="avtal_upphandlad", avtalsanalys_klar=False),
    ),
    events=(
        Import(0, 0, (seen(0), seen(1))),
        Import(171, 0, (seen(0, "kontakt"), seen(1))),
    ),
)


def test_the_roll_out_now_in_sql_is_what_the_history_gives(backend: Backend) -> None:
    # no shrinking: each example is a database of its own (minutes to shrink), and one as
    # generated is small enough to read
    @settings(
        max_examples=backend.examples,
        deadline=None,
        phases=(Phase.explicit, Phase.reuse, Phase.generate),
    )
    @given(registers())
    @example(DIGITAL_CONTACT_EXEMPTED_AND_OFFERED)
    @example(ON_THE_DEADLINE)
    @example(OUT_OF_SCOPE_BY_A_DECISION)
    @example(ALIKE_BUT_EXEMPTED_APART)
    @example(CONTRACTED)
    def check(register: Register) -> None:
        with backend.fresh() as empty:
            clock = Clock(FIRST_DAY)
            store = empty.with_clock(clock)
            play(store, clock, register)
            clock.to(read_on(store, register))
            assert_the_two_sides_agree(store, register)
            assert_the_figures_agree_on_any_day(store, register)
            # and the record verifies: every observation, fact, projection row and progress
            # count as the actions left them (no false alarm on any register generated)
            result = verify_copy(store)
            assert result.intact, (result.problem, result.where)

    check()


def test_a_server_that_sorts_in_swedish_still_exports_the_history_s_order(store: Store) -> None:
    """A PostgreSQL server made with a Swedish locale sorts "a" before "B" and "Ä" after "Z",
    Python (the history) and SQLite by code point: the export now and the late units kept
    are still the history's, in code point order."""
    if store.engine.dialect.name == "postgresql":
        known = "SELECT 1 FROM pg_collation WHERE collname = 'sv-SE-x-icu'"
        with store.engine.begin() as conn:
            if conn.execute(text(known)).first() is None:
                pytest.skip("this PostgreSQL server has no Swedish collation (ICU)")
            for column in ("forvaltning", "enhet"):  # as a Swedish server's default would
                swedish = 'varchar(200) COLLATE "sv-SE-x-icu"'
                conn.execute(text(f"ALTER TABLE rollout ALTER COLUMN {column} TYPE {swedish}"))
    names = ["Ängen", "a", "Zeta", "B", "é"]
    rows = [
        a_unit(i, namn=name) | {"e_tjanster": (), "regionala_mallar": ()}
        for i, name in enumerate(names)
    ]
    import_units(on_day(store, FIRST_DAY), unit_file(rows), ADAM, source="t.csv")
    later = on_day(store, dt.date(2023, 10, 1))  # every unit late since 2022-06-30
    today = local_today(later)
    fast = export_rollout(later, CECILIA, "csv", today, None)
    slow = export_rollout(later, CECILIA, "csv", today, later.clock())
    assert fast.data == slow.data
    enheter = [line.split(",")[1] for line in fast.data.decode().splitlines()[1:]]
    assert list(dict.fromkeys(enheter)) == ["B", "Zeta", "a", "Ängen", "é"]
    history = read_rollout(later, CECILIA, today).rows
    with later.transaction() as tx:
        kept, _ = tx.rollout.late(today, None, limit=2)
    assert sorted(kept, key=late_order) == late_units(history, limit=2)[0]
