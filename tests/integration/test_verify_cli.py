"""verify-audit as an administrator runs it: on the live database it prints the chain's
head; on a backup it writes nothing; a head written down earlier catches a chain rewritten
or cut off since; an empty or unmigrated database is said in words."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
from pathlib import Path

from tests.cli import run_cli
from tests.factories import HEADER, ROW

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, db: Path) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, url=f"sqlite:///{db}")


def head_of(output: str) -> str:
    return output.split("Kedjans huvud: ")[1].split(".")[0]


def test_a_backup_is_verified_without_writing_and_heads_catch_later_rewrites(
    tmp_path: Path,
) -> None:
    db, units = tmp_path / "live.db", tmp_path / "enheter.csv"
    units.write_text(f"{HEADER}\n{ROW}\n", encoding="utf-8")
    assert run("migrate", db=db).returncode == 0
    assert run("import-units", str(units), db=db).returncode == 0
    first = run("verify-audit", db=db)
    assert first.returncode == 0, first.stderr
    head = head_of(first.stdout)
    assert head.startswith("1:")  # the import; the check itself is the next event

    backup = tmp_path / "backup.db"
    with sqlite3.connect(db) as source, sqlite3.connect(backup) as target:
        source.backup(target)
    before = hashlib.sha256(backup.read_bytes()).hexdigest()
    checked = run("verify-audit", "--backup", str(backup), "--expect", head, db=db)
    assert checked.returncode == 0, checked.stderr
    assert hashlib.sha256(backup.read_bytes()).hexdigest() == before  # nothing written

    with sqlite3.connect(backup) as conn:  # cut off the chain's end
        conn.execute("DROP TRIGGER audit_events_no_delete")
        conn.execute("DELETE FROM audit_events")
    cut = run("verify-audit", "--backup", str(backup), "--expect", head, db=db)
    assert cut.returncode == 1 and "AVKORTAD KEDJA" in cut.stderr


def test_an_empty_database_and_a_bad_head_are_said_in_words(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    result = run("verify-audit", "--backup", str(empty), db=tmp_path / "x.db")
    assert result.returncode == 1 and "inget register" in result.stderr
    assert "Traceback" not in result.stderr
    bad = run("verify-audit", "--expect", "nonsense", db=tmp_path / "x.db")
    assert bad.returncode == 2 and "inget kedjehuvud" in bad.stderr
