"""Text helpers shared by the store and services."""

from __future__ import annotations

import unicodedata


def search_key(text: str) -> str:
    """Lower case without diacritics: "Södervärn" and "SODERVARN" both give "sodervarn"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
