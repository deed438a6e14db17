"""A demo history for `make run`, so a newcomer sees a register at work instead of empty
charts: over the last year and a bit, about half the demo units assessed and most approved
by another person, some returned with a comment, whole and partial exemptions (reviews
overdue and due soon), decisions waiting for a contract analysis, a deviation with its
justification, and a decision-maker's own decision approved by the other decision-maker.

Made through the real services only (every rule, check and audit event as in use), on a
store whose clock is set to each action's day, in order, so the audit chain's times run
forward. Only into a database with nothing in it: never beside real work. Everything is
marked demo, as the units and users are. Before it, the units are observed quarterly from
2021-09 to 2023-03 putting their e-services in place (demo/observations.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from logic.demo.observations import QUARTERS, observation_file
from logic.domain.assessment import Draft, Exemption, grounds_for, review_bounds
from logic.domain.auth import DEMO_USERS, User
from logic.domain.catalog import Catalog
from logic.domain.models import Unit
from logic.domain.rules import recommend
from logic.files.unit_file import read_units
from logic.services.assessment import open_assessment, submit_decision
from logic.services.units import import_units
from logic.services.users import ensure_demo_users
from logic.services.verdicts import approve_decision, return_decision
from logic.store.store import Store

DAYS = 420  # how far back the history begins
DEMO = "(demo) "  # every text the history writes starts so: never mistaken for real work


def _demo(role: str, nth: int = 0) -> User:
    return [u for u in DEMO_USERS if role in u.roles][nth]


def seed_demo_history(store: Store, units_file: Path, cat: Catalog, today: dt.date) -> int | None:
    """The demo users, the demo units and the history, into an empty database. Returns how
    many decisions were submitted, or None (and writes nothing) when the database holds
    anything already."""
    with store.transaction() as tx:
        if tx.units.count() > 0 or tx.audit.chain_tail()[0] is not None:
            return None
    start = today - dt.timedelta(days=DAYS)
    earlier = [q for q in QUARTERS if q < start]  # the roll-out observed, before the history
    clock = Clock(dt.datetime.combine(earlier[0] if earlier else start, dt.time(8, 0), dt.UTC))
    past = store.with_clock(clock.now)
    ensure_demo_users(past)
    admin = _demo("administrator")
    sample = read_units(units_file.read_bytes())
    for quarter, day in enumerate(earlier):
        clock.set(day, hour=8)
        data = observation_file(sample, quarter)
        import_units(past, data, admin, source=f"demo:enheter-{day.isoformat()}.csv", observed=day)
    clock.set(start, hour=8)
    import_units(past, units_file.read_bytes(), admin, source="demo:enheter.csv")
    assessor, approver = _demo("handlaggare"), _demo("beslutsfattare")
    other_approver = _demo("beslutsfattare", 1)
    hsa_ids = sorted(u.hsa_id for u in _units(past))[::2]  # every other unit: about half
    submitted = 0
    for i, hsa_id in enumerate(hsa_ids):
        day = start + dt.timedelta(days=10 + i * (DAYS - 20) // len(hsa_ids))
        clock.set(day, hour=9)
        author = approver if i == 5 else assessor  # a decision-maker's own decision
        revision = submit_decision(past, _decided(past, hsa_id, author, cat, day, i), author)
        submitted += 1
        if i % 9 == 4 or day > today - dt.timedelta(days=12):
            continue  # left waiting for approval
        clock.set(day + dt.timedelta(days=2), hour=14)
        judge = other_approver if author == approver else approver
        args = (hsa_id, revision.revision, revision.content_hash)
        if i % 7 == 3:
            return_decision(past, *args, f"{DEMO}Komplettera motiveringen.", judge)
        else:
            approve_decision(past, *args, judge)
    return submitted


def _units(store: Store) -> list[Unit]:
    with store.transaction() as tx:
        return tx.units.all()


def _decided(store: Store, hsa_id: str, user: User, cat: Catalog, day: dt.date, i: int) -> Draft:
    """A draft filled in as an assessor would, from the recommendation on that day."""
    d = open_assessment(store, hsa_id, user).draft
    if d.unit.driftsform == "avtal_upphandlad" and d.unit.avtalsanalys_klar is None:
        d = d.model_copy(update={"unit": d.unit.model_copy(update={"avtalsanalys_klar": False})})
    rec = recommend(d.unit, cat, day)
    _, default_review, latest = review_bounds(day, cat)
    fields: dict[str, object] = {"rationale": f"{DEMO}Bedömd enligt rekommendationen."}
    if rec.outcome == "avvaktar_avtalsanalys":
        fields |= {"outcome": "avvaktar", "analysis_expected": day + dt.timedelta(days=120)}
    elif rec.outcome == "prova_undantag":
        grounds = grounds_for(d.unit, "hela_enheten", cat)[:1]
        review = default_review if i % 3 else day + dt.timedelta(days=200)  # some now overdue
        fields |= {
            "outcome": "undantagen",
            "exemption": Exemption(
                scope="hela_enheten",
                grounds=grounds,
                rationale=f"{DEMO}Enheten har ingen patientkontakt.",
                review_date=review,
            ),
        }
    elif rec.outcome == "ej_omfattad":
        fields |= {"outcome": "ej_omfattad"}
    else:
        fields |= {"outcome": "omfattas", "response_time": "samma_vardag"}
        partial = [c for c in rec.missing if c != "kontakt"]
        grounds = grounds_for(d.unit, "per_arendetyp", cat)
        if i % 4 == 1 and partial and grounds:
            fields |= {
                "outcome": "delvis_undantagen",
                "exemption": Exemption(
                    scope="per_arendetyp",
                    case_types=(partial[0],),
                    grounds=grounds[:1],
                    rationale=f"{DEMO}Tjänsten erbjuds inte i någon kanal i dag.",
                    review_date=min(latest, day + dt.timedelta(days=330)),  # early ones overdue
                ),
            }
        if i == 2 and rec.variant == "primarvard":
            fields |= {
                "variant": "specialistmottagning",
                "variant_justification": f"{DEMO}Enheten arbetar som en specialistmottagning.",
            }
    return d.model_copy(update=fields)


class Clock:
    """The demo's "now": set to each action's day, always forward."""

    def __init__(self, start: dt.datetime):
        self.moment = start

    def set(self, day: dt.date, hour: int) -> None:
        moment = dt.datetime.combine(day, dt.time(hour, 0), dt.UTC)
        self.moment = max(moment, self.moment + dt.timedelta(minutes=1))

    def now(self) -> dt.datetime:
        self.moment += dt.timedelta(seconds=1)  # each transaction after the one before
        return self.moment
