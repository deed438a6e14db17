"""The message catalog: every key the code uses exists, in Swedish and English."""

from __future__ import annotations

import re
from pathlib import Path

from logic.domain.assessment import DECISION_OUTCOMES, STEPS
from logic.domain.codes import DRIFTSFORMER, ENHETSTYPER, OUTCOMES, VERKSAMHETER
from logic.domain.models import Unit
from logic.i18n import LANGUAGES, messages

ROOT = Path(__file__).resolve().parents[2]
USE = re.compile(r"""\btr?\(\s*["']([a-z_]+\.[a-z_.]+)["']\s*[,)]""")


def test_every_message_key_used_in_code_exists_in_both_languages() -> None:
    sources = [ROOT / "app.py", *ROOT.glob("pages/**/*.py"), *ROOT.glob("logic/**/*.py")]
    used = {key for path in sources for key in USE.findall(path.read_text(encoding="utf-8"))}
    assert len(used) > 50, "the pattern found few keys: the test would prove little"
    catalog = messages()
    assert sorted(used - catalog.keys()) == []
    for key in used:
        assert all(catalog[key][lang].strip() for lang in LANGUAGES), key


def test_every_code_shown_through_a_composed_key_has_its_words() -> None:
    composed = {
        "outcome": OUTCOMES,
        "decision": DECISION_OUTCOMES,
        "deadline": ("uppfylld", "forsenad", "inom_frist", "ej_tillamplig"),
        "enhetstyp": ENHETSTYPER,
        "verksamhet": VERKSAMHETER,
        "driftsform": DRIFTSFORMER,
        "exemption": ("ingen", "hela_enheten", "per_arendetyp"),
        "wizard.step": STEPS,
        "wizard.exemption": ("basis_kalla", "basis_bedomning"),
        "field": tuple(Unit.model_fields),
        "deviation": ("variant", "undantag", "utfall"),
    }
    keys = {f"{prefix}.{code}" for prefix, codes in composed.items() for code in codes}
    assert sorted(keys - messages().keys()) == []
