"""Triage a unit file without a database: one row of recommendation per unit, as CSV.

Units with the same facts get the same recommendation, so the rules run once per distinct
combination of facts, not once per unit: a country's file takes about as long as reading it.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pcsv

from logic.domain.catalog import Catalog
from logic.domain.models import Unit
from logic.domain.rules import recommend
from logic.files.export import file_texts
from logic.files.unit_file import FACTS, read_frame

TRIAGE_COLUMNS = ("hsa_id", "namn", "utfall", "variant", "kravda", "saknas", "regler")


def triage_frame(frame: pd.DataFrame, cat: Catalog, today: dt.date) -> pd.DataFrame:
    group = frame.groupby(list(FACTS), sort=False).ngroup()
    firsts = frame.groupby(group, sort=False).head(1)
    results = {}
    for index, row in firsts.iterrows():
        rec = recommend(Unit.model_validate(row.to_dict()), cat, today)
        results[group[index]] = (
            rec.outcome,
            rec.variant or "",
            "|".join(rec.required),
            "|".join(rec.missing),
            "|".join(dict.fromkeys(rec.rule_ids)),
        )
    table = pd.DataFrame.from_dict(
        results, orient="index", columns=["utfall", "variant", "kravda", "saknas", "regler"]
    )
    out = frame[["hsa_id", "namn"]].join(table, on=group)
    return out[list(TRIAGE_COLUMNS)]


def triage_csv(data: bytes, cat: Catalog, today: dt.date, lang: str = "sv") -> str:
    """UTF-8 text, `,`-separated (RFC 4180 quoting), headers exactly TRIAGE_COLUMNS."""
    frame = triage_frame(read_frame(data, lang), cat, today)
    # the name, from the file: never a formula in a spreadsheet (an HSA-id holds only letters,
    # digits and a dash after "SE", as read_frame checked: nothing in it to neutralise)
    frame["namn"] = file_texts(frame["namn"].tolist())
    # pyarrow writes the rows in C++ (a country's file in milliseconds); it quotes every
    # text value, which RFC 4180 allows. The header is written plain, as documented.
    body = io.BytesIO()
    pcsv.write_csv(
        pa.Table.from_pandas(frame, preserve_index=False),
        body,
        pcsv.WriteOptions(include_header=False, quoting_style="needed"),
    )
    return ",".join(TRIAGE_COLUMNS) + "\n" + body.getvalue().decode("utf-8")
