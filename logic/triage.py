"""Triage a unit file without a database: one row of recommendation per unit, as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

from logic.catalog import Catalog
from logic.rules import recommend
from logic.unit_file import read_units

TRIAGE_COLUMNS = ("hsa_id", "namn", "utfall", "variant", "kravda", "saknas", "regler")


def triage_csv(data: bytes, cat: Catalog, lang: str = "sv", today: dt.date | None = None) -> str:
    """UTF-8 text, `,`-separated (RFC 4180 quoting), headers exactly TRIAGE_COLUMNS."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(TRIAGE_COLUMNS)
    for unit in read_units(data, lang):
        rec = recommend(unit, cat, today)
        writer.writerow(
            (
                unit.hsa_id,
                unit.namn,
                rec.outcome,
                rec.variant or "",
                "|".join(rec.required),
                "|".join(rec.missing),
                "|".join(dict.fromkeys(rec.rule_ids)),
            )
        )
    return out.getvalue()
