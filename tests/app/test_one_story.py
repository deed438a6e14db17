"""One story for the managers: on a register at work (the demo history), Uppföljning,
Införande, the report's summary page and the roll-out export give the same figures, each
with the same definition (required by the decision in force, else the proposal; in place as
observed; exempted by a decision in force)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from logic.bootstrap import audit_key
from logic.clock import region_today
from logic.services.rollout import export_rollout, rollout_report
from logic.settings import settings
from logic.store.db import make_engine
from logic.store.store import Store
from tests.app.conftest import CHEF, new_app
from tests.factories import CECILIA


def shown(at: AppTest) -> dict[str, str]:
    return {m.label: str(m.value) for m in at.metric}


def said(at: AppTest) -> set[str]:
    return {c.value for c in at.caption}


def percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole, 1) if whole else 0.0:.0f} %"


def test_the_pages_the_report_and_the_export_tell_one_story(at_work: Path) -> None:
    today = region_today()
    at = new_app(CHEF).run()
    at.switch_page("pages/uppfoljning.py").run()
    assert not at.exception
    follow_up, follow_up_words = shown(at), said(at)
    at.switch_page("pages/inforande.py").run()
    assert not at.exception
    rollout, rollout_words = shown(at), said(at)

    # the export's rows, counted by the same definitions
    store = Store(make_engine(f"sqlite:///{at_work}"), audit_key(settings()))
    data = export_rollout(store, CECILIA, "csv", today).data.decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(data)))
    units = {r["hsa_id"] for r in rows}
    kontakt = [r for r in rows if r["arendetyp"] == "kontakt" and r["status"] != "undantaget"]
    in_place = [r for r in kontakt if r["status"] in ("infort", "infort_mall")]
    on_time = [r for r in kontakt if r["i_tid"] == "ja"]
    late = {r["hsa_id"] for r in rows if r["status"] == "forsenat"}
    exempt = {r["hsa_id"] for r in rows if r["status"] == "undantaget"}
    decided = {r["hsa_id"] for r in rows if r["underlag"] == "beslut"}
    assert len(units) > 50 and in_place and late and exempt and decided  # a register at work

    expected = {
        "Digital kontakt på plats": (
            percent(len(in_place), len(kontakt)),
            f"{len(in_place)} av {len(kontakt)} enheter som ska ha den",
        ),
        "Enheter med försenade e-tjänster": (
            percent(len(late), len(units)),
            f"{len(late)} av {len(units)} enheter saknar en e-tjänst vars frist har passerat",
        ),
        "Undantag som gäller": (
            percent(len(exempt), len(units)),
            f"{len(exempt)} av {len(units)} enheter är undantagna från någon e-tjänst genom ett "
            "fastställt beslut",
        ),
    }
    expected["Digital kontakt i tid"] = (
        percent(len(on_time), len(kontakt)),
        next(w for w in follow_up_words if w.startswith(f"{len(on_time)} av {len(kontakt)}")),
    )
    in_force = next(w for w in follow_up_words if "har ett fastställt beslut" in w)
    assert in_force.startswith(f"{len(decided)} av {len(units)} enheter")
    expected["Fastställda beslut"] = (percent(len(decided), len(units)), in_force)
    for label, (share, words) in expected.items():
        assert follow_up[label] == share, label
        assert rollout[label] == share, label  # Införande says the same
        assert words in follow_up_words and words in rollout_words, label

    # the report's first page: the same figures, in the same words
    report = rollout_report(store, CECILIA, "xlsx", today).data
    store.engine.dispose()
    first = load_workbook(io.BytesIO(report)).worksheets[0]
    lines = {
        r[0].value: (r[1].value, r[2].value)
        for r in first.iter_rows()
        if r[0].value in expected or r[0].value == "Omprövningar försenade"
    }
    for label, (share, words) in expected.items():
        assert lines[label] == (share, words), label
    reviews = next(w for w in follow_up_words if "försenade (datum passerat)" in w)
    assert reviews.startswith(follow_up["Omprövningar försenade"] + " försenade")
    assert lines["Omprövningar försenade"] == (None, reviews)  # a count: no share


def test_every_month_is_on_the_digital_contact_chart(at_work: Path) -> None:
    """A true time axis: every month's end, without a gap, from the first observation to
    this month; the newest is the headline's count of units with digital contact."""
    at = new_app(CHEF).run()
    at.switch_page("pages/uppfoljning.py").run()
    months = next(d.value for d in at.dataframe if "Månadens slut" in d.value.columns)
    ends = [dt.date.fromisoformat(day) for day in months["Månadens slut"]]
    today = region_today()
    assert (ends[-1].year, ends[-1].month) == (today.year, today.month)
    for before, after in zip(ends, ends[1:], strict=False):
        assert (before + dt.timedelta(days=1)).replace(day=1) == before + dt.timedelta(days=1)
        assert (after.year * 12 + after.month) - (before.year * 12 + before.month) == 1
    in_place = next(c.value for c in at.caption if "enheter som ska ha den" in c.value)
    assert in_place.startswith(f"{int(months.iloc[-1, 1])} av ")
