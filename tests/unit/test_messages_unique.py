"""Every message key once in data/i18n/messages.yaml: YAML keeps the last of two silently,
so a new message could take an old one's words away from the pages that use it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml

MESSAGES = Path(__file__).resolve().parents[2] / "data" / "i18n" / "messages.yaml"


def test_every_message_key_is_written_once() -> None:
    node = yaml.compose(MESSAGES.read_text(encoding="utf-8"))
    assert isinstance(node, yaml.MappingNode)
    counted = Counter(key.value for key, _ in node.value)
    assert [key for key, n in counted.items() if n > 1] == []
