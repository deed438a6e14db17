"""The assessment of one unit: the draft the wizard fills in, step by step; its view (what
the wizard shows beside it); its deviations from the recommendation; the decision record.
Validation is in validation.py.

No I/O here: services load and save drafts; pages render them.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, get_args

from dateutil.relativedelta import relativedelta
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from logic.domain.catalog import Catalog
from logic.domain.codes import MINIMUM, CaseType, Variant
from logic.domain.models import Recommendation, Unit
from logic.domain.rules import facts, recommend
from logic.domain.text import normalise_text

STEPS = ("enheten", "omfattning", "kanaler", "variant", "undantag", "svarstid", "beslut")
DecisionOutcome = Literal["omfattas", "delvis_undantagen", "undantagen", "ej_omfattad", "avvaktar"]
DECISION_OUTCOMES: tuple[str, ...] = get_args(DecisionOutcome)
ExemptionScope = Literal["ingen", "hela_enheten", "per_arendetyp"]
EXEMPTION_SCOPES: tuple[str, ...] = get_args(ExemptionScope)
# Fields the wizard lets the assessor correct; the rest of the unit (hsa_id) is fixed.
FACT_FIELDS = tuple(f for f in Unit.model_fields if f != "hsa_id")


# Free text as typed: every line break as "\n" (validation.text_errors checks the rest).
FreeText = Annotated[str, AfterValidator(normalise_text)]


class Exemption(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scope: ExemptionScope = "ingen"
    case_types: tuple[CaseType, ...] = ()  # for scope per_arendetyp
    grounds: tuple[str, ...] = ()
    other_ground: FreeText = ""  # required when the ground "annat" is chosen
    rationale: FreeText = ""
    review_date: dt.date | None = None

    def decided(self) -> Exemption:
        """The exemption as it counts: only its scope's fields. What was typed under another
        scope stays in the draft (a slip of the scope loses nothing) but is never decided."""
        if self.scope == "ingen":
            return Exemption()
        # a ground described under "annat" is decided only while "annat" is chosen
        other = self.other_ground if "annat" in self.grounds else ""
        if self.scope == "hela_enheten":
            return self.model_copy(update={"case_types": (), "other_ground": other})
        return self.model_copy(update={"other_ground": other})


class WardChecklist(BaseModel):
    """What a ward confirms (the seed: relatives' questions about inpatients, in four parts
    under OSL 25 kap. 1 §; and questions from discharged patients). Recorded with the
    decision; the labels are wizard.ward.<field>."""

    model_config = ConfigDict(extra="forbid")

    ask_patient: bool = False  # a relative's question: the patient is asked for consent
    cannot_consent: bool = False  # unreachable patient: the relative is told it is secret
    general_questions: bool = False  # visiting rules, directions: always answered
    release_rule: bool = False  # released only with consent or when clearly no harm
    discharged_routine: bool = False  # questions from discharged patients

    @model_validator(mode="before")
    @classmethod
    def _one_routine_became_four_parts(cls, data: Any) -> Any:
        """Drafts saved before held one box for the relatives' routine: its four parts are
        confirmed anew (one box cannot say which of them the ward has)."""
        if isinstance(data, dict) and "relatives_routine" in data:
            data = {k: v for k, v in data.items() if k != "relatives_routine"}
        return data

    def confirmed(self) -> bool:
        return all(getattr(self, item) for item in WARD_ITEMS)


WARD_ITEMS: tuple[str, ...] = tuple(WardChecklist.model_fields)


class EarlierDecision(BaseModel):
    """A re-assessment starts from the decision before it: its outcome and the texts written
    for that outcome. They are carried into the draft, but a text written for one outcome is
    not recorded under another unseen (earlier_texts)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    revision: int
    outcome: DecisionOutcome
    rationale: str = ""
    exemption_rationale: str = ""


