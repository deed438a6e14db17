"""The message catalog: every key the code uses exists, in Swedish and English."""

from __future__ import annotations

import re
from pathlib import Path

from logic.i18n import LANGUAGES, messages

ROOT = Path(__file__).resolve().parents[2]
USE = re.compile(r"""\btr?\(\s*["']([a-z_]+\.[a-z_.]+)["']""")


def test_every_message_key_used_in_code_exists_in_both_languages() -> None:
    sources = [ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("logic/**/*.py")]
    used = {key for path in sources for key in USE.findall(path.read_text(encoding="utf-8"))}
    assert used, "the pattern found no keys: the test would prove nothing"
    catalog = messages()
    assert sorted(used - catalog.keys()) == []
    for key in used:
        assert all(catalog[key][lang].strip() for lang in LANGUAGES), key
