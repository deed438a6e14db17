"""The roll-out on the command line: imports dated as observations, the export for machines
with exactly its documented columns, a date or moment that is not one refused in words."""

from __future__ import annotations

import csv
import io
import subprocess
from pathlib import Path

from openpyxl import load_workbook

from logic.files.rollout_export import ROLLOUT_HEADERS
from tests.cli import run_cli
from tests.factories import HEADER

UNIT = "SE162321000255-T0001"


def run(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, url=f"sqlite:///{db}")


def unit_file(tmp_path: Path, name: str, e_tjanster: str, mallar: str = "") -> Path:
    path = tmp_path / name
    path.write_text(
        f"{HEADER};regionala_mallar\n{UNIT};=Vårdcentralen Test;Primärvård Skåne;mottagning;"
        f"primarvard;region;;ja;ja;ja;nej;kontakt|fornya_recept;{e_tjanster};{mallar}\n",
        encoding="utf-8",
    )
    return path


def test_observations_on_their_dates_give_the_export_its_intervals(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    assert run("migrate", db=db).returncode == 0
    first = unit_file(tmp_path, "2021.csv", "")
    second = unit_file(tmp_path, "2022.csv", "kontakt", "kontakt")
    assert run("import-units", str(second), "--observed", "2022-03-01", db=db).returncode == 0
    late = run("import-units", str(first), "--observed", "2021-09-01", db=db)
    assert late.returncode == 0, late.stderr
    assert "1 enhet har en nyare observation" in late.stdout

    out = tmp_path / "ro.csv"
    done = run(
        "export-rollout", "--format", "csv", "--as-of", "2022-12-31", "--out", str(out), db=db
    )
    assert done.returncode == 0, done.stderr
    assert "2 rader exporterade" in done.stdout
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert tuple(rows[0]) == ROLLOUT_HEADERS
    assert rows[1:] == [
        [UNIT, "'=Vårdcentralen Test", "Primärvård Skåne", "fornya_recept", "planerat",
         "", "", "2023-06-30", "okant", "nej", "forslag", ""],
        [UNIT, "'=Vårdcentralen Test", "Primärvård Skåne", "kontakt", "infort_mall",
         "2021-09-01", "2022-03-01", "2022-06-30", "ja", "ja", "forslag", ""],
    ]  # fmt: skip

    xlsx = tmp_path / "ro.xlsx"
    only = run(
        "export-rollout", "--format", "xlsx", "--as-of", "2022-12-31", "--status", "planerat",
        "--out", str(xlsx), db=db,
    )  # fmt: skip
    assert only.returncode == 0, only.stderr
    sheet = load_workbook(xlsx).active
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    assert values[0] == list(ROLLOUT_HEADERS)
    assert [r[3] for r in values[1:]] == ["fornya_recept"]
    assert values[1][1] == "=Vårdcentralen Test"  # text, never a formula
    assert sheet.cell(2, 2).data_type == "s"

    report = tmp_path / "rapport.pdf"
    made = run(
        "rollout-report", "--format", "pdf", "--as-of", "2022-12-31", "--out", str(report),
        db=db,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert "Rapporten skrevs till" in made.stdout
    assert report.read_bytes().startswith(b"%PDF-")

    before = tmp_path / "before.csv"
    known = run(
        "export-rollout", "--format", "csv", "--as-of", "2022-12-31",
        "--known-at", "2000-01-01T00:00", "--out", str(before), db=db,
    )  # fmt: skip
    assert known.returncode == 0, known.stderr
    assert before.read_text(encoding="utf-8").strip() == ",".join(ROLLOUT_HEADERS)


def test_a_date_a_moment_or_a_filter_that_is_not_one_is_refused_in_words(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    assert run("migrate", db=db).returncode == 0
    path = unit_file(tmp_path, "u.csv", "")
    for flag, value in (("--observed", "2022-02-30"), ("--observed", "2022-0３-01")):
        refused = run("import-units", str(path), flag, value, db=db)
        assert refused.returncode == 2
        assert f"'{value}' är inget datum" in refused.stderr
    for day in ("2999-01-01", "1999-12-31"):
        refused = run("import-units", str(path), "--observed", day, db=db)
        assert refused.returncode == 2 and "från 2000-01-01 till och med i dag" in refused.stderr
    for value in ("0001-01-01", "2999-01-01T00:00"):
        far = run("export-rollout", "--format", "csv", "--known-at", value, "--out", "x", db=db)
        assert far.returncode == 2 and f"Tidpunkten {value} går inte" in far.stderr
    ahead = run("export-rollout", "--format", "csv", "--as-of", "2999-01-01", "--out", "x", db=db)
    assert ahead.returncode == 2 and "ligger efter i dag" in ahead.stderr
    unknown = run(
        "rollout-report", "--format", "pdf", "--forvaltning", "Finns inte", "--out", "x", db=db
    )
    assert unknown.returncode == 2 and "Förvaltningen 'Finns inte' finns inte" in unknown.stderr
    out = str(tmp_path / "x.csv")
    bad_moment = run(
        "export-rollout", "--format", "csv", "--known-at", "i går", "--out", out, db=db
    )
    assert bad_moment.returncode == 2 and "'i går' är ingen tidpunkt" in bad_moment.stderr
    bad_status = run("export-rollout", "--format", "csv", "--status", "klar", "--out", out, db=db)
    assert bad_status.returncode == 2
    assert (
        "Ogiltigt filter --status: 'klar'. Se python -m logic export-rollout" in bad_status.stderr
    )
    assert not Path(out).exists()
