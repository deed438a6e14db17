"""The fixed codes of the domain. One name per concept, the same in code, data, UI and docs."""

from typing import Literal, get_args

CaseType = Literal[
    "kontakt",
    "kontakta_mig",
    "fornya_recept",
    "av_omboka",
    "boka_tid",
    "egen_vardbegaran",
    "fraga_remiss",
    "begar_intyg",
    "radgivning",
    "fornya_hjalpmedel",
    "stod_behandling",
]
Variant = Literal[
    "primarvard",
    "specialistmottagning",
    "barnmorskemottagning",
    "tandvard",
    "psykiatri",
    "avdelning",
    "ovrig_enhet",
]
Enhetstyp = Literal["mottagning", "avdelning", "akutmottagning", "ovrig"]
Verksamhet = Literal[
    "primarvard",
    "specialistvard",
    "barnmorskemottagning",
    "psykiatri",
    "tandvard",
    "habilitering",
    "medicinsk_service",
    "ovrigt",
]
Driftsform = Literal["region", "avtal_vardval", "avtal_upphandlad"]
# What the rules recommend; not the outcome decided (assessment.DecisionOutcome): a unit
# recommended to be tried for exemption (prova_undantag) is decided undantagen, delvis
# undantagen or omfattas; one to wait for its contract analysis is decided avvaktar.
RecommendedOutcome = Literal["omfattas", "avvaktar_avtalsanalys", "prova_undantag", "ej_omfattad"]
DeadlineStatus = Literal["uppfylld", "forsenad", "inom_frist", "ej_tillamplig"]

# The lowest level of e-services: being able to contact a unit digitally (the seed). A
# decision that leaves a unit in scope without it deviates from the policy itself.
MINIMUM: CaseType = "kontakt"

CASE_TYPES: tuple[str, ...] = get_args(CaseType)
VARIANTS: tuple[str, ...] = get_args(Variant)
ENHETSTYPER: tuple[str, ...] = get_args(Enhetstyp)
VERKSAMHETER: tuple[str, ...] = get_args(Verksamhet)
DRIFTSFORMER: tuple[str, ...] = get_args(Driftsform)
RECOMMENDED_OUTCOMES: tuple[str, ...] = get_args(RecommendedOutcome)
