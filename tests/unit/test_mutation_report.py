"""docs/mutation.md as `make mutation` writes it: every survivor with its reason, or named
"not explained"; a module below the target marked."""

from __future__ import annotations

from scripts.mutation_report import label, load_reasons, mutant_names, render, score, tally
from scripts.mutation_state import sample
from tests.mutation_selection import keeps

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
    assert rows["| `logic/domain/rules.py`"].endswith(
        "| all | 2 | 1 | 0 | 66.7% | – | **below 90%** |"
    )
    assert rows["| `logic/files/unit_file.py`"].endswith("| 90.5% | – | ok |")


def module(killed: int, survived: int, pending: int) -> dict[str, str]:
    results = ["killed"] * killed + ["survived"] * survived + ["not checked"] * pending
    return {f"logic.domain.rules.x_f__mutmut_{i}": r for i, r in enumerate(results, 1)}


def test_a_module_not_measured_whole_is_scored_on_its_sample_with_an_interval() -> None:
    results = module(killed=300, survived=20, pending=180)
    drawn = sample(results, "50")
    for name in drawn:  # the sample measured: 47 killed, 3 survived
        results[name] = "survived" if name in drawn[:3] else "killed"
    s = score(results, "50")
    assert (s.mutants, s.basis, s.killed, s.missed, s.pending) == (500, 50, 47, 3, 0)
    assert s.ok and s.measured == "sample of 50"
    low, high = s.interval
    assert 0.83 < low < 0.85 and 0.97 < high < 0.99  # Wilson's, 47 of 50
    row = next(
        line
        for line in render({"logic/domain/rules.py": results}, {}, {}, "M").splitlines()
        if line.startswith("| `logic/domain/rules.py`")
    )
    assert "| 500 | sample of 50 | 47 | 3 | 0 | 94.0% | 83.8% to 97.9% | ok |" in row


def test_the_sample_is_the_same_whatever_was_measured_first() -> None:
    results = module(killed=0, survived=0, pending=200)
    drawn = sample(results, "50")
    assert len(drawn) == 50 and drawn == sample(reversed(list(results)), "50")
    quickest = list(results)[:120]  # mutmut runs the quickest first: not the sample
    for name in quickest:
        results[name] = "killed"
    s = score(results, "50")
    assert s.basis == 50 and s.pending == len(set(drawn) - set(quickest)) > 0
    assert not s.ok  # incomplete until the sample is measured


def test_a_module_measured_whole_is_scored_on_every_mutant() -> None:
    s = score(module(killed=90, survived=10, pending=0), "50")
    assert (s.basis, s.score, s.interval, s.measured) == (100, 0.9, (0.9, 0.9), "all")
    assert s.ok


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


def test_a_mutant_runs_the_tests_of_its_modules_tiers() -> None:
    rule = "logic.domain.rules.x_recommend__mutmut_3"
    service = "logic.services.verdicts.x_approve__mutmut_1"
    unit, integration, app = (
        "tests/unit/test_rules.py::test_a",
        "tests/integration/test_store.py::test_b[sqlite]",
        "tests/app/test_pages.py::test_c",
    )
    assert keeps(rule, unit, False) and keeps(rule, integration, False)
    assert not keeps(rule, integration, on_postgresql=True)  # a rule is the same on both
    assert keeps(service, integration, on_postgresql=True)  # a lock shows only there
    assert not keeps(rule, app, False) and not keeps(service, app, False)
