"""The README stays true: every setting and every export column is documented."""

from __future__ import annotations

from pathlib import Path

from logic.files.export import HEADERS
from logic.settings import Settings

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented() -> None:
    missing = [name.upper() for name in Settings.model_fields if f"`{name.upper()}`" not in README]
    assert missing == []


def test_every_export_column_is_documented() -> None:
    assert [h for h in HEADERS if f"| `{h}` |" not in README] == []


def test_the_two_commands_are_documented() -> None:
    assert "make run" in README and "make test" in README


def test_every_path_the_readme_names_exists() -> None:
    """The layout and the how-to name files; a move or a rename must update them."""
    import re

    root = Path(__file__).resolve().parents[2]
    named = set(
        re.findall(r"`((?:logic|pages|tests|data|migrations|benchmarks)/[\w./*-]+)`", README)
    )
    missing = sorted(p for p in named if not any(root.glob(p.rstrip("/"))))
    assert named and missing == []


def test_the_rollout_export_columns_are_documented_in_order() -> None:
    from logic.files.rollout_export import ROLLOUT_COLUMNS

    table = "\n".join(f"| `{name}` | {what} |" for name, what in ROLLOUT_COLUMNS)
    assert table in README
