"""The command line, as a batch user runs it: `python -m logic ...` in a subprocess."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

from tests.cli import run_cli
from tests.factories import HEADER, ROW

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample" / "enheter.csv"


def run(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, url=f"sqlite:///{db}")


def test_triage_gives_one_row_per_unit_with_the_documented_headers(tmp_path: Path) -> None:
    out = tmp_path / "triage.csv"
    result = run("triage", str(SAMPLE), "--out", str(out), db=tmp_path / "x.db")
    assert result.returncode == 0, result.stderr
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["hsa_id", "namn", "utfall", "variant", "kravda", "saknas", "regler"]
    sample_rows = SAMPLE.read_text(encoding="utf-8").strip().count("\n")
    assert len(rows) - 1 == sample_rows
    by_id = {r[0]: r for r in rows[1:]}
    first = by_id["SE162321000255-DEMO0001"]
    assert first[1] == "Vårdcentral Norra, Lund (demo)"
    assert "kontakt" in first[4].split("|")
    assert first[4].split("|") == sorted(first[4].split("|"))
    assert not (tmp_path / "x.db").exists()  # triage never touches the database


def test_triage_of_a_bad_file_names_the_row_and_writes_no_output(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    row3 = ROW.replace("T0001", "T0002").replace(";ja;ja;ja;ja;", ";ja;ja;jo;ja;")
    bad.write_text(f"{HEADER}\n{ROW}\n{row3}\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    result = run("triage", str(bad), "--out", str(out), db=tmp_path / "x.db")
    assert result.returncode == 1
    assert "Rad 3, kolumn 'patientkontakt', värde 'jo': skriv ja eller nej" in result.stderr
    assert "Inget har skrivits" in result.stderr
    assert not out.exists()


def test_import_units_refuses_a_bad_file_and_then_imports_a_good_one(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    assert run("migrate", db=db).returncode == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{HEADER}\n{ROW.replace(';region;', ';privat;')}\n", encoding="utf-8")
    refused = run("import-units", str(bad), db=db)
    assert refused.returncode == 1
    assert "Rad 2, kolumn 'driftsform', värde 'privat'" in refused.stderr
    imported = run("import-units", str(SAMPLE), db=db)
    assert imported.returncode == 0, imported.stderr
    assert "Inläst: 72 nya, 0 ändrade, 0 oförändrade enheter (observerade " in imported.stdout
    again = run("import-units", str(SAMPLE), db=db)
    assert "0 nya, 0 ändrade, 72 oförändrade" in again.stdout


def test_verify_audit_reports_an_intact_record(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    assert run("migrate", db=db).returncode == 0
    assert run("import-units", str(SAMPLE), db=db).returncode == 0
    result = run("verify-audit", db=db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Intakt: 1 händelse och")


def test_a_file_of_many_bad_rows_prints_the_first_thousand_and_the_count(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    assert run("migrate", db=db).returncode == 0
    bad = tmp_path / "bad.csv"
    rows = [ROW.replace("T0001", f"T{i:04d}").replace(";region;", ";privat;") for i in range(1500)]
    bad.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    refused = run("import-units", str(bad), db=db)
    assert refused.returncode == 1
    lines = refused.stderr.splitlines()
    assert sum(line.startswith("Rad ") for line in lines) == 1000
    assert lines[0].startswith("Rad 2,") and lines[999].startswith("Rad 1001,")
    assert "De första 1000 av 1500 fel visas" in refused.stderr
    assert "Filen avvisades: 1500 fel. Inget har skrivits." in refused.stderr


def test_export_in_swedish_words_for_people(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    assert run("migrate", db=db).returncode == 0
    assert run("seed", db=db).returncode == 0
    out = tmp_path / "beslut.csv"
    done = run("export-decisions", "--format", "csv", "--labels", "sv", "--out", str(out), db=db)
    assert done.returncode == 0, done.stderr
    header = out.read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("HSA-id,Enhet,Förvaltning,Beslut,Variant")
    assert "Ej bedömd" in out.read_text(encoding="utf-8")  # never assessed, in words


def test_seed_with_the_demo_history_says_what_it_made_once(tmp_path: Path) -> None:
    db = tmp_path / "app.db"
    assert run("migrate", db=db).returncode == 0
    first = run("seed", "--demo-history", db=db)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip().startswith("Exempelenheterna är inlästa, med en demohistorik: 36")
    assert "redan enheter" not in first.stdout
    again = run("seed", "--demo-history", db=db)  # never beside what is there
    assert "redan enheter" in again.stdout
    assert run("verify-audit", db=db).stdout.startswith("Intakt: 1")