class Draft(BaseModel):
    """Everything the assessor has entered so far. Stored as every field changes."""

    model_config = ConfigDict(extra="forbid")

    hsa_id: str
    step: int = 0
    based_on_revision: int | None = None
    register_unit: Unit  # the unit as the register had it when the assessment began
    unit: Unit  # the facts as the assessor has confirmed or corrected them
    variant: Variant | None = None  # None: the recommended variant
    variant_justification: FreeText = ""
    ward: WardChecklist = Field(default_factory=WardChecklist)
    exemption: Exemption = Field(default_factory=Exemption)
    response_time: str = ""
    citizen_informed: bool = False
    outcome: DecisionOutcome | None = None
    # "avvaktar": when the contract analysis is expected; the unit returns to the review
    # queue on that date, as an exemption does on its review date
    analysis_expected: dt.date | None = None
    rationale: FreeText = ""
    remark: FreeText = ""  # the assessor's own words beside the generated decision text
    justifications: dict[str, FreeText] = Field(default_factory=dict)  # deviation -> why
    update_register: bool = True
    earlier: EarlierDecision | None = None  # the decision this one re-assesses
    earlier_texts_confirmed: bool = False  # its texts hold for another outcome too

    def chosen_variant(self, rec: Recommendation) -> str | None:
        return self.variant or rec.variant

    @model_validator(mode="before")
    @classmethod
    def _edited_decision_text_is_a_remark(cls, data: Any) -> Any:
        """Drafts saved before the decision text was generated held an editable one: the
        assessor's own wording (when it differs from the tool's) is kept as the remark."""
        if isinstance(data, dict) and "decision_text" in data:
            data = dict(data)
            text, generated = data.pop("decision_text"), data.pop("decision_text_generated", "")
            if text and text != generated and not data.get("remark"):
                data["remark"] = text
        return data


# Where a decision departs from the recommendation: another variant, another outcome, the
# whole unit exempted though in scope, the lowest level exempted (BELOW_MINIMUM).
DeviationCode = Literal["variant", "utfall", "undantag", "lagstaniva"]
DEVIATION_CODES: tuple[str, ...] = get_args(DeviationCode)


class Deviation(BaseModel):
    model_config = ConfigDict(frozen=True)

    code: DeviationCode
    recommended: str
    chosen: str


def new_draft(
    unit: Unit, based_on: int | None = None, previous: dict[str, Any] | None = None
) -> Draft:
    """A fresh draft from the register, or from the previous decision when re-assessing."""
    if previous is None:
        return Draft(hsa_id=unit.hsa_id, register_unit=unit, unit=unit, based_on_revision=based_on)
    data = {k: v for k, v in previous.items() if k in Draft.model_fields}
    data.update(
        hsa_id=unit.hsa_id,
        register_unit=unit,
        unit=unit,
        based_on_revision=based_on,
        step=0,
        justifications=previous.get("justifications", {}),
        earlier_texts_confirmed=False,
        earlier=None,
    )
    if based_on is not None and previous.get("outcome") in DECISION_OUTCOMES:
        data["earlier"] = EarlierDecision(
            revision=based_on,
            outcome=previous["outcome"],
            rationale=previous.get("rationale") or "",
            exemption_rationale=(previous.get("exemption") or {}).get("rationale") or "",
        )
    return Draft.model_validate(data)


def carried_texts(draft: Draft) -> tuple[str, ...]:
    """The texts (rationale, exemption_rationale) carried unchanged from the earlier decision
    into a decision with another outcome: they were written for the other outcome, so they
    are shown as the earlier decision's and must be confirmed or rewritten."""
    earlier = draft.earlier
    if earlier is None or draft.outcome is None or draft.outcome == earlier.outcome:
        return ()
    now = {"rationale": draft.rationale, "exemption_rationale": draft.exemption.rationale}
    if draft.exemption.scope == "ingen":
        now["exemption_rationale"] = ""  # not decided, so not carried into anything
    return tuple(
        field
        for field, before in (
            ("rationale", earlier.rationale),
            ("exemption_rationale", earlier.exemption_rationale),
        )
        if before.strip() and now[field] == before
    )


