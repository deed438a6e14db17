"""docs/mutation.md as `make mutation` writes it: every survivor with its reason, or named
"not explained"; a module below the target marked."""

from __future__ import annotations

from scripts.mutation_report import label, load_reasons, mutant_names, render, tally

RESULTS = """\
    logic.domain.rules.x_recommend__mutmut_1: killed
    logic.domain.rules.x_recommend__mutmut_2: killed
    logic.domain.rules.x_recommend__mutmut_3: survived
    logic.files.unit_file.x__units__mutmut_1: killed
    logic.files.unit_file.x__units__mutmut_7: survived
    logic.files.unit_file.xǁRowErrorǁrender__mutmut_1: no tests
    logic.files.unit_file.x__units__mutmut_9: timeout
    logic.files.unit_file.x__units__mutmut_10: killed
    logic.files.unit_file.x__units__mutmut_11: killed
    logic.files.unit_file.x__units__mutmut_12: killed
    logic.files.unit_file.x__units__mutmut_13: killed
    logic.files.unit_file.x__units__mutmut_14: killed
    logic.files.unit_file.x__units__mutmut_15: killed
    logic.files.unit_file.x__units__mutmut_16: killed
    logic.files.unit_file.x__units__mutmut_17: killed
    logic.files.unit_file.x__units__mutmut_18: killed
    logic.files.unit_file.x__units__mutmut_19: killed
    logic.files.unit_file.x__units__mutmut_20: killed
    logic.files.unit_file.x__units__mutmut_21: killed
    logic.files.unit_file.x__units__mutmut_22: killed
    logic.files.unit_file.x__units__mutmut_23: killed
    logic.files.unit_file.x__units__mutmut_24: killed
    logic.files.unit_file.x__units__mutmut_25: killed
    logic.files.unit_file.x__units__mutmut_26: killed
"""
REASONS = {
    "logic.files.unit_file.x__units__mutmut_7": "a tie in the header is refused alike",
    "logic.files.unit_file.xǁRowErrorǁrender__mutmut_1": "Swedish is the default",
}


def report() -> str:
    status, survivors = tally(RESULTS.splitlines())
    return render(status, survivors, REASONS, "Made for a test.")


def test_a_survivor_with_a_reason_is_listed_with_it() -> None:
    text = report()
    assert "- `_units` 7: a tie in the header is refused alike" in text
    assert "- `RowError.render` 1 (no tests): Swedish is the default" in text


def test_a_survivor_without_a_reason_is_named_not_explained() -> None:
    assert "- `recommend` 3: **not explained**" in report()


def test_a_module_below_the_target_is_marked() -> None:
    rows = {line.split(" | ")[0]: line for line in report().splitlines() if line.startswith("| `")}
    assert rows["| `logic/domain/rules.py`"].endswith("| 66.7% | **below 90%** |")
    assert rows["| `logic/files/unit_file.py`"].endswith("| 90.5% | ok |")


def test_a_reason_for_a_mutant_that_no_longer_survives_is_said() -> None:
    status, survivors = tally(RESULTS.splitlines())
    gone = {"logic.files.unit_file.x__units__mutmut_10": "was harmless"}
    text = render(status, survivors, REASONS | gone, "Made for a test.")
    assert "- `logic.files.unit_file.x__units__mutmut_10`" in text.split("did not survive")[1]


def test_names_in_the_reasons_file_are_mutmut_names() -> None:
    assert mutant_names("logic/files/unit_file.py", "_units 7, 8") == [
        "logic.files.unit_file.x__units__mutmut_7",
        "logic.files.unit_file.x__units__mutmut_8",
    ]
    (method,) = mutant_names("logic/domain/verification.py", "_Broken.__init__ 1")
    assert method == "logic.domain.verification.xǁ_Brokenǁ__init____mutmut_1"
    assert label(method) == ("_Broken.__init__", 1)
    assert label("logic.files.unit_file.x__units__mutmut_7") == ("_units", 7)


def test_the_reasons_file_reads() -> None:
    reasons, notes = load_reasons()
    assert reasons and notes
    assert all(reason.strip() for reason in reasons.values())
