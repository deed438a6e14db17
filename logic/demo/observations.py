"""The demo's observations: the demo units seen quarterly from 2021-09 to 2023-03, putting
their e-services in place (some before, many after 2022-09-30, some never) and moving to the
regional templates, ending in the state the sample file describes. So the roll-out page and
report show a real curve out of the box. Deterministic: the same every time."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Sequence

from logic.domain.models import Unit
from logic.files.unit_file import ALL_COLUMNS, unit_record

QUARTERS: tuple[dt.date, ...] = tuple(
    dt.date(year, month, 1)
    for year, month in (
        (2021, 9),
        (2021, 12),
        (2022, 3),
        (2022, 6),
        (2022, 9),
        (2022, 12),
        (2023, 3),
    )
)


def _fraction(*parts: str) -> float:
    """A number in [0, 1) fixed by the parts: the demo's dice, the same on every run."""
    return int(hashlib.sha256("|".join(parts).encode()).hexdigest()[:8], 16) / 2**32


def put_in_place(unit: Unit, case_type: str) -> int:
    """The quarter (an index into QUARTERS) from which the unit offers the e-service it
    offers in the sample file: 0 had it from the start; len(QUARTERS) only after them."""
    x = _fraction(unit.hsa_id, case_type, "infort")
    if x < 0.2:
        return 0
    if x < 0.55:
        return 1 + int((x - 0.2) / 0.35 * 4)  # by 2022-09-01: before the deadline
    if x < 0.85:
        return 5 + int((x - 0.55) / 0.30 * 2)  # 2022-12 or 2023-03: late
    return len(QUARTERS)


def on_template_from(unit: Unit, case_type: str) -> int:
    """The quarter from which it uses the regional template (one or two after it came)."""
    return put_in_place(unit, case_type) + 1 + int(_fraction(unit.hsa_id, case_type, "mall") * 2)


def as_seen(unit: Unit, quarter: int) -> Unit:
    offered = tuple(c for c in unit.e_tjanster if put_in_place(unit, c) <= quarter)
    templated = tuple(
        c for c in unit.regionala_mallar if c in offered and on_template_from(unit, c) <= quarter
    )
    return unit.model_copy(update={"e_tjanster": offered, "regionala_mallar": templated})


def observation_file(units: Sequence[Unit], quarter: int) -> bytes:
    """The unit file as it would have read in that quarter."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(ALL_COLUMNS)
    for unit in units:
        record = unit_record(as_seen(unit, quarter))
        writer.writerow([record[c] for c in ALL_COLUMNS])
    return out.getvalue().encode("utf-8")
