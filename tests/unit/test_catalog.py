"""Reference data: validated at load; a bad file names file, line and field."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from logic.domain.codes import CASE_TYPES, VARIANTS
from logic.files.reference_data import CATALOG_DIR, CatalogError, load_catalog


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "catalog"
    shutil.copytree(CATALOG_DIR, target)
    return target


def test_catalog_has_exactly_the_fixed_codes_and_every_rule_cites_a_source() -> None:
    cat = load_catalog()
    assert [c.code for c in cat.case_types] == list(CASE_TYPES)
    assert sorted(v.code for v in cat.variants) == sorted(VARIANTS)
    assert all(rule.source.strip() for rule in cat.rules)
    assert len(cat.version) == 12


def test_version_changes_when_a_file_changes(copy: Path) -> None:
    before = load_catalog(copy).version
    path = copy / "regler.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert load_catalog(copy).version != before


def test_bad_rule_entry_names_file_line_and_field(copy: Path) -> None:
    path = copy / "regler.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        '  source: "Frågor och svar om basutbud: Vilka enheter omfattas?"\n'
        "- id: omfattas_kontaktkort",
        "- id: omfattas_kontaktkort",
        1,
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_catalog(copy)
    message = str(info.value)
    assert message.startswith("regler.yaml, line ")
    assert "field '0.source'" in message
    line = int(message.split("line ")[1].split(",")[0])
    assert "id: omfattas_vue" in text.splitlines()[line - 1]


def test_unknown_variant_code_in_assignment_is_refused(copy: Path) -> None:
    path = copy / "varianter.yaml"
    text = path.read_text(encoding="utf-8").replace("variant: tandvard", "variant: tandlakare")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError, match=r"varianter.yaml, line \d+, field 'assignment"):
        load_catalog(copy)


def test_a_unit_kind_without_variant_is_refused(copy: Path) -> None:
    path = copy / "varianter.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "  - when: {verksamhet: ovrigt}\n    variant: ovrig_enhet\n    rule: variant_ovrig_enhet\n",
        "",
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError, match="no variant for"):
        load_catalog(copy)


def test_no_source_shown_to_users_names_a_file_of_this_repository() -> None:
    """Sources are shown as "Källa: ...": they name documents and laws, not domain.md."""
    from logic.files.reference_data import catalog

    for rule in catalog().rules:
        assert not re.search(r"\.(md|py|yaml|csv)\b", rule.source), (rule.id, rule.source)


def test_a_deadline_comes_from_the_administrations_timetable_then_the_regions() -> None:
    cat = load_catalog()
    assert str(cat.deadline("kontakt", "Primärvård Skåne")) == "2022-06-30"
    assert str(cat.deadline("kontakt", "Skånevård Kryh")) == "2022-09-30"
    assert str(cat.deadline("av_omboka", "Primärvård Skåne")) == "2023-03-31"
    assert str(cat.deadline("av_omboka", "Medicinsk service")) == "2023-12-31"
    assert cat.deadline("begar_intyg", "Medicinsk service") is None  # a template, no date yet
    assert cat.deadline("boka_tid", "Medicinsk service") is None  # no template at all


def test_digital_contact_is_due_by_the_policy_date_without_a_timetable(copy: Path) -> None:
    (copy / "mallar.yaml").write_text("[]\n", encoding="utf-8")
    cat = load_catalog(copy)
    assert str(cat.deadline("kontakt", "Primärvård Skåne")) == "2022-09-30"
    assert cat.template("kontakt") is None


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("deadline: 2022-09-30", "deadline: 2022-10-01"), "no deadline after 2022-09-30"),
        (("case_type: fornya_recept", "case_type: kontakt"), "one template per case type"),
        (("case_type: fornya_recept", "case_type: fornya_allt"), "mallar.yaml, line"),
        (
            (
                '    - forvaltning: "Primärvård Skåne"\n      deadline: 2023-03-31',
                "    - deadline: 2023-03-31",
            ),
            "one deadline per administration",
        ),
        (("deadline: 2023-06-30", "deadline: 2023-06-31"), "mallar.yaml, line"),
    ],
)
def test_a_timetable_that_cannot_hold_is_refused_by_name(
    copy: Path, edit: tuple[str, str], message: str
) -> None:
    path = copy / "mallar.yaml"
    text = path.read_text(encoding="utf-8")
    assert edit[0] in text
    path.write_text(text.replace(edit[0], edit[1], 1), encoding="utf-8")
    with pytest.raises(CatalogError, match=message):
        load_catalog(copy)
