"""The docs stay true: every setting and every export column is documented, every path they
name exists, every file in docs/ is linked from the README, and the README stays short."""

from __future__ import annotations

import re
from pathlib import Path

from logic.files.export import HEADERS
from logic.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = {path: path.read_text(encoding="utf-8") for path in sorted((ROOT / "docs").glob("*.md"))}
ALL = "\n".join([README, *DOCS.values()])


def test_every_setting_is_documented_in_the_readme() -> None:
    missing = [name.upper() for name in Settings.model_fields if f"`{name.upper()}`" not in README]
    assert missing == []


def test_every_export_column_is_documented() -> None:
    assert [h for h in HEADERS if f"| `{h}` |" not in ALL] == []


def test_the_two_commands_are_documented() -> None:
    assert "make run" in README and "make test" in README


def test_every_path_the_docs_name_exists() -> None:
    """The layout and the how-to name files; a move or a rename must update them."""
    named = {
        (doc.name, path)
        for doc, text in [(ROOT / "README.md", README), *DOCS.items()]
        for path in re.findall(
            r"`((?:logic|pages|tests|data|migrations|benchmarks|scripts|docs)/[\w./*-]+)`", text
        )
    }
    missing = sorted((doc, p) for doc, p in named if not any(ROOT.glob(p.rstrip("/"))))
    assert named and missing == []


def test_every_relative_link_in_the_docs_leads_somewhere() -> None:
    links = {
        (doc, target)
        for doc, text in [(ROOT / "README.md", README), *DOCS.items()]
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text)
    }
    assert links and sorted((d.name, t) for d, t in links if not (d.parent / t).exists()) == []


def test_every_anchor_in_the_docs_names_a_heading() -> None:
    def anchors(text: str) -> set[str]:
        return {
            re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
            for heading in re.findall(r"^#+ (.+)$", text, flags=re.MULTILINE)
        }

    texts = {ROOT / "README.md": README, **DOCS}
    broken = [
        (doc.name, target, anchor)
        for doc, text in texts.items()
        for target, anchor in re.findall(r"\]\(([^)#:]*)#([^)]+)\)", text)
        if anchor not in anchors(texts[(doc.parent / target).resolve()] if target else text)
    ]
    assert broken == []


def test_every_file_in_docs_is_linked_from_the_readme() -> None:
    assert DOCS and [p.name for p in DOCS if f"](docs/{p.name})" not in README] == []


def test_the_readme_is_short() -> None:
    """A newcomer reads it in five minutes; the rest is in docs/."""
    assert len(README.splitlines()) <= 250


def test_the_rollout_export_columns_are_documented_in_order() -> None:
    from logic.files.rollout_export import ROLLOUT_COLUMNS

    table = "\n".join(f"| `{name}` | {what} |" for name, what in ROLLOUT_COLUMNS)
    assert table in ALL