def merge_edits(base: Any, mine: Any, theirs: Any) -> Any:
    """Three-way merge of a draft's data: what this session changed since `base` (the draft
    as it last saw it stored) laid over what is stored now (`theirs`, e.g. saved from another
    tab). A field only the other side changed is kept; a field changed on both, mine."""
    if isinstance(base, dict) and isinstance(mine, dict) and isinstance(theirs, dict):
        return {
            key: merge_edits(base.get(key), mine.get(key), theirs.get(key))
            for key in mine.keys() | theirs.keys()
        }
    return theirs if mine == base else mine


def corrections(draft: Draft) -> dict[str, tuple[Any, Any]]:
    """Facts the assessor changed compared with the register: field -> (register, now)."""
    old, new = draft.register_unit.model_dump(), draft.unit.model_dump()
    return {f: (old[f], new[f]) for f in FACT_FIELDS if old[f] != new[f]}


def expected_outcome(rec: Recommendation, exemption: Exemption) -> str:
    """The decision outcome that follows from the recommendation and the exemption chosen."""
    if rec.outcome == "ej_omfattad":
        return "ej_omfattad"
    if rec.outcome == "avvaktar_avtalsanalys":
        return "avvaktar"
    if exemption.scope == "hela_enheten":
        return "undantagen"
    if exemption.scope == "per_arendetyp":
        return "delvis_undantagen"
    return "undantagen" if rec.outcome == "prova_undantag" else "omfattas"


BELOW_MINIMUM = "lagstaniva"  # the deviation that drops the lowest level (MINIMUM)


def drops_minimum(draft: Draft, rec: Recommendation) -> bool:
    """Does the decision leave a unit the policy puts in scope without digital contact, other
    than by exempting the whole unit (judged case by case, with its own deviation)? Then it
    deviates from the policy itself: exempting `kontakt` per case type, or "omfattas inte"."""
    if MINIMUM not in rec.required or draft.outcome in (None, "avvaktar", "undantagen"):
        return False
    ex = draft.exemption
    return (
        draft.outcome == "ej_omfattad"
        or ex.scope == "hela_enheten"
        or (ex.scope == "per_arendetyp" and MINIMUM in ex.case_types)
    )


def deviations(draft: Draft, rec: Recommendation) -> list[Deviation]:
    """Every place the assessor departs from the recommendation; each needs a justification."""
    found: list[Deviation] = []
    if draft.variant is not None and draft.variant != rec.variant:
        found.append(Deviation(code="variant", recommended=rec.variant or "", chosen=draft.variant))
    if draft.exemption.scope == "hela_enheten" and rec.outcome == "omfattas":
        found.append(Deviation(code="undantag", recommended="ingen", chosen="hela_enheten"))
    expected = expected_outcome(rec, draft.exemption)
    if draft.outcome is not None and draft.outcome != expected:
        found.append(Deviation(code="utfall", recommended=expected, chosen=draft.outcome))
    if drops_minimum(draft, rec):
        found.append(Deviation(code=BELOW_MINIMUM, recommended=MINIMUM, chosen="undantas"))
    return found


def grounds_for(unit: Unit, scope: str, cat: Catalog) -> tuple[str, ...]:
    """The exemption grounds that can apply: to this scope, and to a unit like this one."""
    applies = "enhet" if scope == "hela_enheten" else "arendetyp"
    unit_facts = facts(unit)
    return tuple(
        g.code for g in cat.grounds if applies in g.applies_to and g.offered_for(unit_facts)
    )


