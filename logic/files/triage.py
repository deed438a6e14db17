"""Triage a unit file without a database: one row of recommendation per unit, as CSV.

Units with the same facts get the same recommendation, so the rules run once per distinct
combination of facts, not once per unit; the rest is over whole columns (Arrow): a country's
file takes a few times as long as reading it.
"""

from __future__ import annotations

import datetime as dt
import io
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from logic.domain.catalog import Catalog
from logic.domain.models import Unit
from logic.domain.rules import FACTS, recommend
from logic.files.arrow_csv import gated
from logic.files.at_once import at_once
from logic.files.unit_file_columns import read_table

TRIAGE_COLUMNS = ("hsa_id", "namn", "utfall", "variant", "kravda", "saknas", "regler")
KEY_LIMIT = 2**62  # a group key stays an int64


def triage_table(table: pa.Table, cat: Catalog, today: dt.date) -> pa.Table:
    """TRIAGE_COLUMNS of every unit (read_table's: each value trimmed)."""
    firsts, group = groups(table, FACTS)
    results = [
        _recommended(Unit.model_validate(row), cat, today)
        for row in table.take(pa.array(firsts)).to_pylist()
    ]
    which = pa.array(group)
    recommended = {
        name: pc.take(pa.array(values, pa.string()), which)
        for name, values in zip(TRIAGE_COLUMNS[2:], zip(*results, strict=True), strict=True)
    }
    return pa.table(
        {"hsa_id": table["hsa_id"], "namn": table["namn"]} | recommended,
    ).select(list(TRIAGE_COLUMNS))


def _recommended(unit: Unit, cat: Catalog, today: dt.date) -> tuple[str, ...]:
    rec = recommend(unit, cat, today)
    return (
        rec.outcome,
        rec.variant or "",
        "|".join(rec.required),
        "|".join(rec.missing),
        "|".join(dict.fromkeys(rec.rule_ids)),
    )


def groups(
    table: pa.Table, columns: tuple[str, ...], limit: int = KEY_LIMIT
) -> tuple[np.ndarray, np.ndarray]:
    """The rows with the same values in `columns`: a row of each group, and each row's group.
    Each column's values are numbered, the numbers combined into one key per row; a key that
    would outgrow `limit` is numbered afresh."""
    key = np.zeros(table.num_rows, dtype=np.int64)
    for encoded in at_once(lambda c: pc.dictionary_encode(table[c]), columns):
        encoded = encoded.combine_chunks()
        size = max(len(encoded.dictionary), 1)
        if (int(key.max(initial=0)) + 1) * size >= limit:
            _, key = np.unique(key, return_inverse=True)
        key = key * size + encoded.indices.to_numpy()
    _, firsts, group = np.unique(key, return_index=True, return_inverse=True)
    return firsts, group


def triage_csv(data: bytes, cat: Catalog, today: dt.date, lang: str = "sv") -> bytes:
    """The file: UTF-8, `,`-separated (RFC 4180 quoting), headers exactly TRIAGE_COLUMNS."""
    units = read_table(data, lang)
    # the name, from the file: never a formula in a spreadsheet (an HSA-id holds only letters,
    # digits and a dash after "SE", as read_table checked: nothing in it to neutralise). The
    # names are gated in Arrow while the rules run in Python beside it.
    with ThreadPoolExecutor(max_workers=1) as pool:
        names = pool.submit(gated, units["namn"].combine_chunks())  # mostly distinct
        table = triage_table(units, cat, today)
        table = table.set_column(1, "namn", names.result().cast(pa.string()))
    # pyarrow writes the rows in C++ (a country's file in milliseconds); it quotes every
    # text value, which RFC 4180 allows. The header is written plain, as documented.
    body = io.BytesIO()
    body.write((",".join(TRIAGE_COLUMNS) + "\n").encode())
    pcsv.write_csv(table, body, pcsv.WriteOptions(include_header=False, quoting_style="needed"))
    return body.getvalue()
