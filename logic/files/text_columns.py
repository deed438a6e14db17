"""The checks on text, over whole columns at once: a file of a country's units has fifty
thousand names, and checking each in Python costs forty times reading the file.

One regular expression per column (pyarrow's RE2, in C++) sets apart the values that are
plainly clean, by the same patterns the per-value checks in logic.domain.text start with;
only the other values go through those checks, each distinct value once. (What a file
we write may carry is gated so in export.file_texts.)"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from logic.domain.text import DOUBTFUL, contains_personnummer, invisible_characters


def _doubtful(values: pa.Array) -> list[str]:
    """The distinct values the exact checks must see: not plain, or with a run of digits."""
    values = pc.unique(values)  # an administration's name comes thousands of times
    doubtful = values.filter(pc.match_substring_regex(values, DOUBTFUL))
    return doubtful.to_pylist()  # type: ignore[no-any-return]


def free_text_in_column(values: pa.Array) -> bool:
    """Does any value hold what a one-line text from a file may not: an invisible or control
    character, a tab, a line break, or an identity number?"""
    return any(
        invisible_characters(v) or "\t" in v or "\n" in v or contains_personnummer(v)
        for v in _doubtful(values)
    )
