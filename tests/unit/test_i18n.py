"""The message catalog: every key the code uses exists, in Swedish and English."""

from __future__ import annotations

import re
from pathlib import Path

from logic.domain.assessment import DECISION_OUTCOMES, STEPS
from logic.domain.codes import DRIFTSFORMER, ENHETSTYPER, RECOMMENDED_OUTCOMES, VERKSAMHETER
from logic.domain.models import Unit
from logic.i18n import LANGUAGES, messages, one_decimal, t

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
        "outcome": RECOMMENDED_OUTCOMES,
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


def test_words_agree_with_their_number() -> None:
    assert t("register.export", "sv", rows=1) == "Exportera 1 rad"
    assert t("register.export", "sv", rows=2) == "Exportera 2 rader"
    assert t("register.export", "en", rows=1) == "Export 1 row"
    assert t("register.showing", "sv", first=1, last=1, total=1) == "Visar 1–1 av 1 enhet"
    assert t("admin.do_import", "sv", count=0) == "Läs in 0 enheter"
    assert t("cli.exported", "sv", rows=1, out="f", sha256="x").startswith("1 rad exporterad")
    assert t("audit.intact", "sv", events=1, revisions=1).startswith(
        "Intakt: 1 händelse och 1 beslutsrevision"
    )


def test_one_decimal_has_the_languages_decimal_mark() -> None:
    assert one_decimal(12.345, "sv") == "12,3"
    assert one_decimal(12.35, "en") == "12.3"  # binary 12.35 is a little below: rounds down
    assert one_decimal(0.96, "sv") == "1,0"
    assert one_decimal(1500.0) == "1500,0"  # Swedish by default, no thousands separator
