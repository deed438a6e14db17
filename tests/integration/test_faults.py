"""Faults: a killed or failed export leaves no partial file and no record claiming one; a
database that cannot be used is said in words, with nothing half-written."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from logic.domain.errors import DatabaseError
from logic.domain.register import RegisterFilter
from logic.files import export
from logic.services.register import export_decisions
from logic.services.units import import_units
from logic.store.store import Store
from tests.cli import run_cli
from tests.factories import ADAM, CECILIA, HEADER, ROW

ROOT = Path(__file__).resolve().parents[2]


def exports_on_record(store: Store) -> int:
    with store.transaction() as tx:
        return sum(1 for e in tx.audit.events() if e.action == "export_decisions")


@pytest.fixture
def loaded(store: Store) -> Store:
    import_units(store, f"{HEADER}\n{ROW}\n".encode(), ADAM, source="t.csv")
    return store


def test_an_export_killed_while_writing_leaves_no_file_and_no_record(
    loaded: Store, tmp_path: Path
) -> None:
    out = tmp_path / "beslut.csv"

    def killed(data: bytes) -> None:
        temporary = out.with_name(f".{out.name}.{os.getpid()}.tmp")
        temporary.write_bytes(data[: len(data) // 2])  # half written, then the process dies
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        export_decisions(loaded, RegisterFilter(), "csv", CECILIA, deliver=killed)
    assert not out.exists()
    assert exports_on_record(loaded) == 0


def test_a_failed_write_raises_in_words_and_leaves_the_old_file_whole(tmp_path: Path) -> None:
    out = tmp_path / "beslut.csv"
    out.write_bytes(b"the earlier export")
    with pytest.raises(OSError):
        export.write_atomically(tmp_path / "no such folder" / "x.csv", b"data")
    original_replace = os.replace

    def disk_full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    os.replace = disk_full  # type: ignore[assignment]
    try:
        with pytest.raises(OSError, match="No space"):
            export.write_atomically(out, b"new data")
    finally:
        os.replace = original_replace
    assert out.read_bytes() == b"the earlier export"
    assert [p.name for p in tmp_path.iterdir()] == ["beslut.csv"]  # no temporary left


def test_an_export_is_recorded_with_the_hash_of_the_file_written(
    loaded: Store, tmp_path: Path
) -> None:
    out = tmp_path / "beslut.xlsx"
    file = export_decisions(
        loaded,
        RegisterFilter(),
        "xlsx",
        CECILIA,
        deliver=lambda data: export.write_atomically(out, data),
    )
    assert export.sha256(out.read_bytes()) == file.sha256
    with loaded.transaction() as tx:
        event = tx.audit.events()[-1]
    assert (event.action, event.details["sha256"], event.details["rows"]) == (
        "export_decisions",
        file.sha256,
        1,
    )


def test_a_database_that_cannot_be_used_raises_in_words(tmp_path: Path) -> None:
    from logic.store.db import make_engine

    store = Store(make_engine("postgresql+psycopg://postgres@127.0.0.1:1/none"))
    with pytest.raises(DatabaseError) as info:
        import_units(store, f"{HEADER}\n{ROW}\n".encode(), ADAM, source="t.csv")
    assert info.value.reason


def cli(*args: str, url: str) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, url=url, AUDIT_KEY="test-key-of-16-characters")


def test_the_command_line_says_in_words_what_failed_never_a_traceback(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    assert cli("migrate", url=db).returncode == 0
    missing_folder = tmp_path / "saknas" / "beslut.csv"
    result = cli("export-decisions", "--format", "csv", "--out", str(missing_folder), url=db)
    assert result.returncode == 1
    assert "Filen kunde inte skrivas" in result.stderr and "Traceback" not in result.stderr
    assert not missing_folder.exists()
    verify = cli("verify-audit", url=db)
    assert verify.returncode == 0  # the failed export left no record behind
    unreachable = "postgresql+psycopg://postgres@127.0.0.1:1/none"
    units = tmp_path / "enheter.csv"
    units.write_text(f"{HEADER}\n{ROW}\n", encoding="utf-8")
    result = cli("import-units", str(units), url=unreachable)
    assert result.returncode == 1
    assert "Databasen kunde inte användas" in result.stderr and "Traceback" not in result.stderr