def review_bounds(today: dt.date, cat: Catalog) -> tuple[dt.date, dt.date, dt.date]:
    """(earliest, default, latest) review date for an exemption."""
    return (
        today + dt.timedelta(days=1),
        add_months(today, cat.policy.review_default_months),
        add_months(today, cat.policy.review_max_months),
    )


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months; the 31st becomes the month's last day (dateutil's rule)."""
    return day + relativedelta(months=months)


def needs_response_time(draft: Draft, rec: Recommendation) -> bool:
    """Units that will offer e-services commit to a response time; exempt, pending and
    out-of-scope units do not. A decision that offers e-services commits to one whatever
    the recommendation said."""
    if draft.outcome is not None and draft.outcome in OFFERS:
        return True
    return rec.outcome in ("omfattas", "prova_undantag") and draft.exemption.scope != "hela_enheten"


# The exemption each outcome goes with: the outcome and the exemption can never disagree
# (an "omfattas" that exempts, a "delvis undantagen" that exempts nothing, an "avvaktar"
# that drops a case type unseen).
OFFERS = ("omfattas", "delvis_undantagen")  # the outcomes under which e-services are offered
SCOPE_OF_OUTCOME: dict[str, str] = {
    "omfattas": "ingen",
    "delvis_undantagen": "per_arendetyp",
    "undantagen": "hela_enheten",
    "ej_omfattad": "ingen",
    "avvaktar": "ingen",
}


def review_date_of(draft: Draft) -> dt.date | None:
    """When the decision is to be looked at again (the review queue): an exemption's review
    date, or, for a decision that waits, the date its contract analysis is expected."""
    if draft.outcome == "avvaktar":
        return draft.analysis_expected
    return draft.exemption.review_date if draft.exemption.scope != "ingen" else None


def decided_requirements(
    draft: Draft, chosen: Recommendation
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(required, missing) as decided: under the chosen variant, less what is exempted."""
    if draft.outcome in ("ej_omfattad", "undantagen") or draft.exemption.scope == "hela_enheten":
        return (), ()
    exempt = set(draft.exemption.case_types) if draft.exemption.scope == "per_arendetyp" else set()
    return (
        tuple(c for c in chosen.required if c not in exempt),
        tuple(c for c in chosen.missing if c not in exempt),
    )


class Recommended(BaseModel):
    """What the rules say of a draft's unit on a day, worked out once per action and handed
    to every check and to the record: the recommendation, and what the variant chosen
    requires (the trace of the latter says the variant was chosen)."""

    model_config = ConfigDict(frozen=True)

    recommendation: Recommendation
    chosen: Recommendation


def recommended(draft: Draft, cat: Catalog, today: dt.date) -> Recommended:
    rec = recommend(draft.unit, cat, today)
    chosen = recommend(draft.unit, cat, today, variant=draft.chosen_variant(rec))
    return Recommended(recommendation=rec, chosen=chosen)


def decision_record(
    draft: Draft,
    rec: Recommendation,
    cat: Catalog,
    today: dt.date,
    chosen: Recommendation | None = None,
) -> dict[str, Any]:
    """The decision fields stored with a revision: everything decided and why. The formal
    decision text is generated from these at submission (domain.decision_text). `chosen`:
    what the variant chosen requires, when the caller has worked it out already."""
    if chosen is None:
        chosen = recommend(draft.unit, cat, today, variant=draft.chosen_variant(rec))
    required, missing = decided_requirements(draft, chosen)
    found = deviations(draft, rec)
    justified = {
        d.code: draft.variant_justification
        if d.code == "variant"
        else draft.justifications.get(d.code, "")
        for d in found
    }
    return {
        "required": list(required),
        "missing": list(missing),
        "outcome": draft.outcome,
        "variant": draft.chosen_variant(rec),
        "variant_justification": justified.get("variant", ""),
        "ward": draft.ward.model_dump(),
        "exemption": draft.exemption.decided().model_dump(mode="json"),
        # only a unit that offers e-services commits to a response time
        "response_time": draft.response_time if draft.outcome in OFFERS else "",
        "citizen_informed": draft.citizen_informed and draft.outcome in OFFERS,
        "analysis_expected": (
            draft.analysis_expected.isoformat()
            if draft.outcome == "avvaktar" and draft.analysis_expected
            else None
        ),
        "rationale": draft.rationale,
        "remark": draft.remark,
        "deviations": [
            d.model_dump() | {"justification": justified.get(d.code, "")} for d in found
        ],
        # only what justifies a deviation the decision makes: a justification typed for one
        # it no longer makes is not part of it (and not carried into a re-assessment)
        "justifications": {c: j for c, j in justified.items() if c != "variant"},
        "corrections": {f: list(v) for f, v in corrections(draft).items()},
        "update_register": draft.update_register,
    }
